# mclust's M-step for fixed responsibilities: the reference of emkit's MclustMStepTest.
# Run from the repository root:  Rscript emkit-core/src/test/resources/reference/mclust-mstep/make-mstep.R
# Writes, next to this script, for faithful (K = 2) and iris (K = 3):
#   <data>-z.csv       the responsibilities (n rows, K columns), drawn with a fixed seed
#   <data>-mstep.csv   per model: pro, mean, sigma from mstep(), the log-likelihood at those parameters
#                      (estep()), and Q = -1/2 sum_k [n_k log|Sigma_k| + tr(W_k Sigma_k^-1)] (written out here)
suppressPackageStartupMessages(library(mclust))
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
root <- normalizePath(file.path(here, "../../../../../.."))

models <- c("EII", "VII", "EEI", "VEI", "EVI", "VVI", "EEE", "VEE", "EVE", "VVE", "EEV", "VEV", "EVV", "VVV")
fmt <- function(v) trimws(formatC(v, digits = 17, format = "g"))

# Soft responsibilities: a Gaussian kernel around K rows drawn with a fixed seed, plus a random floor.
responsibilities <- function(x, K, seed) {
  set.seed(seed)
  s <- apply(x, 2, sd)
  centres <- x[sample(nrow(x), K), , drop = FALSE]
  z <- sapply(seq_len(K), function(k) exp(-rowSums(sweep(sweep(x, 2, centres[k, ]), 2, s, "/")^2)))
  z <- z + 0.05 * matrix(runif(nrow(x) * K), nrow(x), K)
  z / rowSums(z)
}

q <- function(x, z, mean, sigma) {
  total <- 0
  for (k in seq_len(ncol(z))) {
    e <- sweep(x, 2, mean[, k])
    w <- crossprod(e * z[, k], e)
    total <- total + sum(z[, k]) * determinant(sigma[, , k], logarithm = TRUE)$modulus +
      sum(diag(w %*% solve(sigma[, , k])))
  }
  -0.5 * as.numeric(total)
}

for (set in list(list(name = "faithful", K = 2, seed = 1901), list(name = "iris", K = 3, seed = 1902))) {
  x <- as.matrix(read.csv(file.path(root, "examples", paste0(set$name, ".csv")))[, if (set$name == "iris") 1:4 else 1:2])
  d <- ncol(x)
  z <- responsibilities(x, set$K, set$seed)
  write.csv(matrix(fmt(z), nrow(z)), file.path(here, paste0(set$name, "-z.csv")), row.names = FALSE, quote = FALSE)
  out <- data.frame(model = character(), what = character(), k = integer(), i = integer(), j = integer(),
                    value = character())
  add <- function(m, what, k, i, j, v) {
    out[nrow(out) + 1, ] <<- list(m, what, k, i, j, fmt(v))
  }
  for (m in models) {
    # The iterative M-steps (VEI, VEE, EVE, VVE, VEV) stop at tol[2] of their inner iterations: tightened from
    # mclust's default sqrt(eps) to 1e-13, and no cap on the count.
    ms <- mstep(modelName = m, data = x, z = z,
                control = emControl(tol = c(1e-5, 1e-13), itmax = c(.Machine$integer.max, .Machine$integer.max)))
    p <- ms$parameters
    sigma <- p$variance$sigma
    if (is.null(dim(sigma)) || length(dim(sigma)) < 3) sigma <- array(sigma, c(d, d, set$K))
    ll <- estep(modelName = m, data = x, parameters = p)$loglik
    add(m, "loglik", 0, 0, 0, ll)
    add(m, "Q", 0, 0, 0, q(x, z, p$mean, sigma))
    if (!is.null(attr(ms, "info"))) add(m, "inner", 0, 0, 0, attr(ms, "info")[1])
    for (k in seq_len(set$K)) {
      add(m, "pro", k, 0, 0, p$pro[k])
      for (i in seq_len(d)) {
        add(m, "mean", k, i, 0, p$mean[i, k])
        for (j in seq_len(d)) add(m, "sigma", k, i, j, sigma[i, j, k])
      }
    }
  }
  write.csv(out, file.path(here, paste0(set$name, "-mstep.csv")), row.names = FALSE, quote = FALSE)
}
cat("mclust", as.character(packageVersion("mclust")), "on", R.version.string, "\n")
