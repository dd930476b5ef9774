# Whether mclust's fit of each cell of MclustDA's per-class BIC tables (iris-mclustda-bic.csv) sits on rows recorded
# alike, by emkit's rule (GaussianMixtureModel.spuriousReason with the data's recording steps): a component whose
# variance in a column is below step^2/12, the step being the smallest gap between two of the class's values in that
# column (iris is recorded to 0.1 cm, so 0.1 for every column of every class; the rule's bound 0.000833), or whose
# variance along some direction v is below an eighth of v' diag(step^2/12) v, what rounding adds along v.
#
# Run from this folder:   Rscript make-mclustda-rounding.R
# Needs R and the mclust package (Debian/Ubuntu: apt-get install r-cran-mclust).
# The Java build never runs this; it only reads iris-mclustda-rounding.csv. See README.md.
#
# Each cell is refitted as mclustBIC fitted it (summary of the class's BIC table for that G and structure: EM from
# mclust's hierarchical start); its BIC is checked against the table's. Written per cell: the smallest
# variance / (step^2 / 12) over the components and columns (below 1: the fit sits on rows recorded alike), the
# smallest v' sigma v / v' diag(step^2/12) v over the components and directions v (below 1/8: a component lies
# flatter than its rows' rounding), NA where mclust could not fit the cell.

suppressPackageStartupMessages(library(mclust))

examples <- file.path("..", "..", "..", "..", "..", "..", "examples")
iris_csv <- read.csv(file.path(examples, "iris.csv"))
X <- as.matrix(iris_csv[, 1:4])
class <- factor(iris_csv$species)
step_of <- function(v) { u <- sort(unique(v)); if (length(u) < 2) NA else min(diff(u)) }

out <- c("class,model,G,bic,min_variance_over_rounding,min_direction_variance_over_rounding")
for (g in levels(class)) {
  Xg <- X[class == g, , drop = FALSE]
  b <- mclustBIC(Xg, G = 1:5, verbose = FALSE)
  rounding <- apply(Xg, 2, step_of)^2 / 12
  for (model in colnames(b)) for (G in rownames(b)) {
    bic <- b[G, model]
    ratio <- NA
    direction <- NA
    if (!is.na(bic)) {
      s <- summary(b, Xg, G = as.integer(G), modelNames = model)
      stopifnot(abs(s$bic - bic) < 1e-6 * abs(bic) + 1e-9)
      sigma <- s$parameters$variance$sigma
      d <- ncol(Xg)
      k <- as.integer(G)
      v <- sapply(seq_len(k), function(c) diag(matrix(sigma[, , c], d, d)))
      ratio <- min(sweep(matrix(v, nrow = d), 1, rounding, "/"))
      scale <- diag(1 / sqrt(rounding), d)
      direction <- min(sapply(seq_len(k), function(c) min(eigen(scale %*% matrix(sigma[, , c], d, d) %*% scale,
                                                                symmetric = TRUE, only.values = TRUE)$values)))
    }
    out <- c(out, paste(g, model, G, ifelse(is.na(bic), "NA", sprintf("%.17g", bic)),
                        ifelse(is.na(ratio), "NA", sprintf("%.6g", ratio)),
                        ifelse(is.na(direction), "NA", sprintf("%.6g", direction)), sep = ","))
  }
}
writeLines(out, "iris-mclustda-rounding.csv")
