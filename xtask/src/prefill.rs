//! `cargo xtask bench prefill [--bin PATH] [--concurrency N] [--requests N]`: ticket pre-fill under
//! concurrent load. Starts a demo server on loopback (the release build of this checkout, or the
//! binary `--bin` names, e.g. an older build for a before/after figure), runs
//! bench/load_prefill.py against it, prints its JSON line and stops the server.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn bench_prefill(root: &Path, rest: &[&str]) -> anyhow::Result<()> {
    let mut bin: Option<PathBuf> = None;
    let mut load_args: Vec<String> = Vec::new();
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        match *arg {
            "--bin" => bin = Some(PathBuf::from(it.next().context("--bin needs a path")?)),
            "--concurrency" | "--requests" => {
                load_args.push(arg.to_string());
                load_args.push(it.next().context("a number")?.to_string());
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
    let data = std::env::temp_dir().join(format!("seatmate-bench-prefill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let port = 20_000 + std::process::id() % 20_000;
    let listen = format!("127.0.0.1:{port}");
    let child = Command::new(&bin)
        .args(["demo", "--data-dir"])
        .arg(&data)
        .args(["--listen", &listen, "--metrics-listen", "127.0.0.1:0"])
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
    let out = super::output(
        Command::new("python3")
            .arg(root.join("bench/load_prefill.py"))
            .args(["--url", &format!("http://{listen}")])
            .args(&load_args),
    )?;
    println!("{}", out.trim());
    let _ = std::fs::remove_dir_all(&data);
    Ok(())
}
