#!/usr/bin/env python3
"""How much a centroid-geometry bound could prune in one k-means case: for rows of the data and the
centroids a fit ended at, the share of rows whose distance u to their own centroid a exceeds half the gap
from a to its nearest other centroid (Hamerly's centroid test then cannot settle the row), and, for those
rows, how many other centroids lie within 2u of a (Exponion's ball, Newling and Fleuret 2016: only those
could be nearer). Where the ball holds nearly every centroid, such a bound has nothing to skip.

  ./emkit kmeans emkit-bench/wholejob/data/km-200k-16-64.csv -k 64 --json | jq -c .centroids > /tmp/centroids.json
  python3 emkit-bench/wholejob/kmeans-geometry.py emkit-bench/wholejob/data/km-200k-16-64.csv /tmp/centroids.json [rows]

Needs numpy (python3-numpy); reads the first `rows` rows (default 20,000).
"""
import json
import sys

import numpy as np


def main():
    data, centroids_file = sys.argv[1], sys.argv[2]
    rows = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
    c = np.array(json.load(open(centroids_file)))
    x = np.loadtxt(data, delimiter=",", skiprows=1, max_rows=rows)
    squared = ((x[:, None, :] - c[None, :, :]) ** 2).sum(-1)
    own = squared.argmin(1)
    u = np.sqrt(squared[np.arange(len(x)), own])
    between = np.sqrt(((c[:, None, :] - c[None, :, :]) ** 2).sum(-1))
    half = between / 2
    np.fill_diagonal(half, np.inf)
    unsettled = u > half.min(1)[own]
    in_ball = (half[own] <= u[:, None]).sum(1)[unsettled]
    others = between[~np.eye(len(c), dtype=bool)].reshape(len(c), len(c) - 1)
    print(f"rows {len(x)}, centroids {len(c)}, dimension {x.shape[1]}")
    print(f"rows the centroid test cannot settle: {unsettled.mean():.4%}")
    if in_ball.size:
        print(f"other centroids within Exponion's ball, over those rows: mean {in_ball.mean():.1f}, "
              f"median {np.median(in_ball):.0f}, 10th percentile {np.percentile(in_ball, 10):.0f} (of {len(c) - 1})")
    print(f"centroid distances: nearest-neighbour median {np.median(others.min(1)):.3f}, "
          f"all pairs median {np.median(others):.3f}")


if __name__ == "__main__":
    main()
