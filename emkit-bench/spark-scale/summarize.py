#!/usr/bin/env python3
"""Markdown tables from a spark-scale raw.tsv (one fit per line, tab-separated key=value).

    python3 emkit-bench/spark-scale/summarize.py emkit-bench/results/spark-scale-2026-12-03/raw.tsv
"""
import sys


def read(path):
    rows = []
    with open(path) as f:
        for line in f:
            if line.strip():
                rows.append(dict(cell.split("=", 1) for cell in line.rstrip("\n").split("\t")))
    return rows


def table(header, lines):
    out = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    out += ["| " + " | ".join(str(c) for c in line) + " |" for line in lines]
    return "\n".join(out)


def main(path):
    rows = read(path)
    weak = [r for r in rows if r["label"].startswith("weak")]
    if weak:
        print("Weak scaling (K = 16, D = 16, full covariances, rows per partition fixed):\n")
        print(table(["workers (1 core each)", "partitions", "rows per partition", "n", "s per iteration",
                     "E-step job s", "rows per s per worker"],
                    [[r["executors"], r["partitions"], r["rows_per_partition"], r["n"], r["s_per_iteration_median"],
                      r["job_seconds_median"],
                      "%.0f" % (int(r["n"]) / float(r["s_per_iteration_median"]) / int(r["executors"]))]
                     for r in weak]))
        print()
    size = [r for r in rows if r["label"].startswith("bytes")]
    if size:
        print("Bytes per iteration (Spark's task result sizes and shuffle writes, per E-step job):\n")
        print(table(["K", "D", "partitions", "n", "statistics (doubles × 8 B)", "result bytes per iteration",
                     "per partition (largest task)", "shuffle write bytes", "model broadcast (JSON bytes)",
                     "s per iteration"],
                    [[r["k"], r["d"], r["partitions"], r["n"], int(r["statistics_doubles"]) * 8,
                      r["result_bytes_per_iteration"], r["max_task_result_bytes"],
                      r["shuffle_write_bytes_per_iteration"], r["model_json_bytes"], r["s_per_iteration_median"]]
                     for r in size]))
        print()
    peers = [r for r in rows if r["label"].startswith("peers")]
    if peers:
        print("emkit-spark beside MLlib (n = %s, K = %s, D = %s, %s partitions, %s executors):\n"
              % (peers[0]["n"], peers[0]["k"], peers[0]["d"], peers[0]["partitions"], peers[0]["executors"]))
        print(table(["fit", "iterations", "jobs of the iteration kind", "s per iteration", "wall s",
                     "log-likelihood (same evaluator)", "inertia", "smallest weight", "distinct components",
                     "true means found (within 0.5)", "result bytes per iteration", "shuffle write bytes"],
                    [[r["fit"], r["iterations_run"], r["iteration_jobs"], r["s_per_iteration_median"],
                      r["wall_seconds"], r.get("log_likelihood", ""), r.get("inertia", ""), r.get("min_weight", ""),
                      r["distinct_components"], r.get("truth_means_found", ""), r["result_bytes_per_iteration"],
                      r["shuffle_write_bytes_per_iteration"]] for r in peers]))


if __name__ == "__main__":
    main(sys.argv[1])
