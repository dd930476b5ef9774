package io.emkit.labels;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.GaussianMixtureSteps;
import io.emkit.gaussian.GaussianStatistics;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.mixture.PrincipalAxis;

import java.util.Arrays;
import java.util.List;

/**
 * Where semi-supervised EM starts: one M-step with every labelled row wholly in its class and every unlabelled
 * row shared evenly among the classes (mclust's {@code MclustSSC} start). The labelled rows set the classes apart;
 * the unlabelled rows, the same in every class, keep each class's covariance from resting on its few labelled
 * rows alone (which on real data often tie in a coordinate, e.g. iris's first five setosa all have petal width
 * 0.2, and would make it singular). A class owning several components splits its Gaussian along its principal axis: its
 * components' means are spread over ± half a standard deviation, each with the class's covariance and an equal
 * share of its weight. Deterministic: no random choice.
 *
 * <p>Only rows with every value observed and a positive weight count. Before it estimates, it checks that each
 * class has enough labelled rows for its part of the structure ({@link #requiredRowsPerClass}), so that what
 * the class stands for is anchored by rows known to belong to it.
 */
final class LabelledStart {
    private LabelledStart() {
    }

    /**
     * How many labelled rows each class needs for its part of a start in this structure: D + 1 when a
     * component has its own orientation (EEV, VEV, EVV, VVV: its class's rows must span every direction), 2 when
     * it has its own volume or shape only, 1 when every component shares one covariance (EII, EEI, EEE, which
     * instead need {@link #requiredPooledDegrees} over all classes).
     */
    static int requiredRowsPerClass(CovarianceType type, int d) {
        if (!type.equalOrientation() && !type.diagonal()) {
            return d + 1;
        }
        return type.equalVolume() && type.equalShape() ? 1 : 2;
    }

    /** The within-class degrees of freedom (labelled rows minus classes) a shared covariance needs: D for EEE, else 1. */
    static int requiredPooledDegrees(CovarianceType type, int d) {
        return !type.diagonal() ? d : 1;
    }

    /**
     * The start.
     *
     * @param steps       the fit's steps (structure, regularisation or prior), without the restriction
     * @param data        the rows
     * @param labels      their classes
     * @param perClass    components per class, class g owning components {@code g·perClass ...}
     * @return the starting mixture, {@code classes·perClass} components
     * @throws EmkitException if a class has too few usable labelled rows
     */
    static GaussianMixtureModel of(GaussianMixtureSteps steps, CovarianceType type, Dataset data, ClassLabels labels,
                                   int perClass) {
        int n = data.rows();
        int d = data.columns();
        int classes = labels.classes();
        int[] usable = new int[classes];
        double[] classWeight = new double[classes];
        double[] classMeans = new double[classes * d];
        for (int i = 0; i < n; i++) {
            int g = labels.classOf(i);
            double w = data.weight(i);
            if (g < 0 || !(w > 0) || hasMissing(data, i)) {
                continue;
            }
            usable[g]++;
            classWeight[g] += w;
            for (int j = 0; j < d; j++) {
                classMeans[g * d + j] += w * data.get(i, j);
            }
        }
        checkEnough(type, d, labels, usable);
        for (int g = 0; g < classes; g++) {
            for (int j = 0; j < d; j++) {
                classMeans[g * d + j] /= classWeight[g];
            }
        }
        int used = 0;
        for (int i = 0; i < n; i++) {
            used += data.weight(i) > 0 && !hasMissing(data, i) ? 1 : 0;
        }
        double[] x = new double[used * d];
        double[] resp = new double[used * classes];
        for (int i = 0, r = 0; i < n; i++) {
            int g = labels.classOf(i);
            double w = data.weight(i);
            if (!(w > 0) || hasMissing(data, i)) {
                continue;
            }
            for (int j = 0; j < d; j++) {
                x[r * d + j] = data.get(i, j);
            }
            if (g >= 0) {
                resp[r * classes + g] = w;
            } else {
                Arrays.fill(resp, r * classes, (r + 1) * classes, w / classes);
            }
            r++;
        }
        double[] equal = new double[classes];
        Arrays.fill(equal, 1.0 / classes);
        double[][] unit = new double[classes][];
        for (int g = 0; g < classes; g++) {
            unit[g] = new double[] {1.0};
        }
        GaussianMixtureModel placeholder = GaussianMixtureModel.ofFlat(CovarianceType.SPHERICAL, equal, classMeans,
                unit, d, data.columnNames());
        GaussianStatistics s = steps.emptyStatistics(placeholder);
        s.addWeighted(x, 0, used, resp);
        GaussianMixtureModel perClassModel = steps.maximize(s, placeholder, w -> { });
        return perClass == 1 ? perClassModel : split(perClassModel, type, perClass);
    }

    private static boolean hasMissing(Dataset data, int row) {
        for (int j = 0; j < data.columns(); j++) {
            if (Double.isNaN(data.get(row, j))) {
                return true;
            }
        }
        return false;
    }

    private static void checkEnough(CovarianceType type, int d, ClassLabels labels, int[] usable) {
        int need = requiredRowsPerClass(type, d);
        int total = 0;
        for (int g = 0; g < usable.length; g++) {
            total += usable[g];
            if (usable[g] < need) {
                String name = labels.names().get(g);
                throw new EmkitException("class '" + name + "': " + usable[g] + " usable labelled row"
                        + (usable[g] == 1 ? "" : "s") + " (complete, weight > 0), too few to start its "
                        + type.mclustName() + " covariance, which needs at least " + need + " per class"
                        + (need == d + 1 ? " (D + 1: a component's own orientation needs rows spanning all " + d
                        + " directions)" : "") + "; label more rows of '" + name + "' or choose a covariance that"
                        + " the components share (EII, EEI or EEE)");
            }
        }
        int pooled = requiredPooledDegrees(type, d);
        if (need == 1 && total - usable.length < pooled) {
            throw new EmkitException("the labelled rows (" + total + " usable in " + usable.length + " classes) are too"
                    + " few to start a shared " + type.mclustName() + " covariance, which needs at least "
                    + (usable.length + pooled) + " (classes + " + (pooled == d ? "D" : "1") + "); label more rows");
        }
    }

    /** Each class's component split into {@code perClass} along its principal axis, as the class comment says. */
    private static GaussianMixtureModel split(GaussianMixtureModel m, CovarianceType type, int perClass) {
        int classes = m.components();
        int d = m.dimension();
        int k = classes * perClass;
        double[] weights = new double[k];
        double[][] means = new double[k][];
        double[][][] cov = new double[k][][];
        for (int g = 0; g < classes; g++) {
            double[][] sigma = m.covariance(g);
            double[] axis = PrincipalAxis.of(sigma);
            double spread = 0;
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    spread += axis[a] * sigma[a][b] * axis[b];
                }
            }
            double sd = Math.sqrt(Math.max(spread, 0));
            double[] mean = m.mean(g);
            for (int j = 0; j < perClass; j++) {
                int c = g * perClass + j;
                double t = (2.0 * j - (perClass - 1)) / (2.0 * (perClass - 1)) * sd;
                means[c] = new double[d];
                for (int a = 0; a < d; a++) {
                    means[c][a] = mean[a] + t * axis[a];
                }
                weights[c] = m.weights()[g] / perClass;
                cov[c] = sigma;
            }
        }
        return GaussianMixtureModel.of(type, weights, means, cov).withFeatureNames(m.featureNames());
    }

    /** @return per component its class: class g owns components {@code g·perClass} to {@code (g + 1)·perClass − 1} */
    static int[] classOfComponent(int classes, int perClass) {
        int[] out = new int[classes * perClass];
        for (int c = 0; c < out.length; c++) {
            out[c] = c / perClass;
        }
        return out;
    }

    /** @return per component its class's name */
    static List<String> componentNames(ClassLabels labels, int perClass) {
        return componentNames(labels.names(), perClass);
    }

    /**
     * Per component the name of its class, {@link #classOfComponent}'s numbering: the one place the Gaussian, product
     * and hidden Markov fits, and their distributed plans (which know the class names but not the labels), name them.
     *
     * @param classNames the classes, in class order
     * @param perClass   components per class
     * @return per component its class's name
     */
    static List<String> componentNames(List<String> classNames, int perClass) {
        int[] of = classOfComponent(classNames.size(), perClass);
        String[] names = new String[of.length];
        for (int c = 0; c < of.length; c++) {
            names[c] = classNames.get(of[c]);
        }
        return List.of(names);
    }
}
