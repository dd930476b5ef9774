#!/usr/bin/python3
"""The k-means benchmark's data: N rows in D dimensions from K Gaussian clusters, written as CSV.

Usage: make-data.py N D K OUT.csv [SEED]

Means N(0, (3/sqrt(D))^2 I), so two means are about 4.2 apart whatever D is (separated, yet overlapping);
covariances 0.5 I + 0.5 A A^T with A's entries N(0, 1/D); weights proportional to 0.5 + U(0, 1). The same
shape of truth as emkit-bench's SyntheticData, drawn by numpy from a fixed seed (default 20261122).
"""
import sys

import numpy as np

n, d, k, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
seed = int(sys.argv[5]) if len(sys.argv) > 5 else 20261122
rng = np.random.default_rng(seed)
weights = 0.5 + rng.random(k)
weights /= weights.sum()
means = rng.normal(0.0, 3.0 / np.sqrt(d), size=(k, d))
factors = []
for _ in range(k):
    a = rng.normal(0.0, 1.0 / np.sqrt(d), size=(d, d))
    factors.append(np.linalg.cholesky(0.5 * np.eye(d) + 0.5 * a @ a.T))
labels = rng.choice(k, size=n, p=weights)
x = means[labels] + np.einsum("nij,nj->ni", np.asarray(factors)[labels], rng.standard_normal((n, d)))
header = ",".join(f"x{j + 1}" for j in range(d))
np.savetxt(out, x, delimiter=",", header=header, comments="", fmt="%.6f")
