#!/usr/bin/python3
"""scikit-learn's KMeans on a CSV, as one process: reading included, k-means++ start, one run.

Usage: sklearn-kmeans.py DATA.csv K lloyd|elkan [SEED]

Prints the wall time of the whole process so far, of the fit alone, the inertia and the iterations.
"""
import sys
import time

t0 = time.perf_counter()
import numpy as np
from sklearn.cluster import KMeans

path, k, algorithm = sys.argv[1], int(sys.argv[2]), sys.argv[3]
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 0
x = np.loadtxt(path, delimiter=",", skiprows=1)
t1 = time.perf_counter()
fit = KMeans(n_clusters=k, n_init=1, algorithm=algorithm, random_state=seed).fit(x)
t2 = time.perf_counter()
print(f"algorithm={algorithm} read_s={t1 - t0:.3f} fit_s={t2 - t1:.3f} total_s={t2 - t0:.3f} "
      f"inertia={fit.inertia_:.6f} n_iter={fit.n_iter_}")
