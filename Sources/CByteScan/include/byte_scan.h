#ifndef VERBATIM_BYTE_SCAN_H
#define VERBATIM_BYTE_SCAN_H

#include <stddef.h>
#include <stdint.h>

/// A test of up to 4 consecutive bytes, the first of which may start a quotation in
/// stored UTF-8 text (VerbatimModel's `PhraseMatcher`): byte `k` (k < depth) passes when
/// `(byte | cases[k]) == values[k]`, or, for the last one when `space_last`, when it is at
/// most 0x20 or not ASCII (it may start white space); or, when `lead` is not 0, the first
/// byte is `lead` (the first byte of the one non-ASCII scalar whose fold starts with the
/// needle's first scalar: 0xC4 of U+0130 for `i`, 0xE2 of U+212A for `k`).
typedef struct {
    uint8_t values[4];
    uint8_t cases[4];
    int32_t depth;
    int32_t space_last;
    uint8_t lead;
} verbatim_byte_pattern;

/// The first position `i` from `from` on where `pattern` passes, or a position `r` at
/// least `from` where no position in `from ..< r` passes and `r + 19 > count` (the
/// caller tests the last positions itself). Reads `bytes[from ..< count]` only. 32
/// positions per step with AVX2, else 16 with SSE2, or one elsewhere.
size_t verbatim_byte_scan(const uint8_t *bytes, size_t count, size_t from, const verbatim_byte_pattern *pattern);

/// `verbatim_byte_scan` without AVX2 (for tests of the SSE2 path on machines that have AVX2).
size_t verbatim_byte_scan_sse2(const uint8_t *bytes, size_t count, size_t from, const verbatim_byte_pattern *pattern);

#endif
