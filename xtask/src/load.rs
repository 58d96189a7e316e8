//! `cargo xtask bench prefill|writes|stall|restart|import|live [--bin PATH] [--postgres URL] [script options]`: load
//! against a demo server on loopback — the release build of this checkout, or the binary `--bin`
//! names (an older build, for a before/after figure) — on SQLite, or with `--postgres` in a fresh
//! schema of that database. Runs bench/load_<name>.py, prints its JSON lines, stops the server
//! (`restart` runs bench/restart.py, which kills and restarts the server itself; `import` runs
//! bench/import_memory.py, which imports files of growing size and reports peak memory).
//! Options it does not know (`--concurrency`, `--requests`, `--seconds`, `--json`, …) go to the
//! script, with their value when one follows (a flag such as `--json` has none).
//! `live` first trains the emotion model into the fresh store when GoEmotions and SMP2020-EWECT are
//! in ../shared/data (so the pipeline runs it), and gives the script the server's pid and command
//! line: with `--kill-after S` the script kills the server and starts it again itself.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        // the process may be dead already (`live --kill-after` kills it, and the script stops the
        // server it restarted): then kill fails and wait reaps it, both harmless
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A schema made for one run, dropped after it.
struct Schema {
    base: String,
    name: String,
}

impl Schema {
    fn create(base: &str) -> anyhow::Result<Schema> {
        let name = format!("bench_{}", std::process::id());
        super::run(Command::new("psql").args([
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
}

impl Drop for Schema {
    fn drop(&mut self) {
        let _ = Command::new("psql").args([&self.base, "-qc", &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name)]).status();
    }
}

pub fn bench_load(root: &Path, script: &str, rest: &[&str]) -> anyhow::Result<()> {
    let mut bin: Option<PathBuf> = None;
    let mut postgres: Option<String> = None;
    let mut script_args: Vec<String> = Vec::new();
    let mut it = rest.iter().peekable();
    while let Some(arg) = it.next() {
        match *arg {
            "--bin" => bin = Some(PathBuf::from(it.next().context("--bin needs a path")?)),
            "--postgres" => postgres = Some(it.next().context("--postgres needs a URL")?.to_string()),
            other if other.starts_with("--") => {
                script_args.push(other.to_string());
                // its value, unless the next argument is another option (or there is none): `--json`
                if let Some(value) = it.next_if(|next| !next.starts_with("--")) {
                    script_args.push(value.to_string());
                }
            }
            other => bail!("unknown argument {other:?}"),
        }
    }
    let bin = match bin {
        Some(bin) => bin,
        None => {
            super::run(
                Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
                    .args(["build", "--release", "-p", "seatmate-cli"])
                    .current_dir(root),
            )?;
            let target = std::env::var("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|_| root.join("target"));
            target.join("release/seatmate")
        }
    };
    let schema = postgres.as_deref().map(Schema::create).transpose()?;
    let data = std::env::temp_dir().join(format!("seatmate-bench-{script}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let port = 20_000 + std::process::id() % 20_000;
    let listen = format!("127.0.0.1:{port}");
    let store = if schema.is_some() { "postgres" } else { "sqlite" };
    if script == "restart" || script == "import" {
        // these scripts run the binary themselves: restart starts, kills and restarts the server,
        // import runs one `seatmate import` per file
        let file = if script == "restart" { "restart.py" } else { "import_memory.py" };
        let mut command = Command::new("python3");
        command.arg(root.join("bench").join(file)).arg("--bin").arg(&bin).arg("--data-dir").arg(&data);
        if script == "restart" {
            command.args(["--port", &port.to_string()]);
        }
        command.args(&script_args);
        if let Some(schema) = &schema {
            command.args(["--database", &schema.url()]);
        }
        let out = super::output(&mut command)?;
        for line in out.trim().lines() {
            println!("{{\"store\":\"{store}\",{}", line.trim_start_matches('{'));
        }
        let _ = std::fs::remove_dir_all(&data);
        return Ok(());
    }
    let database: Vec<String> = schema.iter().flat_map(|s| ["--database".to_string(), s.url()]).collect();
    if script == "live" {
        train_emotion(root, &bin, &database, &data)?;
    }
    // the server's command line; `live` passes it to the script, which restarts the server with it
    let mut argv: Vec<String> = vec![bin.display().to_string()];
    argv.extend(database.iter().cloned());
    argv.extend(["demo".into(), "--data-dir".into(), data.display().to_string()]);
    argv.extend(["--listen".into(), listen.clone(), "--metrics-listen".into(), "127.0.0.1:0".into()]);
    let child = Command::new(&argv[0])
        .args(&argv[1..])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot start {}", bin.display()))?;
    let _server = Server(child);
    let started = Instant::now();
    while std::net::TcpStream::connect(&listen).is_err() {
        if started.elapsed() > Duration::from_secs(600) {
            bail!("the demo server did not start within 10 minutes");
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    eprintln!("load {script} on {store}: server answering after {:.1} s", started.elapsed().as_secs_f64());
    let mut command = match script {
        // the live load speaks WebSocket: the venv's python, with the `websockets` package
        "live" => Command::new(websocket_python(root)?),
        _ => Command::new("python3"),
    };
    command.arg(root.join(format!("bench/load_{script}.py"))).args(["--url", &format!("http://{listen}")]);
    if script == "live" {
        command.args(["--server-pid", &_server.0.id().to_string()]);
        command.args(["--server-argv", &serde_json::to_string(&argv)?]);
    }
    let out = super::output(command.args(&script_args))?;
    for line in out.trim().lines() {
        if line.starts_with('{') {
            println!("{{\"store\":\"{store}\",{}", line.trim_start_matches('{'));
        } else {
            println!("{line}"); // a table (`live` without --json)
        }
    }
    let _ = std::fs::remove_dir_all(&data);
    Ok(())
}

/// Trains the emotion model into the bench's fresh store (`seatmate train emotion --lexical`: words
/// only, quick to train) when ../shared/data has GoEmotions and SMP2020-EWECT, so the live pipeline
/// reads every customer turn and the desk gets `emotion` events; without them the bench runs
/// without the model.
fn train_emotion(root: &Path, bin: &Path, database: &[String], data: &Path) -> anyhow::Result<()> {
    let shared = root.join("../shared/data");
    let (goemotions, smp2020) = (shared.join("goemotions"), shared.join("smp2020-ewect"));
    if !goemotions.is_dir() || !smp2020.is_dir() {
        eprintln!(
            "load live: no {} or {}: the server runs without the emotion model (emotion_ms_p95 stays null)",
            goemotions.display(),
            smp2020.display()
        );
        return Ok(());
    }
    eprintln!("load live: training the emotion model (words only) so the live pipeline runs it");
    let started = Instant::now();
    let trained = super::run(
        Command::new(bin)
            .args(database)
            .arg("--data-dir")
            .arg(data)
            .args(["--log-level", "warn", "train", "emotion", "--goemotions"])
            .arg(&goemotions)
            .arg("--smp2020")
            .arg(&smp2020)
            .arg("--lexical")
            .stdout(Stdio::null()),
    );
    match trained {
        Ok(()) => eprintln!("load live: emotion model trained in {:.1} s", started.elapsed().as_secs_f64()),
        // an older --bin has no `train emotion`: measure it without the model
        Err(error) => eprintln!("load live: no emotion model ({error:#}); the server runs without it"),
    }
    Ok(())
}

/// The venv's python with `websockets` (pinned in bench/requirements.txt), for the live load.
fn websocket_python(root: &Path) -> anyhow::Result<PathBuf> {
    let python = root.join(".venv/bin/python");
    if !python.exists() {
        super::run(Command::new("python3").args(["-m", "venv", ".venv"]).current_dir(root))?;
    }
    let requirements = std::fs::read_to_string(root.join("bench/requirements.txt"))?;
    let pinned =
        requirements.lines().find(|l| l.starts_with("websockets==")).context("bench/requirements.txt pins no websockets")?;
    super::run(Command::new(&python).args(["-m", "pip", "install", "-q", pinned]).current_dir(root))?;
    Ok(python)
}
