//! The architecture's arrows, checked: each crate may depend only on the Seatmate crates listed
//! here, and the computation crates never on I/O, HTTP or SQL crates (ARCHITECTURE.md).

use std::path::Path;

/// (crate, Seatmate crates it may use, outside crates it must never use)
const RULES: &[(&str, &[&str], &[&str])] = &[
    ("seatmate-core", &[], &["sqlx", "axum", "tokio", "csv"]),
    ("seatmate-ingest", &["seatmate-core"], &["sqlx", "axum", "tokio"]),
    ("seatmate-text", &[], &["sqlx", "axum", "tokio", "csv"]),
    ("seatmate-redact", &["seatmate-core"], &["sqlx", "axum", "tokio", "csv"]),
    ("seatmate-classify", &["seatmate-text"], &["sqlx", "axum", "tokio", "csv"]),
    ("seatmate-signals", &["seatmate-core", "seatmate-text", "seatmate-classify"], &["sqlx", "axum", "tokio", "csv"]),
    ("seatmate-voice", &["seatmate-core", "seatmate-text"], &["sqlx", "axum", "tokio", "csv"]),
    ("seatmate-coach", &["seatmate-core", "seatmate-text", "seatmate-signals"], &["sqlx", "axum", "tokio", "csv"]),
    (
        "seatmate-quality",
        &["seatmate-core", "seatmate-text", "seatmate-classify", "seatmate-signals"],
        &["sqlx", "axum", "tokio", "csv"],
    ),
    ("seatmate-embed", &["seatmate-core"], &["sqlx", "axum", "tokio", "csv"]),
    ("seatmate-retrieve", &["seatmate-core", "seatmate-text", "seatmate-embed"], &["sqlx", "axum"]),
    ("seatmate-store", &["seatmate-core"], &["axum", "csv"]),
    (
        "seatmate-aftercall",
        &["seatmate-core", "seatmate-text", "seatmate-classify", "seatmate-store", "seatmate-redact"],
        &["axum", "csv"],
    ),
    (
        "seatmate-assist",
        &["seatmate-core", "seatmate-store", "seatmate-retrieve", "seatmate-embed", "seatmate-redact", "seatmate-text"],
        &["axum", "csv"],
    ),
    (
        "seatmate-live",
        &[
            "seatmate-core",
            "seatmate-store",
            "seatmate-ingest",
            "seatmate-redact",
            "seatmate-text",
            "seatmate-assist",
            "seatmate-aftercall",
            "seatmate-embed",
            "seatmate-signals",
        ],
        &["axum", "csv"],
    ),
    (
        "seatmate-inspect",
        &["seatmate-core", "seatmate-store", "seatmate-quality", "seatmate-signals", "seatmate-assist"],
        &["axum", "csv"],
    ),
    (
        "seatmate-learn",
        &[
            "seatmate-core",
            "seatmate-store",
            "seatmate-coach",
            "seatmate-inspect",
            "seatmate-assist",
            "seatmate-signals",
            "seatmate-quality",
            "seatmate-redact",
            "seatmate-voice",
        ],
        &["axum", "csv"],
    ),
    (
        "seatmate-server",
        &[
            "seatmate-core",
            "seatmate-store",
            "seatmate-aftercall",
            "seatmate-assist",
            "seatmate-live",
            "seatmate-ingest",
            "seatmate-retrieve",
            "seatmate-redact",
            "seatmate-inspect",
            "seatmate-quality",
            "seatmate-learn",
            "seatmate-text",
        ],
        &["csv"],
    ),
    (
        "seatmate-cli",
        &[
            "seatmate-core",
            "seatmate-ingest",
            "seatmate-store",
            "seatmate-server",
            "seatmate-classify",
            "seatmate-aftercall",
            "seatmate-retrieve",
            "seatmate-embed",
            "seatmate-assist",
            "seatmate-redact",
            "seatmate-live",
            "seatmate-signals",
            "seatmate-quality",
            "seatmate-inspect",
            "seatmate-learn",
            "seatmate-coach",
            "seatmate-voice",
        ],
        &[],
    ),
];

fn dependencies(manifest: &str) -> Vec<String> {
    let mut in_deps = false;
    let mut names = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
            continue;
        }
        if in_deps {
            if let Some(name) = line.split(['.', ' ', '=']).next().filter(|n| !n.is_empty() && !n.starts_with('#')) {
                names.push(name.to_string());
            }
        }
    }
    names
}

#[test]
fn crate_dependencies_follow_the_architecture() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(&crates).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let rule = RULES.iter().find(|(crate_name, _, _)| *crate_name == name);
        let Some((_, allowed, forbidden)) = rule else {
            panic!("crate {name} has no rule here: add one, and a paragraph to ARCHITECTURE.md");
        };
        for dep in dependencies(&manifest) {
            if dep.starts_with("seatmate-") {
                assert!(allowed.contains(&dep.as_str()), "{name} must not depend on {dep}");
            }
            assert!(!forbidden.contains(&dep.as_str()), "{name} must not depend on {dep}");
        }
        seen.push(name);
    }
    let architecture = std::fs::read_to_string(crates.join("../ARCHITECTURE.md")).unwrap();
    for name in seen {
        assert!(architecture.contains(&format!("`{name}`")), "ARCHITECTURE.md does not describe {name}");
    }
}
