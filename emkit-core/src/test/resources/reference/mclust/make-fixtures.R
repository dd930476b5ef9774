# Reference fixtures from R's mclust for emkit's tests.
#
# Run from this folder:   Rscript make-fixtures.R
# Needs R and the mclust package (Debian/Ubuntu: apt-get install r-cran-mclust).
# The Java build never runs this; it only reads the CSV files written here.
# See README.md for what every file holds.

suppressPackageStartupMessages(library(mclust))
source("hcvvv-emulation.R")

RNGkind("Mersenne-Twister", "Inversion", "Rejection")

examples <- file.path("..", "..", "..", "..", "..", "..", "examples")
stopifnot(file.exists(file.path(examples, "faithful.csv")))

ALL14 <- c("EII", "VII", "EEI", "VEI", "EVI", "VVI", "EEE",
           "VEE", "EVE", "VVE", "EEV", "VEV", "EVV", "VVV")

# ---------------------------------------------------------------------------
# CSV writer: numbers with 17 significant digits (round-trips a double
# exactly), integers as integers, NA as NA, no quotes, no row names.

fmt_col <- function(v) {
  if (is.character(v) || is.factor(v)) return(as.character(v))
  if (is.logical(v)) v <- as.integer(v)
  if (is.integer(v) || (is.numeric(v) && all(is.na(v) | v == round(v)) &&
                        all(is.na(v) | abs(v) < 2^31))) {
    out <- ifelse(is.na(v), "NA", format(as.integer(v), scientific = FALSE, trim = TRUE))
  } else {
    out <- ifelse(is.na(v), "NA", sprintf("%.17g", v))
  }
  out
}

write_csv17 <- function(df, file) {
  df <- as.data.frame(df, stringsAsFactors = FALSE)
  cols <- lapply(df, fmt_col)
  lines <- do.call(paste, c(cols, sep = ","))
  writeLines(c(paste(names(df), collapse = ","), lines), file)
}

# Floating columns that happen to be whole numbers must still be written
# with %.17g-compatible text; integers are written as integers, which is the
# same number, so the round trip stays exact.

# ---------------------------------------------------------------------------
# Data sets

faithful_csv <- read.csv(file.path(examples, "faithful.csv"))
iris_csv <- read.csv(file.path(examples, "iris.csv"))
stopifnot(isTRUE(all.equal(as.matrix(faithful_csv), as.matrix(datasets::faithful),
                           check.attributes = FALSE)))
stopifnot(isTRUE(all.equal(as.matrix(iris_csv[, 1:4]), as.matrix(datasets::iris[, 1:4]),
                           check.attributes = FALSE)))

# Random symmetric positive definite covariance from a seed-driven factor
rcov <- function(d, scale) {
  A <- matrix(rnorm(d * d), d, d)
  S <- crossprod(A) / d + diag(0.2, d)
  S * scale
}
rmvn <- function(n, mu, S) {
  Z <- matrix(rnorm(n * length(mu)), n, length(mu))
  sweep(Z %*% chol(S), 2, mu, "+")
}

# synth3d: 150 rows, 3 columns, 4 clusters (sizes 45, 40, 35, 30), separated
set.seed(20240601)
sizes <- c(45, 40, 35, 30)
mus <- list(c(0, 0, 0), c(5, 0, 1), c(0, 5, -1), c(4, 4, 5))
scales <- c(1.0, 0.6, 1.4, 0.8)
parts <- lapply(1:4, function(k) rmvn(sizes[k], mus[[k]], rcov(3, scales[k])))
X <- do.call(rbind, parts)
lab <- rep(1:4, sizes)
perm <- sample(nrow(X))
synth3d <- data.frame(x1 = X[perm, 1], x2 = X[perm, 2], x3 = X[perm, 3], label = lab[perm])
write_csv17(synth3d, "synth3d.csv")

# synth2d: 60 rows, 2 columns, 3 overlapping clusters (sizes 25, 20, 15)
set.seed(20240602)
sizes <- c(25, 20, 15)
mus <- list(c(0, 0), c(3, 1), c(0.5, 3.5))
covs <- list(matrix(c(1, 0.5, 0.5, 1), 2), matrix(c(0.5, -0.2, -0.2, 1.5), 2),
             matrix(c(0.8, 0, 0, 0.3), 2))
parts <- lapply(1:3, function(k) rmvn(sizes[k], mus[[k]], covs[[k]]))
X <- do.call(rbind, parts)
lab <- rep(1:3, sizes)
perm <- sample(nrow(X))
synth2d <- data.frame(x1 = X[perm, 1], x2 = X[perm, 2], label = lab[perm])
write_csv17(synth2d, "synth2d.csv")

# Read the synthetic sets back so R uses exactly the numbers Java will parse
synth3d_csv <- read.csv("synth3d.csv")
synth2d_csv <- read.csv("synth2d.csv")
stopifnot(identical(as.matrix(synth3d_csv[, 1:3]), as.matrix(synth3d[, 1:3])))
stopifnot(identical(as.matrix(synth2d_csv[, 1:2]), as.matrix(synth2d[, 1:2])))

datasets <- list(
  faithful = as.matrix(faithful_csv),
  iris     = as.matrix(iris_csv[, 1:4]),
  synth3d  = as.matrix(synth3d_csv[, 1:3]),
  synth2d  = as.matrix(synth2d_csv[, 1:2])
)
for (nm in names(datasets)) dimnames(datasets[[nm]]) <- list(NULL, colnames(datasets[[nm]]))

# ---------------------------------------------------------------------------
# VVV merge criterion, recomputed in R (documents and checks the README):
#   T(C) = n_C * log( |W_C / n_C| + beta * (tr W_C + alpha') / n_C )  if n_C > p
#   T(C) = n_C * log( beta * (tr W_C + alpha') / n_C )                 if n_C <= p
#   (the determinant term is dropped if |W_C| is exactly 0)
#   cost(A, B) = T(A u B) - T(A) - T(B), merge the pair with the least cost.
#   alpha' = alpha * tr(W_all) / (n p),  W = scatter (sum of squared deviations).

vvv_term <- function(Z, alpha1, beta) {
  m <- nrow(Z); p <- ncol(Z)
  Zc <- sweep(Z, 2, colMeans(Z))
  W <- crossprod(Zc)
  tr <- sum(diag(W))
  if (m <= p) return(m * log(beta * (tr + alpha1) / m))
  if (tr == 0) return(m * log(alpha1 * beta / m))
  det <- determinant(W / m, logarithm = TRUE)$modulus
  m * log(exp(det) + beta * (tr + alpha1) / m)
}

merge_costs <- function(Z, merges, alpha = 1, beta = 1) {
  n <- nrow(Z); p <- ncol(Z)
  alpha1 <- max(alpha * sum(scale(Z, scale = FALSE)^2) / (n * p), .Machine$double.eps)
  cl <- seq_len(n)
  cost <- numeric(ncol(merges))
  for (s in seq_len(ncol(merges))) {
    i <- merges[1, s]; j <- merges[2, s]
    A <- Z[cl == i, , drop = FALSE]; B <- Z[cl == j, , drop = FALSE]
    cost[s] <- vvv_term(rbind(A, B), alpha1, beta) - vvv_term(A, alpha1, beta) -
      vvv_term(B, alpha1, beta)
    cl[cl == j] <- i
  }
  list(cost = cost, alpha1 = alpha1)
}

# The merge costs as the Fortran routine hcvvv reports them (hcVVV drops them)
fortran_costs <- function(Z, alpha = 1, beta = 1) {
  n <- nrow(Z); p <- ncol(Z); l <- n; m <- l - 1
  ld <- max(n, (l * (l - 1)) / 2 + 1, 3 * m)
  a <- max(alpha * mclust:::traceW(Z / sqrt(n * p)), .Machine$double.eps)
  out <- .Fortran("hcvvv", cbind(Z, 0), as.integer(n), as.integer(p),
                  as.integer(seq_len(n)), as.integer(l), as.integer(m),
                  as.double(a), as.double(beta), double(p), double(p * p),
                  double(p * p), double(p * p), as.integer(ld), double(ld),
                  PACKAGE = "mclust")
  list(merges = t(out[[1]][1:m, 1:2]), cost = out[[14]][1:m])
}

# ---------------------------------------------------------------------------
# hc fixtures

# Check: labels in a merge pair are the smallest observation index of each
# cluster, and the first is the smaller.
check_min_labels <- function(merges, n) {
  cl <- seq_len(n)
  for (s in seq_len(ncol(merges))) {
    i <- merges[1, s]; j <- merges[2, s]
    stopifnot(i < j, any(cl == i), any(cl == j),
              min(which(cl == i)) == i, min(which(cl == j)) == j)
    cl[cl == j] <- i
  }
  invisible(TRUE)
}

hc_use <- mclust.options("hcUse")
hc_model <- mclust.options("hcModelName")
stopifnot(hc_use == "SVD", hc_model == "VVV")

svd_transform <- function(data) {
  # exactly what hc(..., use = "SVD") does (mclust 6.0.0)
  Xs <- scale(data, center = TRUE, scale = TRUE)
  p <- min(dim(Xs))
  s <- svd(Xs, nu = 0)
  Xs %*% s$v %*% diag(1 / sqrt(s$d), p, p)
}

write_hc <- function(h, prefix, n) {
  merges <- unclass(h)[1:2, , drop = FALSE]
  check_min_labels(merges, n)
  Z <- attr(h, "data")
  mc <- merge_costs(Z, merges)
  fc <- fortran_costs(Z)
  stopifnot(all(fc$merges == merges))
  # mclust's reported costs are NOT the textbook criterion once a cluster
  # that was merged before the latest step and has >= 3 points is involved
  # (see README, "stored-factor defect"); the emulation reproduces them.
  em <- hcvvv_emulate(Z)
  emu_ok <- all(em$merges == merges)
  emu_rel <- max(abs(em$cost - fc$cost) / pmax(1, abs(fc$cost)))
  textbook_rel <- max(abs(mc$cost - fc$cost) / pmax(1, abs(fc$cost)))
  write_csv17(data.frame(step = seq_len(ncol(merges)), i = merges[1, ], j = merges[2, ],
                         cost = fc$cost),
              paste0(prefix, "-merge.csv"))
  cls <- hclass(h, 1:9)
  colnames(cls) <- paste0("G", 1:9)
  write_csv17(as.data.frame(cls), paste0(prefix, "-classes.csv"))
  list(alpha = mc$alpha1, emu_ok = emu_ok, emu_rel = emu_rel, textbook_rel = textbook_rel)
}

hc_info <- list()
for (nm in names(datasets)) {
  X <- datasets[[nm]]
  n <- nrow(X)
  # What Mclust()/mclustBIC() use for initialisation:
  h <- hc(X, modelName = hc_model, use = hc_use)
  stopifnot(identical(attr(h, "initialPartition"), as.numeric(seq_len(n))) ||
              all(attr(h, "initialPartition") == seq_len(n)))
  Z <- attr(h, "data")
  stopifnot(isTRUE(all.equal(Z, svd_transform(X), check.attributes = FALSE, tolerance = 0)))
  # same merges when hcVVV is run on the transformed matrix directly
  h2 <- hcVVV(Z)
  stopifnot(all(unclass(h2)[1:2, ] == unclass(h)[1:2, ]))
  Zdf <- as.data.frame(Z)
  names(Zdf) <- paste0("z", seq_len(ncol(Z)))
  write_csv17(Zdf, paste0(nm, "-hc-svd-data.csv"))
  a1 <- write_hc(h, paste0(nm, "-hc-svd"), n)
  # hc(X) with its own formal defaults: modelName "VVV", use "VARS" (raw data)
  hv <- hc(X)
  stopifnot(attr(hv, "use") == "VARS")
  a2 <- write_hc(hv, paste0(nm, "-hc-vars"), n)
  stopifnot(a1$emu_ok)   # the SVD trees (the ones Mclust uses) must be reproduced
  sv <- svd(scale(X), nu = 0)$d
  hc_info[[nm]] <- data.frame(dataset = nm, n = n, d = ncol(X),
                              alpha_svd = a1$alpha, alpha_vars = a2$alpha,
                              emulation_matches_svd = a1$emu_ok,
                              emulation_matches_vars = a2$emu_ok,
                              emulation_cost_relerr_svd = a1$emu_rel,
                              emulation_cost_relerr_vars = a2$emu_rel,
                              textbook_cost_relerr_svd = a1$textbook_rel,
                              textbook_cost_relerr_vars = a2$textbook_rel,
                              singular_values = paste(sprintf("%.17g", sv), collapse = " "))
}
write_csv17(do.call(rbind, hc_info), "hc-info.csv")

# ---------------------------------------------------------------------------
# BIC tables: mclustBIC over all 14 models, G = 1..9, default hc start

best <- list()
for (nm in names(datasets)) {
  X <- datasets[[nm]]
  n <- nrow(X); d <- ncol(X)
  B <- mclustBIC(X, G = 1:9, modelNames = ALL14, verbose = FALSE)
  rc <- attr(B, "returnCodes")
  rows <- list()
  for (mdl in ALL14) for (g in 1:9) {
    bic <- B[as.character(g), mdl]
    df <- nMclustParams(mdl, d, g)
    rows[[length(rows) + 1]] <- data.frame(
      model = mdl, G = g, bic = bic, loglik = (bic + df * log(n)) / 2, df = df,
      returnCode = rc[as.character(g), mdl])
  }
  tab <- do.call(rbind, rows)
  write_csv17(tab, paste0(nm, "-bic.csv"))

  fit <- Mclust(X, G = 1:9, verbose = FALSE)
  stopifnot(isTRUE(all.equal(max(tab$bic, na.rm = TRUE), unname(fit$bic))))
  best[[length(best) + 1]] <- data.frame(
    dataset = nm, what = "best", model = fit$modelName, G = fit$G,
    bic = fit$bic, loglik = fit$loglik, df = fit$df)
}

# Known checks on iris (G = 3): VEV -186.074, VVV -180.186
for (mdl in c("VEV", "VVV")) {
  fit <- Mclust(datasets$iris, G = 3, modelNames = mdl, verbose = FALSE)
  best[[length(best) + 1]] <- data.frame(
    dataset = "iris", what = "check", model = mdl, G = 3,
    bic = fit$bic, loglik = fit$loglik, df = fit$df)
}
best <- do.call(rbind, best)
stopifnot(abs(best$loglik[best$what == "check" & best$model == "VEV"] - (-186.074)) < 1e-3,
          abs(best$loglik[best$what == "check" & best$model == "VVV"] - (-180.186)) < 1e-3)
write_csv17(best, "mclust-best.csv")

writeLines(c(paste("mclust", as.character(packageVersion("mclust"))),
             R.version.string,
             paste("hcUse", hc_use), paste("hcModelName", hc_model),
             paste("emModelNames", paste(mclust.options("emModelNames"), collapse = " ")),
             paste("subset", mclust.options("subset"))),
           "VERSIONS.txt")
cat("done\n")
