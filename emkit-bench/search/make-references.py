#!/usr/bin/python3
"""Best-known log-likelihoods of every case in cases.tsv -> references.tsv.

    /usr/bin/python3 emkit-bench/search/make-references.py [--seeds 0] [--n-init 20] [--polish 2] [--budget 120]
        [--cases ID,...] [--mclust-raw RUN/raw.tsv]

For each case: scikit-learn GaussianMixture(n_components=K, covariance_type=C, reg_covar=1e-6)
from 20 k-means starts (random_state = 1000*seed + i, i < 20, seed 0), each EM run with tol=1e-5,
max_iter=500; the 2 best are then continued from where they stopped (warm start) towards
tol=1e-10, at most 5000 further iterations or until 120 s have gone on the case, keeping the best
total log-likelihood score(X) * n.  (Running every start to tol=1e-10, max_iter=5000 as planned
took ~130 s per start on the n=20000, K=12 cases: hours per case on this loaded machine.)
And mclust's Mclust(X, G=K, modelNames=M) (hierarchical-clustering start, no
prior) from mclust-fit.R.  best_known = the largest of these (and, with --runs, of the default fits of a run).  Finished cases are kept in
references.partial.tsv, so an interrupted run resumes where it stopped.
"""
import argparse
import math
import os
import subprocess
import sys
import time
import warnings

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.mixture import GaussianMixture  # noqa: E402

from common import HERE, MCLUST, load, read_cases  # noqa: E402


def sklearn_best(x, k, cov, seeds, n_init, polish, budget):
    """Stage 1: up to n_init k-means starts per seed (GaussianMixture(n_init=1,
    random_state=1000*s+i)), each EM run with tol=1e-5, max_iter=500, stopping early (after at
    least 2 starts) once `budget` seconds have gone on the case.  Stage 2: the `polish` best
    continued (warm start) towards tol=1e-10, at most 5000 further iterations, in chunks of 100
    iterations, until 2 * `budget` seconds have gone on the case (then counted as not converged).
    Returns (best score(X)*n, its start, starts run, polished runs that did not converge)."""
    t0 = time.time()
    fits = []
    for s in seeds:
        for i in range(n_init):
            if len(fits) >= 2 and time.time() - t0 > budget:
                break
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                gm = GaussianMixture(n_components=k, covariance_type=cov, tol=1e-5, max_iter=500,
                                     reg_covar=1e-6, random_state=1000 * s + i).fit(x)
            fits.append((float(gm.score(x)) * x.shape[0], 1000 * s + i, gm))
    starts = len(fits)
    fits.sort(key=lambda t: -t[0])
    best, best_start, not_conv = -math.inf, None, 0
    for ll0, start, g0 in fits[:polish]:
        gm = GaussianMixture(n_components=k, covariance_type=cov, tol=1e-10, max_iter=100,
                             reg_covar=1e-6, weights_init=g0.weights_, means_init=g0.means_,
                             precisions_init=g0.precisions_, warm_start=True)
        done = 0
        while True:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                gm.fit(x)
            done += gm.n_iter_
            if gm.converged_:
                break
            if done >= 5000 or time.time() - t0 > 2 * budget:
                not_conv += 1
                break
        ll = max(float(gm.score(x)) * x.shape[0], ll0)
        if ll > best:
            best, best_start = ll, start
    return best, best_start, starts, not_conv


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="0")
    ap.add_argument("--n-init", type=int, default=20, help="k-means starts per seed")
    ap.add_argument("--polish", type=int, default=2, help="best starts continued to tol=1e-10")
    ap.add_argument("--budget", type=float, default=25.0,
                    help="wall seconds per case for the starts, and again for polishing")
    ap.add_argument("--cases", default="")
    ap.add_argument("--runs", default="",
                    help="a run.sh raw.tsv whose emkit and sklearn default fits are also candidates")
    ap.add_argument("--mclust-raw", default="",
                    help="a run.sh raw.tsv whose mclust rows fill cases missing from references.mclust.tsv "
                         "(mclust's default fit is deterministic: the same call, the same value)")
    a = ap.parse_args()
    seeds = [int(s) for s in a.seeds.split(",")]
    cases = read_cases()
    if a.cases:
        want = set(a.cases.split(","))
        cases = [c for c in cases if c["id"] in want]
    partial = os.path.join(HERE, "references.partial.tsv")
    done = {}
    if os.path.exists(partial):
        with open(partial) as f:
            for line in f:
                p = line.rstrip("\n").split("\t")
                done[p[0]] = p
    # mclust for every case in one R process (its default fit is deterministic)
    mc_out = os.path.join(HERE, "references.mclust.tsv")
    todo_mc = [c["id"] for c in cases]
    if not os.path.exists(mc_out):
        subprocess.run(["Rscript", os.path.join(HERE, "mclust-fit.R"), "--all", mc_out], check=True)
    mclust = {}
    with open(mc_out) as f:
        next(f)
        for line in f:
            p = line.rstrip("\n").split("\t")
            mclust[p[0]] = p + ["mclust-fit.R --all"]
    if a.mclust_raw:
        with open(a.mclust_raw) as f:
            next(f)
            for line in f:
                p = line.rstrip("\n").split("\t")
                if p[1] == "mclust" and p[0] not in mclust:
                    mclust[p[0]] = [p[0], p[2], p[3], p[4], "run.sh raw.tsv"]
    with open(partial, "a") as out:
        for c in cases:
            if c["id"] in done:
                continue
            x = load(c["file"], c["columns"])
            t0 = time.time()
            sk, seed, ns, nc = sklearn_best(x, c["K"], c["covariance"], seeds, a.n_init, a.polish, a.budget)
            dt = time.time() - t0
            row = [c["id"], repr(sk), str(seed), str(nc), f"{dt:.1f}", str(ns)]
            out.write("\t".join(row) + "\n")
            out.flush()
            done[c["id"]] = row
            print(f"{c['id']}: sklearn {sk:.6f} (start {seed} of {ns}, {nc} not converged) {dt:.1f}s",
                  file=sys.stderr)
    # the default runs of a run.sh raw.tsv are candidates too ("best known" is the best seen)
    runs = {}
    if a.runs:
        with open(a.runs) as f:
            next(f)
            for line in f:
                p = line.rstrip("\n").split("\t")
                if p[1] in ("emkit", "sklearn") and p[2] not in ("NA", ""):
                    runs.setdefault(p[0], {})[p[1] + "-default"] = float(p[2])
    with open(os.path.join(HERE, "references.tsv"), "w") as f:
        f.write("id\tbest_known_loglik\tsklearn_best\tmclust\tsource\tsklearn_starts\tsklearn_best_start\t"
                "polish_not_converged\tsklearn_seconds\n")
        for c in read_cases():
            i = c["id"]
            if i not in done:
                continue
            row = done[i]
            _, sk, seed, nc, dt = row[:5]
            ns = row[5] if len(row) > 5 else "20"
            mc = mclust.get(i, [i, "NA"])[1]
            cand = {"sklearn-ref": float(sk)}
            if mc not in ("NA", ""):
                cand["mclust"] = float(mc)
            cand.update(runs.get(i, {}))
            best = max(cand.values())
            slack = max(0.01, 1e-6 * abs(best))
            src = "+".join(k for k, v in cand.items() if best - v <= slack)
            mcs = "NA" if mc in ("NA", "") else f"{float(mc):.6f}"
            f.write(f"{i}\t{best:.6f}\t{float(sk):.6f}\t{mcs}\t{src}\t{ns}\t{seed}\t{nc}\t{dt}\n")

if __name__ == "__main__":
    main()
