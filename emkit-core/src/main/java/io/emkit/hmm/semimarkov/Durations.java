package io.emkit.hmm.semimarkov;

import io.emkit.EmkitException;
import io.emkit.Labelled;
import io.emkit.kernels.SpecialFunctions;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The duration distributions of a semi-Markov model's states: how many steps a state lasts once entered, on
 * {@code 1..Dmax}. Immutable. One family for all states, parameters per state:
 * <ul>
 *   <li>{@link Family#POISSON}: {@code d − 1 ~ Poisson(λ)}, truncated to {@code d ≤ Dmax} and renormalised;</li>
 *   <li>{@link Family#NEGATIVE_BINOMIAL}: {@code d − 1 ~ NB(r, p)} ({@code P(k) ∝ Γ(k + r) / (Γ(r) k!) p^r (1 − p)^k}),
 *       truncated the same way;</li>
 *   <li>{@link Family#NONPARAMETRIC}: any probabilities over {@code 1..Dmax}.</li>
 * </ul>
 * The truncation is part of the model (its likelihood and its M-step), so EM's M-step for the durations is exact:
 * the nonparametric one normalises the expected counts, the Poisson one solves "truncated mean = the counts'
 * mean" (the truncated Poisson is an exponential family in {@code log λ}), and the negative binomial one searches
 * {@code (r, p)} numerically and keeps the old values unless the new ones score higher (a generalised M-step).
 */
public final class Durations implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The duration families. */
    public enum Family implements Labelled {
        /** {@code d − 1} Poisson, truncated at Dmax. */
        POISSON,
        /** {@code d − 1} negative binomial, truncated at Dmax. */
        NEGATIVE_BINOMIAL,
        /** Free probabilities over {@code 1..Dmax}. */
        NONPARAMETRIC;

        /**
         * @param name a family's label
         * @return the family
         * @throws EmkitException if no family has that label
         */
        public static Family parse(String name) {
            return Labelled.parse(Family.class, name, "duration family");
        }
    }

    private final Family family;
    private final int maxDuration;
    /** Per state: Poisson {λ}, negative binomial {r, p}, nonparametric the pmf. */
    private final double[][] parameters;
    /** Per state, {@code pmf[j][u − 1]} for u in 1..Dmax. */
    private final double[][] pmf;
    /** Per state, {@code survivor[j][u − 1] = P(d ≥ u)}. */
    private final double[][] survivor;

    private Durations(Family family, int maxDuration, double[][] parameters) {
        if (maxDuration < 1) {
            throw new EmkitException("the longest duration Dmax must be at least 1, got " + maxDuration);
        }
        this.family = family;
        this.maxDuration = maxDuration;
        this.parameters = new double[parameters.length][];
        this.pmf = new double[parameters.length][];
        this.survivor = new double[parameters.length][];
        for (int j = 0; j < parameters.length; j++) {
            this.parameters[j] = parameters[j].clone();
            this.pmf[j] = probabilities(family, maxDuration, parameters[j], j);
            if (family == Family.NONPARAMETRIC) {
                this.parameters[j] = this.pmf[j].clone();
            }
            double[] sv = new double[maxDuration];
            double acc = 0;
            for (int u = maxDuration - 1; u >= 0; u--) {
                acc += pmf[j][u];
                sv[u] = acc;
            }
            this.survivor[j] = sv;
        }
    }

    /**
     * @param lambdas     per state the Poisson mean λ ≥ 0 of {@code d − 1}
     * @param maxDuration the longest duration Dmax ≥ 1
     * @return Poisson durations
     */
    public static Durations poisson(double[] lambdas, int maxDuration) {
        double[][] p = new double[lambdas.length][];
        for (int j = 0; j < p.length; j++) {
            p[j] = new double[]{lambdas[j]};
        }
        return new Durations(Family.POISSON, maxDuration, p);
    }

    /**
     * @param r           per state the negative binomial's size r &gt; 0
     * @param p           per state its success probability p in (0, 1]
     * @param maxDuration the longest duration Dmax ≥ 1
     * @return negative binomial durations
     */
    public static Durations negativeBinomial(double[] r, double[] p, int maxDuration) {
        if (r.length != p.length) {
            throw new EmkitException("negative binomial durations: " + r.length + " sizes but " + p.length
                    + " probabilities");
        }
        double[][] q = new double[r.length][];
        for (int j = 0; j < q.length; j++) {
            q[j] = new double[]{r[j], p[j]};
        }
        return new Durations(Family.NEGATIVE_BINOMIAL, maxDuration, q);
    }

    /**
     * @param pmf per state the probabilities of durations {@code 1..Dmax} (Dmax = the rows' length); each row is
     *            normalised to sum 1 (unless it does to 1e-12)
     * @return nonparametric durations
     */
    public static Durations nonparametric(double[][] pmf) {
        int dmax = pmf.length == 0 ? 1 : pmf[0].length;
        for (int j = 0; j < pmf.length; j++) {
            if (pmf[j].length != dmax) {
                throw new EmkitException("nonparametric durations: state " + (j + 1) + " has " + pmf[j].length
                        + " probabilities, state 1 has " + dmax);
            }
        }
        return new Durations(Family.NONPARAMETRIC, dmax, pmf);
    }

    /**
     * Durations of one family with each state's parameters set from a mean duration (for starting values):
     * Poisson {@code λ = mean − 1}, negative binomial with {@code r = 2} and that mean, nonparametric the geometric
     * distribution with that mean, all truncated at Dmax.
     *
     * @param family      the family
     * @param means       per state a mean duration ≥ 1
     * @param maxDuration Dmax
     * @return the durations
     */
    public static Durations fromMeans(Family family, double[] means, int maxDuration) {
        int s = means.length;
        double[][] q = new double[s][];
        for (int j = 0; j < s; j++) {
            double m = Math.max(1.0, Math.min(means[j], maxDuration));
            switch (family) {
                case POISSON -> q[j] = new double[]{Math.max(1e-3, m - 1.0)};
                case NEGATIVE_BINOMIAL -> {
                    double r = 2.0;
                    q[j] = new double[]{r, r / (r + Math.max(1e-3, m - 1.0))};
                }
                case NONPARAMETRIC -> {
                    double stay = 1.0 - 1.0 / Math.max(m, 1.0 + 1e-3);
                    q[j] = new double[maxDuration];
                    for (int u = 0; u < maxDuration; u++) {
                        q[j][u] = (1.0 - stay) * Math.pow(stay, u) + 1e-6;
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
        return new Durations(family, maxDuration, q);
    }

    private static double[] probabilities(Family family, int dmax, double[] par, int state) {
        double[] logp = new double[dmax];
        switch (family) {
            case POISSON -> {
                if (par.length != 1 || !(par[0] >= 0) || Double.isInfinite(par[0])) {
                    throw new EmkitException("state " + (state + 1) + ": a Poisson duration's λ must be a finite"
                            + " number >= 0, got " + Arrays.toString(par));
                }
                return poissonPmf(par[0], dmax);
            }
            case NEGATIVE_BINOMIAL -> {
                if (par.length != 2 || !(par[0] > 0) || Double.isInfinite(par[0]) || !(par[1] > 0 && par[1] <= 1)) {
                    throw new EmkitException("state " + (state + 1) + ": a negative binomial duration needs r > 0"
                            + " and p in (0, 1], got " + Arrays.toString(par));
                }
                return nbPmf(par[0], par[1], dmax);
            }
            case NONPARAMETRIC -> {
                double sum = 0;
                for (int u = 0; u < dmax; u++) {
                    if (!(par[u] >= 0) || Double.isInfinite(par[u])) {
                        throw new EmkitException("state " + (state + 1) + ": duration " + (u + 1)
                                + " has probability " + par[u] + ", expected a finite number >= 0");
                    }
                    sum += par[u];
                }
                if (!(sum > 0)) {
                    throw new EmkitException("state " + (state + 1) + ": its duration probabilities sum to 0");
                }
                // Probabilities that already sum to 1 (to rounding) are kept bit for bit, so a model file's round
                // trip is exact.
                double scale = Math.abs(sum - 1.0) > 1e-12 ? 1.0 / sum : 1.0;
                for (int u = 0; u < dmax; u++) {
                    logp[u] = par[u] * scale;
                }
                return logp;
            }
            default -> throw new IllegalStateException();
        }
    }

    static double[] poissonPmf(double lambda, int dmax) {
        double[] p = new double[dmax];
        if (lambda == 0) {
            p[0] = 1.0;
            return p;
        }
        double ll = Math.log(lambda);
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < dmax; k++) {
            p[k] = k * ll - lambda - SpecialFunctions.logGamma(k + 1.0);
            max = Math.max(max, p[k]);
        }
        return normalizedExp(p, max);
    }

    static double[] nbPmf(double r, double prob, int dmax) {
        double[] p = new double[dmax];
        if (prob == 1.0) {
            p[0] = 1.0;
            return p;
        }
        double lq = Math.log1p(-prob);
        double lgr = SpecialFunctions.logGamma(r);
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < dmax; k++) {
            p[k] = SpecialFunctions.logGamma(k + r) - lgr - SpecialFunctions.logGamma(k + 1.0) + k * lq;
            max = Math.max(max, p[k]);
        }
        return normalizedExp(p, max);
    }

    private static double[] normalizedExp(double[] logp, double max) {
        double sum = 0;
        for (int k = 0; k < logp.length; k++) {
            logp[k] = Math.exp(logp[k] - max);
            sum += logp[k];
        }
        for (int k = 0; k < logp.length; k++) {
            logp[k] /= sum;
        }
        return logp;
    }

    /** @return the family */
    public Family family() {
        return family;
    }

    /** @return the number of states */
    public int states() {
        return pmf.length;
    }

    /** @return the longest duration Dmax */
    public int maxDuration() {
        return maxDuration;
    }

    /**
     * @param state a state, from 0
     * @return its parameters: Poisson {λ}, negative binomial {r, p}, nonparametric the probabilities of
     *         {@code 1..Dmax} (a copy)
     */
    public double[] parameters(int state) {
        return parameters[state].clone();
    }

    /**
     * @param state a state, from 0
     * @return {@code P(d = u)} at index {@code u − 1}, u in {@code 1..Dmax} (a copy)
     */
    public double[] probabilities(int state) {
        return pmf[state].clone();
    }

    /**
     * @param state a state, from 0
     * @return the mean duration of the state (of the truncated distribution)
     */
    public double meanDuration(int state) {
        double m = 0;
        for (int u = 0; u < maxDuration; u++) {
            m += (u + 1) * pmf[state][u];
        }
        return m;
    }

    /** @return the number of free parameters over all states */
    public int parameterCount() {
        return switch (family) {
            case POISSON -> states();
            case NEGATIVE_BINOMIAL -> 2 * states();
            case NONPARAMETRIC -> states() * (maxDuration - 1);
        };
    }

    double[] pmfRow(int state) {
        return pmf[state];
    }

    double[] survivorRow(int state) {
        return survivor[state];
    }

    /**
     * The M-step: new durations from expected duration counts (complete segments, and censored last segments
     * completed by their conditional distribution).
     *
     * @param counts   per state, the expected number of segments of each duration {@code 1..Dmax}
     * @param warnings told of states that never occur
     * @return new durations; a state without counts keeps its parameters
     */
    Durations maximize(double[][] counts, Consumer<String> warnings) {
        double[][] next = new double[states()][];
        for (int j = 0; j < states(); j++) {
            double total = 0;
            double sum = 0;
            for (int u = 0; u < maxDuration; u++) {
                total += counts[j][u];
                sum += counts[j][u] * u;
            }
            if (!(total > 1e-300)) {
                warnings.accept(String.format(Locale.ROOT, "state %d has no expected segments; its durations keep"
                        + " their last values", j + 1));
                next[j] = parameters[j].clone();
                continue;
            }
            next[j] = switch (family) {
                case NONPARAMETRIC -> {
                    double[] p = new double[maxDuration];
                    for (int u = 0; u < maxDuration; u++) {
                        p[u] = Math.max(0.0, counts[j][u]) / total;
                    }
                    yield p;
                }
                case POISSON -> new double[]{truncatedPoissonMean(sum / total, maxDuration)};
                case NEGATIVE_BINOMIAL -> negativeBinomialStep(counts[j], parameters[j], maxDuration);
            };
        }
        return new Durations(family, maxDuration, next);
    }

    /** The λ whose Poisson truncated to {@code 0..dmax − 1} has mean {@code mean}: bisection on log λ. */
    static double truncatedPoissonMean(double mean, int dmax) {
        if (dmax == 1 || mean <= 0) {
            return 0.0;
        }
        double lo = -40;
        double hi = Math.log(Math.max(10.0 * dmax, 10.0));
        double[] logFactorial = new double[dmax];
        for (int k = 1; k < dmax; k++) {
            logFactorial[k] = logFactorial[k - 1] + Math.log(k);
        }
        if (truncatedMean(hi, logFactorial) <= mean) {
            return Math.exp(hi);
        }
        for (int i = 0; i < 200 && hi - lo > 1e-15; i++) {
            double mid = 0.5 * (lo + hi);
            if (truncatedMean(mid, logFactorial) < mean) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return Math.exp(0.5 * (lo + hi));
    }

    /** The mean of a Poisson with {@code log λ = logLambda} truncated to {@code 0..dmax − 1}. */
    private static double truncatedMean(double logLambda, double[] logFactorial) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < logFactorial.length; k++) {
            max = Math.max(max, k * logLambda - logFactorial[k]);
        }
        double z = 0;
        double m = 0;
        for (int k = 0; k < logFactorial.length; k++) {
            double w = Math.exp(k * logLambda - logFactorial[k] - max);
            z += w;
            m += k * w;
        }
        return m / z;
    }

    /** Σ counts(u) log P(u) under a truncated negative binomial. */
    private static double nbScore(double[] counts, double r, double p, int dmax) {
        return nbScore(counts, nbTerms(r, dmax), p);
    }

    /** {@code log Γ(k + r) − log Γ(r) − log k!} for k in {@code 0..dmax − 1}: the part of log P(k) without p. */
    private static double[] nbTerms(double r, int dmax) {
        double[] c = new double[dmax];
        double lgr = SpecialFunctions.logGamma(r);
        for (int k = 0; k < dmax; k++) {
            c[k] = SpecialFunctions.logGamma(k + r) - lgr - SpecialFunctions.logGamma(k + 1.0);
        }
        return c;
    }

    /** Σ counts(k) log P(k) for the truncated negative binomial with terms {@code c} (of r) and p. */
    private static double nbScore(double[] counts, double[] c, double p) {
        if (p == 1.0) {
            return counts[0] > 0 || Arrays.stream(counts).allMatch(v -> v == 0) ? 0.0 : Double.NEGATIVE_INFINITY;
        }
        double lq = Math.log1p(-p);
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < c.length; k++) {
            max = Math.max(max, c[k] + k * lq);
        }
        double z = 0;
        for (int k = 0; k < c.length; k++) {
            z += Math.exp(c[k] + k * lq - max);
        }
        double logZ = max + Math.log(z);
        double q = 0;
        for (int k = 0; k < c.length; k++) {
            if (counts[k] > 0) {
                q += counts[k] * (c[k] + k * lq - logZ);
            }
        }
        return q;
    }

    /**
     * A generalised M-step for the negative binomial: golden-section search over log r with, for each r, a
     * golden-section search over the logit of p; the old parameters are kept unless the new score higher.
     */
    private static double[] negativeBinomialStep(double[] counts, double[] old, int dmax) {
        double oldScore = nbScore(counts, old[0], old[1], dmax);
        double g = (Math.sqrt(5) - 1) / 2;
        double a = Math.log(1e-2);
        double b = Math.log(1e4);
        double[] best = {old[0], old[1], oldScore};
        for (int it = 0; it < 50; it++) {
            double c = b - g * (b - a);
            double d = a + g * (b - a);
            double[] pc = bestP(counts, Math.exp(c), dmax);
            double[] pd = bestP(counts, Math.exp(d), dmax);
            for (double[] cand : new double[][]{{Math.exp(c), pc[0], pc[1]}, {Math.exp(d), pd[0], pd[1]}}) {
                if (cand[2] > best[2]) {
                    best = cand;
                }
            }
            if (pc[1] > pd[1]) {
                b = d;
            } else {
                a = c;
            }
        }
        return new double[]{best[0], best[1]};
    }

    /** For a given r: {best p, its score}, by golden-section over logit p (the score is concave in log(1 − p)). */
    private static double[] bestP(double[] counts, double r, int dmax) {
        double[] terms = nbTerms(r, dmax);
        double g = (Math.sqrt(5) - 1) / 2;
        double a = -25;
        double b = 25;
        double bestP = 0.5;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int it = 0; it < 60; it++) {
            double c = b - g * (b - a);
            double d = a + g * (b - a);
            double pc = 1.0 / (1.0 + Math.exp(-c));
            double pd = 1.0 / (1.0 + Math.exp(-d));
            double sc = nbScore(counts, terms, pc);
            double sd = nbScore(counts, terms, pd);
            if (sc > bestScore) {
                bestScore = sc;
                bestP = pc;
            }
            if (sd > bestScore) {
                bestScore = sd;
                bestP = pd;
            }
            if (sc > sd) {
                b = d;
            } else {
                a = c;
            }
        }
        return new double[]{bestP, bestScore};
    }

    /**
     * @param state a state, from 0
     * @return the state's distribution in words, e.g. {@code poisson(lambda=4.2), mean 5.2}
     */
    public String describe(int state) {
        String params = switch (family) {
            case POISSON -> String.format(Locale.ROOT, "poisson(lambda=%.6g)", parameters[state][0]);
            case NEGATIVE_BINOMIAL -> String.format(Locale.ROOT, "negative-binomial(r=%.6g, p=%.6g)",
                    parameters[state][0], parameters[state][1]);
            case NONPARAMETRIC -> "nonparametric(Dmax=" + maxDuration + ")";
        };
        return params + String.format(Locale.ROOT, ", mean duration %.6g", meanDuration(state));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Durations d && d.family == family && d.maxDuration == maxDuration
                && Arrays.deepEquals(d.parameters, parameters);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(parameters) * 31 + family.hashCode() + maxDuration;
    }

    @Override
    public String toString() {
        return "Durations[" + family.label() + ", Dmax " + maxDuration + ", " + states() + " states]";
    }
}
