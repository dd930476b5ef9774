#!/usr/bin/python3
"""scikit-learn's reference values for a holdout grid: its default fit and the best of 20 starts at a tight
tolerance, full covariance (diagonal, spherical and tied for the structures grid), K = the set's true K.
Committed beside this script so that run.sh needs no Python beyond what generates the data.

    /usr/bin/python3 emkit-bench/search/holdout/references.py          # references.sklearn.tsv (4.4 minutes)
    /usr/bin/python3 emkit-bench/search/holdout/references.py --wide   # references-wide.sklearn.tsv (~25 minutes)
    /usr/bin/python3 emkit-bench/search/holdout/references.py --structures   # references-structures.sklearn.tsv
                                                                              # (~5 minutes)

The first grid's file and the structures grid's have id, sklearn_default, sklearn_best20. The wide grid's has
id, sklearn_default, sklearn_best20 (the best of the 20 starts whose every covariance has its smallest eigenvalue above
10 * reg_covar = 1e-5: a proper fit, not a spike on a few rows, as emkit ranks fits) and
sklearn_best20_any (the best of all 20, spikes included), then how many of the 20 were proper.
"""
import csv
import os
import sys
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


def structures():
    """The first grid's 24 sets with the three other structures (cases-structures.tsv): its id is the set's and the
    structure's, its covariance column scikit-learn's name."""
    with open(os.path.join(HERE, "cases-structures.tsv")) as f:
        cases = list(csv.DictReader(f, delimiter="\t"))
    with open(os.path.join(HERE, "references-structures.sklearn.tsv"), "w") as out:
        out.write("id\tsklearn_default\tsklearn_best20\n")
        for c in cases:
            x = np.loadtxt(os.path.join(ROOT, c["file"]), delimiter=",", skiprows=1)
            k, cov = int(c["K"]), c["covariance"]
            default = GaussianMixture(k, covariance_type=cov, random_state=0).fit(x).score(x) * len(x)
            best = max(GaussianMixture(k, covariance_type=cov, random_state=s, tol=1e-10, max_iter=3000).fit(x)
                       .score(x) * len(x) for s in range(20))
            out.write(f"{c['id']}\t{default!r}\t{best!r}\n")
            out.flush()


def main():
    warnings.simplefilter("ignore", ConvergenceWarning)
    if "--structures" in sys.argv[1:]:
        structures()
        return
    wide = "--wide" in sys.argv[1:]
    with open(os.path.join(HERE, "cases-wide.tsv" if wide else "cases.tsv")) as f:
        cases = list(csv.DictReader(f, delimiter="\t"))
    with open(os.path.join(HERE, "references-wide.sklearn.tsv" if wide else "references.sklearn.tsv"), "w") as out:
        out.write("id\tsklearn_default\tsklearn_best20\tsklearn_best20_any\tproper_of_20\n" if wide
                  else "id\tsklearn_default\tsklearn_best20\n")
        for c in cases:
            x = np.loadtxt(os.path.join(ROOT, c["file"]), delimiter=",", skiprows=1)
            k = int(c["K"])
            default = GaussianMixture(k, random_state=0).fit(x).score(x) * len(x)
            fits = [GaussianMixture(k, random_state=s, tol=1e-10, max_iter=3000).fit(x) for s in range(20)]
            values = [g.score(x) * len(x) for g in fits]
            if not wide:
                out.write(f"{c['id']}\t{default!r}\t{max(values)!r}\n")
            else:
                proper = [v for g, v in zip(fits, values)
                          if min(np.linalg.eigvalsh(cov).min() for cov in g.covariances_) > 1e-5]
                best = max(proper) if proper else float("nan")
                out.write(f"{c['id']}\t{default!r}\t{best!r}\t{max(values)!r}\t{len(proper)}\n")
            out.flush()


if __name__ == "__main__":
    main()
