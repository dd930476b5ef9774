#!/usr/bin/env bash
# Whole-job benchmark: each tool's default fit (or k-means) of the same CSV, one process per run, as a
# user runs it: start-up, reading the file, initialisation, the iterations and the answer all count.
# See README.md beside this script.
#
#   emkit-bench/wholejob/run.sh                        # the five issue cases, every tool, 3 repeats
#   emkit-bench/wholejob/run.sh --cases smoke --repeats 1           # the two tiny cases (a dry run)
#   emkit-bench/wholejob/run.sh --cases 'gmm-100k-*,km-200k-16-64'  # ids, globs or a group (full, smoke)
#   emkit-bench/wholejob/run.sh --tools emkit,sklearn  # sklearn = sklearn (GMM) + sklearn-lloyd/-elkan
#   emkit-bench/wholejob/run.sh --out DIR              # default: ../results/wholejob-<UTC date-time>
#   emkit-bench/wholejob/run.sh --timeout 600          # seconds per run; a run cut off is "timeout"
#   emkit-bench/wholejob/run.sh summary DIR            # only rewrite DIR/summary.md from DIR/raw.tsv
#
# Needs: Java 17 + Maven (./emkit builds itself on first use, untimed), /usr/bin/python3 with numpy and
# scikit-learn (Debian's python3-sklearn), Rscript with mclust (r-cran-mclust), GNU time, timeout, jq.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
py=/usr/bin/python3
cases_filter=full
tools=emkit,sklearn,mclust
repeats=3
timeout_s=600
out=""
if [[ "${1:-}" == summary ]]; then
  exec "$py" "$here/summarize.py" "$2"
fi
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cases) cases_filter="$2"; shift 2 ;;
    --cases=*) cases_filter="${1#*=}"; shift ;;
    --tools) tools="$2"; shift 2 ;;
    --tools=*) tools="${1#*=}"; shift ;;
    --repeats) repeats="$2"; shift 2 ;;
    --repeats=*) repeats="${1#*=}"; shift ;;
    --timeout) timeout_s="$2"; shift 2 ;;
    --timeout=*) timeout_s="${1#*=}"; shift ;;
    --out) out="$2"; shift 2 ;;
    --out=*) out="${1#*=}"; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$repeats" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --repeats must be a positive whole number" >&2; exit 2; }
[[ "$timeout_s" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --timeout must be a positive number of seconds" >&2; exit 2; }
IFS=',' read -ra wanted_tools <<< "$tools"
for t in "${wanted_tools[@]}"; do
  case "$t" in
    emkit|sklearn|sklearn-lloyd|sklearn-elkan|mclust) ;;
    *) echo "run.sh: unknown tool $t (emkit, sklearn, sklearn-lloyd, sklearn-elkan, mclust)" >&2; exit 2 ;;
  esac
done

selected() {  # id group -> 0 when the --cases filter keeps the case
  local pat
  IFS=',' read -ra pats <<< "$cases_filter"
  for pat in "${pats[@]}"; do
    # shellcheck disable=SC2053
    [[ "$1" == $pat || "$2" == "$pat" ]] && return 0
  done
  return 1
}

wants() {  # tool -> 0 when --tools asks for it ("sklearn" also names both k-means variants)
  local t
  for t in "${wanted_tools[@]}"; do
    [[ "$t" == "$1" || ( "$t" == sklearn && "$1" == sklearn-* ) ]] && return 0
  done
  return 1
}

mapfile -t cases < <(tail -n +2 "$here/cases.tsv")
chosen=()
for line in "${cases[@]}"; do
  IFS=$'\t' read -r id kind n d k group <<< "$line"
  selected "$id" "$group" && chosen+=("$line")
done
[[ ${#chosen[@]} -gt 0 ]] || { echo "run.sh: no case matches --cases $cases_filter" >&2; exit 2; }

out="${out:-$root/emkit-bench/results/wholejob-$(date -u +%Y-%m-%dT%H%M)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# The data: made on first use (deterministic; untimed), remade when its .case stamp is not this case's line.
mkdir -p "$here/data"
for line in "${chosen[@]}"; do
  id="${line%%$'\t'*}"
  if [[ ! -f "$here/data/$id.csv" || "$(cat "$here/data/$id.case" 2>/dev/null)" != "$line" ]]; then
    "$py" "$here/make-data.py" "$id"
  fi
done

if wants emkit; then
  "$root/emkit" --version >/dev/null   # builds emkit and its start-up archive on first use (untimed)
fi

raw="$out/raw.tsv"
log="$out/stderr.log"
printf 'case\ttool\twall_s\tpeak_rss_mb\tloglik_or_inertia\tstatus\trepeat\tn_iter\tscoring_s\tcpu_s\n' > "$raw"
: > "$log"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Everything that says what was measured, outside the timings.
{
  printf 'started_utc\t%s\n' "$(date -u +%FT%TZ)"
  printf 'load_average_start\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'nproc\t%s\n' "$(nproc)"
  printf 'cpu\t%s\n' "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  printf 'memory\t%s\n' "$(awk '/^MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
  printf 'emkit_commit\t%s\n' "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  printf 'java\t%s\n' "$(java -version 2>&1 | head -1)"
  printf 'python\t%s\n' "$("$py" -c 'import sys, numpy, sklearn; print(sys.version.split()[0], "numpy", numpy.__version__, "scikit-learn", sklearn.__version__)' 2>/dev/null || echo missing)"
  printf 'r\t%s\n' "$(Rscript -e 'cat(R.version.string, "mclust", as.character(packageVersion("mclust")), "data.table", if (requireNamespace("data.table", quietly = TRUE)) as.character(packageVersion("data.table")) else "absent")' 2>/dev/null || echo missing)"
  printf 'timeout_s\t%s\n' "$timeout_s"
  printf 'repeats\t%s\n' "$repeats"
} > "$out/meta.tsv"

# run_one CASE TOOL REPEAT COMMAND...: one timed process; appends its row to raw.tsv.
run_one() {
  local id="$1" tool="$2" rep="$3"
  shift 3
  local rc=0 status=ok value=NA iters=NA scoring=0 wall=NA rss=NA cpu=NA
  /usr/bin/time -f '%e %M %U %S' -o "$work/time" timeout -k 10 "$timeout_s" "$@" \
      > "$work/stdout" 2> >(sed "s/^/[$id $tool #$rep] /" >> "$log") || rc=$?
  if [[ -s "$work/time" ]]; then
    read -r wall rss_kb user_s sys_s < <(tail -n 1 "$work/time")
    rss=$(awk -v k="$rss_kb" 'BEGIN { printf "%.0f", k / 1024 }')
    cpu=$(awk -v u="$user_s" -v s="$sys_s" 'BEGIN { printf "%.2f", u + s }')
  fi
  if [[ $rc == 124 || $rc == 137 ]]; then
    status=timeout
  elif [[ $rc != 0 ]]; then
    status="failed($rc)"
  else
    case "$tool" in
      emkit)
        value=$(jq -r '.log_likelihood // .inertia // "NA"' "$work/stdout" 2>/dev/null || echo NA)
        iters=$(jq -r '.n_iter // "NA"' "$work/stdout" 2>/dev/null || echo NA) ;;
      sklearn) IFS=$'\t' read -r value iters scoring < "$work/stdout" ;;
      sklearn-*)
        value=$(grep -o 'inertia=[^ ]*' "$work/stdout" | cut -d= -f2)
        iters=$(grep -o 'n_iter=[^ ]*' "$work/stdout" | cut -d= -f2) ;;
      mclust) read -r value < "$work/stdout" ;;
    esac
    [[ -n "$value" && "$value" != NA && "$value" != null ]] || { value=NA; status=no-value; }
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$tool" "$wall" "$rss" "$value" "$status" "$rep" \
      "${iters:-NA}" "${scoring:-0}" "$cpu" >> "$raw"
  printf '%-20s %-14s #%s %8ss wall %8ss cpu %7s MB %22s %s\n' "$id" "$tool" "$rep" "$wall" "$cpu" "$rss" "$value" "$status" >&2
}

for line in "${chosen[@]}"; do
  IFS=$'\t' read -r id kind n d k group <<< "$line"
  data="$here/data/$id.csv"
  cat "$data" > /dev/null   # every tool reads it from a warm file cache
  if [[ $kind == gmm ]]; then tools_of_case=(emkit sklearn mclust)
  else tools_of_case=(emkit sklearn-lloyd sklearn-elkan); fi
  for ((rep = 1; rep <= repeats; rep++)); do   # repeats interleaved, so a slow spell hits every tool
    for tool in "${tools_of_case[@]}"; do
      wants "$tool" || continue
      case "$tool" in
        emkit)
          if [[ $kind == gmm ]]; then run_one "$id" emkit "$rep" "$root/emkit" fit "$data" -k "$k" --json --quiet
          else run_one "$id" emkit "$rep" "$root/emkit" kmeans "$data" -k "$k" --json --quiet; fi ;;
        sklearn) run_one "$id" sklearn "$rep" "$py" "$here/sklearn-gmm.py" "$data" "$k" ;;
        sklearn-lloyd) run_one "$id" "$tool" "$rep" "$py" "$root/emkit-bench/kmeans/sklearn-kmeans.py" "$data" "$k" lloyd 0 ;;
        sklearn-elkan) run_one "$id" "$tool" "$rep" "$py" "$root/emkit-bench/kmeans/sklearn-kmeans.py" "$data" "$k" elkan 0 ;;
        mclust) run_one "$id" mclust "$rep" Rscript "$here/mclust-fit.R" "$data" "$k" ;;
      esac
    done
  done
done

{
  printf 'finished_utc\t%s\n' "$(date -u +%FT%TZ)"
  printf 'load_average_end\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
} >> "$out/meta.tsv"
"$py" "$here/summarize.py" "$out"
echo "run.sh: wrote $out/raw.tsv and $out/summary.md" >&2
