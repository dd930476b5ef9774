# Reference fixtures for emkit's semi-supervised EM, from R's mclust (MclustSSC).
#
# Run from this folder:   Rscript make-ssc-fixtures.R
# Needs R and the mclust package (Debian/Ubuntu: apt-get install r-cran-mclust).
# The Java build never runs this; it only reads the CSV files written here. See README.md.
#
# Data: examples/iris.csv (the four measurements; species is the class).
# Labelled rows, chosen without looking at any result, in eleven selections of 5 rows per species:
#   first5     the first 5 rows of each species in file order (rows 1-5, 51-55, 101-105, 1-based);
#   every10-o  rows o+1, o+11, o+21, o+31, o+41 of each species (o = 0..9), so that every row is labelled
#              in exactly one of the ten.
# Every other row is unlabelled (class NA). G = 3 (one component per class), each of the 14 structures.
# Besides mclust's own run (default tolerance: stop when the semi-supervised log-likelihood rises by
# less than 1e-5), the same fit is continued to a relative-free absolute tolerance of 1e-12 ("tight"),
# the optimum itself, which is what emkit's fixture test compares with.

suppressPackageStartupMessages(library(mclust))

examples <- file.path("..", "..", "..", "..", "..", "..", "examples")
iris_csv <- read.csv(file.path(examples, "iris.csv"))
X <- as.matrix(iris_csv[, 1:4])
stopifnot(isTRUE(all.equal(X, as.matrix(datasets::iris[, 1:4]), check.attributes = FALSE)))
species <- as.character(iris_csv$species)

per_species <- function(pick) unlist(lapply(sort(unique(species)), function(s) which(species == s)[pick]))
selections <- c(list(first5 = per_species(1:5)),
                setNames(lapply(0:9, function(o) per_species(o + c(1, 11, 21, 31, 41))), paste0("every10-", 0:9)))

ALL14 <- c("EII", "VII", "EEI", "VEI", "EVI", "VVI", "EEE",
           "VEE", "EVE", "VVE", "EEV", "VEV", "EVV", "VVV")

num <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))

summary_rows <- c("selection,model,loglik_default,loglik_tight,df,bic_tight,status,unlabelled_correct")
param_rows <- c("selection,model,component,class,what,index,value")
pred_rows <- NULL
tight <- emControl(tol = c(1e-12, sqrt(.Machine$double.eps)))
for (sel in names(selections)) {
labelled <- selections[[sel]]
class <- rep(NA_character_, nrow(X))
class[labelled] <- species[labelled]
for (m in ALL14) {
  def <- try(MclustSSC(X, class, G = 3, modelNames = m, verbose = FALSE), silent = TRUE)
  fit <- try(MclustSSC(X, class, G = 3, modelNames = m, control = tight, verbose = FALSE), silent = TRUE)
  if (inherits(fit, "try-error") || is.null(fit) || inherits(def, "try-error") || is.null(def)) {
    summary_rows <- c(summary_rows, paste(sel, m, "NA", "NA", "NA", "NA", "failed", "NA", sep = ","))
    next
  }
  pred <- as.character(fit$classification)
  correct <- sum(pred[-labelled] == species[-labelled])
  summary_rows <- c(summary_rows, paste(sel, m, num(def$loglik), num(fit$loglik), fit$df, num(fit$bic), "ok",
                                        correct, sep = ","))
  pred_rows <- cbind(pred_rows, pred)
  colnames(pred_rows)[ncol(pred_rows)] <- paste(sel, m, sep = ":")
  if (sel != "first5") next
  p <- fit$parameters
  lv <- levels(fit$classification)
  for (k in 1:3) {
    param_rows <- c(param_rows, paste(sel, m, k, lv[k], "weight", 1, num(p$pro[k]), sep = ","))
    for (j in 1:4) param_rows <- c(param_rows, paste(sel, m, k, lv[k], "mean", j, num(p$mean[j, k]), sep = ","))
    S <- p$variance$sigma[, , k]
    for (a in 1:4) for (b in 1:4)
      param_rows <- c(param_rows, paste(sel, m, k, lv[k], "cov", (a - 1) * 4 + b, num(S[a, b]), sep = ","))
  }
}
}
writeLines(summary_rows, "iris-ssc-summary.csv")
writeLines(param_rows, "iris-ssc-parameters.csv")
pred_out <- data.frame(row = seq_len(nrow(X)), species = species,
                       pred_rows, check.names = FALSE)
write.csv(pred_out, "iris-ssc-classes.csv", row.names = FALSE, quote = FALSE)
cat("wrote iris-ssc-summary.csv, iris-ssc-parameters.csv, iris-ssc-classes.csv\n")
summ <- read.csv("iris-ssc-summary.csv")
print(summ[summ$model %in% c("VVV", "VEV"), ])
