//! `cargo xtask bench qa [--conversations N] [--postgres URL] [--meaning-sample N] [--bin PATH] [--json]`: the speed of
//! quality inspection. Builds the release `seatmate` (or takes `--bin`) and runs `seatmate eval
//! inspect-speed` (its module doc has the protocol): the engine alone (1 and 2 threads, and with
//! meaning rules on a sample when the model file is there) and the service end to end on a fresh
//! SQLite store in a temporary folder; with `--postgres`, the service again on a fresh schema of
//! that database (its size measured before the schema is dropped). Prints a Markdown table, or
//! with `--json` the reports as JSON lines.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context as _};
use serde_json::Value;

/// psql says only warnings and errors (no notice for each table a drop cascades to).
const QUIET: &str = "--client-min-messages=warning";

/// A schema made for one run, dropped after it.
struct Schema {
    base: String,
    name: String,
}

impl Schema {
    fn create(base: &str) -> anyhow::Result<Schema> {
        let name = format!("bench_qa_{}", std::process::id());
        crate::run(Command::new("psql").env("PGOPTIONS", QUIET).args([
            base,
            "-qc",
            &format!("DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"),
        ]))?;
        Ok(Schema { base: base.to_string(), name })
    }

    fn url(&self) -> String {
        let sep = if self.base.contains('?') { '&' } else { '?' };
        format!("{}{sep}options=-c%20search_path%3D{}", self.base, self.name)
    }

    /// Bytes of the schema's tables with their indexes and TOAST.
    fn bytes(&self) -> Option<f64> {
        let sql = format!(
            "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '{}' AND c.relkind = 'r'",
            self.name
        );
        let out = Command::new("psql").env("PGOPTIONS", QUIET).args([&self.base, "-tAc", &sql]).output().ok()?;
        String::from_utf8_lossy(&out.stdout).trim().parse().ok()
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let _ = Command::new("psql")
            .env("PGOPTIONS", QUIET)
            .args([&self.base, "-qc", &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name)])
            .status();
    }
}

pub fn bench_qa(root: &Path, rest: &[&str]) -> anyhow::Result<()> {
    let mut conversations = 100_000usize;
    let mut postgres: Option<String> = None;
    let mut bin: Option<PathBuf> = None;
    let mut meaning_sample: Option<String> = None;
    let mut json = false;
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        match *arg {
            "--conversations" => conversations = it.next().context("--conversations needs a number")?.parse()?,
            "--postgres" => postgres = Some(it.next().context("--postgres needs a URL")?.to_string()),
            "--meaning-sample" => meaning_sample = Some(it.next().context("--meaning-sample needs a number")?.to_string()),
            "--bin" => bin = Some(PathBuf::from(it.next().context("--bin needs a path")?)),
            "--json" => json = true,
            other => bail!("unknown argument {other:?}"),
        }
    }
    let started = Instant::now();
    let bin = match bin {
        Some(bin) => bin,
        None => {
            crate::run(
                Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
                    .args(["build", "--release", "-p", "seatmate-cli"])
                    .current_dir(root),
            )?;
            let target = std::env::var("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|_| root.join("target"));
            target.join("release/seatmate")
        }
    };
    let n = conversations.to_string();
    // `global` goes before the subcommand (`--database`), `extra` after it
    let speed = |global: &[&str], extra: &[&str]| -> anyhow::Result<Value> {
        let mut command = Command::new(&bin);
        command.args(["--log-level", "warn"]).args(global).args(["eval", "inspect-speed", "--conversations", &n, "--json"]);
        if let Some(sample) = &meaning_sample {
            command.args(["--meaning-sample", sample]);
        }
        crate::last_json(&crate::output(command.args(extra).current_dir(root))?)
    };
    eprintln!("== the engine, and the service on sqlite");
    let mut reports = vec![speed(&[], &[])?];
    eprintln!("{}", reports[0]);
    if let Some(base) = &postgres {
        eprintln!("== the service on postgres");
        let run = Schema::create(base).and_then(|schema| {
            let mut report = speed(&["--database", &schema.url()], &["--no-engine"])?;
            if let Some(bytes) = schema.bytes() {
                report["store"]["bytes"] = bytes.into();
            }
            Ok(report)
        });
        match run {
            Ok(report) => reports.push(report),
            // the sqlite figures are still worth printing
            Err(error) => eprintln!("bench qa: postgres failed: {error:#}"),
        }
    }
    let command = format!("cargo xtask bench qa {}", rest.join(" ")).trim_end().to_string();
    if json {
        for report in &reports {
            println!("{report}");
        }
    } else {
        println!("{}", render(&reports, &command));
    }
    eprintln!("bench qa: {:.0} s in all", started.elapsed().as_secs_f64());
    Ok(())
}

fn num(v: &Value, digits: usize) -> String {
    v.as_f64().map_or("–".into(), |x| format!("{x:.digits$}"))
}

fn mb(v: &Value) -> String {
    v.as_f64().map_or("–".into(), |b| format!("{:.0} MB", b / (1024.0 * 1024.0)))
}

fn render(reports: &[Value], command: &str) -> String {
    let loads: Vec<String> = reports.iter().filter_map(|r| r["load_average"].as_f64()).map(|l| format!("{l:.2}")).collect();
    let mut out = format!(
        "Machine: {}; load average at the start of each run: {}. Date: {}. Command: `{command}`.\n\n",
        crate::machine(),
        loads.join(", "),
        crate::date()
    );
    if let Some(engine) = reports.iter().find_map(|r| r.get("engine")) {
        out += &format!(
            "Engine (synthetic conversations, {} turns on average, each inspected by both starter scorecards):\n\n",
            num(&engine["turns_per_conversation"], 1)
        );
        out += "| rules | threads | conversations | wall s | conversations/s | inspections/s |\n|---|---|---|---|---|---|\n";
        let meaning = &engine["meaning"];
        let rows = engine["rows"].as_array().cloned().unwrap_or_default();
        for row in rows.iter().chain(std::iter::once(meaning).filter(|m| m.get("skipped").is_none())) {
            out += &format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                row["rules"].as_str().unwrap_or("?"),
                row["threads"],
                row["conversations"],
                num(&row["seconds"], 2),
                num(&row["conversations_per_s"], 0),
                num(&row["inspections_per_s"], 0),
            );
        }
        out += "\n";
        match meaning.get("skipped") {
            Some(why) => out += &format!("- meaning rules: skipped ({})\n", why.as_str().unwrap_or("?")),
            None => {
                let share = meaning["encode_seconds"].as_f64().unwrap_or(0.0) / meaning["seconds"].as_f64().unwrap_or(1.0);
                out += &format!(
                    "- meaning rules: every turn encoded (e5, {} kernel): {:.0}% of the time, {} ms per turn; the meaning item passed in {} of the {} conversations it judged\n",
                    meaning["kernel"].as_str().unwrap_or("?"),
                    share * 100.0,
                    num(&meaning["ms_per_turn_encoded"], 1),
                    meaning["meaning_item_passed"],
                    meaning["meaning_item_judged"],
                );
            }
        }
        out += "\n";
    }
    out += "Service and store (import, first inspection of the history by both starter scorecards, re-inspection after a new version of one):\n\n";
    out +=
        "| store | conversations | import s (conv/s) | first inspection s | conv/s | re-inspection s | conv/s | size on disk |\n";
    out += "|---|---|---|---|---|---|---|---|\n";
    for report in reports {
        let Some(store) = report.get("store") else { continue };
        let (first, second) = (&store["first_inspection"], &store["reinspection"]);
        out += &format!(
            "| {} | {} | {} ({}) | {} | {} | {} | {} | {} |\n",
            store["backend"].as_str().unwrap_or("?"),
            store["conversations"],
            num(&store["import_seconds"], 1),
            num(&store["import_conversations_per_s"], 0),
            num(&first["seconds"], 1),
            num(&first["conversations_per_s"], 0),
            num(&second["seconds"], 1),
            num(&second["conversations_per_s"], 0),
            mb(&store["bytes"]),
        );
    }
    out
}
