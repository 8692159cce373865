#!/usr/bin/env bash
# SQL analysis throughput: runs `seamline sql` on the corpus repeated to COPIES × 395 statements.
# Usage: scripts/bench-sql.sh [--copies N] [--runs N]   (expects a release build: cargo build --release)
set -euo pipefail
cd "$(dirname "$0")/.."
COPIES=50
RUNS=5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --copies) COPIES="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    *) echo "bench-sql.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
BIN="${SEAMLINE_BIN:-target/release/seamline}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
python3 - "$COPIES" "$TMP/statements.json" <<'PY'
import json, sys
copies, out = int(sys.argv[1]), sys.argv[2]
corpus = json.load(open("tests/sql/corpus.json"))
# A distinct comment per copy keeps every statement text unique, as in a real code base.
rows = [{"id": f"{c}-{e['id']}", "dialect": e["dialect"], "sql": f"/* {c} */ {e['sql']}"} for c in range(copies) for e in corpus]
json.dump(rows, open(out, "w"))
print(f"{len(rows)} statements, {sum(len(r['sql']) for r in rows) / 1e6:.2f} MB")
PY
n=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$TMP/statements.json")
walls=(); rss=()
for i in $(seq 1 "$RUNS"); do
  /usr/bin/time -f '%e %M' -o "$TMP/time" "$BIN" sql --input "$TMP/statements.json" > /dev/null
  read -r wall kb < "$TMP/time"
  walls+=("$wall"); rss+=("$kb")
  echo "run $i: ${wall} s, peak RSS $((kb / 1024)) MB"
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
m=$(median "${walls[@]}"); r=$(median "${rss[@]}")
echo "command: $BIN sql --input <$n statements>"
echo "median: $m s, peak RSS $((r / 1024)) MB, $(awk -v n="$n" -v s="$m" 'BEGIN {printf "%d", n / s}') statements/s (one thread, JSON in and out included)"
