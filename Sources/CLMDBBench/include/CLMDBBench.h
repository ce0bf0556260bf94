// A plain C loop of mdb_get: the peer of the in-process Swift read benchmark
// (tools/bench-store.sh, `verbatim-bench store`).
//
// LMDB forbids opening one environment twice in one process at the same time, so the
// caller must close every Swift `Store`/`Environment` on the same path before
// `vb_bench_open`, and call `vb_bench_close` before opening the Swift store again.
#ifndef VERBATIM_CLMDBBENCH_H
#define VERBATIM_CLMDBBENCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// How read transactions are used.
typedef enum {
    /// Each thread begins one read transaction and does all its reads in it.
    VB_BENCH_TXN_PER_THREAD = 0,
    /// Each thread renews (mdb_txn_renew) and resets (mdb_txn_reset) one transaction
    /// around every single read, as a server does per request.
    VB_BENCH_RENEW_PER_READ = 1,
} vb_bench_mode;

/// What one run did.
typedef struct {
    /// From the earliest thread start to the latest thread end (CLOCK_MONOTONIC).
    uint64_t elapsed_ns;
    /// CPU time of the reading threads, summed (CLOCK_THREAD_CPUTIME_ID): the cost of the
    /// reads, less disturbed than elapsed_ns by other processes on a busy machine.
    uint64_t cpu_ns;
    /// Sum of the sizes of every value read: equal for every variant over the same keys.
    uint64_t checksum;
    /// Sum of the last byte of every value, read back from the copy (keeps the copy alive).
    uint64_t sample;
    /// Keys found.
    uint64_t found;
} vb_bench_result;

/// An environment opened read-only (MDB_RDONLY | MDB_NOTLS) with one named database.
typedef struct vb_bench_env vb_bench_env;

/// Opens the environment at `path` and its database `dbi_name`, after opening the
/// `other_count` databases `other_names` with `other_flags` (MDB_DUPSORT, …), which are
/// not read. A read transaction's renew and reset cost grows with the number of open
/// databases, so open the same ones as the Swift store to compare like with like.
/// Returns NULL and sets `*rc` to the LMDB code on failure.
vb_bench_env *vb_bench_open(const char *path, const char *dbi_name, const char *const *other_names,
                            const unsigned *other_flags, int other_count, int *rc);

/// Closes what `vb_bench_open` opened.
void vb_bench_close(vb_bench_env *env);

/// Reads `count` paragraphs given as 8 bytes each (`keys` holds count * 8 bytes, entry i
/// at keys + 8 * i: document id and paragraph number, big-endian): `mdb_get` of the
/// document's `paras` value under its 4-byte id, then the paragraph's bytes found by the
/// value's table (Sources/VerbatimStore/ParagraphTable.swift), copied into a per-thread
/// buffer with memcpy.
/// The keys are split into `threads` contiguous slices, one per POSIX thread.
/// Returns 0, or an LMDB / errno code.
int vb_bench_run(vb_bench_env *env, const uint8_t *keys, size_t count, int threads, vb_bench_mode mode,
                 vb_bench_result *result);

/// The whole C phase in one call: open (as `vb_bench_open`), `warmups` untimed runs, one
/// timed run, close.
int vb_bench_mdb_get(const char *path, const char *dbi_name, const char *const *other_names,
                     const unsigned *other_flags, int other_count, const uint8_t *keys, size_t count,
                     int threads, vb_bench_mode mode, int warmups, vb_bench_result *result);

/// CLOCK_MONOTONIC in nanoseconds: the clock both the C and the Swift loops use.
uint64_t vb_bench_now_ns(void);

/// CPU time of the calling thread in nanoseconds (CLOCK_THREAD_CPUTIME_ID).
uint64_t vb_bench_thread_cpu_ns(void);

#ifdef __cplusplus
}
#endif

#endif
