#!/usr/bin/python3
"""scikit-learn's default fit of one search-quality case, as a user would write it:

    GaussianMixture(n_components=K, covariance_type=C, random_state=0).fit(X)

(every other option at its default: init_params="kmeans", n_init=1, tol=1e-3, max_iter=100,
reg_covar=1e-6).  Prints "loglik<TAB>iterations<TAB>seconds": the total log-likelihood
score(X) * n, n_iter_, and the seconds of the fit call alone.

    /usr/bin/python3 emkit-bench/search/sklearn-fit.py CASE_ID [CASES]

CASES: another grid's cases file (default: cases.tsv beside this script).
"""
import sys
import time
import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

from common import load, read_cases


def main():
    cases = read_cases(sys.argv[2]) if len(sys.argv) > 2 else read_cases()
    case = next((c for c in cases if c["id"] == sys.argv[1]), None)
    if case is None:
        sys.exit(f"no such case: {sys.argv[1]}")
    x = load(case["file"], case["columns"])
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # counted by n_iter_ == max_iter
        gm = GaussianMixture(n_components=case["K"], covariance_type=case["covariance"],
                             random_state=0).fit(x)
    dt = time.perf_counter() - t0
    print(f"{float(gm.score(x)) * x.shape[0]!r}\t{gm.n_iter_}\t{dt:.3f}")


if __name__ == "__main__":
    main()
