package io.emkit.families;

import io.emkit.EmkitException;
import io.emkit.Labelled;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The distribution of one column within one component of a {@link ProductMixtureModel}: a closed family of
 * one-dimensional distributions, each with its closed-form M-step, free-parameter count, log density and
 * sampler.
 *
 * <p>Every family's M-step needs only responsibility-weighted sums over the rows (of the value, of its square
 * around the previous mean, or of the indicator of each category), so the statistics of all families are
 * additive and share one layout: a few sums per column and component. Each family's parameters, per
 * component, are a short array:
 *
 * <table>
 * <caption>parameters per component</caption>
 * <tr><th>family</th><th>parameters</th><th>values allowed</th><th>free parameters</th></tr>
 * <tr><td>{@link #GAUSSIAN}</td><td>{mean, variance}</td><td>any finite number</td><td>2</td></tr>
 * <tr><td>{@link #POISSON}</td><td>{rate}</td><td>whole numbers ≥ 0</td><td>1</td></tr>
 * <tr><td>{@link #BERNOULLI}</td><td>{P(1)}</td><td>0 or 1</td><td>1</td></tr>
 * <tr><td>{@link #CATEGORICAL}</td><td>{p<sub>0</sub>, ..., p<sub>M−1</sub>}</td><td>codes 0..M−1</td>
 * <td>M − 1</td></tr>
 * <tr><td>{@link #EXPONENTIAL}</td><td>{rate}</td><td>numbers &gt; 0</td><td>1</td></tr>
 * </table>
 */
public enum ColumnFamily implements Labelled {
    /** Normal with its own mean and variance per component (the variance gets the regularisation added). */
    GAUSSIAN(2) {
        @Override
        String support(double x) {
            return Double.isFinite(x) ? null : "not a finite number";
        }

        @Override
        void accumulate(double x, double r, double[] prev, double[] s, int at) {
            double dx = x - prev[0];
            s[at] += r * dx;
            s[at + 1] += r * dx * dx;
        }

        @Override
        double[] maximize(double n, double[] s, int at, double[] prev, int categories, double reg) {
            double shift = s[at] / n;
            double var = Math.max(s[at + 1] / n - shift * shift, 0.0) + reg;
            return new double[] {prev[0] + shift, var};
        }

        @Override
        double[] logTerms(double[] p) {
            return new double[] {p[0], -0.5 * (LOG_2PI + Math.log(p[1])), -0.5 / p[1]};
        }

        @Override
        double logDensity(double x, double[] t) {
            double d = x - t[0];
            return t[1] + d * d * t[2];
        }

        @Override
        void addLogDensities(double x, double[][] t, double[] out, int k) {
            for (int c = 0; c < k; c++) {
                out[c] += logDensity(x, t[c]);
            }
        }

        @Override
        void accumulateAll(double x, double[] r, double[][] prev, double[] s, int width, int k) {
            for (int c = 0; c < k; c++) {
                accumulate(x, r[c], prev[c], s, c * width);
            }
        }

        @Override
        double sample(double[] p, SplittableRandom random) {
            return p[0] + Math.sqrt(p[1]) * gaussian(random);
        }

        @Override
        String invalid(double[] p) {
            return Double.isFinite(p[0]) && p[1] > 0 && Double.isFinite(p[1]) ? null
                    : "needs a finite mean and a positive finite variance";
        }
    },
    /** Counts: Poisson with its own rate per component. */
    POISSON(1) {
        @Override
        String support(double x) {
            if (!(x >= 0) || Double.isInfinite(x)) {
                return "Poisson counts must be whole numbers >= 0, got " + x;
            }
            return x == Math.rint(x) ? null : "Poisson counts must be whole numbers >= 0, got " + x;
        }

        @Override
        void accumulate(double x, double r, double[] prev, double[] s, int at) {
            s[at] += r * x;
        }

        @Override
        double[] maximize(double n, double[] s, int at, double[] prev, int categories, double reg) {
            return new double[] {Math.max(s[at] / n, RATE_FLOOR)};
        }

        @Override
        double[] logTerms(double[] p) {
            return new double[] {Math.log(p[0]), -p[0]};
        }

        @Override
        double logDensity(double x, double[] t) {
            return x * t[0] + t[1] - logFactorial(x);
        }

        @Override
        void addLogDensities(double x, double[][] t, double[] out, int k) {
            double logFactorial = logFactorial(x);
            for (int c = 0; c < k; c++) {
                out[c] += x * t[c][0] + t[c][1] - logFactorial;
            }
        }

        @Override
        void accumulateAll(double x, double[] r, double[][] prev, double[] s, int width, int k) {
            for (int c = 0; c < k; c++) {
                s[c * width] += r[c] * x;
            }
        }

        @Override
        double sample(double[] p, SplittableRandom random) {
            return poisson(p[0], random);
        }

        @Override
        String invalid(double[] p) {
            return p[0] > 0 && Double.isFinite(p[0]) ? null : "needs a positive finite rate";
        }
    },
    /** Binary values: Bernoulli with its own probability of a 1 per component. */
    BERNOULLI(1) {
        @Override
        String support(double x) {
            return x == 0.0 || x == 1.0 ? null : "Bernoulli values must be 0 or 1, got " + x;
        }

        @Override
        void accumulate(double x, double r, double[] prev, double[] s, int at) {
            s[at] += r * x;
        }

        @Override
        double[] maximize(double n, double[] s, int at, double[] prev, int categories, double reg) {
            return new double[] {Math.min(Math.max(s[at] / n, PROBABILITY_FLOOR), 1.0 - PROBABILITY_FLOOR)};
        }

        @Override
        double[] logTerms(double[] p) {
            return new double[] {Math.log1p(-p[0]), Math.log(p[0])};
        }

        @Override
        double logDensity(double x, double[] t) {
            return x == 1.0 ? t[1] : t[0];
        }

        @Override
        void addLogDensities(double x, double[][] t, double[] out, int k) {
            for (int c = 0; c < k; c++) {
                out[c] += logDensity(x, t[c]);
            }
        }

        @Override
        void accumulateAll(double x, double[] r, double[][] prev, double[] s, int width, int k) {
            for (int c = 0; c < k; c++) {
                accumulate(x, r[c], prev[c], s, c * width);
            }
        }

        @Override
        double sample(double[] p, SplittableRandom random) {
            return random.nextDouble() < p[0] ? 1.0 : 0.0;
        }

        @Override
        String invalid(double[] p) {
            return p[0] >= 0 && p[0] <= 1 ? null : "needs a probability in [0, 1]";
        }
    },
    /** A categorical variable coded 0..M−1, with its own distribution over the M categories per component. */
    CATEGORICAL(-1) {
        @Override
        String support(double x) {
            return x >= 0 && x == Math.rint(x) && x < Integer.MAX_VALUE ? null
                    : "categorical codes must be whole numbers >= 0, got " + x;
        }

        @Override
        void accumulate(double x, double r, double[] prev, double[] s, int at) {
            s[at + (int) x] += r;
        }

        @Override
        double[] maximize(double n, double[] s, int at, double[] prev, int categories, double reg) {
            double[] p = new double[categories];
            for (int m = 0; m < categories; m++) {
                p[m] = s[at + m] / n;
            }
            return p;
        }

        @Override
        double[] logTerms(double[] p) {
            double[] t = new double[p.length];
            for (int m = 0; m < p.length; m++) {
                t[m] = Math.log(p[m]);
            }
            return t;
        }

        @Override
        double logDensity(double x, double[] t) {
            int m = (int) x;
            return m < t.length ? t[m] : Double.NEGATIVE_INFINITY;
        }

        @Override
        void addLogDensities(double x, double[][] t, double[] out, int k) {
            int m = (int) x;
            for (int c = 0; c < k; c++) {
                out[c] += m < t[c].length ? t[c][m] : Double.NEGATIVE_INFINITY;
            }
        }

        @Override
        void accumulateAll(double x, double[] r, double[][] prev, double[] s, int width, int k) {
            int m = (int) x;
            for (int c = 0; c < k; c++) {
                s[c * width + m] += r[c];
            }
        }

        @Override
        double sample(double[] p, SplittableRandom random) {
            double u = random.nextDouble();
            double c = 0;
            for (int m = 0; m < p.length; m++) {
                c += p[m];
                if (u < c) {
                    return m;
                }
            }
            for (int m = p.length - 1; m >= 0; m--) {
                if (p[m] > 0) {
                    return m;
                }
            }
            return 0;
        }

        @Override
        String invalid(double[] p) {
            double sum = 0;
            for (double v : p) {
                if (!(v >= 0)) {
                    return "needs probabilities >= 0";
                }
                sum += v;
            }
            return Math.abs(sum - 1) <= 1e-6 ? null : "needs probabilities that sum to 1, they sum to " + sum;
        }
    },
    /** Positive durations: exponential with its own rate (1 / mean) per component. */
    EXPONENTIAL(1) {
        @Override
        String support(double x) {
            return x > 0 && Double.isFinite(x) ? null : "exponential values must be > 0, got " + x;
        }

        @Override
        void accumulate(double x, double r, double[] prev, double[] s, int at) {
            s[at] += r * x;
        }

        @Override
        double[] maximize(double n, double[] s, int at, double[] prev, int categories, double reg) {
            return new double[] {n / s[at]};
        }

        @Override
        double[] logTerms(double[] p) {
            return new double[] {Math.log(p[0]), -p[0]};
        }

        @Override
        double logDensity(double x, double[] t) {
            return t[0] + t[1] * x;
        }

        @Override
        void addLogDensities(double x, double[][] t, double[] out, int k) {
            for (int c = 0; c < k; c++) {
                out[c] += logDensity(x, t[c]);
            }
        }

        @Override
        void accumulateAll(double x, double[] r, double[][] prev, double[] s, int width, int k) {
            for (int c = 0; c < k; c++) {
                s[c * width] += r[c] * x;
            }
        }

        @Override
        double sample(double[] p, SplittableRandom random) {
            return -Math.log1p(-random.nextDouble()) / p[0];
        }

        @Override
        String invalid(double[] p) {
            return p[0] > 0 && Double.isFinite(p[0]) ? null : "needs a positive finite rate";
        }
    };

    /** The smallest Poisson rate an M-step returns: keeps a component that saw only zeros from log(0). */
    static final double RATE_FLOOR = 1e-10;
    /** Bernoulli probabilities are kept in [floor, 1 − floor]: the constrained maximum, never log(0). */
    static final double PROBABILITY_FLOOR = 1e-10;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    /**
     * Per component, the number of parameters, of statistics' sums and of free parameters: the same for every
     * family but categorical (M parameters and sums, M − 1 free), which computes its own.
     */
    private final int fixedSize;

    ColumnFamily(int fixedSize) {
        this.fixedSize = fixedSize;
    }

    /**
     * @param name a family's {@link #label()} (case-insensitive)
     * @return the family
     * @throws EmkitException for an unknown name, listing the known ones
     */
    public static ColumnFamily parse(String name) {
        return Labelled.parse(ColumnFamily.class, name, "family");
    }

    /**
     * The number of free parameters of one component's distribution of the column.
     *
     * @param categories M for {@link #CATEGORICAL}; ignored otherwise
     * @return 2 (Gaussian), M − 1 (categorical) or 1
     */
    public int freeParameters(int categories) {
        return this == CATEGORICAL ? categories - 1 : fixedSize;
    }

    /**
     * Why a value cannot come from this family.
     *
     * @param value a cell's value
     * @return a message, or {@code null} when the value is in the family's support
     */
    public String violation(double value) {
        return support(value);
    }

    /** @return the number of sums the statistics keep per component */
    int statisticsSize(int categories) {
        return this == CATEGORICAL ? categories : fixedSize;
    }

    /** Why {@code x} is outside the support, or null. */
    abstract String support(double x);

    /** Adds one row's value with responsibility {@code r} into the sums {@code s[at..]}. */
    abstract void accumulate(double x, double r, double[] prev, double[] s, int at);

    /** The closed-form M-step from total responsibility {@code n} (> 0) and the sums {@code s[at..]}. */
    abstract double[] maximize(double n, double[] s, int at, double[] prev, int categories, double reg);

    /** What the log density needs of parameters {@code p}, computed once per M-step (logarithms, reciprocals). */
    abstract double[] logTerms(double[] p);

    /** The log density (or log probability) of {@code x} under parameters whose {@link #logTerms} are {@code t}. */
    abstract double logDensity(double x, double[] t);

    /**
     * Adds {@link #logDensity}{@code (x, t[c])} to {@code out[c]} for each of the {@code k} components: one call a
     * cell, not one a cell and component. Each family has its own loop, so that the call inside it has one
     * target the JIT inlines (through one shared loop, five families' densities were a call each: a product
     * mixture's E-step took 17–25 ns a cell and component, now 13–18).
     */
    abstract void addLogDensities(double x, double[][] t, double[] out, int k);

    /**
     * {@link #accumulate} of {@code x} for each of the {@code k} components, with responsibility {@code r[c]},
     * previous parameters {@code prev[c]} and sums at {@code s[c · width ..]}: one call a cell, as
     * {@link #addLogDensities}.
     */
    abstract void accumulateAll(double x, double[] r, double[][] prev, double[] s, int width, int k);

    /** A draw from the distribution with parameters {@code p}. */
    abstract double sample(double[] p, SplittableRandom random);

    /** Why {@code p} are not valid parameters, or null. */
    abstract String invalid(double[] p);

    /** A standard normal draw (Box–Muller, one of the pair). */
    static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /**
     * A Poisson draw: multiplication of uniforms below rate 30, Hörmann's transformed rejection (PTRS,
     * 1993) above.
     */
    static double poisson(double rate, SplittableRandom random) {
        if (rate < 30) {
            double limit = Math.exp(-rate);
            double prod = random.nextDouble();
            int k = 0;
            while (prod > limit) {
                prod *= random.nextDouble();
                k++;
            }
            return k;
        }
        double slam = Math.sqrt(rate);
        double loglam = Math.log(rate);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = random.nextDouble() - 0.5;
            double v = random.nextDouble();
            double us = 0.5 - Math.abs(u);
            double k = Math.floor((2 * a / us + b) * u + rate + 0.43);
            if (us >= 0.07 && v <= vr) {
                return k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b)
                    <= -rate + k * loglam - logFactorial(k)) {
                return k;
            }
        }
    }

    private static final double[] LOG_FACTORIAL = new double[256];

    static {
        for (int i = 1; i < LOG_FACTORIAL.length; i++) {
            LOG_FACTORIAL[i] = LOG_FACTORIAL[i - 1] + Math.log(i);
        }
    }

    /** log(n!) for a whole number n ≥ 0: a table below 256, Stirling's series above. */
    static double logFactorial(double n) {
        if (n < LOG_FACTORIAL.length) {
            return LOG_FACTORIAL[(int) n];
        }
        double x = n + 1.0;
        double inv = 1.0 / x;
        double inv2 = inv * inv;
        return (x - 0.5) * Math.log(x) - x + 0.5 * LOG_2PI
                + inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 / 1680)));
    }

    @Override
    public String toString() {
        return label();
    }
}
