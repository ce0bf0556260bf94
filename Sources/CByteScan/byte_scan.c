#include "byte_scan.h"

// The pattern as 4 tests that always run: a test past `depth` passes every byte
// (`(b | 0xFF) == 0xFF`), and the white-space test of `space_last` replaces the test of
// its position.
typedef struct {
    uint8_t values[4];
    uint8_t cases[4];
    int space;  // the position of the white-space test, or -1
    uint8_t lead;
} tests;

static inline tests make_tests(const verbatim_byte_pattern *p) {
    tests t;
    t.space = p->space_last ? p->depth - 1 : -1;
    t.lead = p->lead;
    for (int k = 0; k < 4; k++) {
        int used = k < p->depth && k != t.space;
        t.values[k] = used ? p->values[k] : 0xFF;
        t.cases[k] = used ? p->cases[k] : 0xFF;
    }
    return t;
}

#if defined(__x86_64__)
#include <immintrin.h>

#define SCAN_BODY(VEC, WIDTH, SET1, LOAD, OR, CMPEQ, MIN, MOVEMASK)                                 \
    const VEC v0 = SET1((char)t.values[0]), v1 = SET1((char)t.values[1]);                          \
    const VEC v2 = SET1((char)t.values[2]), v3 = SET1((char)t.values[3]);                          \
    const VEC c0 = SET1((char)t.cases[0]), c1 = SET1((char)t.cases[1]);                            \
    const VEC c2 = SET1((char)t.cases[2]), c3 = SET1((char)t.cases[3]);                            \
    const VEC spaces = SET1(0x20), lead = SET1((char)t.lead);                                       \
    while (i + (WIDTH) + 3 <= count) {                                                              \
        const uint8_t *p = bytes + i;                                                               \
        VEC b0 = LOAD(p), b1 = LOAD(p + 1), b2 = LOAD(p + 2), b3 = LOAD(p + 3);                    \
        VEC all = CMPEQ(OR(b0, c0), v0);                                                            \
        all = _and(all, CMPEQ(OR(b1, c1), v1));                                                     \
        all = _and(all, CMPEQ(OR(b2, c2), v2));                                                     \
        all = _and(all, CMPEQ(OR(b3, c3), v3));                                                     \
        uint64_t m = (uint32_t)MOVEMASK(all);                                                       \
        if (t.space >= 0) {                                                                         \
            /* At most 0x20, or not ASCII (its high bit). */                                        \
            VEC s = t.space == 0 ? b0 : t.space == 1 ? b1 : t.space == 2 ? b2 : b3;                 \
            m &= (uint32_t)MOVEMASK(CMPEQ(MIN(s, spaces), s)) | (uint32_t)MOVEMASK(s);              \
        }                                                                                           \
        if (t.lead) m |= (uint32_t)MOVEMASK(CMPEQ(b0, lead));                                      \
        if (m != 0) return i + (size_t)__builtin_ctzll(m);                                          \
        i += (WIDTH);                                                                               \
    }

__attribute__((target("avx2"))) static size_t scan_avx2(const uint8_t *bytes, size_t count, size_t i, tests t) {
#define _and _mm256_and_si256
#define LOAD256(p) _mm256_loadu_si256((const __m256i *)(p))
    SCAN_BODY(__m256i, 32, _mm256_set1_epi8, LOAD256, _mm256_or_si256, _mm256_cmpeq_epi8, _mm256_min_epu8,
              _mm256_movemask_epi8)
#undef _and
    return i;
}

static size_t scan_sse2(const uint8_t *bytes, size_t count, size_t i, tests t) {
#define _and _mm_and_si128
#define LOAD128(p) _mm_loadu_si128((const __m128i *)(p))
    SCAN_BODY(__m128i, 16, _mm_set1_epi8, LOAD128, _mm_or_si128, _mm_cmpeq_epi8, _mm_min_epu8, _mm_movemask_epi8)
#undef _and
    return i;
}

size_t verbatim_byte_scan(const uint8_t *bytes, size_t count, size_t from, const verbatim_byte_pattern *pattern) {
    tests t = make_tests(pattern);
    size_t i = __builtin_cpu_supports("avx2") ? scan_avx2(bytes, count, from, t) : from;
    return scan_sse2(bytes, count, i, t);
}

size_t verbatim_byte_scan_sse2(const uint8_t *bytes, size_t count, size_t from, const verbatim_byte_pattern *pattern) {
    return scan_sse2(bytes, count, from, make_tests(pattern));
}

#else

size_t verbatim_byte_scan(const uint8_t *bytes, size_t count, size_t from, const verbatim_byte_pattern *pattern) {
    tests t = make_tests(pattern);
    size_t i = from;
    for (; i + 19 <= count; i++) {
        const uint8_t *p = bytes + i;
        if (t.lead && p[0] == t.lead) return i;
        int pass = 1;
        for (int k = 0; k < 4 && pass; k++) {
            if (k == t.space) pass = p[k] <= 0x20 || p[k] >= 0x80;
            else pass = (uint8_t)(p[k] | t.cases[k]) == t.values[k];
        }
        if (pass) return i;
    }
    return i;
}

size_t verbatim_byte_scan_sse2(const uint8_t *bytes, size_t count, size_t from, const verbatim_byte_pattern *pattern) {
    return verbatim_byte_scan(bytes, count, from, pattern);
}

#endif
