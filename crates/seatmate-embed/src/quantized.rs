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

/// Same as [`dot_i8_plain`]; compiled for AVX2 so the loop vectorises 16 products at a time.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn dot_i8_avx2(a: &[i8], b: &[i8]) -> i32 {
    let mut sums = [0i32; 16];
    let chunks_a = a.chunks_exact(16);
    let chunks_b = b.chunks_exact(16);
    let tail: i32 = dot_i8_plain(chunks_a.remainder(), chunks_b.remainder());
    for (ca, cb) in chunks_a.zip(chunks_b) {
        for i in 0..16 {
            sums[i] += i32::from(i16::from(ca[i]) * i16::from(cb[i]));
        }
    }
    sums.iter().sum::<i32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;

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
