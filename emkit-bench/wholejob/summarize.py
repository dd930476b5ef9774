#!/usr/bin/python3
"""Writes DIR/summary.md from DIR/raw.tsv and DIR/meta.tsv (see README.md for the columns).

    /usr/bin/python3 emkit-bench/wholejob/summarize.py DIR

Per case and tool: runs that finished, median wall time and CPU time (scikit-learn's GMM runs without the one extra
E-step its runner spends on score(X), scoring_s), the median peak RSS, the median log-likelihood
(Gaussian-mixture cases; higher is better) or inertia (k-means cases; lower is better) and its gap to
emkit's, the median iteration count, and emkit's speed-up: the peer's median wall over emkit's.
"""
import csv
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL_ORDER = ("emkit", "sklearn", "sklearn-lloyd", "sklearn-elkan", "mclust")
CALLS = {
    "emkit": "`./emkit fit DATA -k K --json --quiet` / `./emkit kmeans DATA -k K --json --quiet`",
    "sklearn": "`GaussianMixture(K, random_state=0).fit(X)`, X from `numpy.loadtxt`",
    "sklearn-lloyd": "`KMeans(K, n_init=1, algorithm='lloyd', random_state=0).fit(X)`",
    "sklearn-elkan": "`KMeans(K, n_init=1, algorithm='elkan', random_state=0).fit(X)`",
    "mclust": "`Mclust(x, G=K, modelNames=\"VVV\")`, x from `data.table::fread` (or `read.csv`)",
}


def num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, spec):
    return "–" if v is None else format(v, spec)


def read_kinds():
    with open(os.path.join(HERE, "cases.tsv")) as f:
        return {r["id"]: r for r in csv.DictReader(f, delimiter="\t")}


def main():
    out = sys.argv[1]
    with open(os.path.join(out, "raw.tsv")) as f:
        raw = list(csv.DictReader(f, delimiter="\t"))
    meta = {}
    if os.path.exists(os.path.join(out, "meta.tsv")):
        with open(os.path.join(out, "meta.tsv")) as f:
            meta = dict(line.rstrip("\n").split("\t", 1) for line in f if "\t" in line)
    cases = read_kinds()
    limit = num(meta.get("timeout_s"))
    runs = {}
    order = []
    for r in raw:
        if r["case"] not in runs:
            order.append(r["case"])
        runs.setdefault(r["case"], {}).setdefault(r["tool"], []).append(r)

    md = ["# Whole-job benchmark", ""]
    md.append(f"Started {meta.get('started_utc', '?')}, finished {meta.get('finished_utc', '?')}; "
              f"load average (1, 5, 15 min) at start {meta.get('load_average_start', '?')}, "
              f"at end {meta.get('load_average_end', '?')}; {meta.get('nproc', '?')} cores "
              f"({meta.get('cpu', '?')}), {meta.get('memory', '?')}.")
    md.append("")
    md.append(f"emkit {meta.get('emkit_commit', '?')} on {meta.get('java', '?')}; "
              f"Python {meta.get('python', '?')}; {meta.get('r', '?')}. "
              f"Timeout {meta.get('timeout_s', '?')} s per run.")
    md.append("")
    md += ["| case | tool | ok runs | wall (s, median) | wall range (s) | peak RSS (MB) | "
           "CPU (s) | log-likelihood / inertia | vs emkit | iterations | emkit speed-up |",
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for c in order:
        info = cases.get(c, {})
        kmeans = info.get("kind") == "kmeans"
        label = f"{c} (n={info.get('n', '?')}, d={info.get('d', '?')}, K={info.get('K', '?')})"
        stats = {}
        for tool, rs in runs[c].items():
            ok = [r for r in rs if r["status"] == "ok"]
            walls = [num(r["wall_s"]) - (num(r["scoring_s"]) or 0.0) for r in ok if num(r["wall_s"]) is not None]
            statuses = sorted({r["status"] for r in rs if r["status"] != "ok"})
            stats[tool] = dict(
                ok=f"{len(ok)}/{len(rs)}" + (f" ({', '.join(statuses)})" if statuses else ""),
                wall=median(walls), lo=min(walls) if walls else None, hi=max(walls) if walls else None,
                rss=median([num(r["peak_rss_mb"]) for r in ok]),
                cpu=median([num(r.get("cpu_s")) for r in ok]),
                value=median([num(r["loglik_or_inertia"]) for r in ok]),
                iters=median([num(r["n_iter"]) for r in ok]),
                timed_out=any(r["status"] == "timeout" for r in rs))
        base = stats.get("emkit")
        tools = sorted(stats, key=lambda t: TOOL_ORDER.index(t) if t in TOOL_ORDER else len(TOOL_ORDER))
        for tool in tools:
            s = stats[tool]
            gap = speed = ""
            if tool != "emkit" and base is not None:
                if s["value"] is not None and base["value"] is not None:
                    if kmeans:   # relative: inertia scales with n
                        gap = f"{100.0 * (s['value'] / base['value'] - 1.0):+.3f} %"
                    else:        # nats; positive: the peer found a higher likelihood
                        gap = f"{s['value'] - base['value']:+.1f}"
                if s["wall"] is not None and base["wall"]:
                    speed = f"{s['wall'] / base['wall']:.2f}×"
                elif s["timed_out"] and limit and base["wall"]:   # every run cut off: a lower bound
                    speed = f"> {limit / base['wall']:.2f}×"
            wall = fmt(s["wall"], ".2f")
            if s["wall"] is None and s["timed_out"] and limit:
                wall = f"> {limit:.0f}"
            value = fmt(s["value"], ".6g" if kmeans else ".2f")
            span = "–" if s["lo"] is None else f"{s['lo']:.2f}–{s['hi']:.2f}"
            md.append(f"| {label} | {tool} | {s['ok']} | {wall} | "
                      f"{span} | {fmt(s['rss'], '.0f')} | "
                      f"{fmt(s['cpu'], '.1f')} | {value} | "
                      f"{gap} | {fmt(s['iters'], '.0f')} | {speed} |")
            label = ""
    md += ["",
           "Wall: the whole process (start-up, reading the CSV, initialisation, the fit, the answer), median over "
           "the runs that finished; scikit-learn's GMM without its score(X) (scoring_s in raw.tsv). "
           "Peak RSS: the process's maximum resident set (GNU time's %M). CPU: user + system seconds of "
           "the process and its children (less sensitive to a busy machine than wall, but not to "
           "contention for caches and memory bandwidth). vs emkit: the peer's log-likelihood "
           "minus emkit's, in nats (positive: the peer's fit is better), or its inertia relative to emkit's "
           "(negative: better). emkit speed-up: the peer's median wall over emkit's (above 1: emkit faster); "
           "\"> T\" and \"> S×\" when every run of the tool hit the timeout T.",
           "", "Calls:", ""]
    md += [f"* {t}: {CALLS[t]}" for t in TOOL_ORDER if any(t in runs[c] for c in order)]
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write("\n".join(md) + "\n")


if __name__ == "__main__":
    main()
