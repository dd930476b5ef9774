# The converged optima of the models that model selection picks, for ModelSelectionTest.
#
# Run from this folder:   Rscript converged.R     (writes converged.csv; needs R and mclust)
#
# mclust's default EM tolerance (relative change 1e-5 of the log-likelihood) stops faithful's EEE, K = 3 short
# of its optimum (-1126.3262 against -1126.3159); here EM runs with a relative tolerance of 1e-12 from the same
# hierarchical-clustering start, so the values are the optimum itself (scikit-learn reaches the same faithful
# value). mclust's BIC has the opposite sign of emkit's.

suppressPackageStartupMessages(library(mclust))
examples <- file.path("..", "..", "..", "..", "..", "..", "examples")
faithful_csv <- read.csv(file.path(examples, "faithful.csv"))
iris_csv <- read.csv(file.path(examples, "iris.csv"))
stopifnot(isTRUE(all.equal(as.matrix(faithful_csv), as.matrix(datasets::faithful), check.attributes = FALSE)))
stopifnot(isTRUE(all.equal(as.matrix(iris_csv[, 1:4]), as.matrix(datasets::iris[, 1:4]), check.attributes = FALSE)))

tight <- emControl(tol = c(1e-12, sqrt(.Machine$double.eps)))
fits <- list(
  list(dataset = "faithful", data = datasets::faithful, model = "EEE", G = 3),
  list(dataset = "iris", data = datasets::iris[, 1:4], model = "VEV", G = 2))
rows <- lapply(fits, function(f) {
  m <- Mclust(f$data, G = f$G, modelNames = f$model, control = tight, verbose = FALSE)
  data.frame(dataset = f$dataset, model = f$model, G = f$G, bic = sprintf("%.17g", m$bic),
             loglik = sprintf("%.17g", m$loglik), df = m$df,
             mclust = as.character(packageVersion("mclust")))
})
write.csv(do.call(rbind, rows), "converged.csv", row.names = FALSE, quote = FALSE)
