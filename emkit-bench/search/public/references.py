#!/usr/bin/python3
"""Reference values of the public holdout grid -> references.tsv, committed beside this script so that run.sh
needs no Python or R beyond what writes the data.

    /usr/bin/python3 emkit-bench/search/public/references.py      # about 3 minutes here

Per case (cases.tsv): scikit-learn's default fit, GaussianMixture(K, covariance_type=C, random_state=0), and
its best of 20 starts (random_state 0-19, tol=1e-10, max_iter=3000) among the *proper* ones: every variance
(the smallest eigenvalue of each covariance) above 10 * reg_covar = 1e-5, as emkit ranks fits, so that a spike
on a few tied rows (real data are rounded) does not count as an optimum; the best of all 20 and how many were
proper are kept too. And mclust's default, Mclust(X, G=K, modelNames=M) (hierarchical start, no prior, no
regularisation), by ../mclust-fit.R in one R process; NA where mclust fits nothing.
"""
import csv
import os
import subprocess
import tempfile
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
MCLUST_FIT = os.path.join(HERE, "..", "mclust-fit.R")


def smallest_variance(g):
    c = np.asarray(g.covariances_)
    if g.covariance_type == "full":
        return min(np.linalg.eigvalsh(m).min() for m in c)
    if g.covariance_type == "tied":
        return np.linalg.eigvalsh(c).min()
    return c.min()


def mclust_values():
    """mclust's default fit of every case, by the main grid's mclust-fit.R in one R process."""
    with tempfile.TemporaryDirectory() as tmp:
        table = os.path.join(tmp, "mclust.tsv")
        subprocess.run(["Rscript", MCLUST_FIT, "--all", table, os.path.join(HERE, "cases.tsv")], check=True,
                       capture_output=True)
        with open(table) as f:
            return {r["id"]: r["mclust_loglik"] for r in csv.DictReader(f, delimiter="\t")}


def main():
    warnings.simplefilter("ignore", ConvergenceWarning)
    warnings.simplefilter("ignore", RuntimeWarning)
    with open(os.path.join(HERE, "cases.tsv")) as f:
        cases = list(csv.DictReader(f, delimiter="\t"))
    mclust = mclust_values()
    with open(os.path.join(HERE, "references.tsv"), "w") as out:
        out.write("id\tsklearn_default\tsklearn_best20\tsklearn_best20_any\tproper_of_20\tmclust\n")
        for c in cases:
            x = np.loadtxt(os.path.join(ROOT, c["file"]), delimiter=",", skiprows=1, ndmin=2)
            k, cov = int(c["K"]), c["covariance"]
            default = GaussianMixture(k, covariance_type=cov, random_state=0).fit(x).score(x) * len(x)
            fits = [GaussianMixture(k, covariance_type=cov, random_state=s, tol=1e-10, max_iter=3000).fit(x)
                    for s in range(20)]
            values = [g.score(x) * len(x) for g in fits]
            proper = [v for g, v in zip(fits, values) if smallest_variance(g) > 1e-5]
            best = max(proper) if proper else float("nan")
            m = mclust.get(c["id"], "NA")
            out.write(f"{c['id']}\t{default!r}\t{best!r}\t{max(values)!r}\t{len(proper)}\t{m}\n")
            out.flush()


if __name__ == "__main__":
    main()
