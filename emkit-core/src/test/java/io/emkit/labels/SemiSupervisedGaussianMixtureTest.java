package io.emkit.labels;

import io.emkit.EmkitException;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.Acceleration;
import io.emkit.em.EmOptions;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Semi-supervised EM's own properties, each against something computed here independently of the fit. */
class SemiSupervisedGaussianMixtureTest {
    private static final double[] WEIGHTS = {0.4, 0.35, 0.25};
    private static final double[][] MEANS = {{0, 0, 0}, {2.5, 1, -1}, {0.5, 3, 1.5}};
    private static final double[][][] COVS = {
            {{1, 0.3, 0}, {0.3, 0.8, 0.1}, {0, 0.1, 0.6}},
            {{0.6, -0.2, 0.1}, {-0.2, 1.2, 0}, {0.1, 0, 0.9}},
            {{1.4, 0.2, 0.3}, {0.2, 0.5, 0}, {0.3, 0, 1}}};

    /** Rows of three overlapping clusters, the true cluster known; a fraction of them labelled by it. */
    private static Dataset draw(long seed, int n) {
        return TestData.drawMixture(seed, n, WEIGHTS, MEANS, COVS);
    }

    /** Labels: the nearest true mean's class, for about {@code fraction} of the rows (at least 5 per class). */
    private static ClassLabels someLabelled(Dataset data, long seed, double fraction) {
        SplittableRandom random = new SplittableRandom(seed);
        String[] cells = new String[data.rows()];
        int[] perClass = new int[3];
        for (int i = 0; i < data.rows(); i++) {
            int best = 0;
            double bestDistance = Double.MAX_VALUE;
            for (int c = 0; c < 3; c++) {
                double s = 0;
                for (int j = 0; j < 3; j++) {
                    s += Math.pow(data.get(i, j) - MEANS[c][j], 2);
                }
                if (s < bestDistance) {
                    bestDistance = s;
                    best = c;
                }
            }
            if (perClass[best] < 5 || random.nextDouble() < fraction) {
                cells[i] = "class-" + (char) ('a' + best);
                perClass[best]++;
            }
        }
        return ClassLabels.of(cells);
    }

    private static EmOptions plain(int iterations) {
        return EmOptions.defaults().withTolerance(0).withMaxIterations(iterations).withAcceleration(Acceleration.NONE);
    }

    @Test
    void theSemiSupervisedLogLikelihoodNeverDecreasesForAnyStructureSeedOrComponentsPerClass() {
        int runs = 0;
        for (CovarianceType type : CovarianceType.all()) {
            for (long seed = 1; seed <= 3; seed++) {
                Dataset data = draw(seed, 240);
                if (seed == 3) {
                    double[] w = new double[data.rows()];
                    SplittableRandom random = new SplittableRandom(seed);
                    for (int i = 0; i < w.length; i++) {
                        w[i] = 0.25 + 2 * random.nextDouble();
                    }
                    data = data.withWeights(w);
                }
                ClassLabels labels = someLabelled(data, seed, 0.1);
                for (int perClass = 1; perClass <= 2; perClass++) {
                    SemiSupervisedFit fit = SemiSupervisedGaussianMixture.withCovariance(type)
                            .componentsPerClass(perClass).options(plain(40)).fit(data, labels);
                    double[] trace = fit.em().trace();
                    assertThat(trace).hasSizeGreaterThan(10);
                    for (int t = 1; t < trace.length; t++) {
                        assertThat(trace[t]).as("%s seed %d, %d per class, iteration %d", type, seed, perClass, t)
                                .isGreaterThanOrEqualTo(trace[t - 1] - 1e-9 * Math.abs(trace[t - 1]));
                    }
                    runs++;
                }
            }
        }
        assertThat(runs).isEqualTo(14 * 3 * 2);
    }

    @Test
    void theReportedObjectiveIsTheSemiSupervisedLogLikelihoodOfTheFittedParameters() {
        Dataset data = draw(7, 300);
        ClassLabels labels = someLabelled(data, 7, 0.2);
        for (int perClass = 1; perClass <= 2; perClass++) {
            SemiSupervisedFit fit = SemiSupervisedGaussianMixture.withCovariance(CovarianceType.VEV)
                    .componentsPerClass(perClass).fit(data, labels);
            GaussianMixtureModel m = fit.model().mixture();
            double expected = 0;
            for (int i = 0; i < data.rows(); i++) {
                double[] x = data.row(i);
                int g = labels.classOf(i);
                double sum = 0;
                for (int c = 0; c < m.components(); c++) {
                    if (g < 0 || c / perClass == g) {
                        sum += m.weights()[c] * density(x, m.mean(c), m.covariance(c));
                    }
                }
                expected += Math.log(sum);
            }
            assertThat(fit.em().logLikelihood()).as("%d per class", perClass).isCloseTo(expected, within(1e-8 * Math.abs(expected)));
        }
    }

    @Test
    void withEveryRowLabelledTheFitIsEachClassesOwnMaximumLikelihoodGaussian() {
        Dataset data = draw(11, 200);
        String[] cells = new String[data.rows()];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = i % 3 == 0 ? "x" : data.get(i, 0) > 1 ? "y" : "z";
        }
        ClassLabels labels = ClassLabels.of(cells);
        for (CovarianceType type : List.of(CovarianceType.FULL, CovarianceType.TIED)) {
            GaussianMixtureModel m = SemiSupervisedGaussianMixture.withCovariance(type).regCovar(0).fit(data, labels)
                    .model().mixture();
            double[][] pooled = new double[3][3];
            for (int g = 0; g < 3; g++) {
                List<double[]> rows = new ArrayList<>();
                for (int i = 0; i < data.rows(); i++) {
                    if (labels.classOf(i) == g) {
                        rows.add(data.row(i));
                    }
                }
                double[] mean = new double[3];
                rows.forEach(r -> {
                    for (int j = 0; j < 3; j++) {
                        mean[j] += r[j] / rows.size();
                    }
                });
                double[][] cov = new double[3][3];
                for (double[] r : rows) {
                    for (int a = 0; a < 3; a++) {
                        for (int b = 0; b < 3; b++) {
                            cov[a][b] += (r[a] - mean[a]) * (r[b] - mean[b]);
                            pooled[a][b] += (r[a] - mean[a]) * (r[b] - mean[b]) / data.rows();
                        }
                    }
                }
                assertThat(m.weights()[g]).isCloseTo(rows.size() / 200.0, within(1e-12));
                for (int a = 0; a < 3; a++) {
                    assertThat(m.mean(g)[a]).isCloseTo(mean[a], within(1e-12));
                    if (type == CovarianceType.FULL) {
                        for (int b = 0; b < 3; b++) {
                            assertThat(m.covariance(g)[a][b]).isCloseTo(cov[a][b] / rows.size(), within(1e-12));
                        }
                    }
                }
            }
            if (type == CovarianceType.TIED) {
                for (int a = 0; a < 3; a++) {
                    for (int b = 0; b < 3; b++) {
                        assertThat(m.covariance(0)[a][b]).isCloseTo(pooled[a][b], within(1e-12));
                    }
                }
            }
        }
    }

    @Test
    void aRowOfWeightTwoCountsAsTwoCopiesLabelledOrNot() {
        Dataset data = draw(5, 150);
        ClassLabels labels = someLabelled(data, 5, 0.15);
        double[] w = new double[data.rows()];
        List<double[]> copies = new ArrayList<>();
        List<String> copyCells = new ArrayList<>();
        String[] cells = new String[data.rows()];
        for (int i = 0; i < w.length; i++) {
            w[i] = i % 4 == 0 ? 2 : 1;
            cells[i] = labels.classOf(i) < 0 ? null : labels.names().get(labels.classOf(i));
            for (int r = 0; r < w[i]; r++) {
                copies.add(data.row(i));
                copyCells.add(cells[i]);
            }
        }
        SemiSupervisedGaussianMixture config = SemiSupervisedGaussianMixture.withCovariance(CovarianceType.DIAG)
                .options(EmOptions.defaults().withTolerance(1e-12).withAcceleration(Acceleration.NONE));
        SemiSupervisedFit weighted = config.fit(data.withWeights(w), labels);
        SemiSupervisedFit copied = config.fit(Dataset.of(copies.toArray(new double[0][])),
                ClassLabels.of(copyCells.toArray(new String[0])));
        assertThat(weighted.em().logLikelihood()).isCloseTo(copied.em().logLikelihood(), within(1e-7));
        for (int c = 0; c < 3; c++) {
            assertThat(weighted.model().mixture().weights()[c])
                    .isCloseTo(copied.model().mixture().weights()[c], within(1e-8));
            for (int j = 0; j < 3; j++) {
                assertThat(weighted.model().mixture().mean(c)[j])
                        .isCloseTo(copied.model().mixture().mean(c)[j], within(1e-8));
            }
        }
    }

    @Test
    void theFitIsBitIdenticalForOneTwoAndThreeThreads() {
        Dataset data = draw(3, 3000);
        ClassLabels labels = someLabelled(data, 3, 0.05);
        SemiSupervisedFit first = null;
        for (int threads = 1; threads <= 3; threads++) {
            SemiSupervisedFit fit = SemiSupervisedGaussianMixture.withCovariance(CovarianceType.FULL)
                    .componentsPerClass(2)
                    .options(EmOptions.defaults().withThreads(threads).withBlockSize(64)
                            .withAcceleration(Acceleration.NONE)).fit(data, labels);
            if (first == null) {
                first = fit;
            } else {
                assertThat(fit.model().mixture()).as("%d threads", threads).isEqualTo(first.model().mixture());
                assertThat(Double.doubleToRawLongBits(fit.em().logLikelihood()))
                        .isEqualTo(Double.doubleToRawLongBits(first.em().logLikelihood()));
            }
        }
    }

    @Test
    void labelledRowsOfAClassGoOnlyToItsComponentsAndPredictionsNameTheClasses() {
        Dataset data = draw(9, 400);
        ClassLabels labels = someLabelled(data, 9, 0.3);
        SemiSupervisedFit fit = SemiSupervisedGaussianMixture.withCovariance(CovarianceType.FULL).componentsPerClass(2)
                .fit(data, labels);
        assertThat(fit.model().componentClasses())
                .containsExactly("class-a", "class-a", "class-b", "class-b", "class-c", "class-c");
        assertThat(fit.model().classNames()).containsExactly("class-a", "class-b", "class-c");
        int[] predicted = fit.model().predictClasses(data);
        int agree = 0;
        int labelled = 0;
        for (int i = 0; i < data.rows(); i++) {
            if (labels.classOf(i) >= 0) {
                labelled++;
                agree += predicted[i] == labels.classOf(i) ? 1 : 0;
            }
        }
        // The labels are the nearest true mean: a fit that used them predicts most of them back.
        assertThat(agree).isGreaterThan((int) (0.85 * labelled));
    }

    @Test
    void componentsThatLeaveAClassWithoutOneNameIt() {
        ClassLabels labels = ClassLabels.of("setosa", null, "versicolor", "virginica", "");
        SemiSupervisedGaussianMixture config = SemiSupervisedGaussianMixture.withCovariance(CovarianceType.FULL);
        assertThatThrownBy(() -> config.checkComponents(2, labels)).isInstanceOf(EmkitException.class)
                .hasMessageStartingWith("class 'virginica' has labelled rows but no component to take it")
                .hasMessageContaining("ask for 3 components");
        assertThatThrownBy(() -> config.componentsPerClass(2).checkComponents(4, labels))
                .hasMessageStartingWith("class 'virginica' has labelled rows but no component");
        assertThatThrownBy(() -> config.componentsPerClass(2).checkComponents(5, labels))
                .hasMessageStartingWith("5 components cannot be shared 2 per class; ask for 6 components");
        assertThatThrownBy(() -> config.checkComponents(4, labels)).hasMessageContaining("leave 1 without a class");
        config.checkComponents(3, labels);
    }

    @Test
    void tooFewLabelledRowsForAClassesCovarianceNameTheClass() {
        Dataset data = draw(2, 120);
        String[] cells = new String[data.rows()];
        for (int i = 0; i < 12; i++) {
            cells[i] = i < 3 ? "rare" : "common";
        }
        ClassLabels labels = ClassLabels.of(cells);
        // VVV in 3 dimensions needs D + 1 = 4 rows per class; 'rare' has 3.
        assertThatThrownBy(() -> SemiSupervisedGaussianMixture.withCovariance(CovarianceType.FULL).fit(data, labels))
                .isInstanceOf(EmkitException.class)
                .hasMessageStartingWith("class 'rare': 3 usable labelled rows")
                .hasMessageContaining("at least 4 per class");
        // A structure whose components share their orientation needs 2: 3 are enough.
        assertThat(SemiSupervisedGaussianMixture.withCovariance(CovarianceType.DIAG).fit(data, labels).em().iterations())
                .isPositive();
        String[] one = new String[data.rows()];
        one[0] = "alone";
        one[1] = "pair";
        one[2] = "pair";
        assertThatThrownBy(() -> SemiSupervisedGaussianMixture.withCovariance(CovarianceType.SPHERICAL)
                .fit(data, ClassLabels.of(one))).hasMessageStartingWith("class 'alone': 1 usable labelled row (");
    }

    @Test
    void noLabelledRowIsAnError() {
        assertThatThrownBy(() -> ClassLabels.of(null, " ", "")).isInstanceOf(EmkitException.class)
                .hasMessageContaining("no row has a class");
    }

    /** The multivariate normal density, by Gaussian elimination here (no library code). */
    private static double density(double[] x, double[] mean, double[][] cov) {
        int d = x.length;
        double[][] a = new double[d][];
        for (int i = 0; i < d; i++) {
            a[i] = cov[i].clone();
        }
        double[] v = new double[d];
        for (int i = 0; i < d; i++) {
            v[i] = x[i] - mean[i];
        }
        double[] y = v.clone();
        double det = 1;
        for (int p = 0; p < d; p++) {
            det *= a[p][p];
            for (int r = p + 1; r < d; r++) {
                double f = a[r][p] / a[p][p];
                for (int c = p; c < d; c++) {
                    a[r][c] -= f * a[p][c];
                }
                y[r] -= f * y[p];
            }
        }
        double[] z = new double[d];
        for (int r = d - 1; r >= 0; r--) {
            double s = y[r];
            for (int c = r + 1; c < d; c++) {
                s -= a[r][c] * z[c];
            }
            z[r] = s / a[r][r];
        }
        double q = 0;
        for (int i = 0; i < d; i++) {
            q += v[i] * z[i];
        }
        return Math.exp(-0.5 * q) / Math.sqrt(Math.pow(2 * Math.PI, d) * det);
    }
}
