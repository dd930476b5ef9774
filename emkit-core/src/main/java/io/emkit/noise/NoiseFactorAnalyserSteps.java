package io.emkit.noise;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.data.Rows;
import io.emkit.em.EmSteps;
import io.emkit.em.ParameterVector;
import io.emkit.factor.FactorAnalyserMixtureModel;
import io.emkit.factor.FactorAnalyserSteps;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * EM's two steps for a mixture of factor analysers with a uniform noise component
 * ({@link NoiseFactorAnalyserMixtureModel}), as {@link NoiseStudentSteps} does for t components: each row's
 * probability of being noise is {@code τ₀ = (π₀/V) / (π₀/V + (1 − π₀) p(x))}, {@code p} the factor analysers'
 * density (by the Woodbury identity), and the factor analysers' own E- and M-step ({@link FactorAnalyserSteps})
 * run on the rows with their weights multiplied by {@code 1 − τ₀}; {@code π₀ = Σ w τ₀ / Σ w}. Both maximise the
 * expected complete-data log-likelihood, so {@code Σ w ln(π₀/V + (1 − π₀) p(x))} never decreases. SQUAREM
 * extrapolates the factor analysers' coordinates and the logit of {@code π₀}.
 *
 * <p>A row with missing values is evaluated on its observed coordinates (the factor analysers' marginal and the
 * region's projection); a row observing nothing adds nothing.
 */
public final class NoiseFactorAnalyserSteps
        implements EmSteps.OfRows<Rows, NoiseFactorAnalyserMixtureModel, NoiseFactorAnalyserStatistics> {
    private static final int ROWS_PER_READ = 256;

    private final FactorAnalyserSteps factorAnalysers;

    /**
     * @param factorAnalysers the factor analysers' steps
     */
    public NoiseFactorAnalyserSteps(FactorAnalyserSteps factorAnalysers) {
        this.factorAnalysers = java.util.Objects.requireNonNull(factorAnalysers, "factorAnalysers");
    }

    /** @return the factor analysers' log prior density (0: they are fitted by maximum likelihood) */
    @Override
    public double logPrior(NoiseFactorAnalyserMixtureModel params) {
        return factorAnalysers.logPrior(params.factorAnalysers());
    }

    @Override
    public NoiseFactorAnalyserStatistics emptyStatistics(NoiseFactorAnalyserMixtureModel params) {
        return new NoiseFactorAnalyserStatistics(factorAnalysers.emptyStatistics(params.factorAnalysers()));
    }

    @Override
    public double accumulate(NoiseFactorAnalyserMixtureModel params, Rows data, int from, int to,
                             NoiseFactorAnalyserStatistics stats) {
        int d = params.dimension();
        FactorAnalyserMixtureModel inner = params.factorAnalysers();
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
            double[] logInner = inner.scoreSamples(Dataset.wrap(Arrays.copyOf(x, b * d), b, d, data.columnNames()));
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
                double logDensity = NoiseMixtureModel.logSum(logSignal + logInner[i], logNoise);
                ll += w * logDensity;
                stats.noise += w * Math.exp(logNoise - logDensity);
                signal[lo - from + i] = w * Math.exp(logSignal + logInner[i] - logDensity);
                stats.signal += signal[lo - from + i];
            }
        }
        factorAnalysers.accumulate(inner, new Reweighted(data, from, signal), from, to, stats.factorAnalysers);
        return ll;
    }

    /**
     * The rows of {@code data} with the weights of rows {@code [from, from + weights.length)} replaced: what the
     * factor analysers' E-step reads.
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
    public NoiseFactorAnalyserMixtureModel maximize(NoiseFactorAnalyserStatistics s,
                                                    NoiseFactorAnalyserMixtureModel previous,
                                             Consumer<String> warnings) {
        if (!(s.signal > 0)) {
            throw new EmkitException("the noise component took every row: no factor analyser is left to fit (the data"
                    + " may have no clusters denser than the noise)");
        }
        FactorAnalyserMixtureModel inner = factorAnalysers.maximize(s.factorAnalysers, previous.factorAnalysers(),
                warnings);
        double noiseWeight = Math.min(Math.max(s.noise / (s.noise + s.signal), Double.MIN_NORMAL), 1 - 1e-16);
        return new NoiseFactorAnalyserMixtureModel(inner, noiseWeight, previous.region());
    }

    @Override
    public int parameterCount(NoiseFactorAnalyserMixtureModel params) {
        return params.parameterCount();
    }

    @Override
    public void review(NoiseFactorAnalyserMixtureModel params, NoiseFactorAnalyserStatistics statistics,
                       Consumer<String> warnings) {
        factorAnalysers.review(params.factorAnalysers(), statistics.factorAnalysers, warnings);
    }

    /** The factor analysers' coordinates, then {@code logit π₀}. */
    @Override
    public ParameterVector<NoiseFactorAnalyserMixtureModel> parameterVector() {
        ParameterVector<FactorAnalyserMixtureModel> inner = factorAnalysers.parameterVector();
        if (inner == null) {
            return null;
        }
        return new ParameterVector<>() {
            @Override
            public double[] toVector(NoiseFactorAnalyserMixtureModel params) {
                double[] v = inner.toVector(params.factorAnalysers());
                double[] out = Arrays.copyOf(v, v.length + 1);
                double p = params.noiseWeight();
                out[v.length] = Math.log(p) - Math.log1p(-p);
                return out;
            }

            @Override
            public NoiseFactorAnalyserMixtureModel fromVector(double[] vector,
                                                              NoiseFactorAnalyserMixtureModel template) {
                FactorAnalyserMixtureModel m = inner.fromVector(Arrays.copyOf(vector, vector.length - 1),
                        template.factorAnalysers());
                double p = 1 / (1 + Math.exp(-vector[vector.length - 1]));
                if (m == null || !(p > 0 && p < 1)) {
                    return null;
                }
                return new NoiseFactorAnalyserMixtureModel(m, p, template.region());
            }
        };
    }
}
