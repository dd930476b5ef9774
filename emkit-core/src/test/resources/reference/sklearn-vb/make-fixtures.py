"""Reference values for emkit's variational Bayes (io.emkit.variational), from scikit-learn's
BayesianGaussianMixture (Debian python3-sklearn 1.2.1). Run from this folder: /usr/bin/python3 make-fixtures.py
(the Java build never runs it).

Data: ../mclust/synth3d.csv (150 rows, columns x1..x3; its label column is not used). Every fit starts from the
same responsibilities, one-hot on the labels in start-labels.csv (KMeans(5, n_init=1, random_state=0)), and
runs exactly 20 iterations (tol=0, max_iter=20), for both weight priors and the four covariance types, with
every other option at scikit-learn's default (reg_covar 1e-6, weight concentration 1/K, mean precision 1,
mean prior the data mean, degrees of freedom d, covariance prior the data's covariance or variances).

Writes start-labels.csv (label) and fits.csv (weight_prior,covariance,what,index,value): the lower bound
(lower_bound_), the weights (weights_), the means (means_, row-major), the covariances (covariances_,
flattened as scikit-learn stores them), degrees_of_freedom_, mean_precision_.
"""
import warnings

import numpy as np
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import BayesianGaussianMixture

X = np.loadtxt("../mclust/synth3d.csv", delimiter=",", skiprows=1, usecols=(0, 1, 2))
K = 5
labels = KMeans(K, n_init=1, random_state=0).fit(X).labels_
np.savetxt("start-labels.csv", labels, fmt="%d", header="label", comments="")
resp = np.zeros((len(X), K))
resp[np.arange(len(X)), labels] = 1.0

rows = []
for prior in ["dirichlet_process", "dirichlet_distribution"]:
    for cov in ["full", "diag", "spherical", "tied"]:
        m = BayesianGaussianMixture(n_components=K, covariance_type=cov, weight_concentration_prior_type=prior,
                                    max_iter=20, tol=0.0, random_state=0)
        m._initialize_parameters = lambda X_, random_state, m=m: m._initialize(X_, resp)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            m.fit(X)
        out = {"lower_bound": [m.lower_bound_], "weights": m.weights_, "means": m.means_,
               "covariances": m.covariances_, "degrees_of_freedom": np.atleast_1d(m.degrees_of_freedom_),
               "mean_precision": m.mean_precision_}
        for what, v in out.items():
            for i, x in enumerate(np.ravel(v)):
                rows.append("%s,%s,%s,%d,%.17g" % (prior, cov, what, i, x))
with open("fits.csv", "w") as f:
    f.write("weight_prior,covariance,what,index,value\n")
    f.write("\n".join(rows) + "\n")
print(len(rows), "values")
