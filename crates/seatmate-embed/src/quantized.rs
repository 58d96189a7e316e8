//! Vectors stored as 8-bit integers (a quarter of the memory of f32, and a quarter of the bytes to
//! scan per query) and their dot products, with AVX2 where the processor has it.
#![allow(unsafe_code)]

use crate::Kernel;

/// A vector as `scale * values[i]`, with the largest component at ±127.
pub fn quantize(vector: &[f32], out: &mut Vec<i8>) -> f32 {
    let max = vector.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
    out.extend(vector.iter().map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8));
    scale
}

/// The integer dot product of `query` with each row of `rows` (`query.len()` values per row),
/// spread over the cores by the engine's OpenMP team. Values must lie in [-127, 127], as
/// [`quantize`] makes them.
pub fn scan_i8(query: &[i8], rows: &[i8]) -> Vec<i32> {
    scan_i8_with(Kernel::detected(), query, rows)
}

fn scan_i8_with(kernel: Kernel, query: &[i8], rows: &[i8]) -> Vec<i32> {
    let dim = query.len();
    if dim == 0 {
        return Vec::new();
    }
    let mut out = vec![0i32; rows.len() / dim];
    if crate::ffi::scan_i8(kernel, query, rows, &mut out).is_none() {
        return rows.chunks_exact(dim).map(|row| dot_i8(query, row)).collect();
    }
    out
}

/// Integer dot product of two equally long slices.
pub fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor supports AVX2, checked just above.
            return unsafe { dot_i8_avx2(a, b) };
        }
    }
    dot_i8_plain(a, b)
}

fn dot_i8_plain(a: &[i8], b: &[i8]) -> i32 {
    a.iter().zip(b).map(|(&x, &y)| i32::from(x) * i32::from(y)).sum()
}

/// Same as [`dot_i8_plain`] for values in [-127, 127], 32 products at a time as `src/scan.c` does.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn dot_i8_avx2(a: &[i8], b: &[i8]) -> i32 {
    use std::arch::x86_64::*;
    let n = a.len().min(b.len());
    let mut acc = _mm256_setzero_si256();
    let ones = _mm256_set1_epi16(1);
    let mut j = 0;
    while j + 32 <= n {
        // SAFETY: j + 32 <= n, so both 32-byte loads lie inside the slices.
        let (x, y) = unsafe { (_mm256_loadu_si256(a.as_ptr().add(j).cast()), _mm256_loadu_si256(b.as_ptr().add(j).cast())) };
        // |x| * (y with x's sign) = x * y, in the unsigned x signed form maddubs takes
        let p = _mm256_maddubs_epi16(_mm256_sign_epi8(x, x), _mm256_sign_epi8(y, x));
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(p, ones));
        j += 32;
    }
    let mut lanes = [0i32; 8];
    // SAFETY: `lanes` is 32 bytes.
    unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast(), acc) };
    lanes.iter().sum::<i32>() + dot_i8_plain(&a[j..n], &b[j..n])
}

/// The sign bits of `vector - center`, 64 to a word (bit `i % 64` of word `i / 64` is set where
/// component `i` lies above the centre), appended to `out`: a 1-bit sketch of the vector whose
/// Hamming distances rank like angles (Charikar's SimHash with the axes as hyperplanes). Centring
/// matters: sentence vectors share a large common direction that would set the same bits in all.
pub fn sign_code(vector: &[f32], center: &[f32], out: &mut Vec<u64>) {
    for (chunk, centre) in vector.chunks(64).zip(center.chunks(64)) {
        let word = chunk.iter().zip(centre).enumerate().fold(0u64, |w, (i, (x, c))| w | (u64::from(x > c) << i));
        out.push(word);
    }
}

/// The Hamming distance of `query` (a [`sign_code`]) to each code in `codes` (`query.len()` words
/// each), with the processor's `popcnt` where it has one.
pub fn hamming_scan(query: &[u64], codes: &[u64]) -> Vec<u32> {
    if query.is_empty() {
        return Vec::new();
    }
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("popcnt") {
            // SAFETY: the processor has popcnt, checked just above.
            return unsafe { hamming_scan_popcnt(query, codes) };
        }
    }
    hamming_scan_plain(query, codes)
}

fn hamming_scan_plain(query: &[u64], codes: &[u64]) -> Vec<u32> {
    codes.chunks_exact(query.len()).map(|code| code.iter().zip(query).map(|(a, b)| (a ^ b).count_ones()).sum()).collect()
}

/// Same as [`hamming_scan_plain`], written out here so that `count_ones` compiles to popcnt.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
unsafe fn hamming_scan_popcnt(query: &[u64], codes: &[u64]) -> Vec<u32> {
    codes.chunks_exact(query.len()).map(|code| code.iter().zip(query).map(|(a, b)| (a ^ b).count_ones()).sum()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_codes_count_the_components_on_different_sides() {
        let center = vec![0.5f32; 70];
        let a: Vec<f32> = (0..70).map(|i| if i % 2 == 0 { 1.0 } else { 0.0 }).collect();
        let b: Vec<f32> = (0..70).map(|i| if i < 35 { 1.0 } else { 0.0 }).collect();
        let (mut ca, mut cb) = (Vec::new(), Vec::new());
        sign_code(&a, &center, &mut ca);
        sign_code(&b, &center, &mut cb);
        assert_eq!(ca.len(), 2);
        let differ = a.iter().zip(&b).filter(|(x, y)| (**x > 0.5) != (**y > 0.5)).count() as u32;
        let codes: Vec<u64> = ca.iter().chain(&cb).copied().collect();
        assert_eq!(hamming_scan(&ca, &codes), vec![0, differ]);
        assert_eq!(hamming_scan(&ca, &codes), hamming_scan_plain(&ca, &codes));
    }

    #[test]
    fn the_fast_dot_product_equals_the_plain_one() {
        let a: Vec<i8> = (0..389).map(|i| ((i * 37) % 255 - 127) as i8).collect();
        let b: Vec<i8> = (0..389).map(|i| ((i * 91 + 5) % 255 - 127) as i8).collect();
        assert_eq!(dot_i8(&a, &b), dot_i8_plain(&a, &b));
    }

    #[test]
    fn the_scan_equals_one_dot_product_per_row_with_every_kernel() {
        let q: Vec<i8> = (0..100).map(|i| ((i * 53) % 255 - 127) as i8).collect();
        let rows: Vec<i8> = (0..100 * 5000).map(|i| ((i * 29 + 3) % 255 - 127) as i8).collect();
        for kernel in Kernel::supported() {
            let scores = scan_i8_with(kernel, &q, &rows);
            assert_eq!(scores.len(), 5000);
            for (row, score) in rows.chunks_exact(100).zip(&scores) {
                assert_eq!(*score, dot_i8_plain(&q, row), "{kernel:?}");
            }
        }
        assert_eq!(scan_i8(&q, &rows), scan_i8_with(Kernel::Generic, &q, &rows));
    }

    #[test]
    fn quantizing_keeps_the_cosine() {
        let x: Vec<f32> = (0..384).map(|i| ((i as f32) * 0.37).sin()).collect();
        let norm = x.iter().map(|v| v * v).sum::<f32>().sqrt();
        let x: Vec<f32> = x.iter().map(|v| v / norm).collect();
        let mut q = Vec::new();
        let s = quantize(&x, &mut q);
        let approx = dot_i8(&q, &q) as f32 * s * s;
        assert!((approx - 1.0).abs() < 0.01, "{approx}");
    }
}
