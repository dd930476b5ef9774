package io.emkit.noise;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.data.Rows;
import io.emkit.em.EmSteps;
import io.emkit.em.ParameterVector;
import io.emkit.student.StudentMixtureModel;
import io.emkit.student.StudentMixtureSteps;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * EM's two steps for a t mixture with a uniform noise component ({@link NoiseStudentMixtureModel}). For each
 * row the E-step takes the t mixture's log density {@code ln p_t(x)} and the noise's {@code ln π₀ − ln V}; the row's
 * probability of being noise is {@code τ₀ = (π₀/V) / (π₀/V + (1 − π₀) p_t(x))}, and its t components'
 * responsibilities are the t mixture's own times {@code 1 − τ₀}. So the t mixture's E-step
 * ({@link StudentMixtureSteps}: responsibilities, expected scales, scaled moments) runs on the rows with their
 * weights multiplied by {@code 1 − τ₀}, and its M-step is unchanged; the noise weight is {@code π₀ = Σ w τ₀ / Σ w}.
 * Each maximises the expected complete-data log-likelihood given the E-step (the t's ECM), so the log-likelihood
 * {@code Σ w ln(π₀/V + (1 − π₀) p_t(x))} never decreases. SQUAREM extrapolates the t mixture's coordinates and the
 * logit of {@code π₀}.
 *
 * <p>A row with missing values is evaluated on its observed coordinates (the t's marginal and the region's
 * projection, as {@link NoiseMixtureSteps}); a row observing nothing adds nothing.
 */
public final class NoiseStudentSteps implements EmSteps.OfRows<Rows, NoiseStudentMixtureModel, NoiseStudentStatistics> {
    private static final int ROWS_PER_READ = 256;

    private final StudentMixtureSteps student;

    /**
     * @param student the t components' steps
     */
    public NoiseStudentSteps(StudentMixtureSteps student) {
        this.student = java.util.Objects.requireNonNull(student, "student");
    }

    /** @return the t components' log prior density (0 by maximum likelihood) */
    @Override
    public double logPrior(NoiseStudentMixtureModel params) {
        return student.logPrior(params.student());
    }

    @Override
    public NoiseStudentStatistics emptyStatistics(NoiseStudentMixtureModel params) {
        return new NoiseStudentStatistics(student.emptyStatistics(params.student()));
    }

    @Override
    public double accumulate(NoiseStudentMixtureModel params, Rows data, int from, int to,
                             NoiseStudentStatistics stats) {
        int d = params.dimension();
        StudentMixtureModel t = params.student();
        double logT = Math.log1p(-params.noiseWeight());
        double logWeight = Math.log(params.noiseWeight());
        double logNoiseComplete = logWeight - params.region().logVolume();
        double[] x = new double[ROWS_PER_READ * d];
        double[] weights = new double[ROWS_PER_READ];
        double[] signal = new double[to - from];
        double[] row = new double[d];
        double ll = 0;
        for (int lo = from; lo < to; lo += ROWS_PER_READ) {
            int hi = Math.min(to, lo + ROWS_PER_READ);
            int b = hi - lo;
            data.copyRows(lo, hi, x);
            data.copyWeights(lo, hi, weights);
            double[] logT0 = t.scoreSamples(Dataset.wrap(Arrays.copyOf(x, b * d), b, d, data.columnNames()));
            for (int i = 0; i < b; i++) {
                double w = weights[i];
                if (w == 0) {
                    continue;
                }
                double logNoise = logNoiseComplete;
                for (int j = 0; j < d; j++) {
                    if (Double.isNaN(x[i * d + j])) {
                        System.arraycopy(x, i * d, row, 0, d);
                        if (NoiseMixtureSteps.observesNothing(row)) {
                            logNoise = Double.NaN;
                        } else {
                            logNoise = logWeight - NoiseMixtureSteps.observedLogVolume(params.region(), row, lo + i);
                        }
                        break;
                    }
                }
                if (Double.isNaN(logNoise)) {
                    continue; // a row observing nothing adds nothing
                }
                double logDensity = NoiseMixtureModel.logSum(logT + logT0[i], logNoise);
                ll += w * logDensity;
                stats.noise += w * Math.exp(logNoise - logDensity);
                signal[lo - from + i] = w * Math.exp(logT + logT0[i] - logDensity);
                stats.signal += signal[lo - from + i];
            }
        }
        student.accumulate(t, new Reweighted(data, from, signal), from, to, stats.student);
        return ll;
    }

    /**
     * The rows of {@code data} with the weights of rows {@code [from, from + weights.length)} replaced: what the t
     * mixture's E-step reads. Its size is the data's, so the t E-step picks the kernels it would for the data.
     */
    private record Reweighted(Rows data, int from, double[] weights) implements Rows {
        @Override
        public int rows() {
            return data.rows();
        }

        @Override
        public int columns() {
            return data.columns();
        }

        @Override
        public List<String> columnNames() {
            return data.columnNames();
        }

        @Override
        public boolean isWeighted() {
            return true;
        }

        @Override
        public void copyWeights(int lo, int hi, double[] dest) {
            System.arraycopy(weights, lo - from, dest, 0, hi - lo);
        }

        @Override
        public void copyRows(int lo, int hi, double[] dest) {
            data.copyRows(lo, hi, dest);
        }
    }

    @Override
    public NoiseStudentMixtureModel maximize(NoiseStudentStatistics s, NoiseStudentMixtureModel previous,
                                             Consumer<String> warnings) {
        if (!(s.signal > 0)) {
            throw new EmkitException("the noise component took every row: no t component is left to fit (the data"
                    + " may have no clusters denser than the noise)");
        }
        StudentMixtureModel t = student.maximize(s.student, previous.student(), warnings);
        double noiseWeight = Math.min(Math.max(s.noise / (s.noise + s.signal), Double.MIN_NORMAL), 1 - 1e-16);
        return new NoiseStudentMixtureModel(t, noiseWeight, previous.region());
    }

    @Override
    public int parameterCount(NoiseStudentMixtureModel params) {
        return params.parameterCount();
    }

    @Override
    public void review(NoiseStudentMixtureModel params, NoiseStudentStatistics statistics, Consumer<String> warnings) {
        student.review(params.student(), statistics.student, warnings);
    }

    /** The t mixture's coordinates, then {@code logit π₀}. */
    @Override
    public ParameterVector<NoiseStudentMixtureModel> parameterVector() {
        ParameterVector<StudentMixtureModel> t = student.parameterVector();
        if (t == null) {
            return null;
        }
        return new ParameterVector<>() {
            @Override
            public double[] toVector(NoiseStudentMixtureModel params) {
                double[] v = t.toVector(params.student());
                double[] out = Arrays.copyOf(v, v.length + 1);
                double p = params.noiseWeight();
                out[v.length] = Math.log(p) - Math.log1p(-p);
                return out;
            }

            @Override
            public NoiseStudentMixtureModel fromVector(double[] vector, NoiseStudentMixtureModel template) {
                StudentMixtureModel m = t.fromVector(Arrays.copyOf(vector, vector.length - 1), template.student());
                double p = 1 / (1 + Math.exp(-vector[vector.length - 1]));
                if (m == null || !(p > 0 && p < 1)) {
                    return null;
                }
                return new NoiseStudentMixtureModel(m, p, template.region());
            }
        };
    }
}
