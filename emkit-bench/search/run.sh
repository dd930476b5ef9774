#!/usr/bin/env bash
# Search-quality benchmark: does each tool's DEFAULT fit reach the best-known log-likelihood?
# One process per (case, tool), timed on the wall clock. See README.md beside this script.
#
#   emkit-bench/search/run.sh                                  # every case, every tool
#   emkit-bench/search/run.sh --tools emkit,sklearn            # some tools
#   emkit-bench/search/run.sh --cases 'iris-*,s07-*-k12-full'  # cases: comma-separated ids or globs
#   emkit-bench/search/run.sh --out DIR                        # default: results/<today>
#   emkit-bench/search/run.sh summary DIR                      # only rewrite DIR/summary.md from DIR/raw.tsv
#   emkit-bench/search/run.sh --grid public ...                # the public holdout grid (public/README.md):
#                                                              #   default out results/public-<today>
#
# Needs: Java 17 + Maven (./emkit builds itself on first use), /usr/bin/python3 with numpy and
# scikit-learn (Debian's python3-sklearn), Rscript with mclust (r-cran-mclust).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
py=/usr/bin/python3
tools=emkit,sklearn,mclust
cases_filter=""
out=""
grid=main
# The grid's folder: its cases.tsv, references.tsv, data/ and data.sha256, and what writes the data.
grid_dir="$here" results_prefix=""
if [[ "${1:-}" == --grid || "${1:-}" == --grid=* ]]; then
  if [[ "$1" == --grid ]]; then grid="${2:?--grid needs main or public}"; shift 2; else grid="${1#*=}"; shift; fi
  case "$grid" in
    main) ;;
    public) grid_dir="$here/public" results_prefix="public-" ;;
    *) echo "run.sh: unknown grid $grid (main, public)" >&2; exit 2 ;;
  esac
fi
if [[ "${1:-}" == summary ]]; then
  exec "$py" "$here/summarize.py" "$2" "$grid_dir/references.tsv"
fi
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tools) tools="$2"; shift 2 ;;
    --tools=*) tools="${1#*=}"; shift ;;
    --cases) cases_filter="$2"; shift 2 ;;
    --cases=*) cases_filter="${1#*=}"; shift ;;
    --out) out="$2"; shift 2 ;;
    --out=*) out="${1#*=}"; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
out="${out:-$here/results/$results_prefix$(date -u +%F)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"   # absolute: the tools run from other folders

# The data: generated on first use (deterministic; the public grid's from scikit-learn's and R's packages),
# checked against data.sha256.
if ! (cd "$grid_dir/data" 2>/dev/null && sha256sum --quiet -c "$grid_dir/data.sha256" >/dev/null 2>&1); then
  echo "run.sh: writing the data into $grid_dir/data" >&2
  "$py" "$grid_dir/make-data.py"
  (cd "$grid_dir/data" && sha256sum --quiet -c "$grid_dir/data.sha256") \
    || { echo "run.sh: the data written differ from data.sha256" >&2; exit 1; }
fi

if [[ ",$tools," == *,emkit,* ]]; then
  "$root/emkit" --version >/dev/null   # builds emkit on first use (not timed)
fi

selected() {  # case id -> 0 when the --cases filter keeps it
  [[ -z "$cases_filter" ]] && return 0
  local pat
  IFS=',' read -ra pats <<< "$cases_filter"
  for pat in "${pats[@]}"; do
    # shellcheck disable=SC2053
    [[ "$1" == $pat ]] && return 0
  done
  return 1
}

raw="$out/raw.tsv"
log="$out/stderr.log"
printf 'case\ttool\tloglik\titerations\twall_seconds\tstatus\n' > "$raw"
: > "$log"
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
t_suite=$(now)
while IFS=$'\t' read -r id file columns k cov; do
  [[ "$id" == id ]] && continue
  selected "$id" || continue
  IFS=',' read -ra ts <<< "$tools"
  for tool in "${ts[@]}"; do
    status=ok; ll=NA; it=NA
    t0=$(now)
    case "$tool" in
      emkit)
        if res=$(cd "$root" && ./emkit fit "$file" --columns "$columns" --components "$k" \
                   --covariance "$cov" --json 2>>"$log"); then :; else status=failed; fi
        t1=$(now)
        if [[ $status == ok ]]; then
          ll=$(jq -r '.log_likelihood' <<< "$res"); it=$(jq -r '.n_iter' <<< "$res")
        fi ;;
      sklearn)
        if res=$(cd "$here" && "$py" sklearn-fit.py "$id" "$grid_dir/cases.tsv" 2>>"$log"); then :; else status=failed; fi
        t1=$(now)
        [[ $status == ok ]] && IFS=$'\t' read -r ll it _ <<< "$res" ;;
      mclust)
        if res=$(Rscript "$here/mclust-fit.R" "$id" "$grid_dir/cases.tsv" 2>>"$log"); then :; else status=failed; fi
        t1=$(now)
        [[ $status == ok ]] && IFS=$'\t' read -r ll it _ <<< "$res"
        [[ $status == ok && $ll == NA ]] && status=no-fit ;;
      *) echo "run.sh: unknown tool $tool" >&2; exit 2 ;;
    esac
    w=$(elapsed "$t0" "$t1")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$tool" "$ll" "$it" "$w" "$status" >> "$raw"
    printf '%-36s %-8s %20s %6s %8ss %s\n' "$id" "$tool" "$ll" "$it" "$w" "$status" >&2
  done
done < "$grid_dir/cases.tsv"
t_end=$(now)
echo "run.sh: suite wall time $(elapsed "$t_suite" "$t_end") s" >&2
{ printf 'suite_wall_seconds\t%s\n' "$(elapsed "$t_suite" "$t_end")"
  printf 'load_average_start\t%s\n' "$load_start"
  printf 'load_average_end\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'nproc\t%s\n' "$(nproc)"; } > "$out/suite-time.tsv"
"$py" "$here/summarize.py" "$out" "$grid_dir/references.tsv"
