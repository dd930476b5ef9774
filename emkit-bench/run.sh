#!/usr/bin/env bash
# Runs the emkit benchmark against the JVM peers. See BENCHMARKS.md.
#
#   emkit-bench/run.sh                          # every case, every tool, 3 repeats (long)
#   emkit-bench/run.sh 100k-16-16               # one case (comma-separate several)
#   emkit-bench/run.sh 100k-2-4 --tools emkit,elki --repeats 1   # any Launcher option after the case
#   emkit-bench/run.sh --repeats 5 --xmx 12g    # options without a case: every case
#
#   emkit-bench/run.sh summary emkit-bench/results/*/raw.tsv   # one table from earlier runs' raw results
#
# Launcher options: --cases --tools --repeats --iterations --warmup --xmx --timeout --peak-gflops --out
# Set BENCH_SKIP_BUILD=1 to reuse the last build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cp_file=emkit-bench/target/classpath.txt
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 || ! -f "$cp_file" ]]; then
  # Built in one reactor, so emkit-core resolves to this tree's build (its target/classes also come first
  # on the class path below), never to an emkit-core jar someone installed in ~/.m2.
  mvn -B -q -Pbench -pl emkit-bench -am package dependency:build-classpath -DskipTests \
      -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2
fi
cp="emkit-bench/target/classes:emkit-core/target/classes:$(cat "$cp_file")"
if [[ "${1:-}" == summary ]]; then
  shift
  exec java -cp "$cp" io.emkit.bench.Summary "$@"
fi
args=()
if [[ $# -gt 0 && "$1" != --* ]]; then
  args+=(--cases "$1")
  shift
fi
exec java -cp "$cp" io.emkit.bench.Launcher "${args[@]}" "$@"
