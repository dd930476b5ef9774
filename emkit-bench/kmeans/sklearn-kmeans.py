#!/usr/bin/python3
"""scikit-learn's KMeans on a CSV, as one process: reading included, k-means++ start, one run.

Usage: sklearn-kmeans.py DATA.csv K lloyd|elkan [SEED [TOL [MAX_ITER]]]

TOL is scikit-learn's tol (default 1e-4); 0 runs to Lloyd's fixed point (no label changes), at most MAX_ITER
(default 300) iterations.

Prints the wall time of the whole process so far, of the fit alone, the inertia and the iterations.
"""
import sys
import time

t0 = time.perf_counter()
import numpy as np
from sklearn.cluster import KMeans

path, k, algorithm = sys.argv[1], int(sys.argv[2]), sys.argv[3]
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 0
tol = float(sys.argv[5]) if len(sys.argv) > 5 else 1e-4
max_iter = int(sys.argv[6]) if len(sys.argv) > 6 else 300
x = np.loadtxt(path, delimiter=",", skiprows=1)
t1 = time.perf_counter()
fit = KMeans(n_clusters=k, n_init=1, algorithm=algorithm, random_state=seed, tol=tol, max_iter=max_iter).fit(x)
t2 = time.perf_counter()
print(f"algorithm={algorithm} read_s={t1 - t0:.3f} fit_s={t2 - t1:.3f} total_s={t2 - t0:.3f} "
      f"inertia={fit.inertia_:.6f} n_iter={fit.n_iter_}")
