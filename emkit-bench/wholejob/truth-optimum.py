#!/usr/bin/python3
"""Writes a data set made as make-data.py makes the suite's, for any (n, d, K, seed), and prints the optimum EM
reaches from the parameters that generated it: the reference BENCHMARKS.md's whole-job section compares
emkit's default fit with ("optimum from the truth").

    /usr/bin/python3 emkit-bench/wholejob/truth-optimum.py N D K SEED [--out DIR]
    /usr/bin/python3 emkit-bench/wholejob/truth-optimum.py 100000 16 16 20261122 --reference-only

The truth is drawn from numpy's PCG64 seeded with (SEED, D, K), the rows from (SEED, N, D, K), as make-data.py
does with SEED = 20261122 (so `100000 16 16 20261122 --reference-only` gives the reference of the suite's own
gmm-100k-16-16.csv without writing it again). The optimum: scikit-learn's GaussianMixture started at the
generating weights, means and precisions, tol=1e-10, reg_covar=1e-6 (emkit's), up to 3000 iterations; printed
as the total log-likelihood, with the iterations and the smallest component's expected rows.
"""
import argparse
import os
import sys

import numpy as np
from sklearn.mixture import GaussianMixture

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "search"))
from common import covariance, sample_components, weights, write_csv  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for name in ("n", "d", "k", "seed"):
        ap.add_argument(name, type=int)
    ap.add_argument("--out", default=os.path.join(HERE, "data"))
    ap.add_argument("--reference-only", action="store_true", help="do not write the CSV")
    a = ap.parse_args()
    truth = np.random.default_rng([a.seed, a.d, a.k])
    w = weights(truth, a.k, "unequal")
    h = 3.0 * np.sqrt(3.0 / a.d)
    means = truth.uniform(-h, h, size=(a.k, a.d))
    covs = [covariance(truth, a.d, "random") for _ in range(a.k)]
    rows = np.random.default_rng([a.seed, a.n, a.d, a.k])
    x = sample_components(rows, a.n, w, means, covs)
    x = x[rows.permutation(a.n)]
    if not a.reference_only:
        os.makedirs(a.out, exist_ok=True)
        path = os.path.join(a.out, f"truth-{a.n}-{a.d}-{a.k}-{a.seed}.csv")
        write_csv(path, x)
        print(f"wrote {path}", file=sys.stderr)
    g = GaussianMixture(a.k, covariance_type="full", weights_init=w, means_init=means,
                        precisions_init=np.linalg.inv(np.array(covs)), tol=1e-10, max_iter=3000,
                        reg_covar=1e-6).fit(x)
    print(f"optimum from the truth {g.score(x) * a.n:.4f}  iterations {g.n_iter_}  "
          f"smallest component {int(min(w) * a.n)} rows")


if __name__ == "__main__":
    main()
