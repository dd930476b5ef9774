# Reference values for a noise component under mclust's default prior (emkit's NoisePriorTest), from mclust 6.0.0.
# Run from this folder: Rscript make-noise-prior-fixtures.R   (needs R and mclust; the build never runs it)
#
# Writes noise-prior-fit.csv  model,G,loglik,noise: Mclust(X, G, modelNames = "VVV", prior = priorControl(),
#   initialization = list(noise = <the true noise flags>)) on noisy-faithful.csv (see make-noise-fixtures.R), EM run
#   to a relative tolerance of 1e-12; loglik is the log-likelihood at the posterior mode, noise the noise's share.
# Only VVV: mclust's priors for the constrained structures (EEE, VEV, EII, ...) are not emkit's (without noise too).
suppressMessages(library(mclust))
X <- read.csv("noisy-faithful.csv")
flags <- X$noise == 1
X <- X[, 1:2]
out <- NULL
for (G in 2) {
  fit <- Mclust(X, G = G, modelNames = "VVV", prior = priorControl(), initialization = list(noise = flags),
                control = emControl(tol = c(1e-12, 1e-12)), verbose = FALSE)
  out <- rbind(out, data.frame(model = "VVV", G = G, loglik = sprintf("%.17g", fit$loglik),
                               noise = sprintf("%.17g", fit$parameters$pro[G + 1])))
}
write.csv(out, "noise-prior-fit.csv", row.names = FALSE, quote = FALSE)
