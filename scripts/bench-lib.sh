# Shell helpers shared by scripts/bench.sh and scripts/bench-depcruise.sh; sourced, not run.
# The sourcing script sets SCRIPT_NAME (for messages) before using them.

# Prints the sourcing script's header comment (its --help).
usage() {
  sed -n '2,/^set -euo pipefail/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
}

die() {
  echo "$SCRIPT_NAME: error: $*" >&2
  exit 1
}

need_value() {
  [[ $# -ge 2 && -n "$2" ]] || die "$1 needs a value"
}

is_uint() {
  [[ "$1" =~ ^[0-9]+$ ]]
}

# Median of the numbers on stdin, one per line.
median() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "nan"; exit }
    if (NR % 2) { printf "%.6f\n", v[(NR + 1) / 2] } else { printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }
  }'
}

# "min max" of the numbers on stdin.
minmax() {
  sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.6f %.6f\n", lo, hi }'
}

# "$@" as one shell-quoted line, for the record of what was run.
quote_cmd() {
  local out="" a
  for a in "$@"; do out+="$(printf '%q' "$a") "; done
  printf '%s\n' "${out% }"
}
