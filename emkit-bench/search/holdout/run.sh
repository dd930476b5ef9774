#!/usr/bin/env bash
# A holdout grid: emkit's default fit of 24 synthetic sets never used to tune the search, against the
# best known (scikit-learn's best of 20 tight starts, committed in references.sklearn.tsv, and emkit's own
# --search thorough, run here), beside scikit-learn's default fit. See README.md beside this script.
#
#   emkit-bench/search/holdout/run.sh                     # -> ../results/holdout-<UTC date-time>/
#   emkit-bench/search/holdout/run.sh --out DIR
#   emkit-bench/search/holdout/run.sh --wide              # the wide grid (d 4-20, K 6 and 12)
#                                                         #   -> ../results/holdout-wide-<UTC date-time>/
#   emkit-bench/search/holdout/run.sh --structures        # the first grid's sets, diag, spherical and tied
#                                                         #   -> ../results/holdout-structures-<UTC date-time>/
#   emkit-bench/search/holdout/run.sh [--wide|--structures] summary DIR  # only rewrite DIR/summary.md
#
# Needs: Java 17 + Maven (./emkit builds itself on first use), /usr/bin/python3 with numpy (the data), jq.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
# The grid's files: the first grid's, or with --wide the wide one's (its references' third column is the best
# of scikit-learn's 20 starts that are proper fits, see references.py).
grid=first
args=()
for a in "$@"; do
  if [[ "$a" == --wide ]]; then grid=wide; elif [[ "$a" == --structures ]]; then grid=structures; else args+=("$a"); fi
done
set -- ${args[@]+"${args[@]}"}
if [[ $grid == wide ]]; then
  data="$here/data-wide" sums="$here/data-wide.sha256" cases="$here/cases-wide.tsv"
  references="$here/references-wide.sklearn.tsv" title="Wide holdout grid" results=holdout-wide
  known="scikit-learn's best proper fit of 20 tight starts" make=(--wide) fitted="full covariance"
elif [[ $grid == structures ]]; then
  # The first grid's sets (its data) with the other three structures: the cases file's fifth column.
  data="$here/data" sums="$here/data.sha256" cases="$here/cases-structures.tsv"
  references="$here/references-structures.sklearn.tsv" title="Holdout grid, other structures"
  results=holdout-structures known="scikit-learn's best of 20 tight starts" make=()
  fitted="diagonal, spherical and tied covariances"
else
  data="$here/data" sums="$here/data.sha256" cases="$here/cases.tsv"
  references="$here/references.sklearn.tsv" title="Holdout grid" results=holdout
  known="scikit-learn's best of 20 tight starts" make=() fitted="full covariance"
fi
summarize() {  # DIR: writes DIR/summary.md from DIR/raw.tsv and the grid's references
# The summary: reached = within max(0.01 nats, 1e-6 |best|) of the best known, as in the main grid.
awk -F'\t' -v OFS='\t' -v title="$title" -v known="$known" -v fitted="$fitted" '
  FNR == 1 { next }
  FILENAME == ARGV[1] { skd[$1] = $2; skb[$1] = $3; next }
  {
    best = skb[$1] > $4 ? skb[$1] : $4
    slack = 1e-6 * (best < 0 ? -best : best); if (slack < 0.01) slack = 0.01
    em = ($2 >= best - slack); sk = (skd[$1] >= best - slack)
    n++; re += em; rs += sk; ge += ($2 >= skd[$1] - slack); t += $3
    g = best - $2; if (g < 0.005) g = 0   # under half a hundredth (or above the best): printed as 0
    gs = best - skd[$1]; if (gs < 0.005) gs = 0
    rows = rows sprintf("| %s | %.2f | %s | %.2f |\n", $1, g, em ? "yes" : "**no**", gs)
  }
  END {
    printf "# %s\n\n%d cases (%s, K = the true K). Best known = the better of %s and emkit --search thorough.\n\n", title, n, fitted, known
    printf "| tool | reached best known | at least scikit-learn'"'"'s default |\n| --- | --- | --- |\n"
    printf "| emkit default | %d of %d | %d of %d |\n| scikit-learn default | %d of %d | |\n\n", re, n, ge, n, rs, n
    printf "emkit default: %.1f s in all (one process per case).\n\n| case | emkit gap (nats) | reached | scikit-learn default gap |\n| --- | --- | --- | --- |\n%s", t, rows
  }' "$references" "$1/raw.tsv" > "$1/summary.md"
cat "$1/summary.md"
}
if [[ "${1:-}" == summary ]]; then
  summarize "${2:?usage: run.sh summary DIR}"
  exit 0
fi
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
out="${out:-$root/emkit-bench/search/results/$results-$(date -u +%Y-%m-%dT%H%M)}"
mkdir -p "$out"

if ! (cd "$data" 2>/dev/null && sha256sum --quiet -c "$sums" >/dev/null 2>&1); then
  /usr/bin/python3 "$here/make-data.py" ${make[@]+"${make[@]}"} >/dev/null
  (cd "$data" && sha256sum --quiet -c "$sums") \
    || { echo "run.sh: the generated data differ from $(basename "$sums")" >&2; exit 1; }
fi
"$root/emkit" --version >/dev/null   # builds emkit on first use (not timed)

now() { date +%s.%N; }
raw="$out/raw.tsv"
printf 'case\temkit_default\tdefault_seconds\temkit_thorough\tthorough_seconds\n' > "$raw"
tail -n +2 "$cases" | while IFS=$'\t' read -r id file d k covariance; do
  # The structures grid names each case's covariance; the others fit emkit's default (full).
  cov=(); [[ -n "${covariance:-}" ]] && cov=(--covariance "$covariance")
  t0=$(now)
  a=$(cd "$root" && ./emkit fit "$file" --components "$k" ${cov[@]+"${cov[@]}"} --json | jq -r .log_likelihood)
  t1=$(now)
  b=$(cd "$root" && ./emkit fit "$file" --components "$k" ${cov[@]+"${cov[@]}"} --search thorough --json \
    | jq -r .log_likelihood)
  t2=$(now)
  printf '%s\t%s\t%.2f\t%s\t%.2f\n' "$id" "$a" "$(echo "$t1 - $t0" | bc)" "$b" "$(echo "$t2 - $t1" | bc)" >> "$raw"
done
summarize "$out"
