/* Seatmate: scores of one 8-bit query against many 8-bit rows, on the engine's OpenMP team (which
 * is already running after the query was embedded, so no thread waits for a core). Values must lie
 * in [-127, 127]: then maddubs never saturates. */
#include <stdint.h>
#if defined(__AVX2__)
#include <immintrin.h>
#endif

void seatmate_scan_i8(const int8_t *q, const int8_t *rows, long n, int dim, int32_t *out) {
#pragma omp parallel for schedule(static) if (n >= 4096)
    for (long r = 0; r < n; r++) {
        const int8_t *v = rows + r * dim;
        int32_t total = 0;
        int j = 0;
#if defined(__AVX2__)
        __m256i acc = _mm256_setzero_si256();
        const __m256i ones = _mm256_set1_epi16(1);
        for (; j + 32 <= dim; j += 32) {
            __m256i a = _mm256_loadu_si256((const __m256i *)(q + j));
            __m256i b = _mm256_loadu_si256((const __m256i *)(v + j));
            /* |a| * (b with a's sign) = a * b, in the unsigned x signed form maddubs takes */
            __m256i p = _mm256_maddubs_epi16(_mm256_sign_epi8(a, a), _mm256_sign_epi8(b, a));
            acc = _mm256_add_epi32(acc, _mm256_madd_epi16(p, ones));
        }
        __m128i s = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
        total = _mm_cvtsi128_si32(s);
#endif
        for (; j < dim; j++) total += (int32_t)q[j] * (int32_t)v[j];
        out[r] = total;
    }
}
