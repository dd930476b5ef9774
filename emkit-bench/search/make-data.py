#!/usr/bin/python3
"""Writes the synthetic data sets of the search-quality grid, deterministically, and cases.tsv.

    python3 emkit-bench/search/make-data.py [--out DIR] [--cases-only]

Each set is drawn from its own numpy Generator (PCG64, fixed seed) and written with a fixed
number format ("%.6f"), so the bytes are the same on every run; data.sha256 beside this script
holds their checksums (run.sh checks them).  The public example sets (examples/*.csv) are
used in place; they are not copied.
"""
import argparse
import os
import sys

import numpy as np

from common import covariance, sample_components, weights, write_csv

HERE = os.path.dirname(os.path.abspath(__file__))

# name: (seed, n, d, true K, separation, weights kind, shape kind, outlier fraction, Ks to fit)
# separation: the spread of the means in units of a typical component standard deviation
# (small = heavily overlapping); weights: "equal", "unequal" (Dirichlet-like, a few small
# clusters) or "skewed" (geometric, largest/smallest about 25); shape: "round" (near-spherical),
# "random" (random full covariances, condition number up to ~10), "elongated" (condition
# number ~100, random orientation).
SETS = {
    "s01-n500-d2-k3":     (101, 500,   2, 3,  4.0, "unequal",  "random",    0.0,  (3, 4)),
    "s02-n1000-d2-k5":    (102, 1000,  2, 5,  2.0, "equal",    "random",    0.0,  (5, 6)),
    "s03-n2000-d3-k6":    (103, 2000,  3, 6,  2.0, "skewed",   "random",    0.0,  (4, 6)),
    "s04-n3000-d5-k8":    (104, 3000,  5, 8,  2.0, "unequal",  "random",    0.0,  (8, 10)),
    "s05-n5000-d10-k6":   (105, 5000,  10, 6, 2.5, "unequal",  "elongated", 0.0,  (6,)),
    "s06-n2000-d20-k4":   (106, 2000,  20, 4, 1.5, "equal",    "random",    0.0,  (4,)),
    "s07-n20000-d4-k12":  (107, 20000, 4, 12, 2.0, "skewed",   "random",    0.0,  (12,)),
    "s08-n5000-d8-k10":   (108, 5000,  8, 10, 3.0, "unequal",  "random",    0.0,  (10, 12)),
    "s09-n1500-d3-k4-out": (109, 1500, 3, 4,  3.0, "unequal",  "elongated", 0.02, (4, 5)),
    "s10-n800-d6-k3-out": (110, 800,   6, 3,  3.0, "equal",    "round",     0.03, (3, 4)),
    "s11-n300-d2-k2":     (111, 300,   2, 2,  1.5, "unequal",  "elongated", 0.0,  (2, 4)),
    "s12-n4000-d12-k5":   (112, 4000,  12, 5, 1.5, "skewed",   "random",    0.0,  (5,)),
}

# Public example sets: (file relative to the repository root, columns, Ks)
PUBLIC = [
    ("faithful", "examples/faithful.csv", "eruptions,waiting", (2, 3, 4)),
    ("iris", "examples/iris.csv", "sepal_length,sepal_width,petal_length,petal_width", (2, 3, 4)),
]

COVARIANCES = ("full", "diag", "spherical", "tied")


def make_set(seed, n, d, k, sep, wkind, shape, out_frac):
    rng = np.random.default_rng(seed)
    w = weights(rng, k, wkind)
    means = rng.standard_normal((k, d)) * sep * (k ** (1.0 / d))
    covs = [covariance(rng, d, shape) for _ in range(k)]
    n_out = int(round(out_frac * n))
    n_in = n - n_out
    x = sample_components(rng, n_in, w, means, covs)
    if n_out:
        lo, hi = x.min(axis=0), x.max(axis=0)
        span = hi - lo
        # mild outliers: uniform in the data's bounding box widened by 25% on each side
        x = np.vstack([x, rng.uniform(lo - 0.25 * span, hi + 0.25 * span, size=(n_out, d))])
    x = x[rng.permutation(n)]
    return x


def cases():
    rows = []
    for name, file, cols, ks in PUBLIC:
        for k in ks:
            for c in COVARIANCES:
                rows.append((f"{name}-k{k}-{c}", file, cols, k, c))
    for name, (seed, n, d, kt, sep, wk, sh, of, ks) in SETS.items():
        cols = ",".join(f"x{j + 1}" for j in range(d))
        for k in ks:
            for c in COVARIANCES:
                rows.append((f"{name}-k{k}-{c}", f"emkit-bench/search/data/{name}.csv", cols, k, c))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "data"))
    ap.add_argument("--cases-only", action="store_true", help="only rewrite cases.tsv")
    a = ap.parse_args()
    if not a.cases_only:
        os.makedirs(a.out, exist_ok=True)
        for name, (seed, n, d, kt, sep, wk, sh, of, ks) in SETS.items():
            write_csv(os.path.join(a.out, name + ".csv"), make_set(seed, n, d, kt, sep, wk, sh, of))
            print(f"wrote {name}.csv", file=sys.stderr)
    with open(os.path.join(HERE, "cases.tsv"), "w") as f:
        f.write("id\tfile\tcolumns\tK\tcovariance\n")
        for r in cases():
            f.write("\t".join(map(str, r)) + "\n")


if __name__ == "__main__":
    main()
