package io.emkit.gaussian;

import io.emkit.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which component a split-and-merge move splits first ({@link SplitMergeMoves#splitOrder}): in many dimensions a
 * component covering two clusters of similar size hardly moves the multivariate kurtosis, while small components
 * that are one cluster each look flat-topped to it (Mardia's b₂ of m rows is biased low by about (m − 1)/(m + 1));
 * the trial split sharing one covariance tells them apart. Where no trial split pays BIC's price the kurtosis
 * alone orders the splits, as before the trial splits were made.
 */
class SplitOrderTest {

    private static final int D = 20;

    /** Rows of one Gaussian cluster: a centre, one axis (the first coordinate) {@code long} times the others. */
    private static void cluster(List<double[]> rows, List<Integer> labels, int label, int size, double[] centre,
                                double along, SplittableRandom random) {
        for (int i = 0; i < size; i++) {
            double[] x = new double[D];
            for (int j = 0; j < D; j++) {
                x[j] = centre[j] + random.nextGaussian() * (j == 0 ? along : 1.0);
            }
            rows.add(x);
            labels.add(label);
        }
    }

    private static double[] centre(int axis, double at) {
        double[] c = new double[D];
        c[axis] = at;
        return c;
    }

    /** The M-step of a hard partition: each component's share, mean and covariance (divided by its rows). */
    private static GaussianMixtureModel fromPartition(double[][] x, int[] label, int k) {
        double[] weights = new double[k];
        double[][] means = new double[k][D];
        double[][][] covariances = new double[k][D][D];
        for (int i = 0; i < x.length; i++) {
            weights[label[i]]++;
            for (int j = 0; j < D; j++) {
                means[label[i]][j] += x[i][j];
            }
        }
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < D; j++) {
                means[c][j] /= weights[c];
            }
        }
        for (int i = 0; i < x.length; i++) {
            int c = label[i];
            for (int j = 0; j < D; j++) {
                for (int l = 0; l < D; l++) {
                    covariances[c][j][l] += (x[i][j] - means[c][j]) * (x[i][l] - means[c][l]) / weights[c];
                }
            }
        }
        for (int c = 0; c < k; c++) {
            weights[c] /= x.length;
        }
        return GaussianMixtureModel.full(weights, means, covariances);
    }

    /**
     * Six clusters far apart in 20 dimensions, elongated along the first coordinate: two of 90 and 70 rows 8 apart
     * (labels 0 and 1), and four of 45, 50, 60 and 200 rows.
     */
    private static double[][] data(List<Integer> labels) {
        SplittableRandom random = new SplittableRandom(21);
        List<double[]> rows = new ArrayList<>();
        double[] pair = centre(1, 0);
        cluster(rows, labels, 0, 90, pair, 3, random);
        double[] other = pair.clone();
        other[2] = 8;
        cluster(rows, labels, 1, 70, other, 3, random);
        int[] sizes = {45, 50, 60, 200};
        for (int c = 0; c < sizes.length; c++) {
            cluster(rows, labels, c + 2, sizes[c], centre(3 + c, 40), 3, random);
        }
        return rows.toArray(new double[0][]);
    }

    private static int[] labels(List<Integer> labels, boolean pairAsOne) {
        int[] out = new int[labels.size()];
        for (int i = 0; i < out.length; i++) {
            int l = labels.get(i);
            out[i] = pairAsOne ? Math.max(l - 1, 0) : l;
        }
        return out;
    }

    @Test
    void aComponentOverTwoClustersIsSplitFirstWhereTheKurtosisRanksItLower() {
        List<Integer> truth = new ArrayList<>();
        double[][] x = data(truth);
        // Component 0 covers the pair; components 1-4 are one cluster each.
        GaussianMixtureModel fit = fromPartition(x, labels(truth, true), 5);
        Dataset rows = Dataset.of(x);

        double[] misfit = SplitMergeMoves.misfits(fit, rows);
        int aboveIt = 0;
        for (int c = 1; c < 5; c++) {
            aboveIt += misfit[c] > misfit[0] ? 1 : 0;
        }
        assertThat(aboveIt).as("the kurtosis ranks single small clusters above the pair").isGreaterThan(0);

        double[] gain = SplitMergeMoves.splitGains(fit, rows);
        assertThat(gain[0]).as("the pair's split pays BIC's price").isGreaterThan(0);
        for (int c = 1; c < 5; c++) {
            assertThat(gain[c]).as("a single cluster's split does not pay BIC's price").isLessThan(0);
        }
        assertThat(SplitMergeMoves.splitOrder(fit, rows)[0]).isZero();
    }

    @Test
    void whereNoTrialSplitPaysTheKurtosisAloneOrdersTheSplits() {
        List<Integer> truth = new ArrayList<>();
        double[][] x = data(truth);
        GaussianMixtureModel fit = fromPartition(x, labels(truth, false), 6);
        Dataset rows = Dataset.of(x);

        double[] gain = SplitMergeMoves.splitGains(fit, rows);
        for (double g : gain) {
            assertThat(g).isLessThan(0);
        }
        double[] misfit = SplitMergeMoves.misfits(fit, rows);
        int[] order = SplitMergeMoves.splitOrder(fit, rows);
        for (int a = 0; a < 6; a++) {
            for (int b = 0; b < 6; b++) {
                if (misfit[a] > misfit[b]) {
                    assertThat(order[a]).as("component %d before %d", a, b).isLessThan(order[b]);
                }
            }
        }
    }
}
