//! Scorecards: validation that names the item and field, and inspection with its evidence.

use seatmate_core::{Channel, Conversation, Speaker, Turn};
use seatmate_quality::{starter_pack, Compiled, Encode, Outcome, Scorecard, Subject, Why};

/// A turn: who, what, and (start, end) in milliseconds when timed.
type Line<'a> = (Speaker, &'a str, Option<(i64, i64)>);

fn conversation(turns: &[Line]) -> Conversation {
    Conversation {
        id: "c1".into(),
        external_id: "c1".into(),
        source: "test".into(),
        channel: Channel::Voice,
        queue: None,
        agent: Some("agent01".into()),
        customer_id: None,
        language: None,
        started_at: 0,
        ended_at: Some(60_000),
        audio_ref: None,
        attributes: Default::default(),
        turns: turns
            .iter()
            .map(|(speaker, text, times)| Turn {
                speaker: *speaker,
                text: text.to_string(),
                start_ms: times.map(|t| t.0),
                end_ms: times.map(|t| t.1),
                audio_ref: None,
            })
            .collect(),
    }
}

fn inspect(card: &str, c: &Conversation, valence: &[Option<f32>]) -> seatmate_quality::Inspection {
    let compiled = Compiled::new(Scorecard::parse(card).unwrap(), None).unwrap();
    compiled.inspect(&Subject { conversation: c, category_path: &[], ticket_confirmed: None, valence, vectors: &[], walks: &[] })
}

fn item<'a>(inspection: &'a seatmate_quality::Inspection, id: &str) -> &'a seatmate_quality::ItemResult {
    inspection.items.iter().find(|i| i.item == id).unwrap()
}

use Speaker::{Agent, Customer};

#[test]
fn the_starter_pack_is_valid_in_both_languages() {
    for source in seatmate_quality::STARTER_PACK {
        Scorecard::parse(source).unwrap();
    }
    let pack = starter_pack();
    let ids: Vec<_> = pack.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["service-zh", "service-en"]);
    for card in &pack {
        assert!(card.items().count() >= 12, "{} is short", card.id);
        // a stored copy reads back the same
        assert_eq!(&Scorecard::parse(&card.to_yaml()).unwrap(), card);
    }
}

#[test]
fn a_bad_scorecard_is_refused_with_its_item_and_field() {
    let base = "id: t\nname: T\nsections:\n  - name: S\n    items:\n      - id: greet\n        name: Greet\n        points: 5\n";
    let typo = Scorecard::parse(&format!("{base}        must:\n          phrasess: [hi]\n")).unwrap_err();
    assert!(typo.field.contains("must") && typo.message.contains("phrasess"), "{typo}");

    let two = Scorecard::parse(&format!("{base}        must:\n          phrases: [hi]\n          regex: 'h.'\n")).unwrap_err();
    assert_eq!((two.item.as_deref(), two.field.as_str()), (Some("greet"), "must"));
    assert!(two.message.contains("phrases, regex"), "{two}");

    let regex = Scorecard::parse(&format!("{base}        must_not:\n          regex: '(unclosed'\n")).unwrap_err();
    assert_eq!((regex.item.as_deref(), regex.field.as_str()), (Some("greet"), "must_not.regex"));

    let nested = Scorecard::parse(&format!(
        "{base}        must:\n          any:\n            - phrases: [hi]\n            - silence_over_s: 5\n              first_turns: 0\n"
    ))
    .unwrap_err();
    assert_eq!(nested.field, "must.any[1].first_turns", "{nested}");

    let window = Scorecard::parse(&format!("{base}        must:\n          ticket_confirmed: true\n          speaker: agent\n"))
        .unwrap_err();
    assert_eq!(window.field, "must.speaker");

    let none = Scorecard::parse(base).unwrap_err();
    assert_eq!((none.item.as_deref(), none.field.as_str()), (Some("greet"), "must"));
}

const ZH: &str = r#"
id: t
name: 测试
sections:
  - name: 开场
    items:
      - id: greeting
        name: 问候
        points: 5
        must: {phrases: [您好, "很高兴*服务"], speaker: agent, first_turns: 2}
      - id: forbidden
        name: 禁用语
        points: 10
        critical: true
        must_not: {phrases: [不归我管], speaker: agent}
      - id: verify
        name: 先核实
        points: 10
        if: {phrases: [账单], speaker: agent}
        must:
          order:
            - {phrases: [身份证], speaker: agent}
            - {phrases: [账单], speaker: agent}
      - id: silence
        name: 冷场
        points: 5
        must_not: {silence_over_s: 10, speaker: agent}
      - id: talk_over
        name: 抢话
        points: 5
        must_not: {talk_over_s: 1, speaker: agent}
      - id: calm
        name: 客户结束不负面
        points: 5
        must_not: {emotion: negative, speaker: customer, last_turns: 1}
"#;

#[test]
fn traditional_full_width_text_matches_and_the_evidence_quotes_the_turn() {
    let c = conversation(&[
        (Agent, "ＨＩ，您好！很高興為您服務", Some((0, 3_000))),
        (Customer, "我想查帳單", Some((3_500, 5_000))),
        (Agent, "請提供身份證後四位，我幫您查帳單", Some((5_500, 9_000))),
    ]);
    let inspection = inspect(ZH, &c, &[]);
    let greeting = item(&inspection, "greeting");
    assert_eq!(greeting.outcome, Outcome::Pass);
    let texts: Vec<_> = greeting.evidence.iter().map(|e| (e.turn, e.text.as_str())).collect();
    assert_eq!(texts, [(0, "您好"), (0, "很高興為您服務")]);
    assert_eq!(&c.turns[0].text[greeting.evidence[0].start..greeting.evidence[0].end], "您好");
    assert_eq!(item(&inspection, "verify").outcome, Outcome::Pass);
    assert_eq!(item(&inspection, "silence").outcome, Outcome::Pass);
    // no emotion readings: the item waits rather than guessing
    assert_eq!((item(&inspection, "calm").outcome, item(&inspection, "calm").why), (Outcome::NotApplicable, Why::NoFeelings));
    assert_eq!(item(&inspection, "forbidden").why, Why::Clean);
    assert_eq!(inspection.score, 100.0);
}

#[test]
fn a_critical_failure_zeroes_the_score_and_every_deduction_has_evidence() {
    let c = conversation(&[
        (Agent, "喂", Some((0, 1_000))),
        (Customer, "我的账单不对", Some((1_200, 3_000))),
        (Agent, "您的账单是两百元", Some((15_000, 18_000))),
        (Customer, "那我要投诉", Some((17_000, 19_000))),
        (Agent, "这不归我管，请提供身份证号", Some((17_500, 21_000))),
    ]);
    let inspection = inspect(ZH, &c, &[None, None, None, Some(-0.8), None]);
    assert!(inspection.critical_failed);
    assert_eq!(inspection.score, 0.0);
    let forbidden = item(&inspection, "forbidden");
    assert_eq!(
        (forbidden.outcome, forbidden.evidence[0].turn, forbidden.evidence[0].text.as_str()),
        (Outcome::Fail, 4, "不归我管")
    );
    let verify = item(&inspection, "verify");
    assert_eq!(verify.outcome, Outcome::Fail);
    assert!(verify.note.contains("came before"), "{}", verify.note);
    assert_eq!((verify.why, forbidden.why), (Why::OrderBroken, Why::Forbidden));
    // the account details came first, in turn 2
    assert_eq!(verify.evidence[0].turn, 2);
    let silence = item(&inspection, "silence");
    assert_eq!((silence.outcome, silence.evidence[0].turn), (Outcome::Fail, 2));
    assert_eq!((silence.evidence[0].start_ms, silence.evidence[0].end_ms), (Some(3_000), Some(15_000)));
    let talk_over = item(&inspection, "talk_over");
    assert_eq!((talk_over.outcome, talk_over.evidence[0].turn), (Outcome::Fail, 4));
    assert_eq!(item(&inspection, "calm").outcome, Outcome::Fail);
    assert_eq!(item(&inspection, "greeting").outcome, Outcome::Fail);
}

#[test]
fn english_phrases_match_whole_words_with_wildcards() {
    let card = r#"
id: en
name: En
sections:
  - name: Opening
    items:
      - id: greet
        name: Greeting
        points: 5
        must: {phrases: [hi, "thank * for calling"], speaker: agent, first_turns: 1}
      - id: promise
        name: Promises
        points: 5
        must_not: {near: {words: [guarantee, refund], within: 20}, speaker: agent}
"#;
    let this = conversation(&[(Agent, "This is Sam speaking", None)]);
    assert_eq!(item(&inspect(card, &this, &[]), "greet").outcome, Outcome::Fail);
    let thanks = conversation(&[(Agent, "Thank you for calling!", None), (Agent, "I guarantee you a full refund", None)]);
    let inspection = inspect(card, &thanks, &[]);
    assert_eq!(item(&inspection, "greet").evidence[0].text, "Thank you for calling");
    assert_eq!(item(&inspection, "promise").evidence[0].text, "guarantee you a full refund");
}

#[test]
fn timing_rules_without_timestamps_do_not_apply() {
    let c = conversation(&[(Agent, "您好", None), (Customer, "你好", None), (Agent, "请讲", None)]);
    let inspection = inspect(ZH, &c, &[]);
    assert_eq!(item(&inspection, "silence").outcome, Outcome::NotApplicable);
    assert!(item(&inspection, "silence").note.contains("no timestamps"));
    assert_eq!(item(&inspection, "verify").outcome, Outcome::NotApplicable);
}

/// Sentence vectors for tests: which of a few topic words a text holds, normalised.
struct TopicEncoder;

impl Encode for TopicEncoder {
    fn encode(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, String> {
        Ok(texts
            .iter()
            .map(|t| {
                let v: Vec<f32> = ["退款", "升级", "密码"].iter().map(|w| f32::from(u8::from(t.contains(w)))).collect();
                let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
                v.into_iter().map(|x| x / norm).collect()
            })
            .collect())
    }
}

#[test]
fn meaning_rules_match_by_vector_and_wait_without_vectors() {
    let card = "id: m\nname: M\nsections:\n  - name: S\n    items:\n      - id: refund\n        name: Refund explained\n        points: 5\n        must: {meaning: [退款将在三天内到账], speaker: agent}\n";
    let compiled = Compiled::new(Scorecard::parse(card).unwrap(), Some(&TopicEncoder)).unwrap();
    assert!(compiled.needs_vectors());
    let c = conversation(&[(Customer, "我要退款", None), (Agent, "退款会尽快处理", None)]);
    let vectors: Vec<Option<Vec<f32>>> =
        TopicEncoder.encode(&c.turns.iter().map(|t| t.text.clone()).collect::<Vec<_>>()).unwrap().into_iter().map(Some).collect();
    let subject =
        Subject { conversation: &c, category_path: &[], ticket_confirmed: None, valence: &[], vectors: &vectors, walks: &[] };
    let result = compiled.inspect(&subject);
    assert_eq!((result.items[0].outcome, result.items[0].evidence[0].turn), (Outcome::Pass, 1));
    let blind = Subject { vectors: &[], ..subject };
    assert_eq!(compiled.inspect(&blind).items[0].outcome, Outcome::NotApplicable);
}

#[test]
fn a_walked_flows_required_steps_must_come_in_order() {
    let card = "id: flows\nname: flows\nsections:\n  - name: s\n    items:\n      - id: in_order\n        name: in order\n        points: 5\n        must:\n          flow_steps_in_order: true\n";
    let c = conversation(&[(Customer, "宽带断了", None), (Agent, "请提供身份证后六位", None), (Agent, "已登记工单", None)]);
    let compiled = Compiled::new(Scorecard::parse(card).unwrap(), None).unwrap();
    let judge = |done: &[(&str, Option<usize>)]| {
        let walks = [seatmate_quality::WalkedFlow {
            title: "宽带故障报修".into(),
            required: vec!["verify-identity".into(), "create-ticket".into()],
            done: done.iter().map(|(a, t)| (a.to_string(), *t)).collect(),
        }];
        let subject =
            Subject { conversation: &c, category_path: &[], ticket_confirmed: None, valence: &[], vectors: &[], walks: &walks };
        item(&compiled.inspect(&subject), "in_order").clone()
    };
    let good = judge(&[("verify-identity", Some(1)), ("create-ticket", Some(2))]);
    assert_eq!(good.outcome, Outcome::Pass, "{good:?}");
    assert_eq!(good.evidence.iter().map(|e| e.turn).collect::<Vec<_>>(), [1, 2], "the turns that showed the steps");
    let swapped = judge(&[("create-ticket", None), ("verify-identity", Some(1))]);
    assert_eq!((swapped.outcome, swapped.why), (Outcome::Fail, Why::OrderBroken));
    assert!(swapped.note.contains("create-ticket out of order"), "{}", swapped.note);
    let skipped = judge(&[("create-ticket", None)]);
    assert_eq!(skipped.outcome, Outcome::Fail);
    assert!(skipped.note.contains("verify-identity missing"), "{}", skipped.note);
    let none = compiled.inspect(&Subject {
        conversation: &c,
        category_path: &[],
        ticket_confirmed: None,
        valence: &[],
        vectors: &[],
        walks: &[],
    });
    assert_eq!((item(&none, "in_order").outcome, item(&none, "in_order").why), (Outcome::NotApplicable, Why::NoFlow));
}
