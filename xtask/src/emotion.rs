//! `cargo xtask bench emotion [--data DIR] [--quick]`: `seatmate eval emotion` writes its prepared
//! splits (GoEmotions 28 / Ekman / sentiment, SMP2020-EWECT virus / usual) to
//! `target/bench-emotion`, the peers (bench/peers_emotion.py: scikit-learn TF-IDF + logistic
//! regression, fastText) train and score those very splits, then `seatmate eval emotion --peers`
//! trains Seatmate's model and judges everyone with the same metric code; the table goes into
//! BENCHMARKS.md between the emotion markers. `--quick`: Ekman and virus only, 4,000 training
//! texts each, words only (no sentence encoder).

use std::path::Path;
use std::process::Command;

use anyhow::Context as _;
use serde_json::Value;

const BEGIN: &str = "<!-- emotion:begin -->";
const END: &str = "<!-- emotion:end -->";
const HEADING: &str = "## Emotion";

pub fn bench_emotion(root: &Path, rest: &[&str]) -> anyhow::Result<()> {
    let (data, quick) = crate::bench_args(root, rest)?;
    let command = format!("cargo xtask bench emotion {}", rest.join(" ")).trim_end().to_string();
    let python = crate::prepare(root)?;
    let seatmate = root.join("target/release/seatmate");
    let splits = root.join("target/bench-emotion");
    if splits.exists() {
        std::fs::remove_dir_all(&splits).with_context(|| format!("cannot clear {}", splits.display()))?;
    }
    let mut args: Vec<String> = vec![
        "eval".into(),
        "emotion".into(),
        "--goemotions".into(),
        data.join("goemotions").display().to_string(),
        "--smp2020".into(),
        data.join("smp2020-ewect").display().to_string(),
    ];
    if quick {
        // words only: a first run of the encoder over these sets takes tens of minutes on 2 cores
        args.extend(
            ["--max-train", "4000", "--set", "goemotions-ekman", "--set", "smp2020-virus", "--lexical"].map(String::from),
        );
    }
    crate::run(Command::new(&seatmate).args(&args).arg("--write-splits").arg(&splits).current_dir(root))?;
    crate::run(Command::new(&python).arg("bench/peers_emotion.py").arg("--splits").arg(&splits).current_dir(root))?;
    let out = crate::output(Command::new(&seatmate).args(&args).arg("--peers").arg(&splits).arg("--json").current_dir(root))?;
    let report = crate::last_json(&out)?;
    let table = render(&report, &crate::machine(), &command);
    println!("{table}");
    let path = root.join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).unwrap_or_else(|_| "# Benchmarks\n".into());
    std::fs::write(&path, splice(&old, &table)).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

fn render(report: &Value, machine: &str, command: &str) -> String {
    let mut out = format!("Machine: {machine}. Date: {}. Command: `{command}`.\n\n", crate::date());
    out += "| set | engine | macro-F1 | accuracy | train s | ms per text (after encoding) |\n|---|---|---|---|---|---|\n";
    let empty = Vec::new();
    let results = by_set(report["results"].as_array().unwrap_or(&empty));
    for r in &results {
        out += &format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            r["set"].as_str().unwrap_or("?"),
            r["engine"].as_str().unwrap_or("?"),
            crate::pct(r.get("macro_f1")),
            crate::pct(r.get("accuracy")),
            crate::num(r.get("train_s"), 1),
            crate::num(r.get("ms_per_text"), 3),
        );
    }
    out += "\n";
    out += &format!("- metric: {}\n", report["metric"].as_str().unwrap_or(""));
    for r in &results {
        if let Some(protocol) = r["protocol"].as_str() {
            out += &format!("- {}: {protocol}; chosen: {}\n", r["set"].as_str().unwrap_or("?"), r["setting"]);
        } else if let Some(setting) = r["setting"].as_str() {
            out += &format!("- {} {}: {setting}\n", r["set"].as_str().unwrap_or("?"), r["engine"].as_str().unwrap_or("?"));
        }
    }
    if let Some(e) = report.get("encoder").filter(|e| !e.is_null()) {
        out += &format!(
            "- encoder: {} ({} kernel), {} texts, {} embedded in this run\n",
            e["model"].as_str().unwrap_or(""),
            e["kernel"].as_str().unwrap_or(""),
            e["texts"],
            e["embedded_now"]
        );
    }
    out
}

/// The rows grouped by set (in the order the sets first appear), Seatmate then its peers.
fn by_set(rows: &[Value]) -> Vec<&Value> {
    let mut sets: Vec<&str> = Vec::new();
    for r in rows {
        let set = r["set"].as_str().unwrap_or("?");
        if !sets.contains(&set) {
            sets.push(set);
        }
    }
    sets.iter().flat_map(|set| rows.iter().filter(move |r| r["set"].as_str().unwrap_or("?") == *set)).collect()
}

/// BENCHMARKS.md's text with the emotion block replaced, or the section added at the end.
fn splice(old: &str, table: &str) -> String {
    let block = format!("{BEGIN}\n{table}{END}");
    match (old.find(BEGIN), old.find(END)) {
        (Some(b), Some(e)) if b < e => format!("{}{block}{}", &old[..b], &old[e + END.len()..]),
        _ => {
            let lead = if old.ends_with("\n\n") || old.is_empty() {
                ""
            } else if old.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            format!("{old}{lead}{HEADING}\n\nMeasured by `cargo xtask bench emotion`; data from `../shared/data`.\n\n{block}\n")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_is_replaced_or_added() {
        let added = splice("# B\n\n## Other\n\nX\n", "T\n");
        assert!(added.starts_with("# B\n\n## Other\n\nX\n\n## Emotion\n"), "{added}");
        assert!(added.contains(&format!("{BEGIN}\nT\n{END}")));
        let replaced = splice(&added, "U\n");
        assert!(replaced.contains(&format!("{BEGIN}\nU\n{END}")) && !replaced.contains("\nT\n"));
        assert_eq!(replaced.matches(HEADING).count(), 1);
    }
}
