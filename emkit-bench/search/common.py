"""Shared helpers of the bench's Python scripts: the search grid's case list, CSV loading, and the
synthetic-data pieces (mixture weights, random covariances, the fixed CSV format) that the search
grid's and the whole-job suite's generators both draw with."""
import csv
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
MCLUST = {"full": "VVV", "diag": "VVI", "spherical": "VII", "tied": "EEE"}


def read_cases(path=os.path.join(HERE, "cases.tsv")):
    with open(path) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for r in rows:
        r["K"] = int(r["K"])
    return rows


def load(file, columns):
    """The named columns of a CSV file (relative to the repository root) as a float64 array."""
    path = file if os.path.isabs(file) else os.path.join(ROOT, file)
    with open(path) as f:
        header = next(csv.reader(f))
    idx = [header.index(c) for c in columns.split(",")]
    return np.loadtxt(path, delimiter=",", skiprows=1, usecols=idx, ndmin=2, dtype=np.float64)


def weights(rng, k, kind):
    """K mixture weights summing to 1: "equal", "unequal" (1 + Gamma(1)-like spread, a few small
    ones) or "skewed" (geometric, largest/smallest 25, in random order)."""
    if kind == "equal":
        w = np.ones(k)
    elif kind == "unequal":
        w = rng.gamma(1.0, size=k) + 0.05
    else:  # skewed: geometric from 1 down to 1/25
        w = 25.0 ** (-np.arange(k) / max(k - 1, 1))
        rng.shuffle(w)
    return w / w.sum()


def covariance(rng, d, shape):
    """A d x d covariance: "round" (diagonal, variances 0.7 to 1.3), "random" (random orientation,
    eigenvalues log-uniform in [0.3, 3]) or "elongated" (one axis ~10x the others' spread)."""
    if shape == "round":
        return np.diag(rng.uniform(0.7, 1.3, size=d))
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    if shape == "random":
        ev = np.exp(rng.uniform(np.log(0.3), np.log(3.0), size=d))
    else:  # elongated: one long axis (~10x the standard deviation of the others)
        ev = rng.uniform(0.5, 1.0, size=d)
        ev[0] = rng.uniform(60.0, 100.0)
    return (q * ev) @ q.T


def sample_components(rng, n, w, means, covs, min_rows=5):
    """n rows drawn from the Gaussian components (means[j], covs[j]), grouped by component (not
    shuffled): component j gets its multinomial(n, w) count, raised to at least min_rows rows (no
    empty or tiny true cluster) at the largest component's expense."""
    counts = rng.multinomial(n, w)
    counts = np.maximum(counts, min_rows)
    counts[np.argmax(counts)] -= counts.sum() - n
    parts = [rng.multivariate_normal(means[j], covs[j], size=counts[j], method="cholesky")
             for j in range(len(w))]
    return np.vstack(parts)


def write_csv(path, x):
    """Writes the rows of x to path with a header x1..xd and a fixed "%.6f" format (the same bytes
    on every run), through a temporary file so that an interrupted run leaves no partial file."""
    d = x.shape[1]
    header = ",".join(f"x{j + 1}" for j in range(d))
    tmp = path + ".tmp"
    with open(tmp, "w", newline="\n") as f:
        f.write(header + "\n")
        np.savetxt(f, x, fmt="%.6f", delimiter=",")
    os.replace(tmp, path)
