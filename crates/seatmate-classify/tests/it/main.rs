//! The classifier on small fixtures written here: Chinese (Simplified and Traditional) and English.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use seatmate_classify::{back_off, evaluate, likely, siblings, Example, Model, TrainConfig, CANDIDATE_FLOOR};

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
    // a person reads the customer's words, never particles, pronouns or single characters
    assert!(
        features.iter().all(|f| !f.contains('的') && !f.contains('了') && *f != "w:我" && f.chars().count() > 3),
        "{features:?}"
    );
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
    // Every one of 240 tickets predicted out of fold gives a threshold to keep.
    let calibrated = Model::train(
        &examples(&generated(240, 0.3, 6)),
        &TrainConfig { threads: 1, calibration_fraction: 0.2, ..Default::default() },
    )
    .unwrap();
    let threshold = calibrated.threshold_for_precision(0.9);
    assert!(threshold.is_some(), "the calibration share gives a threshold to keep");
    assert_eq!(Model::from_bytes(&calibrated.to_bytes()).unwrap().threshold_for_precision(0.9), threshold);
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

/// Eight categories, each with its own words (Chinese and English), and filler words every
/// category uses.
const TOPICS: [(&str, [&str; 6]); 8] = [
    ("BB.FAULT", ["宽带", "断网", "光猫", "router", "offline", "掉线"]),
    ("BILL.QUERY", ["话费", "账单", "扣费", "invoice", "charged", "余额"]),
    ("ROAM.OPEN", ["漫游", "出国", "境外", "roaming", "abroad", "签证"]),
    ("SIM.LOST", ["补卡", "挂失", "丢失", "sim", "stolen", "身份证"]),
    ("PLAN.CHANGE", ["套餐", "升级", "降档", "plan", "upgrade", "合约"]),
    ("NUM.PORT", ["携号", "转网", "号码", "port", "carrier", "授权码"]),
    ("TV.IPTV", ["电视", "机顶盒", "频道", "iptv", "remote", "遥控"]),
    ("COMPLAINT", ["投诉", "态度", "工信部", "complaint", "manager", "赔偿"]),
];
const FILLERS: [&str; 8] = ["请", "帮我", "看看", "please", "help", "today", "一下", "thanks"];
/// Words no category uses, for out-of-scope requests.
const UNSEEN: [&str; 8] = ["天气", "足球", "菜谱", "电影", "weather", "recipe", "football", "movie"];

/// Generated tickets: most use two words of their category and two fillers; `mixed_share` of them
/// use two words of another category as well, so the label is a coin flip between two and only the
/// top two can be sure to hold it. Returns each example with whether it is mixed.
fn generated(n: usize, mixed_share: f64, seed: u64) -> Vec<(Example, bool)> {
    let mut rng = seatmate_classify::Rng::new(seed);
    let mut pick = |len: usize| (rng.next_u64() % len as u64) as usize;
    (0..n)
        .map(|i| {
            let (label, words) = TOPICS[i % TOPICS.len()];
            let mixed = (pick(1000) as f64) < mixed_share * 1000.0;
            let mut text = vec![words[pick(6)], words[pick(6)], FILLERS[pick(8)]];
            if mixed {
                let other = (i % TOPICS.len() + 1 + pick(TOPICS.len() - 1)) % TOPICS.len();
                text.extend([TOPICS[other].1[pick(6)], TOPICS[other].1[pick(6)]]);
            } else {
                text.push(FILLERS[pick(8)]);
            }
            for j in (1..text.len()).rev() {
                text.swap(j, pick(j + 1));
            }
            (ex(&text.join(" "), label), mixed)
        })
        .collect()
}

fn examples(data: &[(Example, bool)]) -> Vec<Example> {
    data.iter().map(|(e, _)| e.clone()).collect()
}

#[test]
fn held_out_accuracy_top_k_and_out_of_scope() {
    let (train, val, test) = (generated(480, 0.3, 1), generated(160, 0.3, 2), generated(160, 0.3, 3));
    let mut test = examples(&test);
    let mut rng = seatmate_classify::Rng::new(4);
    for _ in 0..20 {
        let words: Vec<&str> = (0..3).map(|_| UNSEEN[(rng.next_u64() % 8) as usize]).collect();
        test.push(ex(&words.join(" "), "oos"));
    }
    let report = evaluate(&examples(&train), Some(&examples(&val)), &test, Some("oos"), &config(), None).unwrap();
    assert_eq!((report.n_classes, report.n_test), (8, 180));
    // chance is 1/8; the mixed third caps top-1 near 85 %
    assert!(report.top1 >= 0.7, "{report:?}");
    assert!(report.macro_f1 >= 0.65, "{report:?}");
    // The mixed tickets' labels are in the top two: top-5 holds nearly every label, well above
    // the 5/8 of five guesses, and more than top-1 does.
    assert!(report.top3 >= report.top1 && report.top5 >= report.top3, "{report:?}");
    assert!(report.top5 >= 0.97, "{report:?}");
    assert!(report.top5 - report.top1 >= 0.08, "top-5 adds nothing to top-1: {report:?}");
    // Probabilities calibrated out of fold mean what they say on the test set.
    assert!(report.ece <= 0.08, "{:?} (ece {})", report.calibration, report.ece);
    assert_eq!(report.cross_validation.as_ref().map(|cv| cv.examples), Some(480));
    // Requests in no category's words are answered "none of these" more often than not (some
    // share characters with a category: 电影 with 电视); few in-scope ones are lost.
    let oos = report.oos.clone().unwrap();
    assert!(oos.recall >= 0.5, "{oos:?}");
    assert!(oos.in_scope_accuracy >= report.top1 - 0.1, "{oos:?} vs {report:?}");
    // Auto-accepting at 90 % precision (threshold chosen on the validation set) takes the clear
    // tickets and keeps its promise on the test set.
    let at_90 = &report.auto_accept[0];
    assert_eq!(at_90.target_precision, 0.9);
    assert!(at_90.threshold.is_some() && at_90.share >= 0.3 && at_90.precision >= 0.85, "{at_90:?}");
}

#[test]
fn probabilities_are_calibrated_on_held_out_data() {
    let train = examples(&generated(480, 0.3, 1));
    let test = generated(240, 0.3, 5);
    let config = TrainConfig { calibration_fraction: 0.2, threads: 1, ..Default::default() };
    let model = Model::train(&train, &config).unwrap();
    // (top-1 probability, right?, mixed?) for every held-out ticket
    let outcomes: Vec<(f64, bool, bool)> = test
        .iter()
        .map(|(example, mixed)| {
            let (label, p) = model.predict(&example.text, 1).top[0].clone();
            (f64::from(p), label == example.label, *mixed)
        })
        .collect();
    let mean = |keep: &dyn Fn(&(f64, bool, bool)) -> bool, value: &dyn Fn(&(f64, bool, bool)) -> f64| {
        let kept: Vec<f64> = outcomes.iter().filter(|o| keep(o)).map(value).collect();
        assert!(!kept.is_empty());
        kept.iter().sum::<f64>() / kept.len() as f64
    };
    let confidence = mean(&|_| true, &|o| o.0);
    let accuracy = mean(&|_| true, &|o| f64::from(u8::from(o.1)));
    assert!((0.6..0.97).contains(&accuracy), "the data must leave room for error: {accuracy:.3}");
    assert!((confidence - accuracy).abs() <= 0.08, "mean top-1 probability {confidence:.3} vs accuracy {accuracy:.3}");
    // Confidence tells right from wrong and clear tickets from coin flips.
    let (right, wrong) = (mean(&|o| o.1, &|o| o.0), mean(&|o| !o.1, &|o| o.0));
    assert!(right - wrong >= 0.15, "right {right:.3}, wrong {wrong:.3}");
    let (clear, mixed) = (mean(&|o| !o.2, &|o| o.0), mean(&|o| o.2, &|o| o.0));
    assert!(clear - mixed >= 0.15, "clear {clear:.3}, mixed {mixed:.3}");
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

#[test]
fn runner_ups_are_real_alternatives() {
    let ranked: Vec<(String, f32)> =
        [("A", 0.6), ("B", 0.3), ("C", 0.05), ("D", 0.019), ("E", 0.001)].iter().map(|(l, p)| (l.to_string(), *p)).collect();
    let kept: Vec<String> = likely(&ranked, CANDIDATE_FLOOR).into_iter().map(|(l, _)| l).collect();
    assert_eq!(kept, ["A", "B", "C"], "fillers under the floor go");
    let unsure = vec![("A".to_string(), 0.01), ("B".to_string(), 0.009)];
    assert_eq!(likely(&unsure, CANDIDATE_FLOOR).len(), 1, "the best stays, however unsure");
    assert!(likely(&[], CANDIDATE_FLOOR).is_empty());

    // On a trained model: every runner-up shown carries probability; a clear text has few.
    let model = Model::train(&examples(&generated(240, 0.3, 6)), &config()).unwrap();
    let top = likely(&model.predict("宽带 断网 请 帮我", 5).top, CANDIDATE_FLOOR);
    assert_eq!(top[0].0, "BB.FAULT", "{top:?}");
    assert!(top.iter().all(|(_, p)| *p >= CANDIDATE_FLOOR), "{top:?}");
    assert!(top.len() < 5, "a clear ticket has no five real alternatives: {top:?}");
}

#[test]
fn siblings_carry_their_subtree_mass() {
    let parent = |code: &str| code.rsplit_once('.').map(|(p, _)| p.to_string());
    let probs: Vec<(String, f32)> = [
        ("BB.FAULT.LOS", 0.5),
        ("BB.FAULT.SLOW.PEAK", 0.2),
        ("BB.FAULT.SLOW.ALL", 0.1),
        ("BB.FAULT.WIFI", 0.0),
        ("BB.MOVE", 0.15),
        ("BILL.QUERY", 0.05),
    ]
    .iter()
    .map(|(l, p)| (l.to_string(), *p))
    .collect();
    let got = siblings(&probs, "BB.FAULT.LOS", parent);
    assert_eq!(got.len(), 1, "zero-probability siblings are not listed: {got:?}");
    assert_eq!(got[0].0, "BB.FAULT.SLOW");
    assert!((got[0].1 - 0.3).abs() < 1e-6, "an inner sibling counts its subtree: {got:?}");
    let got = siblings(&probs, "BB.FAULT.SLOW.PEAK", parent);
    assert_eq!(got, vec![("BB.FAULT.SLOW.ALL".to_string(), 0.1)]);
    assert!(siblings(&probs, "BB", parent).is_empty(), "a root has no parent, so no siblings");
}

#[test]
fn cross_validation_predicts_every_example_out_of_fold() {
    let data = examples(&generated(240, 0.3, 6));
    let trained = Model::train_validated(&data, &config()).unwrap();
    let cv = trained.model.cross_validation().cloned().unwrap();
    assert_eq!((cv.folds, cv.folds_run, cv.examples), (5, 5, 240), "{cv:?}");
    assert!(trained.out_of_fold.iter().all(Option::is_some));
    let right = trained.out_of_fold.iter().zip(&data).filter(|(p, e)| p.as_deref() == Some(e.label.as_str())).count();
    assert!((cv.accuracy - right as f64 / 240.0).abs() < 1e-9, "the figure is the out-of-fold predictions' accuracy");
    // the mixed third of the tickets caps accuracy: out of fold is not training accuracy
    assert!((0.6..0.95).contains(&cv.accuracy), "{cv:?}");
    assert!(cv.top5 > cv.accuracy && cv.macro_f1 > 0.5, "{cv:?}");
    assert_eq!(trained.model.reliability().len(), 240, "thresholds come from every out-of-fold prediction");
    assert_eq!(Model::from_bytes(&trained.model.to_bytes()).unwrap().cross_validation(), Some(&cv));

    // fewer folds on small sets; none on tiny ones
    let small = Model::train(&fixture(), &config()).unwrap();
    assert_eq!(small.cross_validation().map(|cv| (cv.folds, cv.examples)), Some((3, 30)));
    let tiny: Vec<Example> = fixture().into_iter().step_by(3).collect();
    assert!(Model::train(&tiny, &config()).unwrap().cross_validation().is_none(), "ten examples: too few to cross-validate");
}

/// A made-up four-letter word for `n` (letters only: digits are masked when wordings are
/// compared), scrambled so that its letters say nothing of `n`.
fn word(n: usize) -> String {
    let mut n = (n * 7919 + 13) % (26 * 26 * 26);
    let mut out = String::from("w");
    for _ in 0..3 {
        out.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
    }
    out
}

#[test]
fn cross_validation_holds_repeated_wording_out_together() {
    // 30 wordings per label, each said three times (the numbers differ); nothing else ties a
    // wording to its label, so a model that never saw a wording can only guess
    let mut data = Vec::new();
    for (label, offset) in [("A", 0), ("B", 60)] {
        for w in 0..30 {
            for copy in 0..3 {
                let text = format!("{} {}, account {}", word(offset + 2 * w), word(offset + 2 * w + 1), 100 + copy * 7);
                data.push(ex(&text, label));
            }
        }
    }
    let trained = Model::train_validated(&data, &config()).unwrap();
    let cv = trained.model.cross_validation().cloned().unwrap();
    assert_eq!((cv.folds, cv.examples), (5, 180), "{cv:?}");
    // random folds would leave a copy of nearly every wording in training: accuracy near 100 %
    assert!(cv.accuracy < 0.75, "out-of-fold predictions saw their wording: {cv:?}");
    // and no threshold reaches 95 % precision on wording it has not seen
    assert!(
        trained.model.threshold_for_precision(0.95).is_none_or(|t| t > 0.9),
        "{:?}",
        trained.model.threshold_for_precision(0.95)
    );
}

#[test]
fn a_text_of_unknown_words_has_no_preference() {
    let model = Model::train(&fixture(), &config()).unwrap();
    let probabilities = model.probabilities("zzzz qqqq");
    assert!(probabilities.iter().all(|p| (p - 1.0 / 3.0).abs() < 1e-6), "{probabilities:?}");
}

/// Texts whose words say nothing of their label (drawn from one shared pool), with sentence
/// vectors that do: each label's vectors lie around a centre of their own.
fn meaning_only(n_per_label: usize, seed: usize) -> (Vec<Example>, Vec<Vec<f32>>) {
    let (mut examples, mut vectors) = (Vec::new(), Vec::new());
    for (k, label) in ["A", "B", "C"].iter().enumerate() {
        for i in 0..n_per_label {
            let r = seed * 1000 + k * 100 + i;
            examples.push(ex(&format!("{} {} {}", word(r % 40), word((r * 7 + 3) % 40), word((r * 13 + 5) % 40)), label));
            let vector: Vec<f32> = (0..8)
                .map(|d| {
                    let noise = ((r * 31 + d * 17) as f32 * 0.618).sin() * 0.6;
                    if d == k {
                        1.0 + noise
                    } else {
                        noise
                    }
                })
                .collect();
            vectors.push(vector);
        }
    }
    (examples, vectors)
}

#[test]
fn a_meaning_block_reads_the_vectors_where_words_say_nothing() {
    let (train, train_vectors) = meaning_only(40, 1);
    let trained = Model::train_with_vectors(&train, Some(&train_vectors), &config()).unwrap();
    let model = trained.model;
    let choice = model.dense_choice().cloned().expect("the meaning block beats words that say nothing");
    assert!(choice.accuracy_mixed > choice.accuracy_words + 0.2, "{choice:?}");
    assert_eq!(model.vector_dim(), Some(8));
    let cv = model.cross_validation().unwrap();
    assert!((cv.accuracy - choice.accuracy_mixed).abs() < 1e-9, "the figures describe the mix: {cv:?} {choice:?}");

    let (test, test_vectors) = meaning_only(20, 2);
    let right = |with_vectors: bool| {
        test.iter()
            .zip(&test_vectors)
            .filter(|(e, v)| {
                let vector = with_vectors.then_some(v.as_slice());
                model.predict_with(&e.text, vector, 1).top[0].0 == e.label
            })
            .count()
    };
    let (mixed, words) = (right(true), right(false));
    assert!(mixed >= 54 && mixed > words + 15, "with vectors {mixed} of 60 right, words only {words}");
    // a vector of another size is no vector: words alone, with the words' own probabilities
    let text = &test[0].text;
    assert_eq!(model.predict_with(text, Some(&[1.0, 0.0]), 3), model.predict(text, 3));
    assert_eq!(model.reliability_with(false), model.reliability());
    assert_eq!(model.reliability_with(true).len(), 120, "the mix has thresholds of its own");

    // the block survives the model file
    let read = Model::from_bytes(&model.to_bytes()).unwrap();
    assert_eq!(read.dense_choice(), Some(&choice));
    assert_eq!(read.predict_with(text, Some(&test_vectors[0]), 3), model.predict_with(text, Some(&test_vectors[0]), 3));

    // vectors that do not fit the examples are refused
    assert!(Model::train_with_vectors(&train, Some(&train_vectors[1..]), &config()).is_err());
    let mut ragged = train_vectors.clone();
    ragged[3].push(0.5);
    assert!(Model::train_with_vectors(&train, Some(&ragged), &config()).is_err());
}

#[test]
fn a_meaning_block_that_does_not_help_is_left_out() {
    // the words decide (the fixture); the vectors are noise
    let data = fixture();
    let vectors: Vec<Vec<f32>> = (0..data.len()).map(|i| (0..4).map(|d| ((i * 7 + d * 3) as f32).sin()).collect()).collect();
    let model = Model::train_with_vectors(&data, Some(&vectors), &config()).unwrap().model;
    assert!(model.dense_choice().is_none() && model.vector_dim().is_none(), "{:?}", model.dense_choice());
}

/// Words that say nothing; vectors in which each label is two opposite clusters (A around ±e₀, B
/// around ±e₁, C around ±e₂): no linear model over the vectors separates them, the nearest
/// example does.
fn two_sided(n_per_label: usize, seed: usize) -> (Vec<Example>, Vec<Vec<f32>>) {
    let (mut examples, mut vectors) = (Vec::new(), Vec::new());
    for (k, label) in ["A", "B", "C"].iter().enumerate() {
        for i in 0..n_per_label {
            let r = seed * 1000 + k * 100 + i;
            examples.push(ex(&format!("{} {} {}", word(r % 40), word((r * 7 + 3) % 40), word((r * 13 + 5) % 40)), label));
            let side = if i % 2 == 0 { 1.0 } else { -1.0 };
            vectors
                .push((0..8).map(|d| ((r * 31 + d * 17) as f32 * 0.618).sin() * 0.3 + if d == k { side } else { 0.0 }).collect());
        }
    }
    (examples, vectors)
}

#[test]
fn the_nearest_examples_separate_what_a_linear_block_cannot() {
    let (train, train_vectors) = two_sided(40, 1);
    let model = Model::train_with_vectors(&train, Some(&train_vectors), &config()).unwrap().model;
    let choice = model.dense_choice().cloned().expect("the nearest examples beat words that say nothing");
    assert!(choice.nearest_weight > 0.0, "{choice:?}");
    assert!(choice.accuracy_nearest > 0.9 && choice.accuracy_vectors < 0.7, "{choice:?}");

    let (test, test_vectors) = two_sided(20, 2);
    let right = |model: &Model| {
        test.iter().zip(&test_vectors).filter(|(e, v)| model.predict_with(&e.text, Some(v), 1).top[0].0 == e.label).count()
    };
    assert!(right(&model) >= 54, "{} of 60 right", right(&model));

    // a request unlike every example is unfamiliar ("none of these"); those like them are not
    let elsewhere: Vec<f32> = (0..8).map(|d| if d == 6 { 1.0 } else { 0.0 }).collect();
    assert!(model.is_unfamiliar(Some(&elsewhere)));
    let familiar = test_vectors.iter().filter(|v| !model.is_unfamiliar(Some(v))).count();
    assert!(familiar >= 57, "{familiar} of 60 familiar");
    assert!(!model.is_unfamiliar(None) && !model.is_unfamiliar(Some(&[1.0, 0.0])));

    // the references survive the model file; a cut file is refused
    let bytes = model.to_bytes();
    let read = Model::from_bytes(&bytes).unwrap();
    assert_eq!(read.dense_choice(), Some(&choice));
    for (e, v) in test.iter().zip(&test_vectors).take(10) {
        assert_eq!(read.predict_with(&e.text, Some(v), 3), model.predict_with(&e.text, Some(v), 3));
    }
    assert!(Model::from_bytes(&bytes[..bytes.len() - 3]).is_err());
}
