#!/usr/bin/env Rscript
# mclust's fits of every case of the structures holdout grid (cases-structures.tsv), written to
# references-structures.mclust.tsv beside this script (NA where mclust fits nothing):
# - mclust_default: Mclust(X, G = K, modelNames = M) with nothing else set, R's seed 0 before each
#   (mclust draws its 2000-row hierarchical-clustering subset with R's RNG when n > 2000), as
#   ../mclust-fit.R does for the main grid;
# - mclust_all_rows: the same with the hierarchical clustering on every row
#   (initialization = list(subset = all rows)): no draw, and on these sets often a better start.
# Debian's r-cran-mclust; about fifteen minutes on 2 cores.
#
#   Rscript emkit-bench/search/holdout/references-structures.mclust.R
suppressPackageStartupMessages(library(mclust))
here <- local({
  a <- commandArgs(trailingOnly = FALSE)
  dirname(normalizePath(sub("^--file=", "", a[grep("^--file=", a)])))
})
root <- normalizePath(file.path(here, "..", "..", ".."))
cases <- read.delim(file.path(here, "cases-structures.tsv"), stringsAsFactors = FALSE)
models <- c(full = "VVV", diag = "VVI", spherical = "VII", tied = "EEE")
out <- data.frame(id = cases$id, mclust_default = NA_real_, mclust_all_rows = NA_real_)
loglik <- function(f) if (!is.null(f) && is.finite(f$loglik)) f$loglik else NA_real_
for (i in seq_len(nrow(cases))) {
  row <- cases[i, ]
  x <- as.matrix(read.csv(file.path(root, row$file))[, seq_len(row$d), drop = FALSE])
  set.seed(0)
  out$mclust_default[i] <- loglik(tryCatch(
    Mclust(x, G = row$K, modelNames = models[[row$covariance]], verbose = FALSE), error = function(e) NULL))
  out$mclust_all_rows[i] <- loglik(tryCatch(
    Mclust(x, G = row$K, modelNames = models[[row$covariance]], initialization = list(subset = seq_len(nrow(x))),
           verbose = FALSE), error = function(e) NULL))
  cat(row$id, sprintf("%.6f %.6f", out$mclust_default[i], out$mclust_all_rows[i]), "\n", file = stderr())
}
out$mclust_default <- sprintf("%.6f", out$mclust_default)
out$mclust_all_rows <- sprintf("%.6f", out$mclust_all_rows)
write.table(out, file.path(here, "references-structures.mclust.tsv"), sep = "\t", quote = FALSE,
            row.names = FALSE)
