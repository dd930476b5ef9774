/**
 * The benchmark harness (built only with the Maven profile {@code bench}): {@link io.emkit.bench.Launcher} runs
 * each tool on each case in its own JVM and writes the tables of BENCHMARKS.md; the peers (ELKI, Smile, Apache
 * Commons Math, Weka, Spark MLlib) and emkit are behind {@link io.emkit.bench.Peer}, on the data of
 * {@link io.emkit.bench.SyntheticData}. The other classes with a {@code main} each measure one question (HMMs,
 * mini-batch EM, data loading, single precision, factor analysers, Spark scaling).
 * <p>
 * It may use every emkit module and the peers' libraries; nothing depends on it.
 */
package io.emkit.bench;
