// Byte classes of a 64-byte window as bit masks, for FieldSplit: Swift's SIMD types compare sixteen bytes at once
// but have no "move mask" to turn the result into bits, and packing them with multiplications cost more than the
// compares. Static inline, so the Swift code that calls it gets these few instructions in place.
#ifndef CHURN_BYTE_CLASSES_H
#define CHURN_BYTE_CLASSES_H

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Bit i of each mask is set when byte i of the window is: a delimiter or newline (stops), a newline (lines),
/// a double quote (quotes), a carriage return (returns).
typedef struct {
    uint64_t stops;
    uint64_t lines;
    uint64_t quotes;
    uint64_t returns;
} churn_byte_classes;

static inline churn_byte_classes churn_classify64(const uint8_t *window, uint8_t delimiter) {
    churn_byte_classes out = {0, 0, 0, 0};
#if defined(__SSE2__)
    const __m128i newline = _mm_set1_epi8('\n'), delim = _mm_set1_epi8((char)delimiter);
    const __m128i quote = _mm_set1_epi8('"'), ret = _mm_set1_epi8('\r');
    for (int q = 0; q < 4; q++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(window + 16 * q));
        __m128i nl = _mm_cmpeq_epi8(v, newline);
        uint64_t shift = (uint64_t)(16 * q);
        out.lines |= (uint64_t)(uint32_t)_mm_movemask_epi8(nl) << shift;
        out.stops |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_or_si128(nl, _mm_cmpeq_epi8(v, delim))) << shift;
        out.quotes |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) << shift;
        out.returns |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, ret)) << shift;
    }
#else
    for (int i = 0; i < 64; i++) {
        uint8_t b = window[i];
        uint64_t bit = (uint64_t)1 << i;
        if (b == '\n') { out.lines |= bit; out.stops |= bit; }
        if (b == delimiter) out.stops |= bit;
        if (b == '"') out.quotes |= bit;
        if (b == '\r') out.returns |= bit;
    }
#endif
    return out;
}

#endif
