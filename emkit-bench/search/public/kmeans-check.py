#!/usr/bin/python3
"""k-means on the public holdout grid's data: emkit's default `kmeans` against scikit-learn's default
KMeans(K, n_init=1, random_state=0) and its best of 50 tight starts (random_state 0-49, tol=1e-10, max_iter=3000),
K = 2, 3, 4, 5, 6, 8, one process each for emkit.

    /usr/bin/python3 emkit-bench/search/public/kmeans-check.py > OUT.tsv     # about 2 minutes here

Prints per case the three inertias and emkit's relative excess over each (positive: emkit's inertia is higher);
the last lines count the cases within 1e-6 relative (emkit's default tolerance on the inertia's relative change).
Run from the repository's root after make-data.py.
"""
import glob
import json
import os
import subprocess
import warnings

import numpy as np
from sklearn.cluster import KMeans

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


def main():
    warnings.simplefilter("ignore")
    print("case\temkit\tsklearn_default\tsklearn_best50\temkit_over_default\temkit_over_best50")
    at_default = at_best = cases = 0
    for path in sorted(glob.glob(os.path.join(HERE, "data", "*.csv"))):
        x = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
        for k in (2, 3, 4, 5, 6, 8):
            default = KMeans(k, n_init=1, random_state=0).fit(x).inertia_
            best = min(KMeans(k, n_init=1, random_state=s, tol=1e-10, max_iter=3000).fit(x).inertia_
                       for s in range(50))
            out = subprocess.run([os.path.join(ROOT, "emkit"), "kmeans", path, "-k", str(k), "--json"],
                                 check=True, capture_output=True, text=True).stdout
            emkit = json.loads(out)["inertia"]
            over_default, over_best = (emkit - default) / default, (emkit - best) / best
            cases += 1
            at_default += over_default <= 1e-6
            at_best += over_best <= 1e-6
            name = os.path.basename(path)[:-4]
            print(f"{name}-k{k}\t{emkit!r}\t{default!r}\t{best!r}\t{over_default:.3g}\t{over_best:.3g}", flush=True)
    print(f"# emkit at most scikit-learn's default (1e-6 relative): {at_default} of {cases}")
    print(f"# emkit at most scikit-learn's best of 50 (1e-6 relative): {at_best} of {cases}")


if __name__ == "__main__":
    main()
