package io.emkit.gaussian;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.kernels.BlockKernels;
import io.emkit.kernels.BlockWorkspace;
import io.emkit.kernels.Linalg;
import io.emkit.mixture.AbstractClusteringModel;
import io.emkit.mixture.DataChecks;
import io.emkit.mixture.MixtureModel;
import io.emkit.EmkitException;
import io.emkit.data.Dataset;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A fitted Gaussian mixture: weights, means and covariances of {@code K} components in {@code D}
 * dimensions, under one {@link CovarianceType}. Immutable; safe to share between threads.
 *
 * <p>Densities are computed in log space from each component's precision Cholesky factor {@code U}
 * (upper triangular, {@code Σ⁻¹ = U Uᵀ}) and its log-determinant, which the model derives from the
 * covariances when it is built. The factors are always derived the same way, so a model rebuilt from
 * the same covariances (for instance loaded from a model file) predicts bit for bit the same.
 *
 * <p>Build one with {@link #full}, {@link #diag}, {@link #spherical}, {@link #tied} or {@link #of} (any of
 * the 14 structures), or fit one with
 * {@link GaussianMixture}.
 */
public final class GaussianMixtureModel extends AbstractClusteringModel implements MixtureModel {
    static final double LOG_2PI = Math.log(2.0 * Math.PI);

    private final CovarianceType type;
    private final double[] weights;
    private final double[] logWeights;
    /** Means, component after component: {@code k * d}. */
    private final double[] means;
    /** Per component (one entry for TIED): d*d for FULL/TIED and the ten mclust-named types, d for DIAG, 1 for SPHERICAL. */
    private final double[][] cov;
    /** Same shape as {@link #cov}: upper-triangular U for FULL/TIED, 1/σ per feature for DIAG/SPHERICAL. */
    private final double[][] prec;
    /**
     * With a tied covariance: the point the rows are transformed relative to (the components' mean), and
     * each component's mean transformed like the rows, {@code Uᵀ (μ_c − anchor)}; null otherwise.
     */
    private final double[] tiedAnchor;
    private final double[] tiedMeans;
    /** log det U per component: half the log-determinant of the precision. */
    private final double[] logDetPrec;

    private GaussianMixtureModel(CovarianceType type, double[] weights, double[] means, double[][] cov,
                                 int d, List<String> featureNames) {
        super(weights.length, d, checkedShape(type, weights.length, d, featureNames));
        this.type = type;
        this.weights = weights;
        this.means = means;
        this.cov = cov;
        requireWeights(weights);
        for (int i = 0; i < means.length; i++) {
            if (!Double.isFinite(means[i])) {
                throw new EmkitException("component " + (i / d + 1) + ": mean is not finite (" + means[i] + ")");
            }
        }
        this.logWeights = new double[k];
        for (int c = 0; c < k; c++) {
            logWeights[c] = Math.log(weights[c]);
        }
        this.prec = new double[cov.length][];
        this.logDetPrec = new double[k];
        for (int c = 0; c < cov.length; c++) {
            PrecisionFactor p = precisionOf(type, cov[c], d);
            if (p == null) {
                throw new EmkitException((type == CovarianceType.TIED ? "the shared covariance" : "component " + (c + 1)
                        + ": covariance") + " is not positive definite");
            }
            prec[c] = p.factor;
            if (type == CovarianceType.TIED) {
                Arrays.fill(logDetPrec, p.logDet);
            } else {
                logDetPrec[c] = p.logDet;
            }
        }
        this.tiedAnchor = type == CovarianceType.TIED ? centroid(means, k, d) : null;
        this.tiedMeans = type == CovarianceType.TIED ? transformedMeans(means, k, d, tiedAnchor, prec[0]) : null;
    }

    /** The unweighted mean of the components' means. */
    private static double[] centroid(double[] means, int k, int d) {
        double[] a = new double[d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                a[j] += means[c * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            a[j] /= k;
        }
        return a;
    }

    /** {@code Uᵀ (μ_c − anchor)} for each component, as {@link BlockWorkspace#transformRows} does for rows. */
    private static double[] transformedMeans(double[] means, int k, int d, double[] anchor, double[] u) {
        double[] out = new double[k * d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int l = 0; l <= j; l++) {
                    s += u[l * d + j] * (means[c * d + l] - anchor[l]);
                }
                out[c * d + j] = s;
            }
        }
        return out;
    }

    /** Checks what the constructor checks first, in its order; returns the names the model keeps. */
    private static List<String> checkedShape(CovarianceType type, int k, int d, List<String> featureNames) {
        Objects.requireNonNull(type, "type");
        if (k < 1) {
            throw new EmkitException("a mixture needs at least one component");
        }
        if (d < 1) {
            throw new EmkitException("a mixture needs at least one feature");
        }
        return featureNamesOrDefault(featureNames, d);
    }

    /** A component's precision factor and its log-determinant; {@code null} from {@link #precisionOf} if singular. */
    record PrecisionFactor(double[] factor, double logDet) {
    }

    /**
     * Derives the precision factor of one covariance block; {@code null} if it is not positive definite.
     */
    static PrecisionFactor precisionOf(CovarianceType type, double[] c, int d) {
        switch (type) {
            case DIAG, SPHERICAL -> {
                double[] f = new double[c.length];
                double logDet = 0;
                for (int j = 0; j < c.length; j++) {
                    if (!(c[j] > 0) || !Double.isFinite(c[j])) {
                        return null;
                    }
                    f[j] = 1.0 / Math.sqrt(c[j]);
                    logDet -= 0.5 * Math.log(c[j]);
                }
                if (type == CovarianceType.SPHERICAL) {
                    logDet *= d;
                }
                return new PrecisionFactor(f, logDet);
            }
            default -> {
                double[] lower = Linalg.choleskyLower(c, d);
                if (lower == null) {
                    return null;
                }
                double logDet = 0;
                for (int j = 0; j < d; j++) {
                    logDet -= Math.log(lower[j * d + j]);
                }
                return new PrecisionFactor(Linalg.inverseLowerTransposed(lower, d), logDet);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- factories

    /**
     * A mixture whose components each have an unconstrained covariance matrix.
     *
     * @param weights     K weights summing to 1
     * @param means       K means of D values
     * @param covariances K symmetric positive-definite D×D matrices
     * @return the model, features named {@code x1..xD}
     */
    public static GaussianMixtureModel full(double[] weights, double[][] means, double[][][] covariances) {
        int d = dimensionOf(means);
        requireCount("covariances", covariances.length, weights.length);
        double[][] cov = new double[weights.length][];
        for (int c = 0; c < weights.length; c++) {
            cov[c] = flattenSymmetric(covariances[c], d, "component " + (c + 1) + ": covariance");
        }
        return new GaussianMixtureModel(CovarianceType.FULL, weights.clone(), flatten(means, weights.length, d), cov, d, null);
    }

    /**
     * A mixture whose components each have a diagonal covariance.
     *
     * @param weights   K weights summing to 1
     * @param means     K means of D values
     * @param variances K rows of D positive variances
     * @return the model
     */
    public static GaussianMixtureModel diag(double[] weights, double[][] means, double[][] variances) {
        int d = dimensionOf(means);
        requireCount("variances", variances.length, weights.length);
        double[][] cov = new double[weights.length][];
        for (int c = 0; c < weights.length; c++) {
            requireCount("component " + (c + 1) + ": variances", variances[c].length, d);
            cov[c] = variances[c].clone();
        }
        return new GaussianMixtureModel(CovarianceType.DIAG, weights.clone(), flatten(means, weights.length, d), cov, d, null);
    }

    /**
     * A mixture whose components each have one variance in every direction.
     *
     * @param weights   K weights summing to 1
     * @param means     K means of D values
     * @param variances K positive variances
     * @return the model
     */
    public static GaussianMixtureModel spherical(double[] weights, double[][] means, double[] variances) {
        int d = dimensionOf(means);
        requireCount("variances", variances.length, weights.length);
        double[][] cov = new double[weights.length][];
        for (int c = 0; c < weights.length; c++) {
            cov[c] = new double[] {variances[c]};
        }
        return new GaussianMixtureModel(CovarianceType.SPHERICAL, weights.clone(), flatten(means, weights.length, d), cov, d, null);
    }

    /**
     * A mixture whose components share one covariance matrix.
     *
     * @param weights    K weights summing to 1
     * @param means      K means of D values
     * @param covariance a symmetric positive-definite D×D matrix
     * @return the model
     */
    public static GaussianMixtureModel tied(double[] weights, double[][] means, double[][] covariance) {
        int d = dimensionOf(means);
        double[][] cov = {flattenSymmetric(covariance, d, "the shared covariance")};
        return new GaussianMixtureModel(CovarianceType.TIED, weights.clone(), flatten(means, weights.length, d), cov, d, null);
    }

    /**
     * A mixture of any of the 14 structures from full covariance matrices. For the ten structures
     * without a scikit-learn name the matrices are kept as given (the caller vouches for their
     * constrained form); for full, diag, spherical and tied they are reduced to their compact form
     * (diagonals, the first diagonal entry, the first matrix), which must represent them exactly.
     *
     * @param type        the structure
     * @param weights     K weights summing to 1
     * @param means       K means of D values
     * @param covariances K symmetric positive-definite D×D matrices
     * @return the model, features named {@code x1..xD}
     */
    public static GaussianMixtureModel of(CovarianceType type, double[] weights, double[][] means,
                                          double[][][] covariances) {
        int k = weights.length;
        requireCount("covariances", covariances.length, k);
        return switch (type) {
            case FULL -> full(weights, means, covariances);
            case TIED -> tied(weights, means, covariances[0]);
            case DIAG, SPHERICAL -> {
                int d = dimensionOf(means);
                double[][] v = new double[k][d];
                for (int c = 0; c < k; c++) {
                    requireCount("component " + (c + 1) + ": covariance rows", covariances[c].length, d);
                    for (int j = 0; j < d; j++) {
                        v[c][j] = covariances[c][j][j];
                    }
                }
                if (type == CovarianceType.DIAG) {
                    yield diag(weights, means, v);
                }
                double[] s = new double[k];
                for (int c = 0; c < k; c++) {
                    s[c] = v[c][0];
                }
                yield spherical(weights, means, s);
            }
            default -> {
                int d = dimensionOf(means);
                double[][] cov = new double[k][];
                for (int c = 0; c < k; c++) {
                    cov[c] = flattenSymmetric(covariances[c], d, "component " + (c + 1) + ": covariance");
                }
                yield new GaussianMixtureModel(type, weights.clone(), flatten(means, k, d), cov, d, null);
            }
        };
    }

    /**
     * This model's weights and covariances (the same arrays, so the same bits) with another model's means.
     *
     * @param other a model of the same covariance structure, number of components and dimension
     * @return a new model, features named as this one's
     * @throws EmkitException if the shapes differ
     */
    public GaussianMixtureModel withMeansOf(GaussianMixtureModel other) {
        if (other.type != type || other.k != k || other.d != d) {
            throw new EmkitException("cannot take the means of a " + other.k + "-component " + other.type.label()
                    + " model in " + d + " dimensions into a " + k + "-component " + type.label() + " model");
        }
        return new GaussianMixtureModel(type, weights, other.means.clone(), cov, d, featureNames);
    }

    /**
     * The same model with its features renamed.
     *
     * @param names D names
     * @return a new model
     */
    public GaussianMixtureModel withFeatureNames(List<String> names) {
        return new GaussianMixtureModel(type, weights, means, cov, d, names);
    }

    /**
     * A mixture from the arrays it stores, which the caller hands over (no copy): what an M-step builds,
     * here or in a model built on Gaussian components (such as a Student-t mixture's scale matrices).
     *
     * @param type    the structure
     * @param weights K weights summing to 1
     * @param means   the means, component after component ({@code K·D} values)
     * @param cov     per component (one for tied) the covariance as the structure stores it: {@code D×D}
     *                row-major, {@code D} for diag, 1 for spherical (as {@link GaussianMixtureSteps#covariancesOfScatter} returns)
     * @param d       D
     * @param names   the features' names, or {@code null} for {@code x1..xD}
     * @return the model
     * @throws EmkitException if a weight, mean or covariance is invalid
     */
    public static GaussianMixtureModel ofFlat(CovarianceType type, double[] weights, double[] means, double[][] cov, int d,
                                       List<String> names) {
        return new GaussianMixtureModel(type, weights, means, cov, d, names);
    }

    private static int dimensionOf(double[][] means) {
        if (means.length == 0) {
            throw new EmkitException("a mixture needs at least one component");
        }
        return means[0].length;
    }

    private static void requireCount(String what, int got, int expected) {
        if (got != expected) {
            throw new EmkitException(what + ": expected " + expected + " entries, got " + got);
        }
    }

    private static double[] flatten(double[][] rows, int k, int d) {
        requireCount("means", rows.length, k);
        double[] out = new double[k * d];
        for (int c = 0; c < k; c++) {
            requireCount("component " + (c + 1) + ": mean", rows[c].length, d);
            System.arraycopy(rows[c], 0, out, c * d, d);
        }
        return out;
    }

    private static double[] flattenSymmetric(double[][] m, int d, String what) {
        requireCount(what + " rows", m.length, d);
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            requireCount(what + " row " + (i + 1), m[i].length, d);
            System.arraycopy(m[i], 0, out, i * d, d);
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                double a = out[i * d + j];
                double b = out[j * d + i];
                double scale = Math.sqrt(Math.abs(out[i * d + i] * out[j * d + j]));
                if (!(Math.abs(a - b) <= 1e-9 * scale) || !Double.isFinite(a)) {
                    throw new EmkitException(what + " is not symmetric (entry " + (i + 1) + "," + (j + 1) + " is "
                            + a + ", entry " + (j + 1) + "," + (i + 1) + " is " + b + ")");
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------- accessors

    /** @return the covariance structure */
    public CovarianceType covarianceType() {
        return type;
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /**
     * @param c component, from 0
     * @return its mean (a copy)
     */
    public double[] mean(int c) {
        Objects.checkIndex(c, k);
        return Arrays.copyOfRange(means, c * d, (c + 1) * d);
    }

    /** @return all means, {@code K × D} (a copy) */
    public double[][] means() {
        return rows(means, k, d);
    }

    /**
     * Why this fit is a spurious maximum, or {@code null} if it is not. A Gaussian mixture's likelihood is
     * unbounded: a component can shrink onto a few rows (or onto rows tied in some column) and its density
     * there grow without limit. Such a component is recognised by a variance along some direction held up
     * by the regularisation alone — its covariance's smallest eigenvalue at most {@code 10·regCovar} — or,
     * without regularisation, by a reciprocal condition number below 1e-12. The search for the global
     * optimum prefers any fit that is not spurious, and model selection never chooses one.
     *
     * @param regCovar the regularisation the fit added to every covariance diagonal (0 for none, or with a
     *                 prior, whose fits are never spurious in this sense)
     * @return a one-line reason naming the component, or {@code null}
     */
    public String spuriousReason(double regCovar) {
        return spuriousReason(regCovar, null);
    }

    /**
     * Why this fit is a spurious maximum, as {@link #spuriousReason(double)} tells it, or because a component has
     * collapsed onto rows recorded alike in some column: its variance there below {@code step²/12}, the variance
     * rounding to the column's recording step adds to any value ({@link io.emkit.data.Dataset#recordingSteps}).
     * A component honestly spread over two neighbouring recorded values in equal shares has {@code step²/4}; one
     * below {@code step²/12} has nearly all its weight on a single value, and its density there grows as far as
     * the structure lets it (Old Faithful's waiting times are whole minutes: six VEV components, one of them on
     * the 12 eruptions followed by exactly 82 minutes, variance 1e-4 there, reach a log-likelihood 43 nats above
     * mclust's fit and a BIC that beats every proper model's). Likewise a component whose variance along some
     * direction is below an eighth of what rounding adds along it (see {@code flattenedReason}).
     *
     * @param regCovar       as for {@link #spuriousReason(double)}
     * @param recordingSteps per column the step its values were recorded to (0 where unknown), or {@code null}
     *                       to look at the covariances alone
     * @return a one-line reason naming the component, or {@code null}
     */
    public String spuriousReason(double regCovar, double[] recordingSteps) {
        String collapsed = collapsedReason(regCovar);
        if (collapsed != null || recordingSteps == null) {
            return collapsed;
        }
        for (int c = 0; c < k; c++) {
            double[][] matrix = covariance(c);
            for (int j = 0; j < d; j++) {
                double step = recordingSteps[j];
                double rounding = step * step / 12;
                if (matrix[j][j] < rounding) {
                    return String.format(java.util.Locale.ROOT, "degenerate: component %d (weight %.3g) has"
                            + " collapsed onto rows recorded alike in column %d (variance %.3g there, below the %.3g"
                            + " that rounding to the column's step of %.3g gives): a spurious maximum on tied"
                            + " values; fewer components, another structure or a larger regCovar",
                            c + 1, weights[c], j + 1, matrix[j][j], rounding, step);
                }
            }
            String flattened = flattenedReason(c, matrix, recordingSteps);
            if (flattened != null) {
                return flattened;
            }
            if (type.equalVolume() && type.equalShape() && type.equalOrientation()) {
                break; // one shared matrix: looked at once
            }
        }
        return null;
    }

    /**
     * Rounding adds {@code diag(step²/12)} to the covariance of any component (the rounding errors of different
     * columns are independent), so along a direction {@code v} it adds {@code vᵀ·diag(step²/12)·v}. A component
     * whose variance along some direction is below an eighth of that lies flatter than its rows' rounding: a
     * component on a handful of rows in many columns, turned so that its thin directions fit them (R's swiss data,
     * 47 rows in 6 columns recorded to 0.1, 1 and 0.01: nine EEV components of 4–7 rows, the thinnest direction's
     * variance 1–24% of the rounding's there, reach a log-likelihood 264 nats above four components' and the best
     * BIC). Not the per-column bound of one: the thinnest direction of an estimate lies below the true variance
     * there, the more so the fewer rows it rests on (at the edge, (1 − √(D/n))² of it for n rows in D columns:
     * 0.18 for 12 rows in 4). mclust's fits of faithful and iris reach 0.73 of the rounding, iris's VVV with 6
     * components started from EVV's fit 0.18 (a component of 12 rows); the spikes seen were at 0.01–0.05.
     * The check is Cholesky's of {@code Σ − diag(step²/96)}; only a fit that fails it pays for the ratio.
     */
    private String flattenedReason(int c, double[][] matrix, double[] recordingSteps) {
        double[][] reduced = new double[d][];
        for (int i = 0; i < d; i++) {
            reduced[i] = matrix[i].clone();
            reduced[i][i] -= recordingSteps[i] * recordingSteps[i] / 96;
        }
        if (Linalg.choleskyLower(reduced) != null) {
            return null;
        }
        // The largest v'·diag(step²/12)·v over v'Σv: with Σ = L·Lᵀ and v = L⁻ᵀw, the largest eigenvalue of
        // L⁻¹·diag(step²/12)·L⁻ᵀ.
        double[][] lower = Linalg.choleskyLower(matrix);
        if (lower == null) {
            return "component " + (c + 1) + ": covariance is not positive definite";
        }
        var scaled = new org.ejml.data.DMatrixRMaj(d, d);
        for (int j = 0; j < d; j++) {
            // Column j of L⁻¹·diag(step/√12): forward substitution of step_j/√12 · e_j.
            double[] x = new double[d];
            for (int i = j; i < d; i++) {
                double s = i == j ? recordingSteps[j] / Math.sqrt(12) : 0;
                for (int t = j; t < i; t++) {
                    s -= lower[i][t] * x[t];
                }
                x[i] = s / lower[i][i];
                scaled.set(i, j, x[i]);
            }
        }
        var product = new org.ejml.data.DMatrixRMaj(d, d);
        org.ejml.dense.row.CommonOps_DDRM.multTransB(scaled, scaled, product);
        var eig = org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(d, false, true);
        double largest = 0;
        if (eig.decompose(product)) {
            for (int j = 0; j < d; j++) {
                largest = Math.max(largest, eig.getEigenvalue(j).getReal());
            }
        }
        return String.format(java.util.Locale.ROOT, "degenerate: component %d (weight %.3g) lies flatter than its"
                + " rows' rounding (its variance along some direction is %.3g of the variance rounding to the"
                + " columns' steps gives there, below an eighth): a spurious maximum on a few rows; fewer components,"
                + " another structure or a larger regCovar", c + 1, weights[c], 1 / largest);
    }

    private String collapsedReason(double regCovar) {
        for (int c = 0; c < k; c++) {
            double[][] matrix = covariance(c);
            var eig = org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(d, false, true);
            if (!eig.decompose(new org.ejml.data.DMatrixRMaj(matrix))) {
                return "component " + (c + 1) + ": covariance cannot be decomposed";
            }
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            for (int j = 0; j < d; j++) {
                double v = eig.getEigenvalue(j).getReal();
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if ((regCovar > 0 && min <= 10 * regCovar) || !(min > 1e-12 * max)) {
                return String.format(java.util.Locale.ROOT, "degenerate: component %d (weight %.3g) has collapsed"
                        + " (smallest covariance eigenvalue %.3g, regCovar %.3g): a spurious maximum on a few"
                        + " (tied) values; fewer components, another structure or a larger regCovar",
                        c + 1, weights[c], min, regCovar);
            }
            if (type.equalVolume() && type.equalShape() && type.equalOrientation()) {
                break; // one shared matrix: looked at once
            }
        }
        return null;
    }

    /**
     * A component's covariance as a full D×D matrix, whatever the structure (for TIED, the shared one).
     *
     * @param c component, from 0
     * @return the matrix (a copy)
     */
    public double[][] covariance(int c) {
        Objects.checkIndex(c, k);
        double[][] out = new double[d][d];
        switch (type) {
            case DIAG -> {
                for (int i = 0; i < d; i++) {
                    out[i][i] = cov[c][i];
                }
            }
            case SPHERICAL -> {
                for (int i = 0; i < d; i++) {
                    out[i][i] = cov[c][0];
                }
            }
            default -> {
                double[] m = cov[type == CovarianceType.TIED ? 0 : c];
                for (int i = 0; i < d; i++) {
                    System.arraycopy(m, i * d, out[i], 0, d);
                }
            }
        }
        return out;
    }

    /** @return every component's covariance as a full matrix, {@code K × D × D} (a copy) */
    public double[][][] covariances() {
        double[][][] out = new double[k][][];
        for (int c = 0; c < k; c++) {
            out[c] = covariance(c);
        }
        return out;
    }

    /**
     * The covariance parameters as the structure stores them: {@code K×D×D} for full, {@code K×D} for
     * diag, {@code K} for spherical, {@code D×D} for tied, {@code K×D×D} for the ten structures named
     * by mclust only (the model file's {@code "covariances"}).
     *
     * @return a fresh array of the shape above
     */
    public Object covarianceParameters() {
        return switch (type) {
            case TIED -> covariance(0);
            case DIAG -> {
                double[][] out = new double[k][];
                for (int c = 0; c < k; c++) {
                    out[c] = cov[c].clone();
                }
                yield out;
            }
            case SPHERICAL -> {
                double[] out = new double[k];
                for (int c = 0; c < k; c++) {
                    out[c] = cov[c][0];
                }
                yield out;
            }
            default -> covariances();
        };
    }

    @Override
    public int parameterCount() {
        return type.mixtureParameters(k, d);
    }

    // ---------------------------------------------------------------------------------------------- kernels

    double[] flatMeans() {
        return means;
    }

    double[][] flatCovariances() {
        return cov;
    }

    /**
     * The log joint density {@code log w_c + log N(x_i | μ_c, Σ_c)} of the rows loaded in {@code ws},
     * written to {@code out[i * K + c]} for the block's row i.
     */
    void logJoint(BlockWorkspace ws, double[] out) {
        logDensities(ws, out, 0, k, 1, true);
    }

    /**
     * The log joint densities of the rows loaded in {@code ws}, component after component, into {@code ws.jt}.
     *
     * @param ws the workspace holding the rows
     */
    public void logJointColumns(BlockWorkspace ws) {
        ws.ensureComponents(k);
        logDensities(ws, ws.jt, 0, 1, BlockWorkspace.ROWS, true);
    }

    /**
     * As {@link #logJoint(BlockWorkspace, double[])}, but rows with missing values get their log joint
     * density over their observed coordinates (the block kernel for the others, unchanged).
     *
     * @return how many loaded rows have a missing value; they are listed in {@link BlockWorkspace#incomplete}
     */
    int logJoint(BlockWorkspace ws, double[] out, MissingPatterns patterns) {
        logJoint(ws, out);
        int incomplete = ws.findIncompleteRows();
        if (incomplete > 0) {
            patterns.marginalLogJoint(ws, incomplete, out, k, 1);
        }
        return incomplete;
    }

    /**
     * As {@link #logJointColumns(BlockWorkspace)}, but rows with missing values get their log joint density
     * over their observed coordinates (the block kernel for the others, unchanged).
     *
     * @return how many loaded rows have a missing value; they are listed in {@link BlockWorkspace#incomplete}
     */
    int logJointColumns(BlockWorkspace ws, MissingPatterns patterns) {
        logJointColumns(ws);
        // A missing value makes its row's log density NaN under every component: when the first component's
        // column has no NaN, no row is incomplete, and the block need not be searched.
        int incomplete = ws.anyNaN(ws.jt, 0) ? ws.findIncompleteRows() : 0;
        if (incomplete > 0) {
            patterns.marginalLogJoint(ws, incomplete, ws.jt, 1, BlockWorkspace.ROWS);
        }
        return incomplete;
    }

    /**
     * Each component's own log density {@code log N(x_i | μ_c, Σ_c)} (without its weight) of rows
     * {@code [from, to)} of a row-major array of {@link #dimension()} columns, written to
     * {@code out[(i - from) * K + c]}. Other models built on Gaussian components (such as hidden Markov
     * models with Gaussian emissions) use it.
     *
     * @param x    row-major values, {@code D} per row
     * @param from first row, inclusive
     * @param to   last row, exclusive
     * @param out  receives {@code (to - from) * K} log densities
     */
    public void logComponentDensities(double[] x, int from, int to, double[] out) {
        BlockWorkspace ws = new BlockWorkspace(d);
        for (int lo = from; lo < to; lo += BlockWorkspace.ROWS) {
            int hi = Math.min(to, lo + BlockWorkspace.ROWS);
            ws.load(x, lo, hi);
            logDensities(ws, out, (lo - from) * k, k, 1, false);
        }
    }

    /** Writes row i's log density under component c to {@code out[outOffset + i * rowStride + c * componentStride]}. */
    private void logDensities(BlockWorkspace ws, double[] out, int outOffset, int rowStride, int componentStride,
                              boolean weighted) {
        double halfDLog2Pi = 0.5 * d * LOG_2PI;
        int b = ws.rows;
        prepareDistances(ws);
        for (int c = 0; c < k; c++) {
            double base = (weighted ? logWeights[c] : 0.0) + logDetPrec[c] - halfDLog2Pi;
            squaredDistances(ws, c);
            double[] ss = ws.ss;
            int o = outOffset + c * componentStride;
            for (int i = 0; i < b; i++) {
                out[o + i * rowStride] = base - 0.5 * ss[i];
            }
        }
    }

    /** Work shared by every component's {@link #squaredDistances} on the rows loaded in {@code ws}. */
    private void prepareDistances(BlockWorkspace ws) {
        if (type == CovarianceType.TIED) {
            ws.transformRows(tiedAnchor, prec[0]);
        }
    }

    /**
     * The squared Mahalanobis distances of the loaded rows to component c, into {@code ws.ss}, after
     * {@link #prepareDistances}.
     */
    private void squaredDistances(BlockWorkspace ws, int c) {
        switch (type) {
            case TIED -> ws.transformedSquaredDistances(tiedMeans, c * d);
            case DIAG, SPHERICAL -> ws.centredScaledSquaredNorms(means, c * d, prec[c]);
            default -> {
                float[] single = ws.singlePrecision ? singleFactors()[c] : null;
                if (single != null) {
                    ws.triangularSquaredNormsSingle(means, c * d, single, prec[c]);
                } else {
                    ws.triangularSquaredNorms(means, c * d, prec[c]);
                }
            }
        }
    }

    /** Each component's U rounded to float, made on first use; published through the volatile field. */
    private transient volatile float[][] singleFactors;

    /**
     * Each component's precision factor rounded to float for {@link Precision#SINGLE}; {@code null} for a component
     * whose factor has an entry beyond float's range or so small that float keeps fewer digits of it (subnormal):
     * that component's distances stay in double.
     */
    private float[][] singleFactors() {
        float[][] f = singleFactors;
        if (f == null) {
            f = new float[k][];
            for (int c = 0; c < k; c++) {
                f[c] = toFloat(prec[c]);
            }
            singleFactors = f;
        }
        return f;
    }

    private static float[] toFloat(double[] u) {
        float[] f = new float[u.length];
        for (int i = 0; i < u.length; i++) {
            f[i] = (float) u[i];
            if (Float.isInfinite(f[i]) || (u[i] != 0 && Math.abs(f[i]) < Float.MIN_NORMAL)) {
                return null;
            }
        }
        return f;
    }

    /**
     * The squared Mahalanobis distance {@code (x − μ_c)ᵀ Σ_c⁻¹ (x − μ_c)} of each row loaded in {@code ws} to
     * each component, by the block kernels, into {@code ws.jt[c * ROWS + i]} (zero in the padding lanes): for
     * models whose components are Gaussians rescaled row by row, such as Student-t mixtures.
     *
     * @param ws the workspace holding the rows
     */
    public void squaredDistanceColumns(BlockWorkspace ws) {
        ws.ensureComponents(k);
        int b = ws.rows;
        prepareDistances(ws);
        for (int c = 0; c < k; c++) {
            squaredDistances(ws, c);
            System.arraycopy(ws.ss, 0, ws.jt, c * BlockWorkspace.ROWS, b);
            Arrays.fill(ws.jt, c * BlockWorkspace.ROWS + b, (c + 1) * BlockWorkspace.ROWS, 0.0);
        }
    }

    /**
     * Turns each row of log joint densities into responsibilities in place and returns the rows'
     * log densities (log-sum-exp).
     */
    static void normalizeRows(double[] logJoint, int rows, int k, double[] logDensityOut) {
        for (int i = 0; i < rows; i++) {
            int o = i * k;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, logJoint[o + c]);
            }
            if (max == Double.NEGATIVE_INFINITY) {
                logDensityOut[i] = Double.NEGATIVE_INFINITY;
                Arrays.fill(logJoint, o, o + k, 1.0 / k);
                continue;
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                double e = Math.exp(logJoint[o + c] - max);
                logJoint[o + c] = e;
                sum += e;
            }
            double inv = 1.0 / sum;
            for (int c = 0; c < k; c++) {
                logJoint[o + c] *= inv;
            }
            logDensityOut[i] = max + Math.log(sum);
        }
    }

    /**
     * Classification EM's E-step on the log joint densities the E-step leaves in {@code ws.jt}, component
     * after component: responsibility 1 for each row's most probable component (the lowest on ties), 0
     * elsewhere and in the padding lanes; {@code logJointOut[i]} receives {@code log(π_z p(x_i | z))}.
     */
    static void assignColumns(BlockWorkspace ws, int k, double[] logJointOut) {
        int b = ws.rows;
        double[] jt = ws.jt;
        int[] best = new int[b];
        for (int i = 0; i < b; i++) {
            logJointOut[i] = jt[i];
        }
        for (int c = 1; c < k; c++) {
            int o = c * BlockWorkspace.ROWS;
            for (int i = 0; i < b; i++) {
                if (jt[o + i] > logJointOut[i]) {
                    logJointOut[i] = jt[o + i];
                    best[i] = c;
                }
            }
        }
        Arrays.fill(jt, 0, k * BlockWorkspace.ROWS, 0.0);
        for (int i = 0; i < b; i++) {
            jt[best[i] * BlockWorkspace.ROWS + i] = 1.0;
        }
    }

    /** The component with the largest log joint density in {@code joint[o, o + k)}, the lowest on ties. */
    static int mostProbable(double[] joint, int o, int k) {
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (joint[o + c] > joint[o + best]) {
                best = c;
            }
        }
        return best;
    }

    // ---------------------------------------------------------------------------------------------- inference

    private static final int CHUNK = BlockWorkspace.ROWS;

    /**
     * Runs the kernel over the data in chunks: {@code consumer} sees each chunk's log joint densities, or
     * with {@code normalize} its responsibilities and the rows' log densities. Rows with missing values
     * are evaluated over their observed coordinates; a row with none has log density 0 and the weights as
     * responsibilities.
     */
    private void forEachChunk(Dataset data, boolean normalize, ChunkConsumer consumer) {
        checkData(data);
        double[] x = data.rawValues();
        int n = data.rows();
        double[] joint = new double[CHUNK * k];
        double[] dens = new double[CHUNK];
        BlockWorkspace ws = new BlockWorkspace(d, BlockKernels.forSize(n, k));
        MissingPatterns patterns = new MissingPatterns(this);
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            ws.load(x, from, to);
            int incomplete = logJoint(ws, joint, patterns);
            if (normalize) {
                normalizeRows(joint, to - from, k, dens);
                if (incomplete > 0) {
                    patterns.zeroEmptyRows(ws, incomplete, dens);
                }
            }
            consumer.accept(from, to, joint, dens);
        }
    }

    private interface ChunkConsumer {
        void accept(int from, int to, double[] joint, double[] density);
    }

    private void checkData(Dataset data) {
        DataChecks.requireEvaluable(data, d, featureNames, true);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A row with missing values ({@code NaN}) gets the log density of its observed coordinates (the
     * mixture's marginal); a row with every value missing gets 0.
     */
    @Override
    public double[] scoreSamples(Dataset data) {
        double[] out = new double[data.rows()];
        forEachChunk(data, true, (from, to, joint, dens) -> System.arraycopy(dens, 0, out, from, to - from));
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A row with missing values ({@code NaN}) is assigned by its observed coordinates; a row with every
     * value missing gets the mixing weights.
     */
    @Override
    public double[][] predictProba(Dataset data) {
        return predictProba(data, null);
    }

    /**
     * {@link #predictProba(Dataset)} and, from the same pass over the rows, {@link #scoreSamples} into
     * {@code logDensity} (when not {@code null}): the same values as the two calls give.
     */
    double[][] predictProba(Dataset data, double[] logDensity) {
        double[][] out = new double[data.rows()][];
        forEachChunk(data, true, (from, to, joint, dens) -> {
            for (int i = from; i < to; i++) {
                out[i] = Arrays.copyOfRange(joint, (i - from) * k, (i - from + 1) * k);
            }
            if (logDensity != null) {
                System.arraycopy(dens, 0, logDensity, from, to - from);
            }
        });
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A row with missing values ({@code NaN}) is assigned by its observed coordinates.
     */
    @Override
    public int[] predict(Dataset data) {
        int[] out = new int[data.rows()];
        forEachChunk(data, false, (from, to, joint, dens) -> {
            // The argmax of the log joint is the argmax of the responsibilities: no need to normalise.
            for (int i = from; i < to; i++) {
                out[i] = mostProbable(joint, (i - from) * k, k);
            }
        });
        return out;
    }

    /**
     * Fills each missing ({@code NaN}) cell with its conditional expectation given the row's observed
     * values, {@code E[x_m | x_o] = Σ_c r_c(x_o) (μ_{c,m} + Σ_{c,mo} Σ_{c,oo}⁻¹ (x_o − μ_{c,o}))}, where
     * {@code r_c(x_o)} are the responsibilities computed from the observed values alone. A row with every
     * value missing gets the mixture's mean. Observed cells are copied unchanged.
     *
     * @param data rows with {@link #dimension()} columns
     * @return a new data set, the same shape and names, without missing values
     */
    public Dataset impute(Dataset data) {
        checkData(data);
        double[] x = data.rawValues().clone();
        MissingPatterns patterns = new MissingPatterns(this);
        double[] row = new double[d];
        double[] resp = new double[k];
        double[] completed = new double[d];
        for (int i = 0; i < data.rows(); i++) {
            System.arraycopy(x, i * d, row, 0, d);
            MissingPatterns.Pattern p = patterns.patternOf(row);
            if (p.missing.length == 0) {
                continue;
            }
            responsibilities(patterns, row, p, resp);
            for (int j : p.missing) {
                x[i * d + j] = 0.0;
            }
            for (int c = 0; c < k; c++) {
                patterns.complete(row, p, c, completed);
                for (int j : p.missing) {
                    x[i * d + j] += resp[c] * completed[j];
                }
            }
        }
        return Dataset.wrap(x, data.rows(), d, data.columnNames());
    }

    /**
     * Multiple imputation: {@code draws} copies of the data, each missing ({@code NaN}) cell filled with a
     * draw from its conditional distribution given the row's observed values (a component drawn from the
     * responsibilities {@code r_c(x_o)}, then the missing coordinates from that component's conditional
     * Gaussian). Observed cells are copied unchanged. The draws depend only on {@code seed}.
     *
     * @param data  rows with {@link #dimension()} columns
     * @param draws how many completed copies, at least 1
     * @param seed  decides every draw
     * @return {@code draws} data sets, the same shape and names as {@code data}
     */
    public List<Dataset> imputeDraws(Dataset data, int draws, long seed) {
        if (draws < 1) {
            throw new EmkitException("the number of imputations must be at least 1, got " + draws);
        }
        checkData(data);
        MissingPatterns patterns = new MissingPatterns(this);
        SplittableRandom random = new SplittableRandom(seed);
        int n = data.rows();
        double[] row = new double[d];
        double[] resp = new double[k];
        java.util.ArrayList<Dataset> out = new java.util.ArrayList<>(draws);
        for (int t = 0; t < draws; t++) {
            double[] x = data.rawValues().clone();
            for (int i = 0; i < n; i++) {
                System.arraycopy(x, i * d, row, 0, d);
                MissingPatterns.Pattern p = patterns.patternOf(row);
                if (p.missing.length == 0) {
                    continue;
                }
                responsibilities(patterns, row, p, resp);
                patterns.draw(row, p, resp, random);
                System.arraycopy(row, 0, x, i * d, d);
            }
            out.add(Dataset.wrap(x, n, d, data.columnNames()));
        }
        return List.copyOf(out);
    }

    /** The responsibilities of a row given its observed coordinates. */
    private void responsibilities(MissingPatterns patterns, double[] row, MissingPatterns.Pattern p, double[] resp) {
        patterns.logJoint(row, p, resp, 0);
        normalizeRows(resp, 1, k, new double[1]);
    }

    @Override
    public Sample sample(int n, long seed) {
        if (n < 0) {
            throw new EmkitException("the number of samples must be >= 0, got " + n);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[][] lower = new double[k][];
        for (int c = 0; c < k; c++) {
            lower[c] = switch (type) {
                case TIED -> c == 0 ? Linalg.choleskyLower(cov[0], d) : lower[0];
                case DIAG, SPHERICAL -> null;
                default -> Linalg.choleskyLower(cov[c], d);
            };
        }
        double[] cumulative = new double[k];
        double acc = 0;
        for (int c = 0; c < k; c++) {
            acc += weights[c];
            cumulative[c] = acc;
        }
        double[] values = new double[Math.multiplyExact(n, d)];
        int[] labels = new int[n];
        double[] z = new double[d];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble() * acc;
            int c = 0;
            while (c < k - 1 && u >= cumulative[c]) {
                c++;
            }
            labels[i] = c;
            for (int j = 0; j < d; j++) {
                z[j] = random.nextGaussian();
            }
            int o = i * d;
            for (int j = 0; j < d; j++) {
                double v = means[c * d + j];
                switch (type) {
                    case DIAG -> v += Math.sqrt(cov[c][j]) * z[j];
                    case SPHERICAL -> v += Math.sqrt(cov[c][0]) * z[j];
                    default -> {
                        double[] l = lower[c];
                        for (int m = 0; m <= j; m++) {
                            v += l[j * d + m] * z[m];
                        }
                    }
                }
                values[o + j] = v;
            }
        }
        return new Sample(Dataset.wrap(values, n, d, featureNames), labels);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GaussianMixtureModel m && m.type == type && m.d == d
                && Arrays.equals(m.weights, weights) && Arrays.equals(m.means, means)
                && Arrays.deepEquals(m.cov, cov) && m.featureNames.equals(featureNames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, d, Arrays.hashCode(weights), Arrays.hashCode(means), Arrays.deepHashCode(cov));
    }

    @Override
    public String toString() {
        return "GaussianMixtureModel[" + k + " components, " + d + " features, " + type + "]";
    }
}
