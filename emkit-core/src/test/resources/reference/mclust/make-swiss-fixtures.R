# R's swiss data (47 Swiss provinces in 1888, 6 columns: Fertility, Agriculture, Examination, Education, Catholic,
# Infant.Mortality) and mclust's BIC table for them: few rows for their dimension, recorded to 0.1, 1 and 0.01, where
# a mixture of many components can turn each component's thin directions onto a handful of rows.
#
# Run from this folder:   Rscript make-swiss-fixtures.R
# Needs R and the mclust package (Debian/Ubuntu: apt-get install r-cran-mclust).
# The Java build never runs this; it only reads the files written here. See README.md.
#
# swiss.csv: datasets::swiss without its row names (the values as R prints them, 15 significant digits).
# swiss-bic.csv: model,G,bic,loglik,df: mclustBIC(swiss, G = 1:9) with mclust's defaults, bic in mclust's sign
# (larger is better), NA where mclust could not fit; loglik = (bic + df * log(n)) / 2.
# swiss-best.csv: model,G,bic,loglik,df of Mclust(swiss, G = 1:9), mclust's choice.

suppressPackageStartupMessages(library(mclust))

x <- datasets::swiss
write.csv(x, "swiss.csv", row.names = FALSE, quote = FALSE)
stopifnot(isTRUE(all.equal(as.matrix(read.csv("swiss.csv")), as.matrix(x), check.attributes = FALSE)))

n <- nrow(x)
b <- mclustBIC(x, G = 1:9, verbose = FALSE)
rows <- character(0)
for (model in colnames(b)) for (G in rownames(b)) {
  bic <- b[G, model]
  df <- nMclustParams(model, ncol(x), as.integer(G))
  rows <- c(rows, paste(model, G, ifelse(is.na(bic), "NA", sprintf("%.17g", bic)),
                        ifelse(is.na(bic), "NA", sprintf("%.17g", (bic + df * log(n)) / 2)), df, sep = ","))
}
writeLines(c("model,G,bic,loglik,df", rows), "swiss-bic.csv")

fit <- Mclust(x, G = 1:9, x = b, verbose = FALSE)
writeLines(c("model,G,bic,loglik,df",
             paste(fit$modelName, fit$G, sprintf("%.17g", fit$bic), sprintf("%.17g", fit$loglik), fit$df, sep = ",")),
           "swiss-best.csv")
