package io.emkit.bench;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.clustering.GaussianMixture;
import org.apache.spark.mllib.clustering.GaussianMixtureModel;
import org.apache.spark.mllib.linalg.Matrices;
import org.apache.spark.mllib.linalg.Matrix;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.stat.distribution.MultivariateGaussian;
import org.apache.spark.storage.StorageLevel;

/**
 * Spark MLlib 3.5, the RDD-based {@code org.apache.spark.mllib.clustering.GaussianMixture} (the DataFrame
 * {@code ml} one cannot be given a start) on {@code local[2]}, the data in a cached RDD of 2 partitions
 * (materialised before timing), {@code setInitialModel(start)}, {@code setConvergenceTol(0)},
 * {@code setMaxIterations(m)}: m iterations, each one {@code treeAggregate} job (E-step with the
 * log-likelihood) and an M-step on the driver (or distributed when K·D is large).
 */
final class SparkPeer implements Peer {

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public boolean supports(BenchCase c) {
        return !c.diag();
    }

    @Override
    public Fit prepare(SyntheticData data, Params start) {
        BenchCase c = data.benchCase();
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("emkit-bench")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("ERROR");
        double[] x = data.flat();
        List<Vector> rows = new ArrayList<>(c.n());
        for (int i = 0; i < c.n(); i++) {
            rows.add(Vectors.dense(java.util.Arrays.copyOfRange(x, i * c.d(), i * c.d() + c.d())));
        }
        JavaRDD<Vector> rdd = sc.parallelize(rows, 2).persist(StorageLevel.MEMORY_ONLY());
        rdd.count();
        rows = null;
        return new Fit() {
            @Override
            public Params run(int iterations) {
                int k = start.k(), d = start.d();
                GaussianMixtureModel m = new GaussianMixture().setK(k).setMaxIterations(iterations)
                        .setConvergenceTol(0.0).setSeed(1L)
                        .setInitialModel(initialModel(start))
                        .run(rdd.rdd());
                double[] w = m.weights().clone();
                double[][] mu = new double[k][];
                double[][][] cov = new double[k][d][d];
                for (int j = 0; j < k; j++) {
                    MultivariateGaussian gj = m.gaussians()[j];
                    mu[j] = gj.mu().toArray();
                    Matrix s = gj.sigma();
                    for (int a = 0; a < d; a++) {
                        for (int b = 0; b < d; b++) {
                            cov[j][a][b] = s.apply(a, b);
                        }
                    }
                }
                return new Params(w, mu, cov, false);
            }

            @Override
            public void close() {
                sc.stop();
            }
        };
    }

    /** The start as MLlib's model (its covariances column-major), for every MLlib Gaussian-mixture fit. */
    static GaussianMixtureModel initialModel(Params start) {
        int k = start.k(), d = start.d();
        MultivariateGaussian[] g = new MultivariateGaussian[k];
        for (int j = 0; j < k; j++) {
            double[] colMajor = new double[d * d];
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    colMajor[b * d + a] = start.covariances()[j][a][b];
                }
            }
            g[j] = new MultivariateGaussian(Vectors.dense(start.means()[j].clone()), Matrices.dense(d, d, colMajor));
        }
        return new GaussianMixtureModel(start.weights().clone(), g);
    }
}
