/**
 * The command line's {@code --engine spark}: {@link io.emkit.spark.cli.SparkEngine}, the
 * {@link io.emkit.cli.ClusterEngine} that the CLI finds through {@code java.util.ServiceLoader} when this module
 * is on the class path, reads the data with Spark and fits it with emkit-spark; the master named by
 * {@code --master} is checked before Spark starts, and emkit's own jars are shipped to the executors.
 * <p>
 * It may use emkit-core, emkit-spark and the CLI's engine seam ({@code io.emkit.cli}); nothing in emkit-cli uses
 * it by name, so the CLI builds and runs without Spark.
 */
package io.emkit.spark.cli;
