#!/usr/bin/python3
"""Writes the holdout grid's 24 synthetic data sets, deterministically, and cases.tsv.

    /usr/bin/python3 emkit-bench/search/holdout/make-data.py

A second grid, drawn apart from the main one and never used to tune the search: four dimensions
(3, 5, 7, 10) x two true K (5, 8) x three kinds of mixture (heavily overlapping with unequal sizes,
elongated with sizes 25:1, well separated with equal sizes), each fitted with its true K and full
covariance, as issue 21's second grid (d 3-10, K 5 and 8).  Each set has its own numpy PCG64 seed
(9000 onwards) and the fixed "%.6f" format, so the bytes are the same on every run (data.sha256).
"""
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from common import covariance, sample_components, weights, write_csv  # noqa: E402

# (separation, weights kind, shape kind, rows): see common.py for the kinds
KINDS = [(1.5, "unequal", "random", 1500), (2.0, "skewed", "elongated", 3000), (2.5, "equal", "random", 2000)]


def main():
    out = os.path.join(HERE, "data")
    os.makedirs(out, exist_ok=True)
    rows = []
    i = 0
    for d in (3, 5, 7, 10):
        for k in (5, 8):
            for sep, wkind, shape, n in KINDS:
                seed = 9000 + i
                i += 1
                rng = np.random.default_rng(seed)
                w = weights(rng, k, wkind)
                means = rng.standard_normal((k, d)) * sep * (k ** (1.0 / d))
                covs = [covariance(rng, d, shape) for _ in range(k)]
                x = sample_components(rng, n, w, means, covs)
                x = x[rng.permutation(n)]
                name = f"h{i:02d}-n{n}-d{d}-k{k}"
                write_csv(os.path.join(out, name + ".csv"), x)
                rows.append((name, f"emkit-bench/search/holdout/data/{name}.csv", d, k))
    with open(os.path.join(HERE, "cases.tsv"), "w") as f:
        f.write("id\tfile\td\tK\n")
        for r in rows:
            f.write("%s\t%s\t%d\t%d\n" % r)
    print(f"wrote {len(rows)} sets to {out}")


if __name__ == "__main__":
    main()
