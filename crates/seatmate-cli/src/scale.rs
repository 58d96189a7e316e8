//! `seatmate eval scale`: times the classifier on a generated taxonomy of tens of thousands of
//! categories and up to millions of tickets. Generated text is fine for timing and memory; its
//! accuracy says nothing about real tickets and is printed only as a sanity check.

use std::time::Instant;

use seatmate_classify::{Example, Model, Rng, TrainConfig};

#[derive(Debug, clap::Args)]
pub struct ScaleArgs {
    /// Leaf categories (a three-level tree: 20 domains × 50 groups × the rest)
    #[arg(long, default_value_t = 20_000)]
    pub categories: usize,
    /// Training tickets
    #[arg(long, default_value_t = 1_000_000)]
    pub tickets: usize,
    /// Tickets timed one at a time for latency
    #[arg(long, default_value_t = 5_000)]
    pub test: usize,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Print one JSON object
    #[arg(long)]
    pub json: bool,
}

const SYLLABLES: &[&str] = &[
    "ba", "ce", "di", "fo", "gu", "ha", "je", "ki", "lo", "mu", "na", "pe", "qi", "ro", "su", "ta", "ve", "wi", "xo", "yu", "za",
    "bri", "clo", "dra", "fle", "gri", "plo", "tra", "sne", "kru",
];

/// A pseudo-word made of syllables, unique for each number.
fn word(mut n: usize) -> String {
    let mut out = String::new();
    loop {
        out.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
        if n == 0 {
            return out;
        }
    }
}

struct Generator {
    rng: Rng,
    /// signature words of each domain, group and leaf
    domain: Vec<Vec<String>>,
    group: Vec<Vec<String>>,
    leaf: Vec<Vec<String>>,
    filler: Vec<String>,
    groups_per_domain: usize,
    leaves_per_group: usize,
}

impl Generator {
    fn new(categories: usize, seed: u64) -> Generator {
        let domains = 20;
        let groups_per_domain = 50;
        let leaves_per_group = categories.div_ceil(domains * groups_per_domain).max(1);
        let mut next = 10_000; // word numbers below this are fillers
        let mut words = |n: usize| {
            let out: Vec<String> = (0..n).map(|i| word(next + i)).collect();
            next += n;
            out
        };
        let domain = (0..domains).map(|_| words(3)).collect();
        let group = (0..domains * groups_per_domain).map(|_| words(3)).collect();
        let leaf = (0..categories).map(|_| words(4)).collect();
        let filler = (0..2_000).map(word).collect();
        Generator { rng: Rng::new(seed), domain, group, leaf, filler, groups_per_domain, leaves_per_group }
    }

    fn pick(rng: &mut Rng, words: &[String]) -> String {
        words[(rng.next_u64() % words.len() as u64) as usize].clone()
    }

    fn ticket(&mut self) -> Example {
        let leaf = (self.rng.next_u64() % self.leaf.len() as u64) as usize;
        let group = leaf / self.leaves_per_group;
        let domain = group / self.groups_per_domain;
        let rng = &mut self.rng;
        let mut words: Vec<String> = Vec::with_capacity(13);
        for _ in 0..2 {
            words.push(Self::pick(rng, &self.domain[domain]));
            words.push(Self::pick(rng, &self.group[group]));
        }
        for _ in 0..3 {
            words.push(Self::pick(rng, &self.leaf[leaf]));
        }
        for _ in 0..6 {
            words.push(Self::pick(rng, &self.filler));
        }
        rng.shuffle(&mut words);
        Example { text: words.join(" "), label: format!("D{domain}/G{group}/L{leaf}") }
    }
}

pub fn scale(args: &ScaleArgs) -> anyhow::Result<()> {
    if args.categories < 2 || args.tickets < args.categories {
        anyhow::bail!("need at least 2 categories and at least one ticket per category");
    }
    let start = Instant::now();
    let mut generator = Generator::new(args.categories, args.seed);
    let train: Vec<Example> = (0..args.tickets).map(|_| generator.ticket()).collect();
    let test: Vec<Example> = (0..args.test).map(|_| generator.ticket()).collect();
    let generate_seconds = start.elapsed().as_secs_f64();
    eprintln!("generated {} tickets over {} categories in {generate_seconds:.1} s; training…", args.tickets, args.categories);

    let start = Instant::now();
    let model = Model::train(&train, &TrainConfig::for_examples(train.len()))?;
    let train_seconds = start.elapsed().as_secs_f64();
    // the high-water mark of generating and training, before the model is also serialised
    let train_peak_mb = crate::eval::peak_rss_mb();
    drop(train);
    let model_bytes = model.to_bytes().len();

    let mut latencies = Vec::with_capacity(test.len());
    let mut correct = 0usize;
    for example in &test {
        let start = Instant::now();
        let prediction = model.predict(&example.text, 5);
        latencies.push(start.elapsed().as_secs_f64() * 1000.0);
        correct += usize::from(prediction.top[0].0 == example.label);
    }
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    let report = serde_json::json!({
        "categories": model.labels().len(),
        "tickets": args.tickets,
        "train_seconds": train_seconds,
        "predict_p50_ms": at(0.50),
        "predict_p99_ms": at(0.99),
        "train_peak_rss_mb": train_peak_mb,
        "peak_rss_mb": crate::eval::peak_rss_mb(),
        "model_mb": model_bytes as f64 / (1024.0 * 1024.0),
        "generated_accuracy": correct as f64 / test.len().max(1) as f64,
    });
    if args.json {
        println!("{report}");
    } else {
        println!("categories         {}", report["categories"]);
        println!("training tickets   {}", args.tickets);
        println!("train              {train_seconds:.1} s");
        println!("predict p50 / p99  {:.3} / {:.3} ms", at(0.50), at(0.99));
        let mb = |m: Option<f64>| m.map_or("n/a".into(), |m| format!("{m:.0} MB"));
        println!(
            "peak memory        {} training, {} with the model serialised",
            mb(train_peak_mb),
            mb(crate::eval::peak_rss_mb())
        );
        println!("model file         {:.1} MB", model_bytes as f64 / (1024.0 * 1024.0));
        println!(
            "accuracy           {:.1}% (generated text: a sanity check, not a claim)",
            100.0 * correct as f64 / test.len().max(1) as f64
        );
    }
    Ok(())
}
