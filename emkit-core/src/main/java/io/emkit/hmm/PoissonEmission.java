package io.emkit.hmm;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Independent Poisson counts per observation column: state {@code s} emits column {@code j} with rate
 * {@code λ[s][j] > 0}.
 */
public final class PoissonEmission extends Emission {
    /** log(n!) for n below this are tabulated. */
    private static final int TABLE = 1024;
    private static final double[] LOG_FACTORIAL = new double[TABLE];

    static {
        for (int n = 2; n < TABLE; n++) {
            LOG_FACTORIAL[n] = LOG_FACTORIAL[n - 1] + Math.log(n);
        }
    }

    private final double[][] rates;
    private final double[][] logRates;
    private final int d;
    private final List<String> names;

    private PoissonEmission(double[][] rates, List<String> names) {
        if (rates.length < 1) {
            throw new EmkitException("a hidden Markov model needs at least one state");
        }
        this.d = rates[0].length;
        if (d < 1) {
            throw new EmkitException("Poisson emissions need at least one column");
        }
        this.rates = new double[rates.length][];
        this.logRates = new double[rates.length][];
        for (int s = 0; s < rates.length; s++) {
            this.rates[s] = checkedRow(rates[s], d, "state " + (s + 1) + ": rates");
            this.logRates[s] = new double[d];
            for (int j = 0; j < d; j++) {
                double r = this.rates[s][j];
                if (!(r > 0) || !Double.isFinite(r)) {
                    throw new EmkitException("state " + (s + 1) + ": rate " + (j + 1) + " must be a finite number > 0,"
                            + " got " + r);
                }
                logRates[s][j] = Math.log(r);
            }
        }
        this.names = names == null ? Dataset.defaultNames(d) : List.copyOf(names);
        if (this.names.size() != d) {
            throw new EmkitException("expected " + d + " feature names, got " + this.names.size());
        }
    }

    /**
     * @param rates S rows of D positive rates
     * @return the emissions
     */
    public static PoissonEmission of(double[][] rates) {
        return new PoissonEmission(rates, null);
    }

    /** @return the rates, {@code S × D} (a copy) */
    public double[][] rates() {
        double[][] out = new double[rates.length][];
        for (int s = 0; s < out.length; s++) {
            out[s] = rates[s].clone();
        }
        return out;
    }

    /**
     * log(n!) for a whole number n ≥ 0: tabulated below 1024, Stirling's series above (relative
     * error far below 1e-15 there).
     */
    static double logFactorial(double n) {
        if (n < TABLE) {
            return LOG_FACTORIAL[(int) n];
        }
        double x = n + 1.0;
        double inv = 1.0 / x;
        double inv2 = inv * inv;
        return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI)
                + inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 / 1680)));
    }

    @Override
    public EmissionKind kind() {
        return EmissionKind.POISSON;
    }

    @Override
    public int states() {
        return rates.length;
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public List<String> featureNames() {
        return names;
    }

    @Override
    public int parameterCount() {
        return states() * d;
    }

    @Override
    public PoissonEmission withFeatureNames(List<String> names) {
        return new PoissonEmission(rates, names);
    }

    @Override
    void logDensities(double[] x, int from, int to, double[] out) {
        int k = states();
        for (int t = from; t < to; t++) {
            double base = 0;
            boolean valid = true;
            for (int j = 0; j < d; j++) {
                double v = x[t * d + j];
                if (!(v >= 0) || v != Math.rint(v)) {
                    valid = false;
                    break;
                }
                base -= logFactorial(v);
            }
            for (int s = 0; s < k; s++) {
                if (!valid) {
                    out[(t - from) * k + s] = Double.NEGATIVE_INFINITY;
                    continue;
                }
                double lp = base;
                for (int j = 0; j < d; j++) {
                    lp += x[t * d + j] * logRates[s][j] - rates[s][j];
                }
                out[(t - from) * k + s] = lp;
            }
        }
    }

    @Override
    Statistics newStatistics() {
        return new Moments(states(), d);
    }

    @Override
    Emission maximize(Statistics statistics, double regCovar, Consumer<String> warnings) {
        Moments m = (Moments) statistics;
        int k = states();
        double[][] next = new double[k][d];
        for (int s = 0; s < k; s++) {
            double w = m.weight[s];
            if (!(w > 0)) {
                next[s] = rates[s].clone();
                warnings.accept(String.format(Locale.ROOT, "state %d is never visited; it keeps its last rates;"
                        + " fewer states may fit better", s + 1));
                continue;
            }
            for (int j = 0; j < d; j++) {
                // A rate of exactly 0 would make any later positive count impossible: keep it tiny instead.
                next[s][j] = Math.max(m.sum[s * d + j] / w, 1e-10);
            }
        }
        return new PoissonEmission(next, names);
    }

    @Override
    void sample(int[] states, SplittableRandom random, double[] out) {
        for (int t = 0; t < states.length; t++) {
            for (int j = 0; j < d; j++) {
                out[t * d + j] = poisson(rates[states[t]][j], random);
            }
        }
    }

    /** A Poisson draw: Knuth's product of uniforms on pieces of the rate of at most 20 (a sum of Poissons is Poisson). */
    static long poisson(double rate, SplittableRandom random) {
        long n = 0;
        double remaining = rate;
        while (remaining > 0) {
            double piece = Math.min(remaining, 20.0);
            remaining -= piece;
            double limit = Math.exp(-piece);
            double p = random.nextDouble();
            while (p > limit) {
                n++;
                p *= random.nextDouble();
            }
        }
        return n;
    }

    private static final class Moments extends Statistics {
        private static final long serialVersionUID = 1L;
        final int k;
        final int d;
        final double[] weight;
        final double[] sum;

        Moments(int k, int d) {
            this.k = k;
            this.d = d;
            this.weight = new double[k];
            this.sum = new double[k * d];
        }

        @Override
        void add(double[] x, int from, int to, double[] gamma) {
            for (int t = from; t < to; t++) {
                for (int s = 0; s < k; s++) {
                    double g = gamma[(t - from) * k + s];
                    weight[s] += g;
                    for (int j = 0; j < d; j++) {
                        sum[s * d + j] += g * x[t * d + j];
                    }
                }
            }
        }

        @Override
        void merge(Statistics other) {
            Moments o = (Moments) other;
            for (int i = 0; i < k; i++) {
                weight[i] += o.weight[i];
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] += o.sum[i];
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PoissonEmission p && Arrays.deepEquals(p.rates, rates) && p.names.equals(names);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(rates);
    }

    @Override
    public String toString() {
        return "PoissonEmission[" + states() + " states, " + d + " columns]";
    }
}
