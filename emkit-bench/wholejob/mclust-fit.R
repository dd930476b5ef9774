#!/usr/bin/env Rscript
# mclust's fit of a CSV file with K full-covariance components, as one process, as a user writes it:
#
#   x <- as.matrix(data.table::fread(DATA))     # read.csv(DATA) when data.table is not installed
#   set.seed(0)                                 # mclust's hc start draws a 2000-row subset (n > 2000)
#   Mclust(x, G = K, modelNames = "VVV")
#
# (everything else at mclust's defaults: hierarchical-clustering start, EM to relative tol 1e-5, no
# prior). Prints the fit's log-likelihood, or NA when Mclust returns no model.
#
#   Rscript emkit-bench/wholejob/mclust-fit.R DATA.csv K
suppressPackageStartupMessages(library(mclust))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: mclust-fit.R DATA.csv K")
k <- as.integer(args[2])
x <- if (requireNamespace("data.table", quietly = TRUE)) {
  as.matrix(data.table::fread(args[1], header = TRUE))
} else {
  as.matrix(read.csv(args[1], check.names = FALSE))
}
set.seed(0)
fit <- Mclust(x, G = k, modelNames = "VVV", verbose = FALSE)
ll <- if (is.null(fit) || is.null(fit$loglik) || !is.finite(fit$loglik)) NA else fit$loglik
cat(if (is.na(ll)) "NA" else format(ll, digits = 17), "\n", sep = "")
