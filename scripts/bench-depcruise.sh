#!/usr/bin/env bash
# Benchmark dependency-cruiser building only its module graph, for comparison
# with scripts/bench.sh (seamline).
#
# Usage:
#   scripts/bench-depcruise.sh [options] DIR...
#
# Options:
#   --runs N         measured runs per target (default 3; one extra warm-up run is not measured)
#   --warmup N       warm-up runs per target (default 1)
#   --heap MB        run node with NODE_OPTIONS=--max-old-space-size=MB (default: node's own limit)
#   --timeout S      give up on a target when one run takes longer than S seconds (default: none)
#   --no-precomp     leave out --ts-pre-compilation-deps (see below)
#   --analysis       plain --no-config: let depcruise derive cycles, dependents
#                    and orphans too (see below; fails on large cyclic graphs)
#   -h, --help       show this help
#
# Environment:
#   DEPCRUISE        depcruise binary (default /tmp/dc/node_modules/.bin/depcruise)
#   RUNS             default for --runs
#   DEPCRUISE_HEAP_MB  default for --heap
#
# Install dependency-cruiser with a TypeScript it supports (it silently ignores
# TypeScript 7.x, and then reads no .ts file at all; this script refuses that):
#   mkdir -p /tmp/dc && cd /tmp/dc && npm init -y && npm install dependency-cruiser 'typescript@<7'
#
# For each DIR, depcruise runs from inside DIR on its `src` folder and only
# builds its module graph:
#   depcruise --config GRAPH_ONLY.cjs --output-type json --output-to TMP.json --no-cache
#     --no-metrics --progress none --exclude '(^|/)node_modules/'
#     --do-not-follow '(^|/)node_modules/' [--ts-config tsconfig.json]
#     --ts-pre-compilation-deps src
# GRAPH_ONLY.cjs is a temp file holding only
# `module.exports = { options: { skipAnalysisNotInRules: true } };`: no rules,
# so no rule validation (as with --no-config), and no derived analysis either.
# --no-cache: every run is a cold graph build (the cache would make repeated runs near-free). JSON output
# is the cheapest complete dump of the graph; it goes to a temp file because the
# module count is read from it. --ts-config is passed when DIR/tsconfig.json
# exists, so `paths` aliases resolve. --ts-pre-compilation-deps makes depcruise
# read TypeScript with the TypeScript parser and keep imports used only as
# types, as seamline does; it is also faster than the default, which transpiles
# every .ts file to JavaScript first and parses that with acorn.
# With --no-config instead (--analysis), depcruise also derives cycles,
# dependents and orphans for every module and writes every cycle into each
# circular dependency of the JSON. skipAnalysisNotInRules is the only switch it
# has to turn that off. On the generated monoliths this grows much faster than
# the file count: 1,000 files, cycle derivation 2.4 s of 8.2 s and a JSON 5x
# larger; 10,000 files, the run took 883 s and then failed with "ERROR: Invalid
# string length" (the JSON exceeded V8's maximum string length). So the default
# is the pure graph build.
# dependency-cruiser is single-threaded (one node process).
#
# Each run is timed with a nanosecond wall clock around `/usr/bin/time -f
# '%e %M'`, which also gives the peak RSS (%M). 1 MB = 10^6 bytes throughout.
# "modules" is the length of depcruise's JSON `modules` array, counting only
# code files (.js .jsx .ts .tsx .mjs .cjs .mts .cts) that are not under
# node_modules and that it could resolve (npm packages that are not installed
# and Node built-ins are left out).
set -euo pipefail

SCRIPT_NAME="bench-depcruise.sh"
# shellcheck source=scripts/bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

DEPCRUISE="${DEPCRUISE:-/tmp/dc/node_modules/.bin/depcruise}"
RUNS="${RUNS:-3}"
WARMUP=1
HEAP_MB="${DEPCRUISE_HEAP_MB:-}"
TIMEOUT_S=""
PRECOMP=1
SKIP_ANALYSIS=1
TARGETS=()

while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) need_value "$@"; RUNS="$2"; shift 2 ;;
    --runs=*) RUNS="${1#*=}"; shift ;;
    --warmup) need_value "$@"; WARMUP="$2"; shift 2 ;;
    --warmup=*) WARMUP="${1#*=}"; shift ;;
    --heap) need_value "$@"; HEAP_MB="$2"; shift 2 ;;
    --heap=*) HEAP_MB="${1#*=}"; shift ;;
    --timeout) need_value "$@"; TIMEOUT_S="$2"; shift 2 ;;
    --timeout=*) TIMEOUT_S="${1#*=}"; shift ;;
    --no-precomp) PRECOMP=0; shift ;;
    --analysis) SKIP_ANALYSIS=0; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; TARGETS+=("$@"); break ;;
    -*) die "unknown option: $1 (see --help)" ;;
    *) TARGETS+=("$1"); shift ;;
  esac
done

is_uint "$RUNS" && [[ "$RUNS" -ge 1 ]] || die "--runs must be a positive integer, got '$RUNS'"
is_uint "$WARMUP" || die "--warmup must be a non-negative integer, got '$WARMUP'"
if [[ -n "$HEAP_MB" ]]; then
  is_uint "$HEAP_MB" && [[ "$HEAP_MB" -ge 64 ]] || die "--heap must be an integer >= 64 (MB), got '$HEAP_MB'"
fi
if [[ -n "$TIMEOUT_S" ]]; then
  is_uint "$TIMEOUT_S" && [[ "$TIMEOUT_S" -ge 1 ]] || die "--timeout must be a positive integer, got '$TIMEOUT_S'"
  command -v timeout >/dev/null 2>&1 || die "--timeout needs coreutils' timeout"
fi
[[ ${#TARGETS[@]} -gt 0 ]] || die "no DIR given (see --help)"
for t in "${TARGETS[@]}"; do
  [[ -d "$t/src" ]] || die "no src folder in: $t"
done

if [[ "$DEPCRUISE" != */* ]]; then
  resolved="$(command -v "$DEPCRUISE" || true)"
  [[ -n "$resolved" ]] || die "DEPCRUISE=$DEPCRUISE is not on PATH"
  DEPCRUISE="$resolved"
fi
[[ -x "$DEPCRUISE" ]] || die "depcruise not found or not executable: $DEPCRUISE (see --help for how to install it)"
command -v node >/dev/null 2>&1 || die "node is not on PATH"
command -v python3 >/dev/null 2>&1 || die "python3 is needed to count modules"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install -y time)"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/depcruise-bench.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
/usr/bin/time -f '%e %M' -o "$TMP/probe" true 2>/dev/null \
  || die "/usr/bin/time does not accept -f/-o (GNU time is required)"
printf 'module.exports = { options: { skipAnalysisNotInRules: true } };\n' >"$TMP/graph-only.cjs"

default_heap_mb="$(node -e 'console.log((require("v8").getHeapStatistics().heap_size_limit / 1e6).toFixed(0))' 2>/dev/null || echo unknown)"
if [[ -n "$HEAP_MB" ]]; then
  export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--max-old-space-size=$HEAP_MB"
fi

# --- the tool --------------------------------------------------------------------
dc_version="$("$DEPCRUISE" --version 2>/dev/null | head -n 1 || true)"
dc_info="$("$DEPCRUISE" --info 2>&1 || true)"
ts_line="$(printf '%s\n' "$dc_info" | awk '$2 == "typescript" { print; exit }')"
case "$ts_line" in
  *✔*) ts_found="$(printf '%s\n' "$ts_line" | awk '{ print $NF }')" ;;
  *) die "dependency-cruiser at $DEPCRUISE cannot read TypeScript (\`depcruise --info\`: ${ts_line:-no typescript line}); install 'typescript@<7' next to it" ;;
esac
heap_limit_mb="$(node -e 'console.log((require("v8").getHeapStatistics().heap_size_limit / 1e6).toFixed(0))' 2>/dev/null || echo unknown)"

# --- helpers -------------------------------------------------------------------

kb_to_mb() {
  awk -v k="$1" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }'
}

# Counts "MODULES DEPENDENCIES UNRESOLVED" in a depcruise JSON report: code
# modules outside node_modules that depcruise resolved, all their dependencies,
# and how many of those it could not resolve.
count_modules() {
  python3 - "$1" <<'PY'
import json, re, sys
report = json.load(open(sys.argv[1]))
code = (".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts")
nm = re.compile(r"(^|/)node_modules/")
mods = [m for m in report["modules"]
        if m["source"].endswith(code) and not nm.search(m["source"])
        and not m.get("couldNotResolve") and not m.get("coreModule")]
deps = sum(len(m.get("dependencies", [])) for m in mods)
unresolved = sum(1 for m in mods for d in m.get("dependencies", []) if d.get("couldNotResolve"))
print(len(mods), deps, unresolved)
PY
}

# Runs "$@" once under /usr/bin/time from the current directory. Sets RUN_WALL
# (s, ns clock), RUN_E (%e) and RUN_RSS_KB (%M). Returns the command's status
# (137 when --timeout killed it).
run_once() {
  local tf="$TMP/time.out" ef="$TMP/stderr.out" start end status=0
  local pre=()
  if [[ -n "$TIMEOUT_S" ]]; then pre=(timeout --signal=KILL "$TIMEOUT_S"); fi
  : >"$tf"
  start="$(date +%s%N)"
  /usr/bin/time -f '%e %M' -o "$tf" ${pre[@]+"${pre[@]}"} "$@" >"$TMP/stdout.out" 2>"$ef" || status=$?
  end="$(date +%s%N)"
  RUN_WALL="$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.6f", (e - s) / 1e9 }')"
  RUN_E="?"
  RUN_RSS_KB=0
  if [[ -s "$tf" ]]; then
    read -r RUN_E RUN_RSS_KB < <(tail -n 1 "$tf") || true
    [[ "$RUN_RSS_KB" =~ ^[0-9]+$ ]] || RUN_RSS_KB=0
  fi
  if [[ "$status" -ne 0 ]]; then
    local why=""
    if [[ -n "$TIMEOUT_S" && "$status" -eq 137 ]] \
      && awk -v w="$RUN_WALL" -v t="$TIMEOUT_S" 'BEGIN { exit !(w >= t) }'; then
      why=" (killed by --timeout $TIMEOUT_S s)"
    fi
    printf 'bench-depcruise.sh: command failed with status %s%s after %.1f s, peak RSS %s MB: %s\n' \
      "$status" "$why" "$RUN_WALL" "$(kb_to_mb "$RUN_RSS_KB")" "$(quote_cmd "$@")" >&2
    tail -n 20 "$ef" >&2 || true
    return "$status"
  fi
  if grep -qi 'error' "$ef"; then
    echo "bench-depcruise.sh: depcruise wrote errors to stderr:" >&2
    tail -n 20 "$ef" >&2 || true
  fi
  return 0
}

# --- machine facts ------------------------------------------------------------------
cpu_model="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
if [[ -z "$cpu_model" ]] && command -v lscpu >/dev/null 2>&1; then
  cpu_model="$(lscpu 2>/dev/null | awk -F': *' '/^Model name/ { print $2; exit }' || true)"
fi
mem_total="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576; exit }' /proc/meminfo 2>/dev/null || true)"

echo "== machine =="
echo "nproc:    $(nproc)"
echo "cpu:      ${cpu_model:-unknown}"
echo "memory:   ${mem_total:-unknown}"
echo "kernel:   $(uname -sr)"
echo "node:     $(node --version)"
echo "depcruise: $DEPCRUISE (dependency-cruiser ${dc_version:-unknown}, $ts_found)"
if [[ -n "$HEAP_MB" ]]; then
  echo "heap:     NODE_OPTIONS=$NODE_OPTIONS set for depcruise (V8 heap limit $heap_limit_mb MB; node default $default_heap_mb MB)"
else
  echo "heap:     node default (V8 heap limit $heap_limit_mb MB; NODE_OPTIONS=${NODE_OPTIONS:-<unset>})"
fi
echo "runs:     $RUNS measured + $WARMUP warm-up per target; no --cache (cold graph build every run)"
if [[ "$SKIP_ANALYSIS" -eq 1 ]]; then
  echo "mode:     graph only: config $TMP/graph-only.cjs = $(cat "$TMP/graph-only.cjs") (no rules; cycles/dependents/orphans not derived)"
else
  echo "mode:     --no-config (--analysis: no rules; depcruise still derives cycles, dependents and orphans)"
fi
echo "precomp:  $([[ "$PRECOMP" -eq 1 ]] && echo "--ts-pre-compilation-deps (TypeScript parser, type-only imports kept)" || echo "off (TypeScript transpiled to JS, parsed with acorn)")"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min)"
echo

# --- benchmark -------------------------------------------------------------------------
SUMMARY=()
FAILED=0
for dir in "${TARGETS[@]}"; do
  dir="$(cd "$dir" && pwd)"
  if [[ "$SKIP_ANALYSIS" -eq 1 ]]; then cfg=(--config "$TMP/graph-only.cjs"); else cfg=(--no-config); fi
  cmd=("$DEPCRUISE" "${cfg[@]}" --output-type json --output-to "$TMP/graph.json" --no-cache --no-metrics
    --progress none --exclude '(^|/)node_modules/' --do-not-follow '(^|/)node_modules/')
  if [[ -f "$dir/tsconfig.json" ]]; then cmd+=(--ts-config tsconfig.json); fi
  if [[ "$PRECOMP" -eq 1 ]]; then cmd+=(--ts-pre-compilation-deps); fi
  cmd+=(src)

  echo "== $(basename "$dir") =="
  echo "dir:      $dir"
  echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, before the first run)"
  echo "command:  (cd $(printf '%q' "$dir") && $([[ -n "$HEAP_MB" ]] && printf 'NODE_OPTIONS=%q ' "$NODE_OPTIONS")$(quote_cmd "${cmd[@]}"))"

  ok=1
  : >"$TMP/walls"
  : >"$TMP/rss"
  cd "$dir"
  for ((i = 1; i <= WARMUP; i++)); do
    if ! run_once "${cmd[@]}"; then ok=0; break; fi
    printf 'warm-up:  %.3f s (time: %s s), peak RSS %s MB\n' "$RUN_WALL" "$RUN_E" "$(kb_to_mb "$RUN_RSS_KB")"
  done
  for ((i = 1; ok && i <= RUNS; i++)); do
    if ! run_once "${cmd[@]}"; then ok=0; break; fi
    echo "$RUN_WALL" >>"$TMP/walls"
    echo "$RUN_RSS_KB" >>"$TMP/rss"
    printf 'run %d/%d:  %.3f s (time: %s s), peak RSS %s MB\n' "$i" "$RUNS" "$RUN_WALL" "$RUN_E" "$(kb_to_mb "$RUN_RSS_KB")"
  done
  cd - >/dev/null

  if [[ "$ok" -ne 1 ]]; then
    FAILED=1
    echo "result:   FAILED (see the error above)"
    echo
    SUMMARY+=("$(printf '%-20s %8s %10s %10s %10s %10s  %s' "$(basename "$dir")" - - - - - FAILED)")
    continue
  fi

  read -r n_mods n_deps n_unres < <(count_modules "$TMP/graph.json")
  med_wall="$(median <"$TMP/walls")"
  read -r min_wall max_wall < <(minmax <"$TMP/walls")
  med_rss_mb="$(awk -v k="$(median <"$TMP/rss")" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }')"
  mods_s="$(awk -v n="$n_mods" -v t="$med_wall" 'BEGIN { if (t > 0) printf "%.0f", n / t; else print "inf" }')"

  echo "modules:  $n_mods (dependencies: $n_deps, of which unresolved: $n_unres)"
  printf 'median:   %.3f s (min %.3f, max %.3f)\n' "$med_wall" "$min_wall" "$max_wall"
  echo "peak RSS: $med_rss_mb MB (median)"
  echo "speed:    $mods_s modules/s"
  echo
  SUMMARY+=("$(printf '%-20s %8s %10.3f %10.3f %10.3f %10s  %s' \
    "$(basename "$dir")" "$n_mods" "$med_wall" "$min_wall" "$max_wall" "$med_rss_mb" "$mods_s")")
done

echo "== summary (dependency-cruiser ${dc_version:-?}, $ts_found$([[ "$SKIP_ANALYSIS" -eq 1 ]] && echo ", graph only" || echo ", --no-config with analysis")) =="
printf '%-20s %8s %10s %10s %10s %10s  %s\n' target modules median_s min_s max_s rss_MB modules/s
printf '%s\n' "${SUMMARY[@]}"
exit "$FAILED"
