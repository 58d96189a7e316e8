//! The STC-3 measures against the organisers' eval.py, and the model against the trained prior.

use seatmate_classify::Rng;
use seatmate_quality::dialogue::{
    cue_counts, evaluate, jsd, nmd, nugget_score, rnss, rsnod, Annotation, Baseline, BaselineModel, Dialogue, FitSettings, Gold,
    Inputs, Prediction, QualityModel, Sender, Turn, ALPHA, BINS,
};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

// Expected values: eval.py's functions (NTCIR-14 STC-3 data/eval.py) run in python3 with numpy
// 2.4 and scipy 1.17 on the same inputs (counts as eval.py takes them: it normalises both sides).

#[test]
fn quality_measures_match_eval_py() {
    let pred = [0.1, 0.2, 0.3, 0.25, 0.15];
    let truth = [0.0, 0.0, 7.0, 8.0, 4.0];
    assert!(close(nmd(&pred, &truth), 0.17302631578947375), "{}", nmd(&pred, &truth));
    assert!(close(rsnod(&pred, &truth), 0.18021320860030382), "{}", rsnod(&pred, &truth));
    let (first, last) = ([1.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 1.0]);
    assert!(close(nmd(&first, &last), 1.0) && close(rsnod(&first, &last), 1.0));
    assert_eq!(nmd(&pred, &pred), 0.0);
    assert_eq!(rsnod(&pred, &pred), 0.0);
}

#[test]
fn nugget_measures_match_eval_py() {
    let (pred, truth) = ([0.5, 0.2, 0.2, 0.1], [3.0, 1.0, 0.0, 15.0]);
    assert!(close(jsd(&pred, &truth), 0.4196502450004479), "{}", jsd(&pred, &truth));
    assert!(close(rnss(&pred, &truth), 0.5718948434033633), "{}", rnss(&pred, &truth));
    assert_eq!(jsd(&truth, &truth), 0.0);
}

fn turn(sender: Sender, text: &str) -> Turn {
    Turn { sender, text: text.into(), utterances: 1, valence: None, vector: None }
}

fn annotation(quality: [i8; 3], nuggets: &[&str]) -> Annotation {
    Annotation { quality, nuggets: nuggets.iter().map(|n| n.to_string()).collect() }
}

/// eval.py's `evaluate_nugget` and `evaluate_quality` on one dialogue of three turns and four
/// annotators.
#[test]
fn a_dialogue_scores_as_eval_py_scores_it() {
    let dialogue = Dialogue {
        turns: vec![turn(Sender::Customer, "网断了"), turn(Sender::Helpdesk, "请私信"), turn(Sender::Customer, "好了，谢谢")],
    };
    let annotations = [
        annotation([2, 1, 0], &["CNUG0", "HNUG", "CNUG*"]),
        annotation([1, 1, -1], &["CNUG0", "HNaN", "CNaN"]),
        annotation([-2, 0, 0], &["CNaN", "HNUG*", "CNUG*"]),
        annotation([1, -1, 2], &["CNUG0", "HNUG", "CNUG*"]),
    ];
    let gold = Gold::from_annotations(&dialogue, &annotations).unwrap();
    assert_eq!(gold.quality[0], [0.25, 0.5, 0.0, 0.0, 0.25]);
    assert_eq!(gold.nuggets[1], vec![0.5, 0.25, 0.25]);
    let prediction = Prediction {
        quality: [[0.3, 0.4, 0.1, 0.1, 0.1], [0.1, 0.5, 0.2, 0.1, 0.1], [0.2; BINS]],
        nuggets: vec![vec![0.6, 0.2, 0.0, 0.2], vec![0.5, 0.3, 0.2], vec![0.05, 0.15, 0.5, 0.3]],
    };
    let senders = dialogue.senders();
    let score = |alpha, measure| nugget_score(&prediction.nuggets, &gold.nuggets, &senders, alpha, measure);
    assert!(close(score(ALPHA, jsd), 0.058782068303935724), "{}", score(ALPHA, jsd));
    assert!(close(score(ALPHA, rnss), 0.12310239953229093), "{}", score(ALPHA, rnss));
    assert!(close(score(0.3, jsd), 0.036729072334456214));
    assert!(close(score(0.3, rnss), 0.09386143971937455));

    let figures = evaluate(&[&dialogue], &[&gold], std::slice::from_ref(&prediction));
    let expected_nmd = [0.0750000000000001, 0.0875, 0.13749999999999996];
    let expected_rsnod = [0.15, 0.1364734406395618, 0.2512468905280223];
    for s in 0..3 {
        assert!(close(figures.nmd[s], expected_nmd[s]), "{figures:?}");
        assert!(close(figures.rsnod[s], expected_rsnod[s]), "{figures:?}");
    }
    assert!(close(figures.jsd, 0.058782068303935724) && close(figures.rnss, 0.12310239953229093));
}

#[test]
fn labels_of_the_other_speaker_are_not_counted_and_bad_scores_are_refused() {
    let dialogue = Dialogue { turns: vec![turn(Sender::Customer, "你好")] };
    let gold = Gold::from_annotations(&dialogue, &[annotation([0, 0, 0], &["CNUG0"]), annotation([0, 0, 0], &["HNUG"])]).unwrap();
    assert_eq!(gold.nuggets[0], vec![1.0, 0.0, 0.0, 0.0]);
    assert!(Gold::from_annotations(&dialogue, &[annotation([3, 0, 0], &["CNUG0"])]).is_err());
    assert!(Gold::from_annotations(&dialogue, &[annotation([0, 0, 0], &["HNaN"])]).is_err());
    assert!(Gold::from_annotations(&dialogue, &[]).is_err());
}

#[test]
fn baselines_follow_the_training_gold() {
    let dialogue = Dialogue { turns: vec![turn(Sender::Customer, "a"), turn(Sender::Helpdesk, "b")] };
    let a = Gold::from_annotations(&dialogue, &[annotation([2, 2, 2], &["CNUG0", "HNUG"])]).unwrap();
    let b = Gold::from_annotations(
        &dialogue,
        &[
            annotation([-1, 0, 0], &["CNUG", "HNaN"]),
            annotation([-1, 1, 1], &["CNUG", "HNaN"]),
            annotation([2, 1, 1], &["CNaN", "HNUG"]),
        ],
    )
    .unwrap();
    let c = Gold::from_annotations(&dialogue, &[annotation([-1, 0, 0], &["CNUG", "HNaN"])]).unwrap();
    let (dialogues, gold) = (vec![&dialogue; 3], vec![&a, &b, &c]);
    let uniform = BaselineModel::fit(Baseline::Uniform, &dialogues, &gold).predict(&dialogue);
    assert_eq!(uniform.quality[0], [0.2; BINS]);
    assert_eq!(uniform.nuggets[0], vec![0.25; 4]);
    let popularity = BaselineModel::fit(Baseline::Popularity, &dialogues, &gold).predict(&dialogue);
    assert_eq!(popularity.quality[0], [0.0, 0.0, 0.0, 1.0, 0.0], "−1 is the majority of two dialogues");
    assert_eq!(popularity.nuggets[0], vec![0.0, 1.0, 0.0, 0.0]);
    assert_eq!(popularity.nuggets[1], vec![0.0, 0.0, 1.0]);
    let prior = BaselineModel::fit(Baseline::Prior, &dialogues, &gold).predict(&dialogue);
    let expected = [(1.0 + 1.0 / 3.0) / 3.0, 0.0, 0.0, (2.0 / 3.0 + 1.0) / 3.0, 0.0];
    assert!(prior.quality[0].iter().zip(expected).all(|(a, b)| close(*a, b)), "{:?}", prior.quality[0]);
}

#[test]
fn cue_words_count_each_span_once() {
    assert_eq!(cue_counts("我很不满意，太差了"), (2.0, 0.0));
    assert_eq!(cue_counts("好了，谢谢"), (0.0, 2.0));
    assert_eq!(cue_counts("Thanks, but the app is still useless"), (2.0, 1.0));
}

/// A synthetic helpdesk: the customer's last turn tells whether the problem was solved, the
/// helpdesk's wording whether it stated a solution; 19 annotators vote around that, with noise.
fn synthetic(n: usize, seed: u64) -> Vec<(Dialogue, Gold)> {
    let mut rng = Rng::new(seed);
    let problems = ["宽带断网了", "手机没有信号", "话费扣错了", "流量用不了", "套餐不能改"];
    let solutions = ["已为您处理好，请重启设备", "已经退款，请查收"];
    let stalls = ["请私信我们您的号码", "我们会反馈给相关部门"];
    let happy = ["好了，谢谢", "可以了，感谢"];
    let unhappy = ["还是不行，我要投诉", "到底什么时候解决，太差了"];
    (0..n)
        .map(|i| {
            let solved = rng.next_u64().is_multiple_of(2);
            let pick = |options: &[&'static str], r: u64| options[r as usize % options.len()];
            let mut turns = vec![turn(Sender::Customer, problems[i % problems.len()])];
            turns.push(turn(Sender::Helpdesk, pick(if solved { &solutions } else { &stalls }, rng.next_u64())));
            turns.push(turn(Sender::Customer, pick(if solved { &happy } else { &unhappy }, rng.next_u64())));
            if rng.next_u64().is_multiple_of(3) {
                turns.push(turn(Sender::Helpdesk, "不客气"));
            }
            let dialogue = Dialogue { turns };
            let annotations: Vec<Annotation> = (0..19)
                .map(|_| {
                    let noise = (rng.next_u64() % 3) as i8 - 1;
                    let base: i8 = if solved { 1 } else { -1 };
                    let score = (base + noise).clamp(-2, 2);
                    let nuggets: Vec<String> = dialogue
                        .turns
                        .iter()
                        .enumerate()
                        .map(|(t, u)| {
                            let sure = !rng.next_u64().is_multiple_of(5);
                            match (t, u.sender, solved, sure) {
                                (_, _, _, false) if u.sender == Sender::Customer => "CNaN",
                                (_, _, _, false) => "HNaN",
                                (0, _, _, _) => "CNUG0",
                                (1, _, true, _) => "HNUG*",
                                (1, _, false, _) => "HNUG",
                                (2, _, true, _) => "CNUG*",
                                (2, _, false, _) => "CNUG",
                                _ => "HNaN",
                            }
                            .to_string()
                        })
                        .collect();
                    Annotation { quality: [score, score, (score + noise).clamp(-2, 2)], nuggets }
                })
                .collect();
            let gold = Gold::from_annotations(&dialogue, &annotations).unwrap();
            (dialogue, gold)
        })
        .collect()
}

#[test]
fn the_model_beats_the_trained_prior_on_what_it_can_read() {
    let data = synthetic(160, 7);
    let (train, test) = data.split_at(120);
    let (train_dialogues, train_gold): (Vec<&Dialogue>, Vec<&Gold>) = train.iter().map(|(d, g)| (d, g)).unzip();
    let (test_dialogues, test_gold): (Vec<&Dialogue>, Vec<&Gold>) = test.iter().map(|(d, g)| (d, g)).unzip();
    let settings = FitSettings { lambdas: vec![1e-2, 1e-3, 1e-4], ..FitSettings::new(Inputs::Full) };
    let model = QualityModel::fit(&train_dialogues, &train_gold, &settings, &|_| {});
    assert!(settings.lambdas.contains(&model.chosen.quality_lambda[0]));
    assert_eq!(model.chosen.inner_nmd.len(), 3);
    let prior = BaselineModel::fit(Baseline::Prior, &train_dialogues, &train_gold);
    let judge = |predict: &dyn Fn(&Dialogue) -> Prediction| {
        let predictions: Vec<Prediction> = test_dialogues.iter().map(|d| predict(d)).collect();
        evaluate(&test_dialogues, &test_gold, &predictions)
    };
    let (ours, theirs) = (judge(&|d| model.predict(d)), judge(&|d| prior.predict(d)));
    for s in 0..3 {
        assert!(ours.nmd[s] < theirs.nmd[s] * 0.7, "score {s}: {ours:?} vs prior {theirs:?}");
        assert!(ours.rsnod[s] < theirs.rsnod[s], "score {s}: {ours:?} vs prior {theirs:?}");
    }
    assert!(ours.jsd < theirs.jsd * 0.7 && ours.rnss < theirs.rnss, "{ours:?} vs prior {theirs:?}");
    let p = model.predict(test_dialogues[0]);
    assert!(p.quality.iter().all(|d| (d.iter().sum::<f64>() - 1.0).abs() < 1e-9));
    assert_eq!(p.nuggets.len(), test_dialogues[0].turns.len());
    assert_eq!(p.nuggets[1].len(), 3);

    // the lengths-only model reads no words: every dialogue of the same shape gets the same answer
    let lengths = QualityModel::fit(&train_dialogues, &train_gold, &FitSettings { inputs: Inputs::Lengths, ..settings }, &|_| {});
    let same_shape: Vec<&&Dialogue> = test_dialogues.iter().filter(|d| d.turns.len() == 3).take(2).collect();
    if let [a, b] = same_shape[..] {
        if a.turns.iter().zip(&b.turns).all(|(x, y)| x.text.chars().count() == y.text.chars().count()) {
            assert_eq!(lengths.predict(a).quality, lengths.predict(b).quality);
        }
    }
}

#[test]
fn sentence_vectors_carry_what_the_words_no_longer_say() {
    // the same synthetic helpdesk with the telling turns' words made alike: only each turn's
    // sentence vector still says whether the problem was solved
    let mut rng = Rng::new(11);
    let data: Vec<(Dialogue, Gold)> = synthetic(160, 7)
        .into_iter()
        .map(|(mut dialogue, gold)| {
            let solved = ["好了，谢谢", "可以了，感谢"].contains(&dialogue.turns[2].text.as_str());
            for turn in dialogue.turns.iter_mut().skip(1) {
                let noise: Vec<f32> = (0..7).map(|_| (rng.next_u64() % 1000) as f32 / 4000.0).collect();
                turn.vector = Some([vec![if solved { 0.9 } else { 0.1 }], noise].concat());
                turn.text = "嗯".into();
            }
            (dialogue, gold)
        })
        .collect();
    let (train, test) = data.split_at(120);
    let (train_dialogues, train_gold): (Vec<&Dialogue>, Vec<&Gold>) = train.iter().map(|(d, g)| (d, g)).unzip();
    let (test_dialogues, test_gold): (Vec<&Dialogue>, Vec<&Gold>) = test.iter().map(|(d, g)| (d, g)).unzip();
    let judge = |inputs: Inputs| {
        let settings = FitSettings { lambdas: vec![1e-2, 1e-3, 1e-4], ..FitSettings::new(inputs) };
        let model = QualityModel::fit(&train_dialogues, &train_gold, &settings, &|_| {});
        let predictions: Vec<Prediction> = test_dialogues.iter().map(|d| model.predict(d)).collect();
        evaluate(&test_dialogues, &test_gold, &predictions)
    };
    let (words, vectors) = (judge(Inputs::Full), judge(Inputs::WithVectors));
    assert!(vectors.nmd[0] < words.nmd[0] * 0.7, "with vectors {vectors:?}, words only {words:?}");
}
