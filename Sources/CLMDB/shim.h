#ifndef VERBATIM_CLMDB_SHIM_H
#define VERBATIM_CLMDB_SHIM_H
#include <lmdb.h>
#include <stdint.h>
#include <string.h>

/// LMDB's default order (bytes compared as unsigned, then the shorter first), with 4- and
/// 8-byte values of equal size compared as big-endian integers in registers: the same
/// order, without a call to memcmp. Verbatim's integer keys and posting values are 4 or 8
/// bytes, big-endian, and every descent compares about 20 of them.
static inline int verbatim_lmdb_compare(const MDB_val *a, const MDB_val *b) {
    if (a->mv_size == b->mv_size) {
        if (a->mv_size == 4) {
            uint32_t x, y;
            memcpy(&x, a->mv_data, 4);
            memcpy(&y, b->mv_data, 4);
            x = __builtin_bswap32(x);
            y = __builtin_bswap32(y);
            return (x > y) - (x < y);
        }
        if (a->mv_size == 8) {
            uint64_t x, y;
            memcpy(&x, a->mv_data, 8);
            memcpy(&y, b->mv_data, 8);
            x = __builtin_bswap64(x);
            y = __builtin_bswap64(y);
            return (x > y) - (x < y);
        }
    }
    size_t n = a->mv_size < b->mv_size ? a->mv_size : b->mv_size;
    int d = n ? memcmp(a->mv_data, b->mv_data, n) : 0;
    if (d) return d;
    return a->mv_size < b->mv_size ? -1 : a->mv_size > b->mv_size;
}

#endif
