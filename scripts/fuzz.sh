#!/usr/bin/env bash
# Fuzz seamline's SQL extractor, facts extractor and config/tsconfig/package.json readers with cargo-fuzz
# (libFuzzer + AddressSanitizer). A development script, not part of the test suite.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (default 1800 s each; targets: sql facts config)
# Needs cargo-fuzz (`cargo install cargo-fuzz`). The sanitizer flags are nightly-only; on a stable toolchain
# RUSTC_BOOTSTRAP=1 lets them through. Crashing inputs land in fuzz/artifacts/TARGET/; keep each one as a
# regression test (tests/robustness.rs or a unit test) once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-1800}"
shift || true
TARGETS=("$@")
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=(sql facts config)
export RUSTC_BOOTSTRAP=1
cargo fuzz build --fuzz-dir fuzz "${TARGETS[@]/#/}" 2>/dev/null || cargo fuzz build --fuzz-dir fuzz
for target in "${TARGETS[@]}"; do
  mkdir -p "fuzz/corpus/$target"
  echo "fuzzing $target for $SECONDS_EACH s"
  cargo fuzz run --fuzz-dir fuzz "$target" "fuzz/corpus/$target" -- -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=30 \
    2>&1 | tail -5
done
