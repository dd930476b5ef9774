# Reference values for mixtures with a uniform noise component (emkit's io.emkit.noise), from mclust 6.0.0.
# Run from this folder: Rscript make-noise-fixtures.R   (needs R, mclust and prabclus; the build never runs it)
#
# Writes
#   noise-hypvol.csv      dataset,log_volume: log(hypvol(X)) for faithful, iris and noisy-faithful
#   noisy-faithful.csv    eruptions,waiting,noise: Old Faithful plus 60 rows drawn uniformly over its bounding box
#                         (set.seed(20261202)); noise = 1 for those rows (a label, not data)
#   noise-guess.csv       guess: 1 - NNclean(X, k = 5)$z on noisy-faithful's two data columns (NNclean's z is 1 for
#                         a feature point, 0 for noise; the file has 1 for noise, as emkit's flags)
#   noise-bic.csv         model,G,loglik,df,bic: Mclust with noise, G 1-3, VVV/VVI/VII/EEE (see the end)
#   noise-fit.csv         what,component,value: Mclust(X, G = 2, modelNames = "VVV",
#                         initialization = list(noise = <the true noise flags>)), EM run to a relative tolerance
#                         of 1e-12 (mclust's default 1e-5 stops 0.011 short here) -- loglik, the noise share
#                         (pro's last entry), the Gaussian components' shares, means and covariances, Vinv
suppressMessages({ library(mclust); library(prabclus) })
options(digits = 17)
f17 <- function(x) sprintf("%.17g", x)

faithful <- read.csv("../../../../../../examples/faithful.csv")
iris <- read.csv("../../../../../../examples/iris.csv")
iris <- iris[, sapply(iris, is.numeric)]

set.seed(20261202)
n.noise <- 60
lo <- apply(faithful, 2, min); hi <- apply(faithful, 2, max)
noise <- cbind(runif(n.noise, lo[1], hi[1]), runif(n.noise, lo[2], hi[2]))
colnames(noise) <- colnames(faithful)
noisy <- rbind(as.matrix(faithful), noise)
flags <- c(rep(0L, nrow(faithful)), rep(1L, n.noise))
write.csv(data.frame(eruptions = f17(noisy[, 1]), waiting = f17(noisy[, 2]), noise = flags),
          "noisy-faithful.csv", row.names = FALSE, quote = FALSE)
X <- read.csv("noisy-faithful.csv")[, 1:2]   # exactly the values emkit reads

hv <- data.frame(dataset = c("faithful", "iris", "noisy-faithful"),
                 log_volume = f17(log(c(hypvol(faithful), hypvol(iris), hypvol(X)))))
write.csv(hv, "noise-hypvol.csv", row.names = FALSE, quote = FALSE)

guess <- 1 - NNclean(X, k = 5)$z
write.csv(data.frame(guess = as.integer(guess)), "noise-guess.csv", row.names = FALSE, quote = FALSE)

fit <- Mclust(X, G = 2, modelNames = "VVV", initialization = list(noise = flags == 1),
              control = emControl(tol = c(1e-12, sqrt(.Machine$double.eps))))
p <- fit$parameters
rows <- list(data.frame(what = "loglik", component = 0, value = f17(fit$loglik)),
             data.frame(what = "Vinv", component = 0, value = f17(p$Vinv)),
             data.frame(what = "noise", component = 0, value = f17(p$pro[3])))
for (k in 1:2) {
  rows[[length(rows) + 1]] <- data.frame(what = "pro", component = k, value = f17(p$pro[k]))
  for (j in 1:2) rows[[length(rows) + 1]] <- data.frame(what = paste0("mean", j), component = k,
                                                        value = f17(p$mean[j, k]))
  s <- p$variance$sigma[, , k]
  for (a in 1:2) for (b in 1:2) rows[[length(rows) + 1]] <- data.frame(what = paste0("cov", a, b),
                                                                     component = k, value = f17(s[a, b]))
}
write.csv(do.call(rbind, rows), "noise-fit.csv", row.names = FALSE, quote = FALSE)
cat("loglik", fit$loglik, "noise share", p$pro[3], "guess flags", sum(guess), "\n")

# noise-bic.csv: model,G,loglik,df,bic -- Mclust(X, G = 1:3, modelNames = VVV/VVI/VII/EEE) with the noise started
# from NNclean's guess above (as emkit's default start), EM to a relative tolerance of 1e-12; mclust's BIC is
# 2 logL - df ln n (higher is better), NA where mclust fails.
noise.guess <- guess == 1
rows <- list()
for (m in c("VVV", "VVI", "VII", "EEE")) {
  for (g in 1:3) {
    f <- tryCatch(Mclust(X, G = g, modelNames = m, initialization = list(noise = noise.guess),
                         control = emControl(tol = c(1e-12, sqrt(.Machine$double.eps))), verbose = FALSE),
                  error = function(e) NULL)
    if (is.null(f)) {
      rows[[length(rows) + 1]] <- data.frame(model = m, G = g, loglik = "NA", df = "NA", bic = "NA")
    } else {
      rows[[length(rows) + 1]] <- data.frame(model = m, G = g, loglik = f17(f$loglik), df = f$df, bic = f17(f$bic))
    }
  }
}
write.csv(do.call(rbind, rows), "noise-bic.csv", row.names = FALSE, quote = FALSE)
