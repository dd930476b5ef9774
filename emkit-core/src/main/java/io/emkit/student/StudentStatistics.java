package io.emkit.student;

import io.emkit.em.SufficientStatistics;

/**
 * What the E-step of a Student-t mixture adds up over rows (each sum weighted by the row's weight, and
 * {@code u_ik} the expected latent scale of row i under component k): per component the responsibility
 * {@code Σ r}, the scaled responsibility {@code Σ r·u}, the scaled first and second moments around a shift
 * (the component's location in the E-step, so that the scatter is not a difference of large numbers), and
 * {@code Σ r·(ln u − u + 1)}, which the degrees of freedom's M-step needs. Second moments are the full
 * upper triangle, or only the diagonal for the diagonal structures.
 */
public final class StudentStatistics implements SufficientStatistics<StudentStatistics> {
    private static final long serialVersionUID = 1L;

    final int k;
    final int d;
    final boolean fullMoments;
    final double[] shift;
    final double[] responsibility;
    final double[] scaledResponsibility;
    final double[] first;
    final double[] second;
    final double[] logScale;

    /**
     * @param k           components
     * @param d           features
     * @param fullMoments whether to keep the full second moments (else only their diagonals)
     * @param shift       per component the point the moments are taken around ({@code K·D} values, not copied)
     */
    StudentStatistics(int k, int d, boolean fullMoments, double[] shift) {
        this.k = k;
        this.d = d;
        this.fullMoments = fullMoments;
        this.shift = shift;
        this.responsibility = new double[k];
        this.scaledResponsibility = new double[k];
        this.first = new double[k * d];
        this.second = new double[fullMoments ? k * d * d : k * d];
        this.logScale = new double[k];
    }

    /** Adds one row of weight {@code weight}, responsibility {@code r} and expected scale {@code u} to component c. */
    void add(int c, double[] x, int offset, double weight, double r, double u, double[] centred) {
        double wr = weight * r;
        double wru = wr * u;
        responsibility[c] += wr;
        scaledResponsibility[c] += wru;
        double t = u - 1;
        logScale[c] += wr * (Math.log1p(t) - t);
        int mo = c * d;
        for (int j = 0; j < d; j++) {
            double v = x[offset + j] - shift[mo + j];
            centred[j] = v;
            first[mo + j] += wru * v;
        }
        if (fullMoments) {
            int so = c * d * d;
            for (int a = 0; a < d; a++) {
                double va = wru * centred[a];
                int row = so + a * d;
                for (int b = a; b < d; b++) {
                    second[row + b] += va * centred[b];
                }
            }
        } else {
            for (int j = 0; j < d; j++) {
                second[mo + j] += wru * centred[j] * centred[j];
            }
        }
    }

    /** @return the total responsibility over every component: the rows' total weight */
    double totalResponsibility() {
        double total = 0;
        for (double r : responsibility) {
            total += r;
        }
        return total;
    }

    @Override
    public void merge(StudentStatistics other) {
        add(responsibility, other.responsibility);
        add(scaledResponsibility, other.scaledResponsibility);
        add(first, other.first);
        add(second, other.second);
        add(logScale, other.logScale);
    }

    private static void add(double[] into, double[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }
}
