#!/usr/bin/env bash
# Runs every cargo-fuzz target (fuzz/: each import parser and the text pipeline) for a bounded time,
# FUZZ_SECONDS each (default 30). A crash fails the run and leaves its input in fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --version 0.13.2
fi
# cargo-fuzz passes the sanitizer flags only nightly compilers take; the machine's one toolchain
# is stable, and this lets it accept them for this build alone
export RUSTC_BOOTSTRAP=1
cargo fuzz build -O
mkdir -p fuzz/artifacts
for target in $(cargo fuzz list); do
  log="fuzz/artifacts/$target.log"
  if ! cargo fuzz run -O "$target" -- -max_total_time="${FUZZ_SECONDS:-30}" -rss_limit_mb=2048 >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "fuzz target $target failed: the input that broke it is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
  echo "$target: $(grep -E '^Done' "$log")"
done
