//! Behaviour of the emotion model on small fixtures written here: it learns a separable set in
//! Chinese and English, Traditional and Simplified agree, multi-label data gets several labels,
//! valence follows the labels, the model file round-trips, and real e5 vectors join in.

use seatmate_signals::{EmotionConfig, EmotionModel, Example};

const LABELS: [&str; 3] = ["angry", "happy", "neutral"];

fn fixtures() -> Vec<(&'static str, usize)> {
    vec![
        ("你们的服务太差了，我非常生气", 0),
        ("等了三天还没人处理，气死我了", 0),
        ("这是什么垃圾服务，我要投诉你们", 0),
        ("我很生气，退款到现在都没到账", 0),
        ("This is outrageous, I am furious with your service", 0),
        ("I'm so angry, nobody fixed my broken router", 0),
        ("Terrible support, I want to complain right now", 0),
        ("谢谢你，问题解决了，太开心了", 1),
        ("非常感谢，你们的服务真好", 1),
        ("太棒了，我很满意，谢谢", 1),
        ("Thank you so much, this is wonderful!", 1),
        ("Great, I'm really happy it works now, thanks", 1),
        ("Awesome service, I love it, thank you", 1),
        ("我想查询一下我的账单", 2),
        ("请问营业厅几点开门", 2),
        ("我的订单号是多少", 2),
        ("What time does the store open?", 2),
        ("I would like to check my bill", 2),
        ("Where can I find my order number?", 2),
    ]
}

fn labels() -> Vec<String> {
    LABELS.iter().map(|l| l.to_string()).collect()
}

fn words_only(config: &EmotionConfig) -> EmotionModel {
    let data = fixtures();
    let label_sets: Vec<[usize; 1]> = data.iter().map(|(_, l)| [*l]).collect();
    let examples: Vec<Example> =
        data.iter().zip(&label_sets).map(|((text, _), labels)| Example { text, vector: &[], labels }).collect();
    EmotionModel::train(&labels(), &examples, &examples, config).unwrap_or_else(|e| panic!("{e}"))
}

fn top(model: &EmotionModel, text: &str) -> String {
    model.labels()[model.predict(text, &[]).top].clone()
}

#[test]
fn learns_a_small_separable_set_in_both_languages() {
    let model = words_only(&EmotionConfig::default());
    assert_eq!(model.vector_dim(), None, "no vectors were given");
    for (text, label) in [
        ("气死我了，我要投诉", "angry"),
        ("I am furious, terrible service", "angry"),
        ("谢谢，太开心了", "happy"),
        ("Thank you, this is wonderful", "happy"),
        ("请问几点开门", "neutral"),
        ("What time does it open?", "neutral"),
    ] {
        assert_eq!(top(&model, text), label, "{text}");
    }
    let emotion = model.predict("谢谢你，太棒了", &[]);
    assert!((emotion.probabilities.iter().sum::<f32>() - 1.0).abs() < 1e-4);
    assert_eq!(emotion.labels, vec![emotion.top], "single-label: one label, the top one");
}

#[test]
fn traditional_and_simplified_agree() {
    let model = words_only(&EmotionConfig::default());
    for (simplified, traditional) in
        [("你们的服务太差了，我非常生气", "你們的服務太差了，我非常生氣"), ("谢谢，问题解决了", "謝謝，問題解決了")]
    {
        assert_eq!(model.predict(simplified, &[]), model.predict(traditional, &[]));
    }
}

#[test]
fn valence_follows_the_emotion() {
    let model = words_only(&EmotionConfig::default());
    let angry = model.predict("气死我了，垃圾服务，我要投诉", &[]).valence;
    let happy = model.predict("Thank you so much, wonderful!", &[]).valence;
    assert!(angry < 0.0 && happy > 0.0, "angry {angry}, happy {happy}");
    assert!((-1.0..=1.0).contains(&angry) && (-1.0..=1.0).contains(&happy));
    assert_eq!(seatmate_signals::valence_of("Gratitude"), 1.0);
    assert_eq!(seatmate_signals::valence_of("sad"), -1.0);
    assert_eq!(seatmate_signals::valence_of("surprise"), 0.0);
}

#[test]
fn multi_label_texts_can_carry_several_labels() {
    let labels: Vec<String> = ["gratitude", "joy", "sadness"].iter().map(|l| l.to_string()).collect();
    let data: Vec<(&str, Vec<usize>)> = vec![
        ("thanks a lot", vec![0]),
        ("thank you kindly", vec![0]),
        ("many thanks", vec![0]),
        ("so happy today", vec![1]),
        ("what a joyful day", vec![1]),
        ("happy and joyful", vec![1]),
        ("thanks, so happy", vec![0, 1]),
        ("thank you, I'm happy", vec![0, 1]),
        ("many thanks, joyful news", vec![0, 1]),
        ("so sad and lonely", vec![2]),
        ("I'm sad about it", vec![2]),
        ("a sad lonely day", vec![2]),
    ];
    let examples: Vec<Example> = data.iter().map(|(text, l)| Example { text, vector: &[], labels: l }).collect();
    let config = EmotionConfig { multi_label: true, ..EmotionConfig::default() };
    let model = EmotionModel::train(&labels, &examples, &examples, &config).unwrap();
    assert!(model.multi_label());
    assert_eq!(model.predict("thank you, so happy", &[]).labels, vec![0, 1]);
    assert_eq!(model.predict("sad and lonely", &[]).labels, vec![2]);
}

#[test]
fn the_model_file_round_trips() {
    let model = words_only(&EmotionConfig::default());
    let bytes = model.to_bytes();
    let loaded = EmotionModel::from_bytes(&bytes).unwrap();
    assert_eq!(loaded.labels(), model.labels());
    assert_eq!(loaded.chosen(), model.chosen());
    for (text, _) in fixtures() {
        assert_eq!(loaded.predict(text, &[]), model.predict(text, &[]), "{text}");
    }
    assert!(EmotionModel::from_bytes(&bytes[..bytes.len() - 3]).is_err(), "truncated");
    assert!(EmotionModel::from_bytes(b"not a model").is_err());
}

#[test]
fn bad_training_data_is_refused() {
    let one: Vec<String> = vec!["angry".into()];
    let examples = [Example { text: "气死了", vector: &[], labels: &[0] }];
    assert!(EmotionModel::train(&one, &examples, &[], &EmotionConfig::default()).is_err(), "one label");
    let unknown = [Example { text: "气死了", vector: &[], labels: &[7] }];
    assert!(EmotionModel::train(&labels(), &unknown, &[], &EmotionConfig::default()).is_err(), "unknown label");
    assert!(EmotionModel::train(&labels(), &[], &[], &EmotionConfig::default()).is_err(), "nothing to learn");
}

#[test]
fn sentence_vectors_join_the_words() {
    let Some(path) = seatmate_embed::model_for_test("sentence_vectors_join_the_words").unwrap() else { return };
    let encoder = seatmate_embed::Encoder::load(&path).unwrap();
    let data = fixtures();
    let texts: Vec<&str> = data.iter().map(|(t, _)| *t).collect();
    let vectors = encoder.embed_batch(&texts, seatmate_embed::Role::Query).unwrap();
    let label_sets: Vec<[usize; 1]> = data.iter().map(|(_, l)| [*l]).collect();
    let examples: Vec<Example> = data
        .iter()
        .zip(&label_sets)
        .zip(&vectors)
        .map(|(((text, _), labels), vector)| Example { text, vector, labels })
        .collect();
    let model = EmotionModel::train(&labels(), &examples, &examples, &EmotionConfig::default()).unwrap();
    assert_eq!(model.vector_dim(), Some(encoder.dim()));
    assert!(model.chosen().dense_c.is_some());
    let probe = "I'm furious, I want to complain about this awful service";
    let vector = encoder.embed(probe, seatmate_embed::Role::Query).unwrap();
    assert_eq!(model.labels()[model.predict(probe, &vector).top], "angry");
    // without its vector, the words alone still answer
    assert_eq!(model.labels()[model.predict(probe, &[]).top], "angry");
    let loaded = EmotionModel::from_bytes(&model.to_bytes()).unwrap();
    assert_eq!(loaded.predict(probe, &vector), model.predict(probe, &vector));
}
