# Reference fixtures for emkit's discriminant analysis (EDDA), from R's mclust (MclustDA, modelType = "EDDA").
#
# Run from this folder:   Rscript make-edda-fixtures.R
# Needs R and the mclust package (Debian/Ubuntu: apt-get install r-cran-mclust).
# The Java build never runs this; it only reads the CSV files written here. See README.md.
#
# Data: examples/iris.csv, the four measurements, species the class; every row labelled.
# EDDA: one Gaussian per class, the covariance structure shared by the classes, each of the 14 fitted alone
# (MclustDA(X, class, modelType = "EDDA", modelNames = m)) and the choice by BIC among all 14.
# Cross-validation: cvMclustDA(fit, nfold = 10) after set.seed(1); the folds are mclust's balancedFolds
# drawn from the same seed, written out so that a test can use the very same folds.

suppressPackageStartupMessages(library(mclust))

examples <- file.path("..", "..", "..", "..", "..", "..", "examples")
iris_csv <- read.csv(file.path(examples, "iris.csv"))
X <- as.matrix(iris_csv[, 1:4])
stopifnot(isTRUE(all.equal(X, as.matrix(datasets::iris[, 1:4]), check.attributes = FALSE)))
class <- factor(iris_csv$species)

ALL14 <- c("EII", "VII", "EEI", "VEI", "EVI", "VVI", "EEE",
           "VEE", "EVE", "VVE", "EEV", "VEV", "EVV", "VVV")
num <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))

rows <- c("model,loglik,df,bic,training_error")
for (m in ALL14) {
  fit <- try(MclustDA(X, class, modelType = "EDDA", modelNames = m, verbose = FALSE), silent = TRUE)
  if (inherits(fit, "try-error")) {
    rows <- c(rows, paste(m, "NA", "NA", "NA", "NA", sep = ","))
    next
  }
  err <- mean(predict(fit)$classification != class)
  rows <- c(rows, paste(m, num(fit$loglik), fit$df, num(fit$bic), num(err), sep = ","))
}
best <- MclustDA(X, class, modelType = "EDDA", verbose = FALSE)
rows <- c(rows, paste0("best:", best$models[[1]]$modelName, ",", num(best$loglik), ",", best$df, ",",
                       num(best$bic), ",", num(mean(predict(best)$classification != class))))
writeLines(rows, "iris-edda.csv")

set.seed(1)
folds <- mclust:::balancedFolds(class, nfolds = 10)
set.seed(1)
cv <- cvMclustDA(best, nfold = 10, verbose = FALSE)
fold_of_row <- integer(nrow(X))
for (f in seq_along(folds)) fold_of_row[folds[[f]]] <- f
writeLines(c("row,fold,cv_class", paste(seq_len(nrow(X)), fold_of_row, as.character(cv$classification), sep = ",")),
           "iris-edda-folds.csv")
writeLines(c("model,nfold,ce,brier", paste(best$models[[1]]$modelName, 10, num(cv$ce), num(cv$brier), sep = ",")),
           "iris-edda-cv.csv")
print(read.csv("iris-edda.csv"))
print(read.csv("iris-edda-cv.csv"))
