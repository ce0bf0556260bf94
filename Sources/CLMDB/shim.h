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

#if defined(__linux__)
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

/// Advises the kernel to back the environment's memory map with transparent huge pages
/// (`madvise(MADV_HUGEPAGE)`), so that the pages it reads into the page cache through the
/// map are 2 MiB folios where the file system allows, mapped with one TLB entry each. LMDB
/// does not expose the map's address: it is the mapping of the data file (matched by
/// device and inode) in /proc/self/maps. Returns 0, or an errno (ENOENT: no mapping
/// found; EINVAL: the kernel has no transparent huge pages).
static inline int verbatim_lmdb_advise_huge_pages(MDB_env *env) {
    mdb_filehandle_t fd;
    struct stat st;
    if (mdb_env_get_fd(env, &fd) != 0 || fstat(fd, &st) != 0) return EBADF;
    FILE *maps = fopen("/proc/self/maps", "r");
    if (!maps) return errno;
    char line[512];
    int rc = ENOENT;
    int continued = 0;  // the last read ended inside a line (a long path): skip the rest
    while (fgets(line, sizeof line, maps)) {
        int skip = continued;
        continued = strchr(line, '\n') == NULL;
        if (skip) continue;
        unsigned long start, end, offset, inode;
        unsigned int major_id, minor_id;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s %lx %x:%x %lu", &start, &end, perms, &offset, &major_id, &minor_id,
                   &inode) != 7)
            continue;
        if (inode != (unsigned long)st.st_ino || major_id != major(st.st_dev) || minor_id != minor(st.st_dev))
            continue;
        rc = madvise((void *)start, end - start, MADV_HUGEPAGE) == 0 ? 0 : errno;
        if (rc != 0) break;
    }
    fclose(maps);
    return rc;
}
#endif

#endif
