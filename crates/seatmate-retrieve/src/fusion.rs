//! One calibrated score from both sides of the search: a logistic model over what the words and
//! the meaning say about a candidate, fitted on judged queries ([`Fusion::fit`]; the defaults
//! come from `seatmate eval retrieve --stackfaq …`, which prints the weights fitted on all its
//! queries; see BENCHMARKS.md).

use crate::dense::Similarity;

/// BM25 score at which the saturating lexical feature is one half.
const LEXICAL_HALF: f32 = 10.0;
/// Weight of agents' feedback in the log-odds: one net "used" (ln 2 ≈ 0.7) moves a 50 % result
/// to about 60 %; the damping in [`feedback_prior`] caps the effect at ×e² on the odds.
const FEEDBACK_WEIGHT: f32 = 0.6;

/// What one candidate looks like to the fusion model.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Features {
    /// BM25 relative to the query's best BM25 (0–1).
    pub lexical_relative: f32,
    /// BM25 saturated: `s / (s + 10)` (0–1), so a strong word match counts on its own.
    pub lexical_absolute: f32,
    /// Cosine to the closest way of asking (phrasing or title), or to the closest passage when
    /// the item has no phrasings, minus the query's background (its mean over all items).
    pub question: f32,
    /// Cosine to the closest answering passage, or to the closest phrasing when it has none,
    /// minus the background.
    pub passage: f32,
    /// Agents' feedback prior, see [`feedback_prior`].
    pub feedback: f32,
}

impl Features {
    pub fn new(lexical: f32, top_lexical: f32, semantic: Option<Similarity>, background: Similarity, feedback: f32) -> Features {
        let (question, passage) = match semantic {
            Some(s) if s.question > -1.0 && s.passage > -1.0 => {
                (s.question - background.question, s.passage - background.passage)
            }
            Some(s) => (s.best() - background.best(), s.best() - background.best()),
            None => (0.0, 0.0),
        };
        Features {
            lexical_relative: if top_lexical > 0.0 { lexical / top_lexical } else { 0.0 },
            lexical_absolute: lexical / (lexical + LEXICAL_HALF),
            question,
            passage,
            feedback,
        }
    }

    fn vector(&self) -> [f64; 5] {
        [1.0, self.lexical_relative as f64, self.lexical_absolute as f64, self.question as f64, self.passage as f64]
    }
}

/// Agents' verdicts on an item as a log-odds shift: ln((1 + used) / (1 + unhelpful)), within ±2.
pub fn feedback_prior(used: u32, unhelpful: u32) -> f32 {
    ((1.0 + used as f32) / (1.0 + unhelpful as f32)).ln().clamp(-2.0, 2.0)
}

/// Logistic weights: bias, lexical relative, lexical absolute, question cosine, passage cosine.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Fusion {
    pub weights: [f64; 5],
}

impl Fusion {
    /// English, fitted on StackFAQ's candidates with e5 (`seatmate eval retrieve --stackfaq …`,
    /// the `calibration_fitted_on_all` it prints; rounded).
    pub const SEMANTIC: Fusion = Fusion { weights: [-9.29, 8.68, -6.36, 42.7, 55.0] };
    /// English, fitted on StackFAQ without an encoder (`seatmate eval retrieve --lexical --stackfaq …`).
    pub const LEXICAL: Fusion = Fusion { weights: [-19.7, 8.88, 14.4, 0.0, 0.0] };

    /// Probability that the candidate answers the query.
    pub fn probability(&self, features: &Features) -> f32 {
        let z: f64 = self.weights.iter().zip(features.vector()).map(|(w, x)| w * x).sum::<f64>()
            + (FEEDBACK_WEIGHT * features.feedback) as f64;
        (1.0 / (1.0 + (-z).exp())) as f32
    }

    /// Logistic regression over the candidates' features ([`logistic`]).
    pub fn fit(examples: &[(Features, bool)]) -> Fusion {
        let examples: Vec<([f64; 5], bool)> = examples.iter().map(|(f, relevant)| (f.vector(), *relevant)).collect();
        Fusion { weights: logistic(&examples) }
    }
}

/// How likely the top card is right, from its fused probability and its lead over the next card.
/// The fusion scores each candidate on its own; being first among them says more: in Chinese the
/// top card's low scores were right several times as often as they said (BENCHMARKS.md,
/// "Knowledge retrieval"). A logistic model over the top card's log-odds and its lead in log-odds.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct TopCard {
    pub weights: [f64; 3],
}

impl TopCard {
    /// The fused probability unchanged.
    pub const UNCHANGED: TopCard = TopCard { weights: [0.0, 1.0, 0.0] };

    fn vector(first: f32, second: Option<f32>) -> [f64; 3] {
        let log_odds = |p: f32| {
            let p = f64::from(p).clamp(1e-4, 1.0 - 1e-4);
            (p / (1.0 - p)).ln()
        };
        let first = log_odds(first);
        [1.0, first, first - second.map_or(log_odds(0.0), log_odds)]
    }

    /// Probability that the top card (fused probability `first`; the next card's `second`, if
    /// any) answers the query.
    pub fn probability(&self, first: f32, second: Option<f32>) -> f32 {
        let z: f64 = self.weights.iter().zip(TopCard::vector(first, second)).map(|(w, x)| w * x).sum();
        (1.0 / (1.0 + (-z).exp())) as f32
    }

    /// Fitted on judged top cards: (top probability, next probability, right).
    pub fn fit(examples: &[(f32, Option<f32>, bool)]) -> TopCard {
        let examples: Vec<([f64; 3], bool)> =
            examples.iter().map(|(first, second, right)| (TopCard::vector(*first, *second), *right)).collect();
        TopCard { weights: logistic(&examples) }
    }
}

/// What a search's scores mean in one language: the fusion that scores each candidate and the
/// calibration of the top card. A search picks the pair by the query's language
/// ([`Calibration::for_query`]); the shipped pairs are fitted on judged queries by `seatmate eval
/// retrieve` (its `calibration_fitted_on_all`; see BENCHMARKS.md, "Knowledge retrieval").
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Calibration {
    pub fusion: Fusion,
    pub top_card: TopCard,
}

/// The shipped calibrations: by encoder (words and meaning, or words alone) and query language.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Calibrations {
    pub english: Calibration,
    pub chinese: Calibration,
}

impl Calibrations {
    /// Words and meaning. English: all of StackFAQ (`seatmate eval retrieve --stackfaq …`, its
    /// `calibration_fitted_on_all`); Chinese: AFQMC train's FAQ clusters (`--pairs-faq
    /// …/afqmc`, its `calibration_fitted_on_train`), judged on AFQMC dev and OPPO Xiaobu. Rounded.
    pub const FITTED_SEMANTIC: Calibrations = Calibrations {
        english: Calibration { fusion: Fusion::SEMANTIC, top_card: TopCard { weights: [0.77, 0.63, 0.23] } },
        chinese: Calibration {
            fusion: Fusion { weights: [-8.82, 2.91, -0.73, 59.2, 25.9] },
            top_card: TopCard { weights: [-1.69, -0.08, 0.84] },
        },
    };
    /// Words alone (no encoder), fitted as above with `--lexical`.
    pub const FITTED_LEXICAL: Calibrations = Calibrations {
        english: Calibration { fusion: Fusion::LEXICAL, top_card: TopCard { weights: [-1.86, 2.04, 0.30] } },
        chinese: Calibration {
            fusion: Fusion { weights: [-12.1, 4.95, 7.12, 0.0, 0.0] },
            top_card: TopCard { weights: [-1.00, 0.57, 0.66] },
        },
    };

    /// What search uses with an encoder: StackFAQ's fusion for every language, the top card
    /// unchanged. The fitted ones above are measured (BENCHMARKS.md) but not switched on yet: a
    /// top card lifted from its lead can pass the card cut on a query with no answer.
    pub const SEMANTIC: Calibrations = Calibrations::same(Calibration { fusion: Fusion::SEMANTIC, top_card: TopCard::UNCHANGED });
    /// What search uses without an encoder.
    pub const LEXICAL: Calibrations = Calibrations::same(Calibration { fusion: Fusion::LEXICAL, top_card: TopCard::UNCHANGED });

    /// One calibration for every language (evaluation: weights fitted on folds).
    pub const fn same(calibration: Calibration) -> Calibrations {
        Calibrations { english: calibration, chinese: calibration }
    }

    /// The query's calibration: Chinese when it holds a Han character (mixed text included).
    pub fn for_query(&self, query: &str) -> &Calibration {
        if query.chars().any(seatmate_text::is_han) {
            &self.chinese
        } else {
            &self.english
        }
    }
}

impl Calibration {
    /// Fitted on judged candidates, one list per query: the fusion on every candidate, then the top
    /// card's calibration on each query's first two under that fusion.
    pub fn fit(queries: &[Vec<(Features, bool)>]) -> Calibration {
        let all: Vec<(Features, bool)> = queries.iter().flatten().copied().collect();
        let fusion = Fusion::fit(&all);
        let tops: Vec<(f32, Option<f32>, bool)> = queries.iter().filter_map(|c| fusion.top_two(c)).collect();
        Calibration { fusion, top_card: TopCard::fit(&tops) }
    }

    /// Scores in ranked order (best first) made final: the first through the top-card calibration,
    /// the others kept at or below it so the order stays.
    pub fn finish(&self, ranked: &mut [f32]) {
        let Some(&first) = ranked.first() else { return };
        let top = self.top_card.probability(first, ranked.get(1).copied());
        ranked[0] = top;
        for score in &mut ranked[1..] {
            *score = score.min(top);
        }
    }
}

impl Fusion {
    /// The best and the next probability among judged `candidates`, and whether the best is right.
    pub fn top_two(&self, candidates: &[(Features, bool)]) -> Option<(f32, Option<f32>, bool)> {
        let mut scored: Vec<(f32, bool)> = candidates.iter().map(|(f, r)| (self.probability(f), *r)).collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let (first, right) = *scored.first()?;
        Some((first, scored.get(1).map(|s| s.0), right))
    }
}

/// Logistic regression by Newton's method (a little ridge to stay finite on separable data).
fn logistic<const N: usize>(examples: &[([f64; N], bool)]) -> [f64; N] {
    const RIDGE: f64 = 1e-3;
    let mut w = [0.0f64; N];
    for _ in 0..50 {
        let mut gradient = [0.0f64; N];
        let mut hessian = [[0.0f64; N]; N];
        for (x, relevant) in examples {
            let z: f64 = w.iter().zip(x).map(|(a, b)| a * b).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let y = if *relevant { 1.0 } else { 0.0 };
            for i in 0..N {
                gradient[i] += (p - y) * x[i];
                for j in 0..N {
                    hessian[i][j] += p * (1.0 - p) * x[i] * x[j];
                }
            }
        }
        for i in 0..N {
            gradient[i] += RIDGE * w[i];
            hessian[i][i] += RIDGE;
        }
        let Some(step) = solve(hessian, gradient) else { break };
        let mut change = 0.0f64;
        for i in 0..N {
            w[i] -= step[i];
            change = change.max(step[i].abs());
        }
        if change < 1e-8 {
            break;
        }
    }
    w
}

impl Default for Fusion {
    fn default() -> Self {
        Fusion::LEXICAL
    }
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting.
fn solve<const N: usize>(mut a: [[f64; N]; N], mut b: [f64; N]) -> Option<[f64; N]> {
    for col in 0..N {
        let pivot = (col..N).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in col + 1..N {
            let factor = a[row][col] / a[col][col];
            let pivot_row = a[col];
            for (value, pivot_value) in a[row].iter_mut().zip(pivot_row).skip(col) {
                *value -= factor * pivot_value;
            }
            b[row] -= factor * b[col];
        }
    }
    let mut x = [0.0f64; N];
    for row in (0..N).rev() {
        let tail: f64 = (row + 1..N).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - tail) / a[row][row];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fit_separates_what_the_data_separates_and_feedback_moves_the_score() {
        let example = |q: f32, relevant| {
            (Features { lexical_relative: 0.5, lexical_absolute: 0.3, question: q, passage: q, feedback: 0.0 }, relevant)
        };
        let mut examples = Vec::new();
        for i in 0..50 {
            let jitter = i as f32 / 1000.0;
            examples.push(example(0.88 + jitter, true));
            examples.push(example(0.80 - jitter, false));
            examples.push(example(0.84, i % 2 == 0));
        }
        let fusion = Fusion::fit(&examples);
        let high = fusion.probability(&example(0.9, true).0);
        let middle = fusion.probability(&example(0.84, true).0);
        let low = fusion.probability(&example(0.78, true).0);
        assert!(high > 0.9 && low < 0.1 && (middle - 0.5).abs() < 0.1, "{high} {middle} {low}");
        let liked = Features { feedback: feedback_prior(3, 0), ..example(0.84, true).0 };
        assert!(fusion.probability(&liked) > middle + 0.1);
        assert!(feedback_prior(0, 1000) >= -2.0);
    }

    #[test]
    fn a_query_is_scored_in_its_language_and_the_first_card_stays_first() {
        let calibrations = Calibrations {
            english: Calibration { fusion: Fusion::LEXICAL, top_card: TopCard::UNCHANGED },
            chinese: Calibration { fusion: Fusion::LEXICAL, top_card: TopCard { weights: [-1.0, 1.0, 0.0] } },
        };
        assert_eq!(calibrations.for_query("my card was declined"), &calibrations.english);
        assert_eq!(calibrations.for_query("我的iPhone充不了电"), &calibrations.chinese);
        let mut english = [0.6, 0.5, 0.1];
        calibrations.english.finish(&mut english);
        assert_eq!(english, [0.6, 0.5, 0.1]);
        // the Chinese top card reads lower than its fused score; the next never passes it
        let mut chinese = [0.6, 0.5, 0.1];
        calibrations.chinese.finish(&mut chinese);
        assert!(chinese[0] < 0.4 && chinese[1] == chinese[0] && chinese[2] == 0.1, "{chinese:?}");
        calibrations.chinese.finish(&mut []);
    }

    #[test]
    fn the_top_card_calibration_learns_what_a_lead_means() {
        assert!((TopCard::UNCHANGED.probability(0.3, Some(0.1)) - 0.3).abs() < 1e-4);
        // top cards at 0.2 are right when they lead by far, wrong when the next card is close
        let mut examples = Vec::new();
        for i in 0..100 {
            examples.push((0.2, Some(0.01), i % 10 != 0));
            examples.push((0.2, Some(0.19), i % 10 == 0));
        }
        let top = TopCard::fit(&examples);
        assert!((top.probability(0.2, Some(0.01)) - 0.9).abs() < 0.05, "{top:?}");
        assert!((top.probability(0.2, Some(0.19)) - 0.1).abs() < 0.05, "{top:?}");
    }
}
