"""Shared helpers of the search-quality scripts: the case list and CSV loading."""
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
