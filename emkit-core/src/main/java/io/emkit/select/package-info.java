/**
 * Model selection for Gaussian mixtures: fit every (number of components, covariance structure) pair
 * and rank the fits by BIC, ICL or AIC ({@link io.emkit.select.ModelSelection}).
 */
package io.emkit.select;
