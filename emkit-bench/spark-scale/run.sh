#!/usr/bin/env bash
# emkit-spark on a Spark standalone cluster on this machine: a master and workers, each its own JVM on 127.0.0.1,
# and the benchmark (io.emkit.bench.SparkScaleBench) as the driver JVM. See emkit-bench/spark-scale/README.md.
#
#   emkit-bench/spark-scale/run.sh OUT_DIR [PHASE ...]     # phases: weak bytes peers (default: all three)
#
# Each fit appends one line to OUT_DIR/raw.tsv; summarize.py turns it into the tables of BENCHMARKS.md.
# BENCH_SKIP_BUILD=1 reuses the last build; MVN_ARGS are passed to Maven (e.g. -o -Dmaven.repo.local=...).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
out="$(mkdir -p "${1:?usage: run.sh OUT_DIR [weak] [bytes] [peers]}" && cd "$1" && pwd)"
shift
phases=("$@")
[[ ${#phases[@]} -gt 0 ]] || phases=(weak bytes peers)

cp_file=emkit-bench/target/classpath.txt
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 || ! -f "$cp_file" ]]; then
  # shellcheck disable=SC2086
  mvn -B -q ${MVN_ARGS:-} -Pbench -pl emkit-bench -am package dependency:build-classpath -DskipTests \
      -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2
fi
bench_jar="$root/$(ls emkit-bench/target/emkit-bench-*.jar | grep -v -e sources -e javadoc | head -1)"
cp="$bench_jar:$(cat "$cp_file")"

work="$(mktemp -d /tmp/emkit-spark-scale.XXXXXX)"
# A worker launches its executors with the class path of $SPARK_HOME/jars: here every jar of the driver's class
# path, emkit's included (the benchmark measures the fits, not how the command ships its jars).
mkdir -p "$work/spark-home/jars"
for jar in ${cp//:/ }; do
  [[ -e "$work/spark-home/jars/$(basename "$jar")" ]] || ln -s "$jar" "$work/spark-home/jars/$(basename "$jar")"
done
opens=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
export SPARK_HOME="$work/spark-home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1
unset SPARK_CONF_DIR SPARK_MASTER_HOST SPARK_WORKER_CORES SPARK_WORKER_MEMORY 2>/dev/null || true

pids=()
stop_cluster() {
  local pid
  for pid in "${pids[@]}"; do
    pkill -KILL -P "$pid" 2>/dev/null || true   # the executors a worker launched
    kill -KILL "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}
trap 'stop_cluster; [[ "${KEEP_WORK:-0}" == 1 ]] || rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_cluster WORKERS: a master and WORKERS workers of one core and 1 GB each; waits until all registered.
start_cluster() {
  local workers=$1 i
  port=$(free_port)
  local log="$work/master-$workers.log"
  java -Xmx512m "${opens[@]}" -cp "$cp" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" \
      --webui-port "$(free_port)" >"$log" 2>&1 &
  pids+=($!)
  for ((i = 1; i <= workers; i++)); do
    java -Xmx512m "${opens[@]}" -cp "$cp" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 \
        --webui-port "$(free_port)" --cores 1 --memory 1g --work-dir "$work/work-$workers-$i" \
        "spark://127.0.0.1:$port" >"$work/worker-$workers-$i.log" 2>&1 &
    pids+=($!)
  done
  for ((i = 0; i < 240; i++)); do
    if [[ $(grep -c "Registering worker" "$log" 2>/dev/null || true) -ge $workers ]]; then
      return
    fi
    sleep 0.5
  done
  echo "the workers did not register; see $work" >&2
  exit 1
}

# bench WORKERS MODE ARGS...: one driver JVM; an executor of one core and 1 GB on each worker.
bench() {
  local workers=$1
  shift
  echo "== $(date -u +%H:%M:%S) $workers worker(s): $*" >&2
  java -Xmx3g --add-modules jdk.incubator.vector "${opens[@]}" \
      -Dspark.executor.memory=1g -Dspark.executor.cores=1 -Dspark.cores.max="$workers" \
      -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1 \
      "-Dspark.executor.extraJavaOptions=--add-modules=jdk.incubator.vector" \
      -Dlog4j2.configurationFile="$root/emkit-spark-cli/src/main/config/log4j2.properties" \
      -Demkit.spark.log="$work/driver.log" \
      -cp "$cp" io.emkit.bench.SparkScaleBench "$@" --master "spark://127.0.0.1:$port" --out "$out/raw.tsv" \
      2> >(grep -v "^WARNING: Using incubator modules" >&2)
}

for phase in "${phases[@]}"; do
  case "$phase" in
    weak)
      # Weak scaling: 25,000 rows per partition, 2, 4, 8 partitions, on 1 and then 2 workers (and 4 workers,
      # which on a 2-core machine share the cores).
      for workers in 1 2 4; do
        start_cluster "$workers"
        parts=(2 4 8)
        [[ $workers == 4 ]] && parts=(8)
        for p in "${parts[@]}"; do
          bench "$workers" emkit --label "weak w=$workers" --d 16 --k 16 --partitions "$p" \
              --rows-per-partition 25000 --iterations 6
        done
        stop_cluster
      done
      ;;
    bytes)
      # Bytes per iteration: n = 100,000 and 400,000 in 4 partitions at K = 16, D = 16, then other (K, D).
      start_cluster 2
      bench 2 emkit --label "bytes n" --d 16 --k 16 --partitions 4 --rows-per-partition 25000 --iterations 4
      bench 2 emkit --label "bytes n" --d 16 --k 16 --partitions 4 --rows-per-partition 100000 --iterations 4
      for kd in "4 2" "16 8" "16 32"; do
        set -- $kd
        bench 2 emkit --label "bytes K,D" --k "$1" --d "$2" --partitions 4 --rows-per-partition 25000 --iterations 4
      done
      # 32 partitions: two levels of the merge tree (groups of 16 merged on the executors, through a shuffle).
      bench 2 emkit --label "bytes tree" --d 16 --k 16 --partitions 32 --rows-per-partition 3125 --iterations 4
      stop_cluster
      ;;
    peers)
      # emkit-spark beside MLlib: 50,000 rows in 4 partitions, K = 16, D = 16, the same start, 10 iterations;
      # then each Gaussian mixture from its own default start (at most 20 iterations).
      start_cluster 2
      bench 2 peers --label "peers" --d 16 --k 16 --partitions 4 --rows-per-partition 12500 --iterations 10 \
          --default-max-iter 20
      stop_cluster
      ;;
    *)
      echo "unknown phase $phase (weak, bytes, peers)" >&2
      exit 2
      ;;
  esac
done
echo "results: $out/raw.tsv" >&2
