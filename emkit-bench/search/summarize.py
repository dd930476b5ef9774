#!/usr/bin/python3
"""Writes DIR/summary.md from DIR/raw.tsv and references.tsv (see README.md for the rules).

    /usr/bin/python3 emkit-bench/search/summarize.py DIR [REFERENCES]

REFERENCES: another grid's references (default: references.tsv beside this script); one without a
best_known_loglik column (the public grid's) takes the better of its sklearn_best20 and mclust.
"""
import csv
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = ("emkit", "sklearn", "mclust")


def tol(best):
    """Slack for "reached": 0.01 nats, or 1e-6 relative when that is larger."""
    return max(0.01, 1e-6 * abs(best))


def num(s):
    try:
        v = float(s)
        return v if math.isfinite(v) else None
    except (TypeError, ValueError):
        return None


def main():
    out = sys.argv[1]
    with open(sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "references.tsv")) as f:
        refs = {r["id"]: r for r in csv.DictReader(f, delimiter="\t")}
    for r in refs.values():
        if "best_known_loglik" not in r:
            known = [v for v in (num(r["sklearn_best20"]), num(r["mclust"])) if v is not None]
            r["best_known_loglik"] = repr(max(known)) if known else "NA"
    with open(os.path.join(out, "raw.tsv")) as f:
        raw = list(csv.DictReader(f, delimiter="\t"))
    res = {}
    order = []
    for r in raw:
        if r["case"] not in res:
            order.append(r["case"])
        res.setdefault(r["case"], {})[r["tool"]] = r
    tools = [t for t in TOOLS if any(t in v for v in res.values())]
    stats = {t: dict(cases=0, judged=0, reached=0, ge_sk=0, sk_cases=0, within1=0, failed=0, above=0,
                     wall=0.0, iters=[]) for t in tools}
    common = [c for c in order if all(num(res[c].get(t, {}).get("loglik")) is not None for t in tools)
              and c in refs]
    common_reached = {t: 0 for t in tools}
    rows = []
    for c in order:
        ref = refs.get(c)
        best = num(ref["best_known_loglik"]) if ref else None
        sk = num(res[c].get("sklearn", {}).get("loglik"))
        line = [c, f"{best:.3f}" if best is not None else "no reference"]
        for t in tools:
            r = res[c].get(t)
            if r is None:
                line.append("")
                continue
            s = stats[t]
            s["cases"] += 1
            s["wall"] += float(r["wall_seconds"])
            ll = num(r["loglik"])
            if r["iterations"] not in ("NA", ""):
                s["iters"].append(int(float(r["iterations"])))
            if ll is None or best is None:
                s["failed"] += ll is None
                line.append("fail" if ll is None else f"{ll:.3f}")
                continue
            gap = best - ll
            e = tol(best)
            s["judged"] += 1
            if c in common and gap <= e:
                common_reached[t] += 1
            mark = ""
            if gap <= e:
                s["reached"] += 1
                mark = " ✓"
            if gap <= 1.0:
                s["within1"] += 1
            if gap < -e:
                s["above"] += 1
                mark = " ↑"
            if sk is not None:
                s["sk_cases"] += 1
                s["ge_sk"] += ll >= sk - e
            line.append(f"{gap:.3g}{mark} ({r['iterations']} it, {float(r['wall_seconds']):.2f}s)")
        rows.append(line)
    suite = ""
    p = os.path.join(out, "suite-time.tsv")
    if os.path.exists(p):
        suite = open(p).read().splitlines()[0].split("\t")[1].strip()
    n = len(order)
    notes = os.path.join(out, "notes.md")
    notes = open(notes).read().strip() if os.path.exists(notes) else ""
    md = [f"# Search-quality results ({os.path.basename(os.path.abspath(out))})", "",
          f"{n} cases. \"Reached\" = total log-likelihood within max(0.01 nats, 1e-6·|best|) of the "
          "best known (references.tsv); \"≥ sklearn\" = at least scikit-learn's default fit on the "
          "same case, with the same slack. Wall = the whole process (JVM / Python / R start, "
          "reading the CSV, the fit), one process per case." + (f" Suite wall time: {suite} s." if suite else ""),
          ""] + ([notes, ""] if notes else []) + [
          "| tool | cases run | with a reference | reached best known | within 1 nat | ≥ sklearn default | "
          "above best known | failed | median iterations | total wall (s) |",
          "|---|---|---|---|---|---|---|---|---|---|"]
    for t in tools:
        s = stats[t]
        it = sorted(s["iters"])
        med = it[len(it) // 2] if it else "–"
        md.append(f"| {t} | {s['cases']} | {s['judged']} | {s['reached']} | {s['within1']} | "
                  f"{s['ge_sk']} of {s['sk_cases']} | {s['above']} | {s['failed']} | {med} | {s['wall']:.1f} |")
    md += ["", f"On the {len(common)} cases that every tool finished and that have a reference: " +
           ", ".join(f"{t} reached {common_reached[t]}" for t in tools) + "."]
    md += ["", "## Per case", "", "Gap = best known − the tool's log-likelihood in nats (✓ reached; "
           "↑ above the best known), with the tool's iterations and wall seconds.", "",
           "| case | best known | " + " | ".join(tools) + " |", "|---|---|" + "---|" * len(tools)]
    md += ["| " + " | ".join(l) + " |" for l in rows]
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    print("\n".join(md[:md.index("## Per case")]))


if __name__ == "__main__":
    main()
