package io.emkit.noise;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The region a noise component spreads its density over: a box around the data, either along the data's
 * columns (the bounding box) or along their principal axes, whichever has the smaller volume — the rule of
 * mclust's {@code hypvol}, so that a noise density {@code 1/V} means what it means there. The principal box
 * is the tighter one for correlated data (a long diagonal cloud fills little of its bounding box), the column
 * box for data whose spread is along the columns; taking the smaller keeps the noise density from being
 * understated, which would let it take rows a Gaussian component should have.
 *
 * <p>The density is {@code 1/V} everywhere, also outside the box (as mclust's), so that a new row far from
 * the data is scored rather than refused; {@link #sample} draws from inside the box.
 *
 * <p><b>Missing values.</b> A row with missing cells is evaluated on its observed coordinates, where the noise
 * density is the marginal of the uniform over the box: for a box along the columns, the uniform over the box's
 * projection onto the observed columns, density {@code 1/V_o} with {@code V_o} the product of those columns'
 * extents ({@link #logVolumeOver}). The marginal of a box along principal axes is not uniform (it is a
 * piecewise polynomial), so data with missing values get the bounding box along the columns, each column's
 * extent from its observed values, and a principal-axes box refuses rows with missing cells.
 */
public final class NoiseRegion implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final int d;
    /** Row-major d×d: row a is the box's a-th axis (a unit vector); the identity for the column box. */
    private final double[] axes;
    private final double[] lower;
    private final double[] upper;
    private final boolean principal;

    /**
     * A box with the given axes and extent along each.
     *
     * @param axes      row-major {@code d×d}, each row a unit axis; orthonormal
     * @param lower     the smallest coordinate of the data along each axis
     * @param upper     the largest
     * @param principal whether the axes are the data's principal axes (for people: "principal-axes box")
     * @throws EmkitException if an extent is not positive and finite
     */
    public NoiseRegion(double[] axes, double[] lower, double[] upper, boolean principal) {
        this.d = lower.length;
        if (axes.length != d * d || upper.length != d) {
            throw new EmkitException("a noise region needs " + d + " axes of " + d + " values and " + d + " bounds");
        }
        for (int a = 0; a < d; a++) {
            double extent = upper[a] - lower[a];
            if (!(extent > 0) || !Double.isFinite(extent)) {
                throw new EmkitException("the data have no spread along " + (principal ? "principal axis " : "column ")
                        + (a + 1) + ": a noise component needs a region of positive volume");
            }
        }
        this.axes = axes.clone();
        this.lower = lower.clone();
        this.upper = upper.clone();
        this.principal = principal;
    }

    /**
     * The smaller of the data's bounding box and its box along the principal axes (mclust's {@code hypvol}); for
     * data with missing values, the bounding box of each column's observed values (see the class comment).
     *
     * @param data rows, at least two distinct ones; missing values ({@code NaN}) allowed
     * @return the region
     * @throws EmkitException if the data have no spread in some direction
     */
    public static NoiseRegion of(Dataset data) {
        int d = data.columns();
        double[] identity = new double[d * d];
        for (int a = 0; a < d; a++) {
            identity[a * d + a] = 1;
        }
        if (data.firstMissing() != null) {
            return observedBox(data);
        }
        NoiseRegion columns = boxAlong(data, identity, false);
        if (d == 1) {
            return columns;
        }
        NoiseRegion pca = boxAlong(data, principalAxes(data), true);
        return pca.logVolume() < columns.logVolume() ? pca : columns;
    }

    /** The range of each column's observed values. */
    private static NoiseRegion observedBox(Dataset data) {
        int d = data.columns();
        double[] identity = new double[d * d];
        double[] lo = new double[d];
        double[] hi = new double[d];
        ranges(data, (x, row, a) -> x[row + a], lo, hi);
        for (int a = 0; a < d; a++) {
            identity[a * d + a] = 1;
            if (lo[a] > hi[a]) {
                throw new EmkitException("column " + (a + 1) + " ('" + data.columnNames().get(a) + "') has no"
                        + " observed value: a noise component needs a region of positive volume");
            }
        }
        return new NoiseRegion(identity, lo, hi, false);
    }

    /** The ranges of the rows' coordinates along each axis. */
    private static NoiseRegion boxAlong(Dataset data, double[] axes, boolean principal) {
        int d = data.columns();
        double[] lo = new double[d];
        double[] hi = new double[d];
        ranges(data, (x, row, a) -> {
            double p = 0;
            for (int j = 0; j < d; j++) {
                p += axes[a * d + j] * x[row + j];
            }
            return p;
        }, lo, hi);
        return new NoiseRegion(axes, lo, hi, principal);
    }

    /** A coordinate of a row: {@code x} the data's values, {@code row} where the row starts in it. */
    private interface Coordinate {
        double of(double[] x, int row, int axis);
    }

    /** The smallest and largest value of each coordinate over the rows, NaN (a missing cell) passed over. */
    private static void ranges(Dataset data, Coordinate coordinate, double[] lo, double[] hi) {
        int d = data.columns();
        Arrays.fill(lo, Double.POSITIVE_INFINITY);
        Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        double[] x = data.rawValues();
        for (int i = 0; i < data.rows(); i++) {
            for (int a = 0; a < d; a++) {
                double v = coordinate.of(x, i * d, a);
                if (!Double.isNaN(v)) {
                    lo[a] = Math.min(lo[a], v);
                    hi[a] = Math.max(hi[a], v);
                }
            }
        }
    }

    /** The eigenvectors of the rows' covariance, as rows (their order does not matter to a box). */
    private static double[] principalAxes(Dataset data) {
        int d = data.columns();
        int n = data.rows();
        double[] x = data.rawValues();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j] / n;
            }
        }
        DMatrixRMaj cov = new DMatrixRMaj(d, d);
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                double za = x[i * d + a] - mean[a];
                for (int b = a; b < d; b++) {
                    cov.add(a, b, za * (x[i * d + b] - mean[b]));
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                cov.set(a, b, cov.get(b, a));
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(cov)) {
            throw new EmkitException("the principal axes of the data could not be computed");
        }
        double[] axes = new double[d * d];
        for (int a = 0; a < d; a++) {
            DMatrixRMaj v = eig.getEigenVector(a);
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += v.get(j) * v.get(j);
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < d; j++) {
                axes[a * d + j] = v.get(j) / norm;
            }
        }
        return axes;
    }

    /** @return the logarithm of the box's volume; the noise density is its negative */
    public double logVolume() {
        double s = 0;
        for (int a = 0; a < d; a++) {
            s += Math.log(upper[a] - lower[a]);
        }
        return s;
    }

    /**
     * The logarithm of the volume of the box's projection onto a row's observed coordinates, the columns where
     * {@code row} is not {@code NaN}: the noise density over those coordinates is its negative. 0 when nothing
     * is observed; {@link #logVolume} (to rounding) when everything is.
     *
     * @param row one value per column, {@code NaN} where missing
     * @return {@code Σ_{j observed} ln(upper_j − lower_j)}
     * @throws EmkitException if the box lies along principal axes and the row misses a value
     */
    public double logVolumeOver(double[] row) {
        double s = 0;
        boolean missing = false;
        for (int a = 0; a < d; a++) {
            if (Double.isNaN(row[a])) {
                missing = true;
            } else {
                s += Math.log(upper[a] - lower[a]);
            }
        }
        if (missing && principal) {
            throw new EmkitException("missing value; this model's noise spreads over a box along the data's"
                    + " principal axes, whose density over some of the columns is not uniform: give complete rows, or"
                    + " fit the model on data with missing values (its box then lies along the columns)");
        }
        return s;
    }

    /** @return whether the box lies along the data's principal axes rather than along the columns */
    public boolean principal() {
        return principal;
    }

    /** @return the axes, row-major {@code d×d}, a unit axis per row (a copy) */
    public double[] axes() {
        return axes.clone();
    }

    /** @return the smallest coordinate along each axis (a copy) */
    public double[] lower() {
        return lower.clone();
    }

    /** @return the largest coordinate along each axis (a copy) */
    public double[] upper() {
        return upper.clone();
    }

    /**
     * A point drawn uniformly from the box.
     *
     * @param random the stream to draw from
     * @return {@code d} coordinates in the data's columns
     */
    public double[] sample(SplittableRandom random) {
        double[] out = new double[d];
        for (int a = 0; a < d; a++) {
            double t = lower[a] + (upper[a] - lower[a]) * random.nextDouble();
            for (int j = 0; j < d; j++) {
                out[j] += t * axes[a * d + j];
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoiseRegion r && r.principal == principal && Arrays.equals(r.axes, axes)
                && Arrays.equals(r.lower, lower) && Arrays.equals(r.upper, upper);
    }

    @Override
    public int hashCode() {
        return Objects.hash(principal, Arrays.hashCode(axes), Arrays.hashCode(lower), Arrays.hashCode(upper));
    }

    @Override
    public String toString() {
        return (principal ? "principal-axes" : "bounding") + " box, log volume "
                + String.format(java.util.Locale.ROOT, "%.6g", logVolume());
    }
}
