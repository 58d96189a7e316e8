#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The real model: same meaning lands close, across Chinese and English; the cache survives a
//! restart and a torn write.

use seatmate_embed::{cosine, CachedEncoder, EmbeddingCache, Encoder, Role};

fn encoder() -> Encoder {
    Encoder::load_default(None).expect("the build fetches the model")
}

#[test]
fn same_meaning_is_closer_than_different_meaning_in_both_languages() {
    let e = encoder();
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
    let e = encoder();
    let texts = ["退订流量包", "Cancel my data add-on", "國際漫遊費用"];
    let batch = e.embed_batch(&texts, Role::Passage).unwrap();
    for (text, vector) in texts.iter().zip(&batch) {
        let single = e.embed(text, Role::Passage).unwrap();
        assert!(cosine(&single, vector) > 0.999);
    }
}

#[test]
fn the_cache_survives_a_restart_and_drops_a_torn_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vectors.bin");
    let cached = CachedEncoder { encoder: encoder(), cache: EmbeddingCache::open(&path, 384).unwrap() };
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
