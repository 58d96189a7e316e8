//! The demo's ticket classifier, asked about customer wording it never trained on: the 200
//! utterances of demo/heldout.csv, written from a separate wording bank (demo/wording.py) that
//! `seatmate demo` never imports. The model is the one `seatmate demo` trains at start, asked
//! through `/classify` as the agent's desk asks it.

use std::path::Path;

use super::{call, DemoServer, Workspace};

// Measured 2026-11-30 (demo: 1,981 tickets over 230 leaves). Before cross-validation grouped
// repeated wording (folds of single tickets), the models table showed 85 % top-1, the 95 %
// auto-accept threshold was about 0.87, and 26 held-out utterances were auto-accepted, only 12
// of them right: the held-out sentences avoid the demo's own words on purpose (光调制解调器 for
// 光猫, 口令 for 密码), while the folds had shared the demo's wording. With grouped folds the models table
// shows 58 % top-1, 80 % top-5, the threshold is 0.994, and on the held-out wording: top-1 0.240,
// top-5 0.465, ECE 0.138 (0.195 before), mean confidence 0.416 when right and 0.267 when wrong, no
// auto-accept. The floors leave about three standard errors (n = 200: ±0.035) of margin.

/// Top-1 and top-5 accuracy (the right category among the candidates `/classify` shows: the
/// best, then at most four runner-ups that are likely at all), words only.
const WORDS_FLOORS: (f64, f64) = (0.13, 0.35);
/// The same with the meaning block (measured 2026-12-01: top-1 0.395, top-5 0.710).
const MEANING_FLOORS: (f64, f64) = (0.29, 0.60);
/// How long the meaning block may take to train in the background (index first, then 1,981
/// tickets encoded; a debug build on a busy machine).
const MEANING_WAIT: std::time::Duration = std::time::Duration::from_secs(900);
/// Expected calibration error: 10 equal-width bins of the best candidate's probability.
const ECE_BOUND: f64 = 0.25;
/// Held-out utterances auto-accepted must be right at least this often (the admin asks for 95 %;
/// new wording is harder than the cross-validation's, so some slack), when any is auto-accepted.
const AUTO_ACCEPT_PRECISION_FLOOR: f64 = 0.8;
/// The most an out-of-domain text may get for its best category.
const OUT_OF_DOMAIN_BOUND: f64 = 0.5;

/// Text the demo has no category for: chit-chat, another trade, keyboard mashing, and a film
/// recommendation, which words alone file under plan recommendation with 99 % (the word 推荐):
/// only the meaning block's familiarity tells it is no telecom request (measured 2026-12-02: all
/// five "none of these" with the meaning block).
const OUT_OF_DOMAIN: &[&str] =
    &["今天天气怎么样", "asdfgh qwerty zxcvb", "帮我订一张明天去北京的机票", "ㄎㄎ 哈哈哈 xswl", "推荐一部好看的电影"];
/// Out-of-domain texts words alone may file confidently (the rest stay under the bound).
const WORDS_MAY_FILE: &[&str] = &["推荐一部好看的电影"];

struct Answer {
    /// Where the right category is among the candidates (0 = first), if it is.
    rank: Option<usize>,
    /// The best candidate's probability.
    confidence: f64,
    auto_accept: bool,
}

/// The candidates (category, probability), whether the suggestion is auto-accepted, why
/// auto-accept is off (`null` when it is on), and whether it says "none of these".
fn classify(demo: &DemoServer, token: &str, text: &str) -> (Vec<(String, f64)>, bool, serde_json::Value, bool) {
    let body = serde_json::json!({ "text": text }).to_string();
    let (status, body) = call(demo.addr, "POST", "/api/v1/classify", token, &body).expect("the demo server answers");
    assert_eq!(status, 200, "{text}: {body}");
    let suggestion: serde_json::Value = serde_json::from_str(&body).unwrap();
    let candidates = suggestion["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["category"].as_str().unwrap().to_string(), c["probability"].as_f64().unwrap()))
        .collect();
    (
        candidates,
        suggestion["auto_accept"].as_bool().unwrap(),
        suggestion["auto_accept_off"].clone(),
        suggestion["none_of_these"].as_bool().unwrap(),
    )
}

/// Expected calibration error over `bins` equal-width bins of the confidence.
fn expected_calibration_error(answers: &[Answer], bins: usize) -> f64 {
    // (low, high] per bin; a confidence of 0 goes to the first
    let bin_of = |confidence: f64| ((confidence * bins as f64).ceil() as usize).clamp(1, bins) - 1;
    let mut total = 0.0;
    for bin in 0..bins {
        let inside: Vec<&Answer> = answers.iter().filter(|a| bin_of(a.confidence) == bin).collect();
        if inside.is_empty() {
            continue;
        }
        let confidence = inside.iter().map(|a| a.confidence).sum::<f64>() / inside.len() as f64;
        let accuracy = inside.iter().filter(|a| a.rank == Some(0)).count() as f64 / inside.len() as f64;
        total += inside.len() as f64 / answers.len() as f64 * (confidence - accuracy).abs();
    }
    total
}

#[test]
fn the_demo_model_files_held_out_wording_believably() {
    let demo_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo");
    let mut reader = csv::Reader::from_path(demo_dir.join("heldout.csv")).unwrap();
    let rows: Vec<(String, String, String)> =
        reader.records().map(|r| r.unwrap()).map(|r| (r[0].to_string(), r[1].to_string(), r[2].to_string())).collect();
    assert_eq!(rows.len(), 200, "demo/heldout.csv has 200 utterances");
    let conversations = std::fs::read_to_string(demo_dir.join("conversations.jsonl")).unwrap();
    for (text, _, _) in &rows {
        assert!(!conversations.contains(text.as_str()), "a held-out utterance is in the demo's conversations: {text}");
    }

    // the demo as it runs for a user: with the sentence encoder when its model file is here (CI
    // fetches it), which adds the classifier's meaning block in the background
    let model = seatmate_embed::model_for_test("the_demo_model_files_held_out_wording_believably").unwrap();
    let ws = Workspace::new();
    let demo = DemoServer::start_encoding(&ws, &[], model.as_deref());
    // the port opens at once: the knowledge index, the case index and the meaning block build
    // behind it (#11: it used to wait minutes for the encoder)
    let after_load = demo.listening_after_load.unwrap_or_default();
    println!("the demo listened {after_load:?} after its workspace was ready");
    assert!(after_load <= std::time::Duration::from_secs(10), "the demo listened {after_load:?} after its workspace was ready");
    let token = ws.ok(&["token", "create", "--user", "admin", "--name", "held-out", "--scope", "write"]).trim().to_string();

    // with the sentence encoder the demo adds the meaning block in the background, once the
    // knowledge index is built: the version to judge is that one
    let reads_meaning = model.is_some();
    let started = std::time::Instant::now();
    let models = loop {
        let (status, models) = call(demo.addr, "GET", "/api/v1/models", &token, "").unwrap();
        assert_eq!(status, 200, "{models}");
        let models: serde_json::Value = serde_json::from_str(&models).unwrap();
        if !reads_meaning || models["items"].as_array().is_some_and(|items| items.len() >= 2) {
            break models;
        }
        assert!(started.elapsed() < MEANING_WAIT, "no version with the meaning block after {MEANING_WAIT:?}");
        std::thread::sleep(std::time::Duration::from_millis(500));
    };
    let active = models["items"].as_array().unwrap().iter().find(|m| m["active"] == true).unwrap();
    let floors = if active["metrics"]["meaning"].is_object() { MEANING_FLOORS } else { WORDS_FLOORS };
    println!(
        "demo model v{}: {} tickets, {} labels; meaning block {}; the models table: cross-validation {}, auto-accept share {} at threshold {}",
        active["version"],
        active["examples"],
        active["metrics"]["labels"],
        active["metrics"]["meaning"],
        active["metrics"]["cross_validation"],
        active["metrics"]["auto_accept_share"],
        active["metrics"]["auto_accept_threshold"]
    );

    // the admin's auto-accept card: a threshold, or the reason it is off
    let (status, policy) = call(demo.addr, "GET", "/api/v1/settings/auto-accept", &token, "").unwrap();
    assert_eq!(status, 200, "{policy}");
    let policy: serde_json::Value = serde_json::from_str(&policy).unwrap();
    println!("auto-accept policy: {policy}");
    let threshold = policy["threshold"].as_f64();
    assert_eq!(
        threshold.is_none(),
        policy["off"].is_object(),
        "auto-accept has a threshold or a reason it is off, not both or neither: {policy}"
    );
    // the models table's threshold: the same, written from f32 as f64
    let table = active["metrics"]["auto_accept_threshold"].as_f64();
    assert_eq!(table.map(|t| t as f32), threshold.map(|t| t as f32), "the models table shows the same threshold");
    let cross_validation = &active["metrics"]["cross_validation"];
    assert_eq!(cross_validation["folds_run"], 5, "{cross_validation}");

    let mut answers = Vec::new();
    let mut by_wording: std::collections::BTreeMap<&str, (usize, usize, usize)> = Default::default();
    for (text, category, wording) in &rows {
        let (candidates, auto_accept, off, none_of_these) = classify(&demo, &token, text);
        assert!(!candidates.is_empty() && candidates.len() <= 5, "one to five candidates for {text}");
        assert_eq!(off.is_object(), threshold.is_none(), "{text}: the suggestion says why auto-accept is off: {off}");
        if let Some(threshold) = threshold {
            // … except for a text unlike every ticket the model learned from ("none of these")
            let expected = candidates[0].1 >= threshold - 1e-6 && !none_of_these;
            assert_eq!(auto_accept, expected, "{text}: auto-accept follows the threshold");
        }
        // the candidates the agent is shown: the best, then runner-ups that are likely at all
        let rank = candidates.iter().take(5).position(|(c, _)| c == category);
        let entry = by_wording.entry(wording).or_default();
        entry.0 += 1;
        entry.1 += usize::from(rank == Some(0));
        entry.2 += usize::from(rank.is_some());
        answers.push(Answer { rank, confidence: candidates[0].1, auto_accept });
    }
    let n = answers.len() as f64;
    let top1 = answers.iter().filter(|a| a.rank == Some(0)).count() as f64 / n;
    let top5 = answers.iter().filter(|a| a.rank.is_some()).count() as f64 / n;
    let ece = expected_calibration_error(&answers, 10);
    let mean = |right: bool| {
        let picked: Vec<f64> = answers.iter().filter(|a| (a.rank == Some(0)) == right).map(|a| a.confidence).collect();
        picked.iter().sum::<f64>() / picked.len().max(1) as f64
    };
    let (confidence_right, confidence_wrong) = (mean(true), mean(false));
    let accepted: Vec<&Answer> = answers.iter().filter(|a| a.auto_accept).collect();
    let accepted_right = accepted.iter().filter(|a| a.rank == Some(0)).count();
    println!(
        "held-out utterances: {} — top-1 {top1:.3}, top-5 {top5:.3}, ECE {ece:.3}; mean confidence right {confidence_right:.3}, \
         wrong {confidence_wrong:.3}; auto-accepted {} ({accepted_right} right)",
        answers.len(),
        accepted.len()
    );
    for (wording, (count, first, five)) in &by_wording {
        println!("  {wording}: {count} utterances, top-1 {first}, top-5 {five}");
    }

    let mut out_of_domain = Vec::new();
    for text in OUT_OF_DOMAIN {
        let (candidates, auto_accept, _, none_of_these) = classify(&demo, &token, text);
        println!(
            "out of domain {text:?}: {} {:.3}, auto-accept {auto_accept}, none of these {none_of_these}",
            candidates[0].0, candidates[0].1
        );
        out_of_domain.push((text, candidates[0].1, auto_accept, none_of_these));
    }

    let (top1_floor, top5_floor) = floors;
    assert!(top5 >= top5_floor, "top-5 accuracy {top5:.3} is below {top5_floor}");
    assert!(top1 >= top1_floor, "top-1 accuracy {top1:.3} is below {top1_floor}");
    assert!(ece <= ECE_BOUND, "expected calibration error {ece:.3} is above {ECE_BOUND}");
    assert!(
        confidence_wrong < confidence_right,
        "wrong answers are less confident than right ones: {confidence_wrong:.3} vs {confidence_right:.3}"
    );
    // auto-accept is honest on wording the demo never used: mostly right, or not at all
    assert!(
        accepted_right as f64 >= AUTO_ACCEPT_PRECISION_FLOOR * accepted.len() as f64,
        "held-out auto-accepts: {accepted_right} right of {}, below {AUTO_ACCEPT_PRECISION_FLOOR}",
        accepted.len()
    );
    let active_reads_meaning = active["metrics"]["meaning"].is_object();
    for (text, confidence, auto_accept, none_of_these) in out_of_domain {
        if active_reads_meaning {
            assert!(none_of_these && !auto_accept, "{text:?} is filed with confidence {confidence:.3}, not \"none of these\"");
        } else if !WORDS_MAY_FILE.contains(text) {
            assert!(!auto_accept && confidence <= OUT_OF_DOMAIN_BOUND, "{text:?} is filed with confidence {confidence:.3}");
        }
    }
}
