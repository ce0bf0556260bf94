// A plain C loop of mdb_get over given keys. See include/CLMDBBench.h.
#define _GNU_SOURCE
#include "CLMDBBench.h"

#include <errno.h>
#include <lmdb.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct vb_bench_env {
    MDB_env *env;
    MDB_dbi dbi;
};

uint64_t vb_bench_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t vb_bench_thread_cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

vb_bench_env *vb_bench_open(const char *path, const char *dbi_name, const char *const *other_names,
                            const unsigned *other_flags, int other_count, int *rc) {
    MDB_env *env = NULL;
    MDB_txn *txn = NULL;
    int r = mdb_env_create(&env);
    if (r) goto fail;
    // The same limits as the Swift Environment the store opens.
    if ((r = mdb_env_set_maxdbs(env, 16))) goto fail;
    if ((r = mdb_env_set_maxreaders(env, 512))) goto fail;
    if ((r = mdb_env_open(env, path, MDB_RDONLY | MDB_NOTLS, 0644))) goto fail;
    if ((r = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn))) goto fail;
    MDB_dbi dbi;
    for (int i = 0; i < other_count; i++) {
        if ((r = mdb_dbi_open(txn, other_names[i], other_flags ? other_flags[i] : 0, &dbi))) goto fail;
    }
    if ((r = mdb_dbi_open(txn, dbi_name, 0, &dbi))) goto fail;
    if ((r = mdb_txn_commit(txn))) { txn = NULL; goto fail; }
    vb_bench_env *b = malloc(sizeof *b);
    if (!b) { r = ENOMEM; txn = NULL; goto fail; }
    b->env = env;
    b->dbi = dbi;
    return b;
fail:
    if (txn) mdb_txn_abort(txn);
    if (env) mdb_env_close(env);
    if (rc) *rc = r;
    return NULL;
}

void vb_bench_close(vb_bench_env *b) {
    if (!b) return;
    mdb_env_close(b->env);
    free(b);
}

typedef struct {
    vb_bench_env *b;
    const uint8_t *keys;
    size_t count;
    vb_bench_mode mode;
    int rc;
    uint64_t start, end, cpu_start, cpu_end, checksum, sample, found;
} worker;

// Grows *buf to at least n bytes.
static int reserve(uint8_t **buf, size_t *cap, size_t n) {
    if (n <= *cap) return 0;
    size_t c = *cap ? *cap : 65536;
    while (c < n) c *= 2;
    uint8_t *p = realloc(*buf, c);
    if (!p) return ENOMEM;
    *buf = p;
    *cap = c;
    return 0;
}

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void *work(void *arg) {
    worker *w = arg;
    size_t cap = 0;
    uint8_t *buf = NULL;
    int rc = reserve(&buf, &cap, 65536);
    uint64_t checksum = 0, sample = 0, found = 0;
    MDB_txn *txn = NULL;
    MDB_dbi dbi = w->b->dbi;
    if (rc) goto out;

    w->cpu_start = vb_bench_thread_cpu_ns();
    w->start = vb_bench_now_ns();
    if ((rc = mdb_txn_begin(w->b->env, NULL, MDB_RDONLY, &txn))) goto out;
    if (w->mode == VB_BENCH_RENEW_PER_READ) mdb_txn_reset(txn);
    for (size_t i = 0; i < w->count; i++) {
        // The document's value, then the paragraph's bytes found by its table.
        MDB_val k = {4, (void *)(w->keys + 8 * i)}, v;
        uint32_t number = be32(w->keys + 8 * i + 4);
        if (w->mode == VB_BENCH_RENEW_PER_READ && (rc = mdb_txn_renew(txn))) goto out;
        int r = mdb_get(txn, dbi, &k, &v);
        const uint8_t *table = v.mv_data;
        if (r == 0 && v.mv_size >= 8 && number >= 1 && number <= be32(table) &&
            4 * ((size_t)be32(table) + 2) <= v.mv_size) {
            size_t start = be32(table + 4 * number), end = be32(table + 4 * number + 4);
            if (start > end || end > v.mv_size) {
                rc = MDB_CORRUPTED;
                goto out;
            }
            size_t n = end - start;
            if ((rc = reserve(&buf, &cap, n))) goto out;
            memcpy(buf, table + start, n);
            // The copy must happen: the compiler may not assume it is never read.
            __asm__ volatile("" : : "r"(buf) : "memory");
            checksum += n;
            if (n) sample += buf[n - 1];
            found++;
        } else if (r != 0 && r != MDB_NOTFOUND) {
            rc = r;
            goto out;
        }
        if (w->mode == VB_BENCH_RENEW_PER_READ) mdb_txn_reset(txn);
    }
    mdb_txn_abort(txn);
    txn = NULL;
    w->end = vb_bench_now_ns();
    w->cpu_end = vb_bench_thread_cpu_ns();
out:
    if (txn) mdb_txn_abort(txn);
    free(buf);
    w->rc = rc;
    w->checksum = checksum;
    w->sample = sample;
    w->found = found;
    return NULL;
}

int vb_bench_run(vb_bench_env *b, const uint8_t *keys, size_t count, int threads, vb_bench_mode mode,
                 vb_bench_result *result) {
    if (!b || threads < 1 || !result) return EINVAL;
    worker *ws = calloc((size_t)threads, sizeof *ws);
    pthread_t *ts = calloc((size_t)threads, sizeof *ts);
    int rc = 0, started = 0;
    if (!ws || !ts) { rc = ENOMEM; goto out; }
    for (int t = 0; t < threads; t++) {
        size_t lo = count * (size_t)t / (size_t)threads, hi = count * (size_t)(t + 1) / (size_t)threads;
        ws[t] = (worker){.b = b, .keys = keys + 8 * lo, .count = hi - lo, .mode = mode};
    }
    for (; started < threads; started++) {
        if ((rc = pthread_create(&ts[started], NULL, work, &ws[started]))) break;
    }
    for (int t = 0; t < started; t++) pthread_join(ts[t], NULL);
    if (rc) goto out;
    *result = (vb_bench_result){0};
    uint64_t start = UINT64_MAX, end = 0;
    for (int t = 0; t < threads; t++) {
        if (ws[t].rc) { rc = ws[t].rc; goto out; }
        if (ws[t].start < start) start = ws[t].start;
        if (ws[t].end > end) end = ws[t].end;
        result->cpu_ns += ws[t].cpu_end - ws[t].cpu_start;
        result->checksum += ws[t].checksum;
        result->sample += ws[t].sample;
        result->found += ws[t].found;
    }
    result->elapsed_ns = end - start;
out:
    free(ws);
    free(ts);
    return rc;
}

int vb_bench_mdb_get(const char *path, const char *dbi_name, const char *const *other_names,
                     const unsigned *other_flags, int other_count, const uint8_t *keys, size_t count,
                     int threads, vb_bench_mode mode, int warmups, vb_bench_result *result) {
    int rc = 0;
    vb_bench_env *b = vb_bench_open(path, dbi_name, other_names, other_flags, other_count, &rc);
    if (!b) return rc;
    for (int i = 0; i < warmups && rc == 0; i++) rc = vb_bench_run(b, keys, count, threads, mode, result);
    if (rc == 0) rc = vb_bench_run(b, keys, count, threads, mode, result);
    vb_bench_close(b);
    return rc;
}
