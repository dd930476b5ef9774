#!/usr/bin/env bash
# Two sets of JVM options for ./emkit, A and B, over the search grid's cases: every case once with each, one after
# the other (so that drift falls on both alike), one process per run, the wall time of each and its log-likelihood.
# For launcher and JVM choices (class-data archives, compiler settings) that must not change any answer.
#
#   emkit-bench/search/ab-java-opts.sh OUT.tsv "OPTIONS A" "OPTIONS B" [CASE-GLOB] [EMKIT_CDS]
#
# Each run is `EMKIT_CDS=… EMKIT_JAVA_OPTS=OPTIONS ./emkit fit FILE --columns … --components K --covariance C
# --json`; EMKIT_CDS (default 1) set to 0 runs without the launcher's own archive, e.g. to compare two archives:
#   emkit-bench/search/ab-java-opts.sh /tmp/ab.tsv "-XX:SharedArchiveFile=/tmp/a.jsa -Xlog:cds=off" \
#       "-XX:SharedArchiveFile=/tmp/b.jsa -Xlog:cds=off" '*' 0
# OUT.tsv gets: case, A or B, wall seconds, log-likelihood; the totals are printed at the end. Needs jq and the
# grid's data (run.sh generates them).
set -euo pipefail
out=$1; a=$2; b=$3; glob=${4:-*}; cds=${5:-1}
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
: > "$out"
json=$(mktemp)
trap 'rm -f "$json"' EXIT
tail -n +2 emkit-bench/search/cases.tsv | while IFS=$'\t' read -r id file columns k cov; do
  # shellcheck disable=SC2053
  [[ $id == $glob ]] || continue
  for v in A B; do
    if [[ $v == A ]]; then opts=$a; else opts=$b; fi
    start=$(date +%s.%N)
    EMKIT_CDS=$cds EMKIT_JAVA_OPTS="$opts" ./emkit fit "$file" --columns "$columns" --components "$k" \
        --covariance "$cov" --json > "$json" 2>/dev/null || true
    end=$(date +%s.%N)
    printf '%s\t%s\t%.3f\t%s\n' "$id" "$v" "$(echo "$end - $start" | bc)" "$(jq -r '.log_likelihood' < "$json" 2>/dev/null || echo NA)" >> "$out"
  done
done
awk -F'\t' '{t[$2] += $3; n[$2]++} END {printf "A: %d runs, %.1f s; B: %d runs, %.1f s\n", n["A"], t["A"], n["B"], t["B"]}' "$out"
