//! The figures emotion models are judged by, shared by Seatmate's model (to choose its settings on
//! held-out data) and by `seatmate eval emotion` (to score Seatmate and its peers the same way).
//!
//! Labels are indices; a text's gold (and predicted) labels are a sorted set, one label for
//! single-label data. Macro-F1 is label-based: the F1 of each label over all texts, averaged over
//! the labels that occur in the gold or the predicted sets. [`roc_auc`] judges a score of a yes/no
//! outcome (`seatmate eval risk`).

/// The index of the largest value (the first on ties); 0 for an empty slice.
pub fn argmax(values: &[f32]) -> usize {
    values.iter().enumerate().fold((0, f32::NEG_INFINITY), |best, (i, &v)| if v > best.1 { (i, v) } else { best }).0
}

/// Per-label F1, macro-averaged over the labels that occur.
pub fn macro_f1(predicted: &[Vec<usize>], gold: &[Vec<usize>], n_labels: usize) -> f32 {
    let f1: Vec<f32> = per_label_f1(predicted, gold, n_labels).into_iter().flatten().collect();
    f1.iter().sum::<f32>() / f1.len().max(1) as f32
}

/// F1 of every label; `None` for a label neither gold nor predicted anywhere.
pub fn per_label_f1(predicted: &[Vec<usize>], gold: &[Vec<usize>], n_labels: usize) -> Vec<Option<f32>> {
    let (mut tp, mut fp, mut fn_) = (vec![0usize; n_labels], vec![0usize; n_labels], vec![0usize; n_labels]);
    for (p, g) in predicted.iter().zip(gold) {
        for &k in p.iter().filter(|&&k| k < n_labels) {
            if g.contains(&k) {
                tp[k] += 1;
            } else {
                fp[k] += 1;
            }
        }
        for &k in g.iter().filter(|&&k| k < n_labels) {
            if !p.contains(&k) {
                fn_[k] += 1;
            }
        }
    }
    (0..n_labels)
        .map(|k| {
            let denominator = 2 * tp[k] + fp[k] + fn_[k];
            (denominator > 0).then(|| 2.0 * tp[k] as f32 / denominator as f32)
        })
        .collect()
}

/// Share of texts whose predicted label set is exactly the gold set (plain accuracy when every
/// text has one label).
pub fn exact_match(predicted: &[Vec<usize>], gold: &[Vec<usize>]) -> f32 {
    let hits = predicted.iter().zip(gold).filter(|(p, g)| p == g).count();
    hits as f32 / gold.len().max(1) as f32
}

/// Multi-label decision: the labels whose score reaches their threshold, or, when none does, the
/// one closest to its threshold (every text carries at least one label).
pub fn decide_multi(scores: &[f32], thresholds: &[f32]) -> Vec<usize> {
    let chosen: Vec<usize> = (0..scores.len()).filter(|&k| scores[k] >= thresholds[k]).collect();
    if !chosen.is_empty() {
        return chosen;
    }
    let margins: Vec<f32> = scores.iter().zip(thresholds).map(|(s, t)| s - t).collect();
    vec![argmax(&margins)]
}

/// Single-label decision: the best score after the per-label offsets.
pub fn decide_single(scores: &[f32], offsets: &[f32]) -> Vec<usize> {
    let shifted: Vec<f32> = scores.iter().zip(offsets).map(|(s, o)| s + o).collect();
    vec![argmax(&shifted)]
}

/// For every label, the score threshold that maximises that label's F1 on these texts (the
/// midpoint between the last score taken and the next). A label with no gold text gets a
/// threshold above every score.
pub fn f1_thresholds(scores: &[Vec<f32>], gold: &[Vec<usize>], n_labels: usize) -> Vec<f32> {
    (0..n_labels)
        .map(|k| {
            let mut column: Vec<(f32, bool)> = scores.iter().zip(gold).map(|(s, g)| (s[k], g.contains(&k))).collect();
            column.sort_by(|a, b| b.0.total_cmp(&a.0));
            let positives = column.iter().filter(|(_, p)| *p).count();
            if positives == 0 {
                return f32::MAX;
            }
            let (mut tp, mut best, mut threshold) = (0usize, -1.0f32, f32::MAX);
            for i in 0..column.len() {
                tp += usize::from(column[i].1);
                let next = column.get(i + 1).map(|n| n.0);
                if next == Some(column[i].0) {
                    continue; // a threshold cannot split equal scores
                }
                let f1 = 2.0 * tp as f32 / (i + 1 + positives) as f32;
                if f1 > best {
                    best = f1;
                    threshold = next.map_or(column[i].0 - 1e-3, |n| (column[i].0 + n) / 2.0);
                }
            }
            threshold
        })
        .collect()
}

/// Per-label offsets added to single-label scores before the argmax, chosen by coordinate ascent
/// on macro-F1 over these texts (a few passes over a small grid): rare labels that a linear model
/// under-predicts get a little lift. All zero past `MAX_OFFSET_LABELS` labels.
pub fn f1_offsets(scores: &[Vec<f32>], gold: &[Vec<usize>], n_labels: usize) -> Vec<f32> {
    const MAX_OFFSET_LABELS: usize = 20;
    const PASSES: usize = 2;
    let mut offsets = vec![0.0f32; n_labels];
    if n_labels > MAX_OFFSET_LABELS || scores.is_empty() {
        return offsets;
    }
    let f1_with = |offsets: &[f32]| {
        let predicted: Vec<Vec<usize>> = scores.iter().map(|s| decide_single(s, offsets)).collect();
        macro_f1(&predicted, gold, n_labels)
    };
    let mut best = f1_with(&offsets);
    for _ in 0..PASSES {
        for k in 0..n_labels {
            let start = offsets[k];
            for step in -10..=10 {
                let candidate = start + step as f32 * 0.05;
                let previous = offsets[k];
                offsets[k] = candidate;
                let f1 = f1_with(&offsets);
                // a strictly better figure, or as good and closer to no offset
                if f1 > best + 1e-6 || ((f1 - best).abs() <= 1e-6 && candidate.abs() < previous.abs()) {
                    best = f1.max(best);
                } else {
                    offsets[k] = previous;
                }
            }
        }
    }
    offsets
}

/// Area under the ROC curve of `scores` for the `positive` items (higher = more likely positive):
/// the chance that a random positive outscores a random negative, ties counting half (the
/// Mann–Whitney U statistic over average ranks). `None` when either class is empty.
pub fn roc_auc(scores: &[f32], positive: &[bool]) -> Option<f64> {
    let mut order: Vec<(f32, bool)> = scores.iter().copied().zip(positive.iter().copied()).collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0));
    let positives = order.iter().filter(|(_, p)| *p).count();
    let negatives = order.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    // sum of the positives' ranks (1-based), tied scores sharing their average rank
    let (mut rank_sum, mut i) = (0.0f64, 0);
    while i < order.len() {
        let j = i + order[i..].iter().take_while(|(s, _)| s.total_cmp(&order[i].0).is_eq()).count();
        let average_rank = (i + 1 + j) as f64 / 2.0;
        rank_sum += average_rank * order[i..j].iter().filter(|(_, p)| *p).count() as f64;
        i = j;
    }
    let (p, n) = (positives as f64, negatives as f64);
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macro_f1_averages_labels_not_texts() {
        let gold = vec![vec![0], vec![0], vec![0], vec![1]];
        let all_zero = vec![vec![0]; 4];
        // label 0: tp 3 fp 1 → 6/7; label 1: tp 0 fn 1 → 0
        assert!((macro_f1(&all_zero, &gold, 2) - 3.0 / 7.0).abs() < 1e-6);
        assert_eq!(macro_f1(&gold, &gold, 2), 1.0);
        assert_eq!(exact_match(&all_zero, &gold), 0.75);
        assert_eq!(macro_f1(&gold, &gold, 5), 1.0, "labels nobody uses do not count");
    }

    #[test]
    fn thresholds_separate_what_can_be_separated() {
        let scores = vec![vec![0.9, -0.5], vec![0.4, 0.2], vec![-0.3, 0.6], vec![-0.8, 0.3]];
        let gold = vec![vec![0], vec![0, 1], vec![1], vec![1]];
        let t = f1_thresholds(&scores, &gold, 2);
        let predicted: Vec<Vec<usize>> = scores.iter().map(|s| decide_multi(s, &t)).collect();
        assert_eq!(predicted, gold);
        assert_eq!(f1_thresholds(&scores, &[vec![0], vec![0], vec![0], vec![0]], 2)[1], f32::MAX);
        assert_eq!(decide_multi(&[0.1, 0.2], &[0.5, 0.9]), vec![0], "none reaches: the closest");
    }

    #[test]
    fn offsets_lift_an_under_predicted_label() {
        let scores: Vec<Vec<f32>> = (0..20).map(|i| if i < 5 { vec![0.5, 0.4] } else { vec![0.5, -0.5] }).collect();
        let gold: Vec<Vec<usize>> = (0..20).map(|i| vec![usize::from(i < 5)]).collect();
        let offsets = f1_offsets(&scores, &gold, 2);
        let predicted: Vec<Vec<usize>> = scores.iter().map(|s| decide_single(s, &offsets)).collect();
        assert_eq!(predicted, gold);
    }

    #[test]
    fn roc_auc_counts_pairs_and_halves_ties() {
        assert_eq!(roc_auc(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true]), Some(0.75));
        assert_eq!(roc_auc(&[0.9, 0.8, 0.1], &[true, true, false]), Some(1.0));
        assert_eq!(roc_auc(&[0.9, 0.8, 0.1], &[false, false, true]), Some(0.0));
        // every score equal: no separation
        assert_eq!(roc_auc(&[0.5; 4], &[true, false, true, false]), Some(0.5));
        // one tie across classes among the 2 × 2 pairs: (1 + 0.5 + 1 + 1) / 4
        assert_eq!(roc_auc(&[0.2, 0.5, 0.5, 0.9], &[false, false, true, true]), Some(0.875));
        assert_eq!(roc_auc(&[0.2, 0.5], &[true, true]), None);
        assert_eq!(roc_auc(&[], &[]), None);
    }
}
