package io.emkit.noise;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.data.Rows;
import io.emkit.em.EmSteps;
import io.emkit.em.ParameterVector;
import io.emkit.em.PartitionSteps;
import io.emkit.em.SufficientStatistics;
import io.emkit.mixture.MixtureModel;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * EM's two steps for a mixture with a uniform noise component beside it ({@link MixtureBesideNoise}), over the
 * mixture's own steps. For each row the E-step takes the mixture's log density {@code ln p(x)} and the noise's
 * {@code ln π₀ − ln V}; the row's probability of being noise is {@code τ₀ = (π₀/V) / (π₀/V + (1 − π₀) p(x))}, and
 * its components' responsibilities are the mixture's own times {@code 1 − τ₀}. So the mixture's E-step runs on the
 * rows with their weights multiplied by {@code 1 − τ₀}, and its M-step is unchanged; the noise weight is
 * {@code π₀ = Σ w τ₀ / Σ w}. Each maximises the expected complete-data log-likelihood given the E-step, so the
 * log-likelihood {@code Σ w ln(π₀/V + (1 − π₀) p(x))} never decreases. SQUAREM extrapolates the mixture's
 * coordinates and the logit of {@code π₀}.
 *
 * <p>A row with missing values is evaluated on its observed coordinates (the mixture's marginal and the region's
 * projection, as {@link NoiseMixtureSteps}); a row observing nothing adds nothing.
 *
 * @param <M> the mixture beside the noise
 * @param <S> its statistics
 * @param <N> the model with the noise
 */
public class StepsBesideNoise<M extends MixtureModel, S extends SufficientStatistics<S>,
        N extends MixtureBesideNoise<M>> implements EmSteps.OfRows<Rows, N, StatisticsBesideNoise<S>>,
        PartitionSteps<N, StatisticsBesideNoise<S>> {
    private static final long serialVersionUID = 1L;

    /** Makes the model with the noise from the mixture, the noise weight and the region; shipped with the steps. */
    @FunctionalInterface
    public interface Assembly<M, N> extends java.io.Serializable {
        /**
         * @param inner       the mixture beside the noise
         * @param noiseWeight {@code π₀}
         * @param region      the noise's region
         * @return the model
         */
        N of(M inner, double noiseWeight, NoiseRegion region);
    }

    private static final int ROWS_PER_READ = 256;

    /** The mixture's steps; serializable, so these steps are too (another engine ships them to its workers). */
    private final EmSteps.OfRows<Rows, M, S> inner;
    private final Assembly<M, N> assembly;
    private final String what;

    /**
     * @param inner    the mixture's steps, which another engine can ship to its workers
     * @param assembly makes the model with the noise
     * @param what     the mixture's components, as a message names them ("t component")
     * @param <I>      the mixture's steps' type
     */
    protected <I extends EmSteps.OfRows<Rows, M, S> & PartitionSteps<M, S>> StepsBesideNoise(I inner,
                                                                                            Assembly<M, N> assembly,
                                                                                            String what) {
        this.inner = java.util.Objects.requireNonNull(inner, "inner");
        this.assembly = assembly;
        this.what = what;
    }

    /** @return the mixture's log prior density (0 by maximum likelihood) */
    @Override
    public double logPrior(N params) {
        return inner.logPrior(params.inner);
    }

    @Override
    public StatisticsBesideNoise<S> emptyStatistics(N params) {
        return new StatisticsBesideNoise<>(inner.emptyStatistics(params.inner));
    }

    /**
     * The E-step over one partition's rows: what another engine (Spark) runs on its workers; a refusal names the row
     * among all the rows.
     */
    @Override
    public double accumulatePartition(N params, Dataset rows, long firstRow, StatisticsBesideNoise<S> statistics) {
        return accumulate(params, rows, 0, rows.rows(), firstRow, statistics);
    }

    @Override
    public double accumulate(N params, Rows data, int from, int to, StatisticsBesideNoise<S> stats) {
        return accumulate(params, data, from, to, 0, stats);
    }

    /** The E-step over rows {@code [from, to)} of {@code data}, whose first row is row {@code firstRow} of all. */
    private double accumulate(N params, Rows data, int from, int to, long firstRow, StatisticsBesideNoise<S> stats) {
        int d = params.dimension();
        M mixture = params.inner;
        double logSignal = Math.log1p(-params.noiseWeight());
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
            double[] logInner = mixture.scoreSamples(Dataset.wrap(Arrays.copyOf(x, b * d), b, d, data.columnNames()));
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
                            logNoise = logWeight - NoiseMixtureSteps.observedLogVolume(params.region(), row,
                                    firstRow + lo + i);
                        }
                        break;
                    }
                }
                if (Double.isNaN(logNoise)) {
                    continue; // a row observing nothing adds nothing
                }
                double logDensity = NoiseMixtureModel.logSum(logSignal + logInner[i], logNoise);
                ll += w * logDensity;
                stats.noise += w * Math.exp(logNoise - logDensity);
                signal[lo - from + i] = w * Math.exp(logSignal + logInner[i] - logDensity);
                stats.signal += signal[lo - from + i];
            }
        }
        inner.accumulate(mixture, new Reweighted(data, from, signal), from, to, stats.inner);
        return ll;
    }

    /**
     * The rows of {@code data} with the weights of rows {@code [from, from + weights.length)} replaced: what the
     * mixture's E-step reads. Its size is the data's, so that E-step picks the kernels it would for the data.
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
    public N maximize(StatisticsBesideNoise<S> s, N previous, Consumer<String> warnings) {
        if (!(s.signal > 0)) {
            throw new EmkitException("the noise component took every row: no " + what + " is left to fit (the data"
                    + " may have no clusters denser than the noise)");
        }
        M mixture = inner.maximize(s.inner, previous.inner, warnings);
        double noiseWeight = Math.min(Math.max(s.noise / (s.noise + s.signal), Double.MIN_NORMAL), 1 - 1e-16);
        return assembly.of(mixture, noiseWeight, previous.region());
    }

    @Override
    public int parameterCount(N params) {
        return params.parameterCount();
    }

    @Override
    public void review(N params, StatisticsBesideNoise<S> statistics, Consumer<String> warnings) {
        inner.review(params.inner, statistics.inner, warnings);
    }

    /** The mixture's coordinates, then {@code logit π₀}. */
    @Override
    public ParameterVector<N> parameterVector() {
        ParameterVector<M> head = inner.parameterVector();
        if (head == null) {
            return null;
        }
        return new ParameterVector.Extended<N, M>(head) {
            @Override
            protected M headModel(N params) {
                return params.inner;
            }

            @Override
            protected int tailLength(N template) {
                return 1;
            }

            @Override
            protected boolean writeTail(N params, double[] out, int at) {
                double p = params.noiseWeight();
                out[at] = Math.log(p) - Math.log1p(-p);
                return true;
            }

            @Override
            protected N combine(M mixture, double[] x, int at, N template) {
                double p = 1 / (1 + Math.exp(-x[at]));
                return p > 0 && p < 1 ? assembly.of(mixture, p, template.region()) : null;
            }
        };
    }
}
