# Reference fixtures for emkit's mixture discriminant analysis (MclustDA, a Gaussian mixture per class), from R's
# mclust (MclustDA with its default modelType = "MclustDA").
#
# Run from this folder:   Rscript make-mclustda-fixtures.R
# Needs R and the mclust package (Debian/Ubuntu: apt-get install r-cran-mclust).
# The Java build never runs this; it only reads the CSV files written here. See README.md.
#
# Data: examples/iris.csv, the four measurements, species the class; every row labelled.
# MclustDA: per class, mclustBIC(X[class == g, ], G = 1:5, all 14 structures), the model chosen by BIC (the class's
# own rows and n). The whole model's log-likelihood is mclust's logLik.MclustDA: over all rows, the log of the
# class densities mixed by the class frequencies; its df the sum of the classes' ((G - 1) + G d + covariance
# parameters); its BIC 2 logL - df ln n.
# Cross-validation: cvMclustDA(fit, nfold = 10) after set.seed(1) (each fold refits every class with the model
# chosen on all rows); the folds are mclust's balancedFolds drawn from the same seed, written out.
# Class priors: predict(fit, prop = c(0.2, 0.3, 0.5)) on every row.

suppressPackageStartupMessages(library(mclust))

examples <- file.path("..", "..", "..", "..", "..", "..", "examples")
iris_csv <- read.csv(file.path(examples, "iris.csv"))
X <- as.matrix(iris_csv[, 1:4])
stopifnot(isTRUE(all.equal(X, as.matrix(datasets::iris[, 1:4]), check.attributes = FALSE)))
class <- factor(iris_csv$species)
num <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))

fit <- MclustDA(X, class, verbose = FALSE)
stopifnot(fit$type == "MclustDA")

# Per class: the chosen model, and every (structure, G) cell of the class's BIC table.
# At G = 1, mclust names the chosen model XII, XXI or XXX, and its BIC is the best of the table's row G = 1.
bic_of <- function(b, m) if (m$G == 1) max(b["1", ], na.rm = TRUE) else b[as.character(m$G), m$modelName]
rows <- c("class,model,G,loglik,df,bic,n")
cells <- c("class,model,G,bic")
for (g in levels(class)) {
  m <- fit$models[[g]]
  b <- m$BIC
  df <- (m$G - 1) + m$G * ncol(X) + nVarParams(m$modelName, d = ncol(X), G = m$G)
  rows <- c(rows, paste(g, m$modelName, m$G, num(m$loglik), df, num(bic_of(b, m)), m$n,
                        sep = ","))
  for (model in colnames(b)) for (G in rownames(b)) {
    cells <- c(cells, paste(g, model, G, num(b[G, model]), sep = ","))
  }
}
rows <- c(rows, paste("all", "", "", num(fit$loglik), fit$df, num(fit$bic), fit$n, sep = ","))
writeLines(rows, "iris-mclustda.csv")
writeLines(cells, "iris-mclustda-bic.csv")

train <- predict(fit)
prior <- predict(fit, prop = c(0.2, 0.3, 0.5))
writeLines(c("row,class,prior_class,prior_setosa,prior_versicolor,prior_virginica",
             paste(seq_len(nrow(X)), as.character(train$classification), as.character(prior$classification),
                   num(prior$z[, 1]), num(prior$z[, 2]), num(prior$z[, 3]), sep = ",")),
           "iris-mclustda-predict.csv")

set.seed(1)
folds <- mclust:::balancedFolds(class, nfolds = 10)
set.seed(1)
cv <- cvMclustDA(fit, nfold = 10, verbose = FALSE)
fold_of_row <- integer(nrow(X))
for (f in seq_along(folds)) fold_of_row[folds[[f]]] <- f
writeLines(c("row,fold,cv_class", paste(seq_len(nrow(X)), fold_of_row, as.character(cv$classification), sep = ",")),
           "iris-mclustda-folds.csv")
writeLines(c("nfold,ce,brier,training_error", paste(10, num(cv$ce), num(cv$brier),
           num(mean(train$classification != class)), sep = ",")), "iris-mclustda-cv.csv")
print(summary(fit))
print(read.csv("iris-mclustda.csv"))
print(read.csv("iris-mclustda-cv.csv"))
