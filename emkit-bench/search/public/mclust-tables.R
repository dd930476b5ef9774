# mclust's BIC table (every structure, G = 1..9) on each public set of this grid and on Old Faithful and iris, as
# `Mclust(x, G = 1:9)` makes it (its default: the hierarchical start, every one of the 14 models), written to
# mclust-tables.tsv for StructuresTable.java. Run from the repository's root after make-data.py:
#   Rscript emkit-bench/search/public/mclust-tables.R
# (Debian's r-cran-mclust; a few minutes, most of it GvHD's 9,083 rows.)
suppressMessages(library(mclust))
sets <- c("wine", "diabetes", "usarrests", "quakes", "swiss", "banknote", "thyroid", "chemdiab", "wreath", "gvhd")
files <- c(setNames(paste0("emkit-bench/search/public/data/", sets, ".csv"), sets),
           faithful = "examples/faithful.csv", iris = "examples/iris.csv")
out <- NULL
for (s in names(files)) {
  x <- read.csv(files[[s]])
  x <- x[, sapply(x, is.numeric), drop = FALSE]
  t0 <- Sys.time()
  # One model's error (diabetes: VEE's M-step, "infinite or missing values in 'x'") stops mclustBIC for all of them:
  # there, each model on its own, NA for the one that fails, as mclust's table has NA for a cell it cannot fit.
  m <- tryCatch(unclass(mclustBIC(x, G = 1:9, verbose = FALSE))[, , drop = FALSE], error = function(e) {
    models <- mclust.options("emModelNames")
    sapply(models, function(model) tryCatch(
      unclass(mclustBIC(x, G = 1:9, modelNames = model, verbose = FALSE))[, 1],
      error = function(e) rep(NA_real_, 9)))
  })
  rownames(m) <- 1:9
  for (g in rownames(m)) {
    for (model in colnames(m)) {
      out <- rbind(out, data.frame(set = s, model = model, G = as.integer(g), bic = m[g, model]))
    }
  }
  cat(s, nrow(x), "x", ncol(x), format(Sys.time() - t0), "\n")
}
write.table(out, "emkit-bench/search/public/mclust-tables.tsv", sep = "\t", quote = FALSE, row.names = FALSE,
            na = "NA")
