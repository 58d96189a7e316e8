#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The real model: same meaning lands close, across Chinese and English; every kernel the processor
//! runs gives the same vectors; the cache survives a restart and a torn write. Each test needs the
//! model file (`cargo xtask fetch-model`) and says it was skipped without it.

use std::time::Instant;

use seatmate_embed::{cosine, model_for_test, CachedEncoder, EmbeddingCache, Encoder, Kernel, Role};

/// The encoder with the fastest kernel, or `None` (the test is skipped) without the model file.
fn encoder(test: &str) -> Option<Encoder> {
    let path = model_for_test(test).unwrap()?;
    Some(Encoder::load(&path).unwrap())
}

#[test]
fn same_meaning_is_closer_than_different_meaning_in_both_languages() {
    let Some(e) = encoder("same_meaning_is_closer_than_different_meaning_in_both_languages") else { return };
    assert_eq!(e.dim(), 384);
    let q = e.embed("我的手机欠费停机了怎么办", Role::Query).unwrap();
    let same = e.embed("话费不足导致停机，充值后多久恢复？", Role::Query).unwrap();
    let other = e.embed("如何修改宽带密码", Role::Query).unwrap();
    assert!(cosine(&q, &same) > cosine(&q, &other));
    let en = e.embed("my phone was cut off because I did not pay the bill", Role::Query).unwrap();
    assert!(cosine(&q, &en) > cosine(&other, &en));
    let norm: f32 = q.iter().map(|x| x * x).sum();
    assert!((norm - 1.0).abs() < 1e-3);
}

#[test]
fn a_batch_equals_single_calls() {
    let Some(e) = encoder("a_batch_equals_single_calls") else { return };
    let texts = ["退订流量包", "Cancel my data add-on", "國際漫遊費用"];
    let batch = e.embed_batch(&texts, Role::Passage).unwrap();
    for (text, vector) in texts.iter().zip(&batch) {
        let single = e.embed(text, Role::Passage).unwrap();
        assert!(cosine(&single, vector) > 0.999);
    }
}

#[test]
fn the_cache_survives_a_restart_and_drops_a_torn_record() {
    let Some(encoder) = encoder("the_cache_survives_a_restart_and_drops_a_torn_record") else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vectors.bin");
    let cached = CachedEncoder { encoder, cache: EmbeddingCache::open(&path, 384).unwrap() };
    let mut seen = Vec::new();
    let first = cached.embed_many(&["套餐变更", "账单查询"], Role::Query, &mut |n| seen.push(n)).unwrap();
    assert_eq!(seen.last(), Some(&2));
    drop(cached);

    // Half a record at the end, as a crash mid-write leaves it.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(&[7u8; 100]);
    std::fs::write(&path, &bytes).unwrap();

    let cache = EmbeddingCache::open(&path, 384).unwrap();
    assert_eq!(cache.len(), 2);
    assert_eq!(cache.get("套餐变更", Role::Query).unwrap(), first[0]);
    assert!(cache.get("套餐变更", Role::Passage).is_none(), "roles are cached apart");
    assert_eq!(std::fs::metadata(&path).unwrap().len() as usize, 2 * (16 + 384 * 4));
}

/// The baseline kernel and each faster one this processor runs embed alike (they round in a
/// different order, so not bit for bit), and the detected kernel is the fastest. Prints each
/// kernel's best time for a short query (run with --nocapture to see it); asserts nothing about time.
#[test]
fn every_kernel_gives_the_same_vectors() {
    let Some(path) = model_for_test("every_kernel_gives_the_same_vectors").unwrap() else { return };
    let kernels = Kernel::supported();
    assert_eq!(kernels[0], Kernel::Generic);
    assert_eq!(Encoder::load(&path).unwrap().kernel(), *kernels.last().unwrap());
    let texts = ["我的手机欠费停机了怎么办", "How do I cancel the international roaming add-on?", "國際漫遊費用"];
    let mut reference: Option<Vec<Vec<f32>>> = None;
    for kernel in kernels {
        let e = Encoder::load_with_kernel(&path, kernel).unwrap();
        let vectors = e.embed_batch(&texts, Role::Query).unwrap();
        let fastest = (0..5)
            .map(|_| {
                let start = Instant::now();
                e.embed(texts[0], Role::Query).unwrap();
                start.elapsed()
            })
            .min()
            .unwrap();
        println!("kernel {}: {:.1} ms for a short query (best of 5)", kernel.name(), fastest.as_secs_f64() * 1000.0);
        match &reference {
            None => reference = Some(vectors),
            Some(generic) => {
                for (a, b) in generic.iter().zip(&vectors) {
                    assert!(cosine(a, b) > 0.995, "{kernel:?}: cosine {}", cosine(a, b));
                }
            }
        }
    }
}
