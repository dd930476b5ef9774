/**
 * Pictures of fitted models: the data with each component's density or covariance ellipses, the
 * convergence of the log-likelihood, and a self-contained HTML report. Drawn with XChart, headless,
 * to PNG, SVG or PDF.
 */
package io.emkit.cli.plot;
