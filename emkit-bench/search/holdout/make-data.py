#!/usr/bin/python3
"""Writes a holdout grid's 24 synthetic data sets, deterministically, and its cases file.

    /usr/bin/python3 emkit-bench/search/holdout/make-data.py           # the first grid: data/, cases.tsv
    /usr/bin/python3 emkit-bench/search/holdout/make-data.py --wide    # the wide grid: data-wide/, cases-wide.tsv

Grids drawn apart from the main one and never used to tune the search, each fitted with its true K and
full covariance, three kinds of mixture per (d, K) (heavily overlapping with unequal sizes, elongated with
sizes 25:1, well separated with equal sizes):

* the first: four dimensions (3, 5, 7, 10) x two true K (5, 8), as issue 21's second grid (d 3-10, K 5 and
  8); seeds 9000 onwards; every true cluster at least 5 rows.
* the wide one: four dimensions (4, 8, 12, 20) x two true K (6, 12), where the issue's grid reaches (K up to
  12, d up to 20) but with both large at once; seeds 9500 onwards; every true cluster at least 2(d + 1)
  rows, so that each can be fitted by a full covariance of its own (with fewer rows than d + 1 a cluster's
  "optimum" is a singular spike, not a fit).

Each set has its own numpy PCG64 seed and the fixed "%.6f" format, so the bytes are the same on every run
(data.sha256, data-wide.sha256).
"""
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from common import covariance, sample_components, weights, write_csv  # noqa: E402

# (separation, weights kind, shape kind, rows): see common.py for the kinds
KINDS = [(1.5, "unequal", "random", 1500), (2.0, "skewed", "elongated", 3000), (2.5, "equal", "random", 2000)]
# name: (data folder, cases file, dimensions, true Ks, first seed, id prefix, fewest rows of a true cluster)
GRIDS = {
    "first": ("data", "cases.tsv", (3, 5, 7, 10), (5, 8), 9000, "h", lambda d: 5),
    "wide": ("data-wide", "cases-wide.tsv", (4, 8, 12, 20), (6, 12), 9500, "w", lambda d: 2 * (d + 1)),
}


def main():
    folder, cases, dims, ks, first_seed, prefix, fewest = GRIDS["wide" if "--wide" in sys.argv[1:] else "first"]
    out = os.path.join(HERE, folder)
    os.makedirs(out, exist_ok=True)
    rows = []
    i = 0
    for d in dims:
        for k in ks:
            for sep, wkind, shape, n in KINDS:
                seed = first_seed + i
                i += 1
                rng = np.random.default_rng(seed)
                w = weights(rng, k, wkind)
                means = rng.standard_normal((k, d)) * sep * (k ** (1.0 / d))
                covs = [covariance(rng, d, shape) for _ in range(k)]
                x = sample_components(rng, n, w, means, covs, fewest(d))
                x = x[rng.permutation(n)]
                name = f"{prefix}{i:02d}-n{n}-d{d}-k{k}"
                write_csv(os.path.join(out, name + ".csv"), x)
                rows.append((name, f"emkit-bench/search/holdout/{folder}/{name}.csv", d, k))
    with open(os.path.join(HERE, cases), "w") as f:
        f.write("id\tfile\td\tK\n")
        for r in rows:
            f.write("%s\t%s\t%d\t%d\n" % r)
    print(f"wrote {len(rows)} sets to {out}")


if __name__ == "__main__":
    main()
