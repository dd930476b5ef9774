#!/usr/bin/python3
"""Writes the whole-job suite's data sets (cases.tsv beside this script) as CSV, deterministically.

    /usr/bin/python3 emkit-bench/wholejob/make-data.py [--out DIR] [CASE_ID ...]

(default: every case of cases.tsv into data/). Every set, Gaussian-mixture and k-means cases alike, is
drawn from a K-component Gaussian mixture, K the case's K:

* means uniform in the box [-h, h]^d with h = 3 * sqrt(3 / d), so each coordinate has standard
  deviation 3 / sqrt(d) and two means lie about 4.2 apart whatever d is (separated, yet the
  clusters overlap: the spread of emkit-bench's SyntheticData, in a box);
* random full covariances (random orientation, eigenvalues log-uniform in [0.3, 3]) and unequal
  weights (Gamma(1) + 0.05, normalised), from ../search/common.py as in the search grid;
* the truth from numpy's PCG64 seeded with (20261122, d, K), so cases differing only in n share it;
  the rows from (20261122, n, d, K); rows shuffled; written with a header x1..xd and "%.6f".

Beside each DATA.csv goes DATA.case, the cases.tsv line it was made from; run.sh regenerates a set
whose .case file is missing or differs.
"""
import argparse
import csv
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "search"))
from common import covariance, sample_components, weights, write_csv  # noqa: E402

SEED = 20261122


def read_cases(path=os.path.join(HERE, "cases.tsv")):
    """The rows of cases.tsv as dicts (n, d, K as ints)."""
    with open(path) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for r in rows:
        for key in ("n", "d", "K"):
            r[key] = int(r[key])
    return rows


def case_line(case):
    """The case's cases.tsv line, as stamped into DATA.case."""
    return "\t".join(str(case[key]) for key in ("id", "kind", "n", "d", "K", "group")) + "\n"


def make_set(n, d, k):
    """n rows in d dimensions from the K-component truth of (d, K), shuffled."""
    truth = np.random.default_rng([SEED, d, k])
    w = weights(truth, k, "unequal")
    h = 3.0 * np.sqrt(3.0 / d)
    means = truth.uniform(-h, h, size=(k, d))
    covs = [covariance(truth, d, "random") for _ in range(k)]
    rows = np.random.default_rng([SEED, n, d, k])
    x = sample_components(rows, n, w, means, covs)
    return x[rows.permutation(n)]


def main():
    ap = argparse.ArgumentParser(description="Writes the whole-job suite's data sets.")
    ap.add_argument("--out", default=os.path.join(HERE, "data"))
    ap.add_argument("ids", nargs="*", help="case ids (default: every case)")
    a = ap.parse_args()
    cases = read_cases()
    known = {c["id"] for c in cases}
    unknown = [i for i in a.ids if i not in known]
    if unknown:
        sys.exit(f"make-data.py: no such case: {', '.join(unknown)}")
    os.makedirs(a.out, exist_ok=True)
    for c in cases:
        if a.ids and c["id"] not in a.ids:
            continue
        base = os.path.join(a.out, c["id"])
        write_csv(base + ".csv", make_set(c["n"], c["d"], c["K"]))
        with open(base + ".case", "w") as f:
            f.write(case_line(c))
        print(f"make-data.py: wrote {c['id']}.csv ({c['n']} x {c['d']}, K = {c['K']})", file=sys.stderr)


if __name__ == "__main__":
    main()
