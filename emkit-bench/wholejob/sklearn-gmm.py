#!/usr/bin/python3
"""scikit-learn's default Gaussian mixture fit of a CSV file, as one process, as a user writes it:

    X = numpy.loadtxt(DATA, delimiter=",", skiprows=1)
    GaussianMixture(K, random_state=0).fit(X)

(every option at its default: full covariances, k-means start, n_init 1, tol 1e-3, max_iter 100,
reg_covar 1e-6; random_state fixed only so that repeats are the same run).

    /usr/bin/python3 emkit-bench/wholejob/sklearn-gmm.py DATA.csv K

Prints "loglik<TAB>n_iter<TAB>scoring_s": the total log-likelihood of the fitted model,
score(X) * n, its iteration count, and the seconds score(X) took. scikit-learn keeps only the
likelihood before its last M-step (lower_bound_), so score(X) is one E-step the fit itself would
not do; run.sh subtracts scoring_s from the process's wall time.
"""
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture


def main():
    path, k = sys.argv[1], int(sys.argv[2])
    x = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # visible as n_iter == max_iter
        gm = GaussianMixture(k, random_state=0).fit(x)
    t0 = time.perf_counter()
    loglik = float(gm.score(x)) * x.shape[0]
    scoring = time.perf_counter() - t0
    print(f"{loglik!r}\t{gm.n_iter_}\t{scoring:.3f}")


if __name__ == "__main__":
    main()
