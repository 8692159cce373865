#!/usr/bin/env bash
# The scale targets of issue 8, measured in one session on the same inputs:
#   parse-only   tree-sitter alone reading and parsing the files seamline reads (examples/parse_only.rs)
#   seamline     the full analysis, JSON + HTML written, no cache (runs alternate with parse-only's)
#   cached       the same analysis again on the unchanged tree, with a warm incremental cache
#   1-changed    the same with one source file changed before each run (a copy of the tree gets a new comment)
#   depcruise    dependency-cruiser building only its module graph (scripts/bench-depcruise.sh; --depcruise)
#
# Usage:
#   scripts/bench-compare.sh [--runs N] [--depcruise] [--no-build] DIR...
#
# Every measurement is one warm-up plus N measured runs (default 3), wall time from a nanosecond clock and peak
# RSS from `/usr/bin/time -f %M`. Prints a table with medians, min–max, peak RSS and the ratios the issue names:
# seamline / parse-only (target ≤ 2) and depcruise / seamline (target ≥ 20). 1 MB = 10^6 bytes.
# A monolith of 30,000 modules and about 3 million lines:
#   python3 scripts/gen-monolith.py /tmp/bench/m30k-3m --files 30000 --seed 1 --line-scale 0.6
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
RUNS="${RUNS:-3}"
DEPCRUISE=0
BUILD=1
TARGETS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --depcruise) DEPCRUISE=1; shift ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,/^set -euo pipefail/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "bench-compare.sh: unknown option $1" >&2; exit 2 ;;
    *) TARGETS+=("$(cd "$1" && pwd)"); shift ;;
  esac
done
[[ ${#TARGETS[@]} -gt 0 ]] || { echo "bench-compare.sh: no DIR given (see --help)" >&2; exit 2; }

if [[ "$BUILD" -eq 1 ]]; then
  (cd "$ROOT" && cargo build --release --bin seamline --example parse_only) >&2
fi
BIN="$TARGET_DIR/release/seamline"
PARSE_ONLY="$TARGET_DIR/release/examples/parse_only"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/seamline-compare.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

# Runs "$@" once; appends "seconds peak_kb" to the file named by $OUT.
run_once() {
  local start end
  start="$(date +%s%N)"
  /usr/bin/time -f '%M' -o "$TMP/time" "$@" >/dev/null 2>"$TMP/stderr" || {
    echo "bench-compare.sh: failed: $*" >&2; tail -5 "$TMP/stderr" >&2; exit 1; }
  end="$(date +%s%N)"
  echo "$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) / 1e9 }') $(tail -1 "$TMP/time")" >>"$OUT"
}

# Prints "median min max peak_mb" of the runs in file $1 (peak: median of the runs).
summarise() {
  local times mems
  times="$(cut -d' ' -f1 "$1" | sort -g | tr '\n' ' ')"
  mems="$(cut -d' ' -f2 "$1" | sort -g | tr '\n' ' ')"
  awk -v t="$times" -v m="$mems" 'BEGIN {
    n = split(t, ts, " "); split(m, ms, " ")
    med = (n % 2) ? ts[(n + 1) / 2] : (ts[n / 2] + ts[n / 2 + 1]) / 2
    mm = (n % 2) ? ms[(n + 1) / 2] : (ms[n / 2] + ms[n / 2 + 1]) / 2
    printf "%.3f %.3f %.3f %.0f\n", med, ts[1], ts[n], mm * 1024 / 1e6 }'
}

# Warm-up plus RUNS runs of "$@"; prints "median min max peak_mb".
measure() {
  OUT="$TMP/runs"; : >"$OUT"
  run_once "$@"; : >"$OUT"
  for ((i = 0; i < RUNS; i++)); do run_once "$@"; done
  summarise "$OUT"
}

# parse-only and seamline on DIR, alternating run by run so that the machine's drift (a shared VM's speed can
# change by 10 % within minutes) weighs on both sides of their ratio alike. Writes the runs to $TMP/p and $TMP/s.
measure_pair() {
  local dir="$1"
  : >"$TMP/p"; : >"$TMP/s"
  for ((i = 0; i <= RUNS; i++)); do
    # Run 0 is the warm-up of each.
    OUT="$TMP/p"; run_once "$PARSE_ONLY" "$dir"
    OUT="$TMP/s"; run_once "$BIN" analyze "$dir" --format json,html --output-dir "$TMP/out" --quiet --no-cache
    if [[ "$i" -eq 0 ]]; then : >"$TMP/p"; : >"$TMP/s"; fi
  done
}

echo "machine: $(nproc) cores, $(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "runs: 1 warm-up + $RUNS measured; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-14s %-11s %9s %9s %9s %9s\n' target tool median_s min_s max_s peak_MB
for dir in "${TARGETS[@]}"; do
  name="$(basename "$dir")"
  measure_pair "$dir"
  read -r p_med p_min p_max p_mb < <(summarise "$TMP/p")
  printf '%-14s %-11s %9s %9s %9s %9s\n' "$name" parse-only "$p_med" "$p_min" "$p_max" "$p_mb"
  read -r s_med s_min s_max s_mb < <(summarise "$TMP/s")
  printf '%-14s %-11s %9s %9s %9s %9s\n' "$name" seamline "$s_med" "$s_min" "$s_max" "$s_mb"
  rm -rf "$TMP/cache"
  "$BIN" analyze "$dir" --format json,html --output-dir "$TMP/out" --quiet --cache-dir "$TMP/cache"
  read -r c_med c_min c_max c_mb < <(measure "$BIN" analyze "$dir" --format json,html --output-dir "$TMP/out" --quiet --cache-dir "$TMP/cache")
  printf '%-14s %-11s %9s %9s %9s %9s\n' "$name" cached "$c_med" "$c_min" "$c_max" "$c_mb"
  # One changed file: a copy of the tree (the input is never written to), one file appended to before each run.
  rm -rf "$TMP/tree" && cp -r "$dir" "$TMP/tree"
  changed="$(cd "$TMP/tree" && find src -name '*.ts' | LC_ALL=C sort | awk 'NR == 1')"
  "$BIN" analyze "$TMP/tree" --format json,html --output-dir "$TMP/out" --quiet --cache-dir "$TMP/cache"
  read -r x_med x_min x_max x_mb < <(measure sh -c 'echo "// $(date +%s%N)" >>"$1/$2" && shift 2 && exec "$@"' sh \
    "$TMP/tree" "$changed" "$BIN" analyze "$TMP/tree" --format json,html --output-dir "$TMP/out" --quiet --cache-dir "$TMP/cache")
  printf '%-14s %-11s %9s %9s %9s %9s\n' "$name" 1-changed "$x_med" "$x_min" "$x_max" "$x_mb"
  rm -rf "$TMP/tree"
  paired="$(paste -d' ' "$TMP/p" "$TMP/s" | awk '{ print $3 / $1 }' | sort -g | awk '{ r[NR] = $1 }
    END { printf "%.2f", (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2 }')"
  echo "$name: seamline / parse-only = $(awk -v a="$s_med" -v b="$p_med" 'BEGIN { printf "%.2f", a / b }') (median of the paired runs' ratios: $paired)"
  if [[ "$DEPCRUISE" -eq 1 ]]; then
    "$ROOT/scripts/bench-depcruise.sh" --runs "$RUNS" --heap 16000 "$dir" >"$TMP/dc.out" 2>&1 || {
      echo "bench-compare.sh: depcruise failed on $dir" >&2; tail -5 "$TMP/dc.out" >&2; exit 1; }
    d_med="$(awk '/^median:/ { print $2; exit }' "$TMP/dc.out")"
    d_mb="$(awk '/^peak RSS:/ { print $3; exit }' "$TMP/dc.out")"
    printf '%-14s %-11s %9s %9s %9s %9s\n' "$name" depcruise "$d_med" - - "$d_mb"
    echo "$name: depcruise / seamline = $(awk -v a="$d_med" -v b="$s_med" 'BEGIN { printf "%.2f", a / b }')"
  fi
done
