/**
 * emkit on Apache Spark: {@link io.emkit.spark.SparkGaussianMixture} fits Gaussian mixtures on a Spark
 * {@code Dataset<Row>} through the same E- and M-steps as the single-machine engine.
 */
package io.emkit.spark;
