/**
 * emkit on Apache Spark: {@link io.emkit.spark.SparkGaussianMixture}, {@link io.emkit.spark.SparkKMeans} and
 * {@link io.emkit.spark.SparkProductMixture} fit mixtures, and {@link io.emkit.spark.SparkHiddenMarkov} hidden
 * Markov models (sequences as the units), on a Spark {@code Dataset<Row>} through the same E- and M-steps as the
 * single-machine engine;
 * {@link io.emkit.spark.SparkModels#transform} applies any fitted model to one as a transformation.
 */
package io.emkit.spark;
