//! `seatmate eval simulate`: how often the simulated customer (`seatmate-coach`) says what the real
//! customer said next, on held-out real dialogues.
//!
//! For every customer turn after the first agent turn of a held-out dialogue, the simulator gets
//! the case (its goal, never its later turns or per-turn state annotations), the real dialogue so
//! far and the real agent turn, and replies. Its reply's acts are compared with the real next
//! customer turn's: micro-averaged F1 over (intent, domain, slot, value) tuples, as ConvLab-2's
//! CrossWOZ user-policy evaluation computes it, and the turn's intent (its act intents). Two
//! settings: (a) the agent turn's gold acts given, as in the CrossWOZ paper; (b) only its text, as
//! in the product. Beside them, in the same run, a baseline: a random customer turn (seeded) of a
//! dialogue with the same intent (first goal domain). CrossWOZ and MultiWOZ: val is the corpus,
//! test is evaluated (`--on-val`: val itself, each dialogue left out of its own corpus, which is
//! how the settings were chosen). STC-3: 5-fold cross-validation over train, nugget types as acts.

use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context as _};
use seatmate_classify::Rng;
use seatmate_coach::simulate::{
    turn_intent, Act, Config, Corpus, Goal, GoalItem, SimDialogue, SimTurn, Simulator, Speaker, TraineeTurn,
};
use serde_json::{json, Value};

#[derive(clap::Args, Debug, Clone)]
pub struct SimulateArgs {
    /// CrossWOZ folder (val.json.zip, test.json.zip)
    #[arg(long, value_name = "DIR")]
    pub crosswoz: Option<PathBuf>,
    /// MultiWOZ folder in ConvLab-2's packaging (val.json.zip, test.json.zip)
    #[arg(long, value_name = "DIR")]
    pub multiwoz: Option<PathBuf>,
    /// STC-3 DCH-1 folder (train_data_cn.json, train_data_en.json): 5-fold cross-validation
    #[arg(long, value_name = "DIR")]
    pub stc3: Option<PathBuf>,
    /// Evaluate on val itself (each dialogue left out of the corpus): for choosing settings
    #[arg(long)]
    pub on_val: bool,
    /// Evaluate only the first N held-out dialogues (per fold for STC-3)
    #[arg(long)]
    pub limit: Option<usize>,
    /// Print N simulated sessions (agent turn, simulated reply, real reply) per data set
    #[arg(long, default_value_t = 0)]
    pub show: usize,
    /// Seed of the baseline's random choices and the STC-3 folds
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
}

// ---------- reading ----------

fn read_zip_json(path: &Path) -> anyhow::Result<Value> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut archive = zip::ZipArchive::new(file).with_context(|| format!("{} is not a zip file", path.display()))?;
    let mut entry = archive.by_index(0).with_context(|| format!("{} is an empty zip file", path.display()))?;
    let mut text = String::new();
    entry.read_to_string(&mut text).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} does not hold JSON", path.display()))
}

fn s(v: &Value) -> String {
    match v {
        Value::String(x) => x.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A CrossWOZ split: goal tuples `[sub-goal, domain, slot, value, said]` (value `id=n` or
/// `出现在id=n的…` refers to sub-goal n's entity), messages with `dialog_act` `[intent, domain, slot, value]`.
fn crosswoz(path: &Path) -> anyhow::Result<Vec<(SimDialogue, String)>> {
    let data = read_zip_json(path)?;
    let Some(map) = data.as_object() else { bail!("{}: expected an object of dialogues", path.display()) };
    let mut out = Vec::new();
    for (id, d) in map {
        let mut items = Vec::new();
        for g in d["goal"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            let group = g[0].as_u64().with_context(|| format!("{}: dialogue {id}: bad goal", path.display()))? as u32;
            let (mut values, mut refers_to) = (Vec::new(), None);
            match &g[3] {
                Value::Array(list) => values = list.iter().map(s).collect(),
                Value::String(v) if v.contains("id=") => {
                    let digit = v[v.find("id=").unwrap_or(0) + 3..].chars().next().and_then(|c| c.to_digit(10));
                    refers_to = digit;
                }
                Value::String(v) if !v.is_empty() => values.push(v.clone()),
                _ => {}
            }
            items.push(GoalItem { group, domain: s(&g[1]), slot: s(&g[2]), values, refers_to });
        }
        let mut turns = Vec::new();
        for m in d["messages"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            let speaker = if m["role"] == "usr" { Speaker::Customer } else { Speaker::Agent };
            let acts = m["dialog_act"]
                .as_array()
                .map(|a| a.iter().map(|x| Act::new(&s(&x[0]), &s(&x[1]), &s(&x[2]), &s(&x[3]))).collect())
                .unwrap_or_default();
            turns.push(SimTurn { speaker, text: s(&m["content"]), acts, valence: None });
        }
        let intent = items.first().map(|i| i.domain.clone());
        out.push((SimDialogue { id: id.clone(), intent, goal: Some(Goal { items }), turns }, s(&d["type"])));
    }
    Ok(out)
}

/// MultiWOZ goal slot → act slot (ConvLab-2's abbreviations).
fn mw_slot(slot: &str) -> String {
    match slot {
        "destination" => "dest",
        "departure" => "depart",
        "pricerange" => "price",
        "arriveBy" => "arrive",
        "leaveAt" => "leave",
        "address" => "addr",
        "postcode" => "post",
        "car type" => "car",
        "entrance fee" => "fee",
        "duration" => "time",
        "price" => "ticket",
        "trainID" => "id",
        other => other,
    }
    .to_lowercase()
}

const MW_DOMAINS: [(&str, &[&str]); 7] = [
    ("restaurant", &["restaurant", "place to dine", "place to eat"]),
    ("hotel", &["hotel", "place to stay", "guesthouse"]),
    ("attraction", &["attraction", "places to go", "place to go", "to visit", "museum", "college", "entertainment"]),
    ("train", &["train"]),
    ("taxi", &["taxi"]),
    ("police", &["police"]),
    ("hospital", &["hospital"]),
];

/// A MultiWOZ split (ConvLab-2): goal per domain (`info`, `book` constraints, `reqt`
/// requirements; sub-goals ordered as the goal's description mentions them), turns alternating
/// customer/agent with `dialog_act` `{"Domain-Intent": [[slot, value]]}`. Agents' `Booking-*`
/// acts take the domain last spoken about.
fn multiwoz(path: &Path) -> anyhow::Result<Vec<(SimDialogue, String)>> {
    let data = read_zip_json(path)?;
    let Some(map) = data.as_object() else { bail!("{}: expected an object of dialogues", path.display()) };
    let mut out = Vec::new();
    for (id, d) in map {
        let goal = &d["goal"];
        // the introduction ("You are traveling to Cambridge and looking forward to try local restaurants") names no sub-goal
        let message = goal["message"]
            .as_array()
            .map(|m| m.iter().map(s).filter(|x| !x.contains("Cambridge")).collect::<Vec<_>>().join(" "))
            .unwrap_or_default();
        let message = message.to_lowercase();
        let mut domains: Vec<(usize, &str)> = MW_DOMAINS
            .iter()
            .filter(|(name, _)| goal[*name].as_object().is_some_and(|o| !o.is_empty()))
            .map(|(name, cues)| (cues.iter().filter_map(|c| message.find(c)).min().unwrap_or(usize::MAX), *name))
            .collect();
        domains.sort();
        let mut items = Vec::new();
        for (g, (_, domain)) in domains.iter().enumerate() {
            let part = &goal[*domain];
            let group = g as u32 + 1;
            for key in ["info", "book"] {
                if let Some(o) = part[key].as_object() {
                    for (slot, value) in o {
                        if slot == "invalid" || slot == "pre_invalid" {
                            continue;
                        }
                        let v = s(value).to_lowercase();
                        items.push(GoalItem {
                            group,
                            domain: domain.to_string(),
                            slot: mw_slot(slot),
                            values: vec![v],
                            refers_to: None,
                        });
                    }
                }
            }
            for slot in part["reqt"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
                items.push(GoalItem {
                    group,
                    domain: domain.to_string(),
                    slot: mw_slot(&s(slot)),
                    values: vec![],
                    refers_to: None,
                });
            }
            if part["book"].as_object().is_some_and(|o| o.keys().any(|k| k != "invalid" && k != "pre_invalid")) {
                items.push(GoalItem { group, domain: domain.to_string(), slot: "ref".into(), values: vec![], refers_to: None });
            }
        }
        let mut turns = Vec::new();
        let mut last_domain = String::new();
        for (i, m) in d["log"].as_array().map(Vec::as_slice).unwrap_or(&[]).iter().enumerate() {
            let speaker = if i % 2 == 0 { Speaker::Customer } else { Speaker::Agent };
            let mut acts = Vec::new();
            if let Some(o) = m["dialog_act"].as_object() {
                for (name, pairs) in o {
                    let (domain, intent) = name.split_once('-').unwrap_or((name.as_str(), ""));
                    let mut domain = domain.to_lowercase();
                    if domain == "booking" && !last_domain.is_empty() {
                        domain = last_domain.clone();
                    }
                    for p in pairs.as_array().map(Vec::as_slice).unwrap_or(&[]) {
                        let (slot, value) = (s(&p[0]).to_lowercase(), s(&p[1]).to_lowercase());
                        if domain == "general" {
                            acts.push(Act::new("General", &intent.to_lowercase(), "none", "none"));
                        } else {
                            let value = if intent == "Request" { String::new() } else { value };
                            acts.push(Act::new(intent, &domain, &slot, &value));
                        }
                    }
                    if domain != "general" && domain != "booking" {
                        last_domain = domain;
                    }
                }
            }
            acts.sort();
            acts.dedup();
            turns.push(SimTurn { speaker, text: s(&m["text"]), acts, valence: None });
        }
        let intent = items.first().map(|i| i.domain.clone());
        let kind = if domains.len() == 1 { "single-domain" } else { "multi-domain" };
        out.push((SimDialogue { id: id.clone(), intent, goal: Some(Goal { items }), turns }, kind.to_string()));
    }
    Ok(out)
}

/// STC-3 `train_data_{language}.json`: each turn's act is its nugget type, by majority of the
/// annotators; no goal.
fn stc3(dir: &Path, language: &str) -> anyhow::Result<Vec<(SimDialogue, String)>> {
    let path = dir.join(format!("train_data_{language}.json"));
    let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let raw: Vec<Value> =
        serde_json::from_slice(&bytes).with_context(|| format!("{} is not an STC-3 dialogue file", path.display()))?;
    let mut out = Vec::new();
    for d in raw {
        let annotations = d["annotations"].as_array().map(Vec::as_slice).unwrap_or(&[]);
        let mut turns = Vec::new();
        for (i, t) in d["turns"].as_array().map(Vec::as_slice).unwrap_or(&[]).iter().enumerate() {
            let speaker = match t["sender"].as_str() {
                Some("customer") => Speaker::Customer,
                Some("helpdesk") => Speaker::Agent,
                other => bail!("{}: dialogue {}: unknown sender {other:?}", path.display(), s(&d["id"])),
            };
            let parts: Vec<String> = t["utterances"]
                .as_array()
                .map(|u| u.iter().map(|x| s(x).trim().to_string()).filter(|x| !x.is_empty()).collect())
                .unwrap_or_default();
            let mut votes: HashMap<String, usize> = HashMap::new();
            for a in annotations {
                if let Some(n) = a["nugget"].get(i).and_then(Value::as_str) {
                    *votes.entry(n.to_string()).or_default() += 1;
                }
            }
            let nugget = votes.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|(n, _)| n);
            let acts = nugget.map(|n| vec![Act::new(&n, "", "", "")]).unwrap_or_default();
            turns.push(SimTurn { speaker, text: parts.join("\n"), acts, valence: None });
        }
        out.push((SimDialogue { id: s(&d["id"]), intent: None, goal: None, turns }, String::new()));
    }
    Ok(out)
}

// ---------- evaluating ----------

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
    turns: usize,
    intent_hits: usize,
}

impl Counts {
    fn add(&mut self, predicted: &[Act], gold: &[Act]) {
        let tp = predicted.iter().filter(|a| gold.contains(a)).count();
        self.tp += tp;
        self.fp += predicted.len() - tp;
        self.fn_ += gold.iter().filter(|a| !predicted.contains(a)).count();
        self.turns += 1;
        self.intent_hits += usize::from(turn_intent(predicted) == turn_intent(gold));
    }
    fn merge(&mut self, o: &Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
        self.turns += o.turns;
        self.intent_hits += o.intent_hits;
    }
    fn json(&self) -> Value {
        let p = self.tp as f64 / (self.tp + self.fp).max(1) as f64;
        let r = self.tp as f64 / (self.tp + self.fn_).max(1) as f64;
        let f1 = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        json!({
            "turns": self.turns,
            "act_precision": round(100.0 * p),
            "act_recall": round(100.0 * r),
            "act_f1": round(100.0 * f1),
            "intent_accuracy": round(100.0 * self.intent_hits as f64 / self.turns.max(1) as f64),
        })
    }
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Counts per (setting, dialogue kind).
#[derive(Default)]
struct Tally {
    by: HashMap<(String, String), Counts>,
    shown: Vec<Value>,
}

impl Tally {
    fn add(&mut self, setting: &str, kind: &str, predicted: &[Act], gold: &[Act]) {
        for k in [kind, "all"] {
            if k.is_empty() {
                continue;
            }
            self.by.entry((setting.to_string(), k.to_string())).or_default().add(predicted, gold);
        }
    }
}

fn acts_text(acts: &[Act]) -> String {
    acts.iter()
        .map(|a| {
            [a.intent.as_str(), a.domain.as_str(), a.slot.as_str(), a.value.as_str()]
                .iter()
                .filter(|x| !x.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs the held-out dialogues through a simulator built on `corpus`, in both settings, with the baseline.
fn evaluate(
    corpus: Vec<SimDialogue>,
    config: &Config,
    held_out: &[(SimDialogue, String)],
    args: &SimulateArgs,
    tally: &mut Tally,
    label: &str,
) -> anyhow::Result<()> {
    let simulator = Simulator::new(Corpus::new(corpus), config.clone()).context("cannot build the simulator")?;
    // baseline pools: non-opening customer turns of each intent
    let mut pools: HashMap<Option<String>, Vec<(usize, usize)>> = HashMap::new();
    for (d, dialogue) in simulator.corpus().dialogues().iter().enumerate() {
        let first_agent = dialogue.turns.iter().position(|t| t.speaker != Speaker::Customer).unwrap_or(usize::MAX);
        for (t, turn) in dialogue.turns.iter().enumerate() {
            if turn.speaker == Speaker::Customer && t > first_agent {
                pools.entry(dialogue.intent.clone()).or_default().push((d, t));
                if dialogue.intent.is_some() {
                    pools.entry(None).or_default().push((d, t));
                }
            }
        }
    }
    let mut rng = Rng::new(args.seed);
    let started = Instant::now();
    let n = args.limit.map_or(held_out.len(), |l| l.min(held_out.len()));
    for (i, (case, kind)) in held_out.iter().take(n).enumerate() {
        if i % 100 == 0 && i > 0 {
            eprintln!("{label}: {i}/{n} dialogues ({:.0} s)", started.elapsed().as_secs_f64());
        }
        let mut gold_session = simulator.session(case);
        let mut text_session = simulator.session(case);
        let show = tally.shown.len() < args.show && i % 7 == 3;
        let mut lines = Vec::new();
        if show {
            for t in gold_session.opening() {
                lines.push(json!({"customer (opening)": t.text}));
            }
        }
        let start = gold_session.opening().len();
        let mut pending: Option<(String, Vec<Act>)> = None;
        for turn in &case.turns[start..] {
            if turn.speaker != Speaker::Customer {
                let (text, acts) = pending.get_or_insert_with(Default::default);
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(&turn.text);
                acts.extend(turn.acts.iter().cloned());
                continue;
            }
            let (text, acts) = pending.take().unwrap_or_default();
            let with_acts = TraineeTurn { text: text.clone(), acts: Some(acts), empathy: false, answered: true };
            let text_only = TraineeTurn { text, acts: None, empathy: false, answered: true };
            let a = gold_session.clone().reply(&with_acts);
            let b = text_session.clone().reply(&text_only);
            let a_acts = a.as_ref().map(|r| r.acts.clone()).unwrap_or_default();
            let b_acts = b.as_ref().map(|r| r.acts.clone()).unwrap_or_default();
            tally.add("a: agent acts given", kind, &a_acts, &turn.acts);
            tally.add("b: agent text only", kind, &b_acts, &turn.acts);
            let pool = pools.get(&case.intent).filter(|p| !p.is_empty()).or_else(|| pools.get(&None));
            let baseline = pool
                .and_then(|p| p.get((rng.next_u64() % p.len().max(1) as u64) as usize))
                .and_then(|&(d, t)| simulator.corpus().dialogues().get(d).and_then(|x| x.turns.get(t)));
            let base_acts = baseline.map(|t| t.acts.clone()).unwrap_or_default();
            tally.add("baseline: random turn of the same intent", kind, &base_acts, &turn.acts);
            if show {
                lines.push(json!({"agent": with_acts.text}));
                if let Some(r) = &a {
                    lines.push(json!({
                        "simulated (a)": r.text, "acts": acts_text(&r.acts),
                        "mood": format!("{:?} {:.2}", r.mood.level, r.mood.anger),
                        "from": format!("{}#{}", r.source.0, r.source.1),
                    }));
                }
                if let Some(r) = &b {
                    lines.push(json!({"simulated (b)": r.text, "acts": acts_text(&r.acts)}));
                }
                lines.push(json!({"real": turn.text, "acts": acts_text(&turn.acts)}));
            }
            gold_session.replay(&with_acts, turn);
            text_session.replay(&text_only, turn);
        }
        if show {
            tally.shown.push(json!({"data": label, "dialogue": case.id, "kind": kind, "turns": lines}));
        }
    }
    Ok(())
}

fn report(name: &str, data: &str, tally: &Tally, references: Value) -> Value {
    let mut rows: Vec<(&(String, String), &Counts)> = tally.by.iter().collect();
    rows.sort_by(|a, b| a.0.cmp(b.0));
    let results: Vec<Value> = rows
        .iter()
        .map(|((setting, kind), c)| {
            let mut v = c.json();
            v["setting"] = json!(setting);
            v["dialogues"] = json!(kind);
            v
        })
        .collect();
    json!({"data_set": name, "data": data, "results": results, "references": references, "sessions": tally.shown})
}

fn run(args: &SimulateArgs) -> anyhow::Result<Vec<Value>> {
    if args.crosswoz.is_none() && args.multiwoz.is_none() && args.stc3.is_none() {
        bail!("name a data set: --crosswoz DIR, --multiwoz DIR or --stc3 DIR");
    }
    let mut reports = Vec::new();
    let splits = |dir: &Path| {
        let test = if args.on_val { "val.json.zip" } else { "test.json.zip" };
        (dir.join("val.json.zip"), dir.join(test))
    };
    if let Some(dir) = &args.crosswoz {
        let (val, test) = splits(dir);
        let corpus = crosswoz(&val)?;
        let held_out = crosswoz(&test)?;
        eprintln!("crosswoz: {} corpus dialogues, {} held out", corpus.len(), held_out.len());
        let mut tally = Tally::default();
        let corpus = corpus.into_iter().map(|(d, _)| d).collect();
        evaluate(corpus, &Config::default(), &held_out, args, &mut tally, "crosswoz")?;
        let references = json!([
            {"what": "CrossWOZ rule-based goal-driven user simulator, dialogue-act F1 vs the real next user turn, test (Zhu et al., TACL 2020): all / single-domain / cross-domain", "act_f1": [78.4, 86.0, 75.3]},
            {"what": "user-satisfaction data (Sun et al., SIGIR 2021), next user action F1", "range": "0.19-0.40"}
        ]);
        let split = if args.on_val { "val (leave one dialogue out)" } else { "val -> test" };
        reports.push(report("crosswoz", &format!("{} {split}", dir.display()), &tally, references));
    }
    if let Some(dir) = &args.multiwoz {
        let (val, test) = splits(dir);
        let corpus = multiwoz(&val)?;
        let held_out = multiwoz(&test)?;
        eprintln!("multiwoz: {} corpus dialogues, {} held out", corpus.len(), held_out.len());
        let mut tally = Tally::default();
        let config = Config { name_slot: "name".into(), ..Config::default() };
        evaluate(corpus.into_iter().map(|(d, _)| d).collect(), &config, &held_out, args, &mut tally, "multiwoz")?;
        let references = json!([
            {"what": "CrossWOZ rule-based user simulator, act F1 (Chinese; no published figure on this MultiWOZ split)", "act_f1": 78.4},
            {"what": "user-satisfaction data (Sun et al., SIGIR 2021), next user action F1", "range": "0.19-0.40"}
        ]);
        let split = if args.on_val { "val (leave one dialogue out)" } else { "val -> test" };
        reports.push(report("multiwoz", &format!("{} {split}", dir.display()), &tally, references));
    }
    if let Some(dir) = &args.stc3 {
        for language in ["cn", "en"] {
            let all = stc3(dir, language)?;
            let folds = 5;
            let mut order: Vec<usize> = (0..all.len()).collect();
            Rng::new(args.seed).shuffle(&mut order);
            let mut fold_of = vec![0; all.len()];
            for (rank, &i) in order.iter().enumerate() {
                fold_of[i] = rank % folds;
            }
            let mut tally = Tally::default();
            for fold in 0..folds {
                let corpus: Vec<SimDialogue> =
                    all.iter().enumerate().filter(|(i, _)| fold_of[*i] != fold).map(|(_, d)| d.0.clone()).collect();
                let held_out: Vec<(SimDialogue, String)> =
                    all.iter().enumerate().filter(|(i, _)| fold_of[*i] == fold).map(|(_, d)| d.clone()).collect();
                eprintln!("stc3 {language}: fold {}/{folds}: {} corpus, {} held out", fold + 1, corpus.len(), held_out.len());
                let mut part = Tally { by: HashMap::new(), shown: std::mem::take(&mut tally.shown) };
                evaluate(corpus, &Config::default(), &held_out, args, &mut part, &format!("stc3-{language}"))?;
                for (k, c) in part.by {
                    tally.by.entry(k).or_default().merge(&c);
                }
                tally.shown = part.shown;
            }
            let references = json!([
                {"what": "user-satisfaction data (Sun et al., SIGIR 2021), next user action F1", "range": "0.19-0.40"}
            ]);
            reports.push(report(
                &format!("stc3-{language}"),
                &format!("{} 5-fold CV on train", dir.display()),
                &tally,
                references,
            ));
        }
    }
    Ok(reports)
}

pub fn simulate(args: &SimulateArgs) -> anyhow::Result<()> {
    let reports = run(args)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&reports)?);
        return Ok(());
    }
    for r in &reports {
        println!("{} ({})", r["data_set"].as_str().unwrap_or(""), r["data"].as_str().unwrap_or(""));
        println!("| setting | dialogues | turns | act P | act R | act F1 | intent acc |");
        println!("|---|---|---|---|---|---|---|");
        for row in r["results"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            println!(
                "| {} | {} | {} | {} | {} | {} | {} |",
                s(&row["setting"]),
                s(&row["dialogues"]),
                row["turns"],
                row["act_precision"],
                row["act_recall"],
                row["act_f1"],
                row["intent_accuracy"]
            );
        }
        for reference in r["references"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            println!("reference: {reference}");
        }
        for session in r["sessions"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            println!("\nsession {} ({} {})", s(&session["dialogue"]), s(&session["data"]), s(&session["kind"]));
            for line in session["turns"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
                let Some(o) = line.as_object() else { continue };
                let mut parts = Vec::new();
                for (k, v) in o {
                    parts.push(format!("{k}: {}", s(v)));
                }
                println!("  {}", parts.join(" | "));
            }
        }
        println!();
    }
    Ok(())
}
