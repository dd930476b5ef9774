#!/usr/bin/env Rscript
# mclust's default fit of search-quality cases: Mclust(X, G = K, modelNames = M), nothing else
# set (hierarchical-clustering start on at most mclust.options("subset") = 2000 rows, EM with
# emControl()'s defaults, no prior, no regularisation).
#
#   Rscript mclust-fit.R CASE_ID [CASES]    one case: prints "loglik<TAB>iterations<TAB>seconds"
#                                           (seconds: the Mclust call alone); CASES: another grid's
#                                           cases file (default: cases.tsv beside this script)
#   Rscript mclust-fit.R --all OUT.tsv [CASES]
#                                           every case of cases.tsv (or CASES) in this one process
#
# The iteration count is that of the last EM run (the one whose result Mclust returns),
# read from the "info" attribute of mclust's me() through trace().
suppressPackageStartupMessages(library(mclust))
args <- commandArgs(trailingOnly = TRUE)
here <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  dirname(normalizePath(f))
})
root <- normalizePath(file.path(here, "..", ".."))
cases_file <- if (length(args) == 2 && args[1] != "--all") args[2] else
  if (length(args) == 3 && args[1] == "--all") args[3] else file.path(here, "cases.tsv")
cases <- read.delim(cases_file, stringsAsFactors = FALSE)
models <- c(full = "VVV", diag = "VVI", spherical = "VII", tied = "EEE")

.last_iter <- NA
suppressMessages(invisible(capture.output(trace("me", exit = quote(.GlobalEnv$.last_iter <- attr(returnValue(), "info")[1]),
                print = FALSE, where = asNamespace("mclust")))))

fit_case <- function(row) {
  x <- read.csv(file.path(root, row$file), check.names = FALSE)
  x <- as.matrix(x[, strsplit(row$columns, ",")[[1]], drop = FALSE])
  .GlobalEnv$.last_iter <- NA
  set.seed(0)  # mclust draws its 2000-row hc subset (n > 2000) with R's RNG: fix it per case
  t0 <- proc.time()[["elapsed"]]
  f <- tryCatch(Mclust(x, G = row$K, modelNames = models[[row$covariance]], verbose = FALSE),
                error = function(e) NULL)
  dt <- proc.time()[["elapsed"]] - t0
  ll <- if (is.null(f) || is.null(f$loglik) || !is.finite(f$loglik)) NA else f$loglik
  it <- if (is.na(ll)) NA else .GlobalEnv$.last_iter
  c(loglik = unname(ll), iterations = unname(it), seconds = unname(dt))
}

fmt <- function(v) if (is.na(v)) "NA" else format(v, digits = 17)

if (length(args) >= 2 && args[1] == "--all") {
  out <- file(args[2], "w")
  writeLines("id\tmclust_loglik\tmclust_iterations\tmclust_seconds", out)
  for (i in seq_len(nrow(cases))) {
    r <- fit_case(cases[i, ])
    writeLines(paste(cases$id[i], fmt(r[["loglik"]]), fmt(r[["iterations"]]),
                     sprintf("%.3f", r[["seconds"]]), sep = "\t"), out)
    flush(out)
  }
  close(out)
} else if (length(args) %in% 1:2) {
  row <- cases[cases$id == args[1], ]
  if (nrow(row) != 1) stop("no such case: ", args[1])
  r <- fit_case(row)
  cat(fmt(r[["loglik"]]), fmt(r[["iterations"]]), sprintf("%.3f", r[["seconds"]]), sep = "\t")
  cat("\n")
} else {
  stop("usage: mclust-fit.R CASE_ID [CASES] | --all OUT.tsv [CASES]")
}
