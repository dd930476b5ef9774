#!/usr/bin/python3
"""scikit-learn's reference values for the holdout grid: its default fit and the best of 20 starts
at a tight tolerance, full covariance, K = the set's true K.  Writes references.sklearn.tsv
(id, sklearn_default, sklearn_best20), committed beside this script so that run.sh needs no Python
beyond what generates the data.

    /usr/bin/python3 emkit-bench/search/holdout/references.py     # 4.4 minutes on this 2-core machine
"""
import csv
import os
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


def main():
    warnings.simplefilter("ignore", ConvergenceWarning)
    with open(os.path.join(HERE, "cases.tsv")) as f:
        cases = list(csv.DictReader(f, delimiter="\t"))
    with open(os.path.join(HERE, "references.sklearn.tsv"), "w") as out:
        out.write("id\tsklearn_default\tsklearn_best20\n")
        for c in cases:
            x = np.loadtxt(os.path.join(ROOT, c["file"]), delimiter=",", skiprows=1)
            k = int(c["K"])
            default = GaussianMixture(k, random_state=0).fit(x).score(x) * len(x)
            best = max(GaussianMixture(k, random_state=s, tol=1e-10, max_iter=3000).fit(x).score(x) * len(x)
                       for s in range(20))
            out.write(f"{c['id']}\t{default!r}\t{best!r}\n")
            out.flush()


if __name__ == "__main__":
    main()
