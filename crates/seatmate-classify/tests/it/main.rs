//! The classifier on small fixtures written here: Chinese (Simplified and Traditional) and English.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use seatmate_classify::{back_off, evaluate, Example, Model, TrainConfig};

fn ex(text: &str, label: &str) -> Example {
    Example { text: text.into(), label: label.into() }
}

/// Three categories, ten phrasings each, mixed languages.
fn fixture() -> Vec<Example> {
    let broadband = [
        "我家宽带断了",
        "宽带连不上网",
        "光猫红灯闪烁上不了网",
        "家里网络断线了",
        "宽带一直掉线",
        "路由器没有网络",
        "my home internet is down",
        "the broadband keeps dropping",
        "modem light is red no internet",
        "wifi has no internet",
    ];
    let billing = [
        "这个月话费怎么这么多",
        "账单多扣了钱",
        "我要查询话费账单",
        "为什么扣了我五十块",
        "话费余额不对",
        "帮我开发票",
        "my bill is too high",
        "I was charged twice",
        "please explain this charge on my bill",
        "I need an invoice",
    ];
    let roaming = [
        "出国怎么开通漫游",
        "在日本手机没有信号",
        "国际漫游资费是多少",
        "去泰国要开漫游吗",
        "漫游流量包怎么买",
        "境外上不了网",
        "how do I turn on roaming",
        "my phone has no signal abroad",
        "roaming charges in japan",
        "buy a roaming data pack",
    ];
    let mut out = Vec::new();
    for (label, texts) in [("BB.FAULT", &broadband), ("BILL.QUERY", &billing), ("ROAM.OPEN", &roaming)] {
        out.extend(texts.iter().map(|t| ex(t, label)));
    }
    out
}

fn config() -> TrainConfig {
    TrainConfig { calibration_fraction: 0.0, threads: 1, ..Default::default() }
}

#[test]
fn predicts_chinese_traditional_and_english() {
    let model = Model::train(&fixture(), &config()).unwrap();
    assert_eq!(model.labels(), ["BB.FAULT", "BILL.QUERY", "ROAM.OPEN"]);
    for (text, expected) in [
        ("宽带又断了，上不了网", "BB.FAULT"),
        ("寬頻斷線了上不了網", "BB.FAULT"),
        ("why is my bill so high this month", "BILL.QUERY"),
        ("我在日本漫游没有信号", "ROAM.OPEN"),
    ] {
        let prediction = model.predict(text, 3);
        assert_eq!(prediction.top[0].0, expected, "{text}: {prediction:?}");
        assert_eq!(prediction.top.len(), 3);
        let total: f32 = model.probabilities(text).iter().sum();
        assert!((total - 1.0).abs() < 1e-4, "probabilities sum to one");
        assert!(prediction.top[0].1 >= prediction.top[1].1);
    }
}

#[test]
fn explains_with_the_words_that_weighed_most() {
    let model = Model::train(&fixture(), &config()).unwrap();
    let prediction = model.predict("我的账单多扣了钱", 1);
    assert!(!prediction.explanation.is_empty());
    let features: Vec<&str> = prediction.explanation.iter().map(|(f, _)| f.as_str()).collect();
    assert!(features.iter().any(|f| f.contains("账单") || f.contains("扣")), "{features:?}");
    let is_word = |f: &str| f.starts_with("w:") || f.starts_with("b:");
    assert!(is_word(&prediction.explanation[0].0), "words come first: {:?}", prediction.explanation);
    let words: Vec<f32> = prediction.explanation.iter().filter(|(f, _)| is_word(f)).map(|(_, c)| *c).collect();
    assert!(words.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn model_files_round_trip_and_reject_garbage() {
    let model = Model::train(&fixture(), &TrainConfig { threads: 1, calibration_fraction: 0.34, ..Default::default() }).unwrap();
    let bytes = model.to_bytes();
    let loaded = Model::from_bytes(&bytes).unwrap();
    assert_eq!(loaded.predict("宽带断了", 3), model.predict("宽带断了", 3));
    assert_eq!(loaded.threshold_for_precision(0.9), model.threshold_for_precision(0.9));
    assert!(Model::from_bytes(b"nonsense").is_err());
    assert!(Model::from_bytes(&bytes[..bytes.len() - 3]).is_err());
}

#[test]
fn training_refuses_too_little() {
    assert!(Model::train(&[ex("a", "x"), ex("b", "x")], &config()).is_err(), "one label");
    assert!(Model::train(&[ex(" ", "x"), ex("b", "y")], &config()).is_err(), "empty text");
}

#[test]
fn training_is_repeatable_for_a_seed() {
    let a = Model::train(&fixture(), &config()).unwrap();
    let b = Model::train(&fixture(), &config()).unwrap();
    assert_eq!(a.to_bytes(), b.to_bytes());
}

#[test]
fn backs_off_to_the_deepest_confident_ancestor() {
    let parent = |code: &str| code.rsplit_once('.').map(|(p, _)| p.to_string());
    let probs = vec![("BB.FAULT.LOS".to_string(), 0.45), ("BB.FAULT.SLOW".to_string(), 0.4), ("BILL.QUERY".to_string(), 0.15)];
    assert_eq!(back_off(&probs, parent, 0.4), Some(("BB.FAULT.LOS".to_string(), 0.45)));
    let (code, mass) = back_off(&probs, parent, 0.8).unwrap();
    assert_eq!(code, "BB.FAULT");
    assert!((mass - 0.85).abs() < 1e-6);
    assert_eq!(back_off(&probs, parent, 0.9), None, "not even the root is sure: none of these");
}

#[test]
fn evaluation_reports_out_of_scope_figures() {
    let data = fixture();
    let (train, test): (Vec<_>, Vec<_>) = data.iter().cloned().enumerate().partition(|(i, _)| i % 5 != 0);
    let train: Vec<Example> = train.into_iter().map(|(_, e)| e).collect();
    let mut test: Vec<Example> = test.into_iter().map(|(_, e)| e).collect();
    test.push(ex("今天天气怎么样", "oos"));
    let report = evaluate(&train, Some(&train), &test, Some("oos"), &config()).unwrap();
    assert_eq!(report.n_classes, 3);
    assert!(report.top5 >= report.top1);
    assert!(report.accuracy >= 0.5, "{report:?}");
    assert!(report.oos.is_some());
    assert_eq!(report.auto_accept.len(), 3);
}

#[test]
fn the_large_taxonomy_path_shortlists_and_agrees() {
    let config = TrainConfig { shortlist_above: 1, shortlist_size: 2, ..config() };
    let model = Model::train(&fixture(), &config).unwrap();
    for (text, expected) in
        [("宽带又断了，上不了网", "BB.FAULT"), ("why is my bill so high", "BILL.QUERY"), ("我在日本漫游没有信号", "ROAM.OPEN")]
    {
        let prediction = model.predict(text, 3);
        assert_eq!(prediction.top[0].0, expected, "{text}: {prediction:?}");
        assert!(!prediction.explanation.is_empty());
    }
    let probabilities = model.probabilities("宽带断了");
    assert_eq!(probabilities.iter().filter(|p| **p > 0.0).count(), 2, "only the shortlist is scored");
    let loaded = Model::from_bytes(&model.to_bytes()).unwrap();
    assert_eq!(loaded.predict("宽带断了", 3), model.predict("宽带断了", 3));
    assert_eq!(model.predict("zzzz qqqq", 1).top.len(), 1, "unknown words still answer");
}
