# Emulation, in plain R, of the Fortran routine hcvvv of mclust 6.0.0 (model-based
# hierarchical clustering, model VVV), including its stored-factor defect (see
# README.md). Reference for a Java port; make-fixtures.R checks it reproduces
# mclust's merges. fixed = TRUE gives the textbook criterion instead.
# Ties: the last minimal pair in hcvvv's packed slot order wins.
# Emulation of mclust 6.0.0 hcvvv including the stored-factor defect.
hcvvv_emulate <- function(Z, alpha = 1, beta = 1, fixed = FALSE) {
  n <- nrow(Z); p <- ncol(Z)
  a1 <- max(alpha * mclust:::traceW(Z / sqrt(n * p)), .Machine$double.eps)
  ablog <- log(beta * a1)
  term_of <- function(m, tr, W) {
    if (m <= p) return(m * log(beta * (tr + a1) / m))
    if (tr == 0) return(m * log(a1 * beta / m))
    ev <- det(W / m)
    if (ev <= 0) return(m * log(beta * (tr + a1) / m))
    m * log(ev + beta * (tr + a1) / m)
  }
  stored <- function(W, m) {           # what a non-newest cluster's factor becomes
    if (fixed || m < 3) return(W)
    k <- min(m - 1, p)
    w <- W[1, ] / sqrt(W[1, 1])
    R <- matrix(0, k, p)
    for (r in 1:k) R[r, r:p] <- w[r:p]
    crossprod(R)
  }
  cl <- list()
  for (i in 1:n) cl[[i]] <- list(label = i, m = 1, mean = Z[i, ], tr = 0, W = matrix(0, p, p),
                                 Ws = matrix(0, p, p), term = ablog)
  combine <- function(A, B, WA, WB) {
    m <- A$m + B$m
    v <- sqrt(A$m * B$m / m) * (A$mean - B$mean)
    W <- WA + WB + tcrossprod(v)
    tr <- (A$tr + B$tr) + Reduce(`+`, v * v)
    list(m = m, W = W, tr = tr, term = term_of(m, tr, W),
         mean = (A$m * A$mean + B$m * B$mean) / m)
  }
  alive <- 1:n
  cost <- matrix(Inf, n, n)
  for (j in 2:n) for (i in 1:(j - 1)) {
    C <- combine(cl[[i]], cl[[j]], cl[[i]]$W, cl[[j]]$W)
    cost[i, j] <- cost[j, i] <- C$term - (cl[[i]]$term + cl[[j]]$term)
  }
  newest <- 0
  slots <- 1:n; lg <- n
  merges <- matrix(0, 2, n - 1); costs <- numeric(n - 1)
  for (s in 1:(n - 1)) {
    sl <- slots[seq_len(lg)]
    sub <- cost[sl, sl]; sub[lower.tri(sub, diag = TRUE)] <- Inf
    sub[upper.tri(sub)] <- pmin(cost[sl, sl], t(cost[sl, sl]))[upper.tri(sub)]
    k <- tail(which(sub == min(sub)), 1)
    si <- (k - 1) %% lg + 1; sj <- (k - 1) %/% lg + 1
    ii <- sl[si]; jj <- sl[sj]
    slots[sj] <- slots[lg]; lg <- lg - 1
    A <- cl[[ii]]; B <- cl[[jj]]
    d <- cost[ii, jj]
    WA <- if (ii == newest) A$W else A$Ws
    WB <- if (jj == newest) B$W else B$Ws
    C <- combine(A, B, WA, WB)
    if (ii != newest && jj != newest) C$term <- d + A$term + B$term
    C$label <- min(A$label, B$label)
    C$Ws <- stored(C$W, C$m)
    merges[, s] <- sort(c(A$label, B$label)); costs[s] <- d
    cl[[ii]] <- C; alive <- setdiff(alive, jj); newest <- ii
    for (o in setdiff(alive, ii)) {
      O <- cl[[o]]
      CC <- combine(C, O, C$W, O$Ws)
      cost[ii, o] <- cost[o, ii] <- CC$term - (C$term + O$term)
    }
  }
  list(merges = merges, cost = costs)
}
