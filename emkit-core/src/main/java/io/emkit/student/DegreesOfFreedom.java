package io.emkit.student;

import io.emkit.EmkitException;
import io.emkit.Labelled;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How a Student-t mixture's degrees of freedom {@code ν} are fitted — one per component ({@link #free()}),
 * one shared by all ({@link #equal()}), or held at a given value ({@link #fixed}) — and the special functions
 * their M-step, the t density and t sampling need.
 *
 * <p><b>The M-step for ν</b> (McLachlan and Peel 2000, eq. 7.46, the ECM version). Given the E-step's
 * responsibilities {@code r_ik} and expected latent scales {@code u_ik = (ν_k + d)/(ν_k + δ_ik)} under the
 * previous {@code ν_k}, the expected complete-data log-likelihood is maximised over {@code ν} where
 * <pre>
 *   ln(ν/2) − ψ(ν/2) = ln(a) − ψ(a) − (1/n_k) Σ_i r_ik (ln u_ik − u_ik + 1),   a = (ν_k + d)/2,
 * </pre>
 * with {@code ψ} the digamma function and {@code n_k = Σ_i r_ik} (sums over every component for a shared
 * {@code ν}). The left side falls strictly from +∞ to 0, the right side is positive, so the root is unique; it
 * is found by bisection on {@code ln ν}, and clamped to [{@value #MIN}, {@value #MAX}] (the clamp is the
 * constrained maximiser, since the objective rises up to the root and falls after it). A {@code ν} at the
 * upper bound means the data show no heavier tails than a Gaussian's.
 */
public final class DegreesOfFreedom implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** The smallest fitted {@code ν}: below it a component's tails are too heavy to have a finite anything. */
    public static final double MIN = 0.1;
    /** The largest fitted {@code ν}: beyond it a t component is a Gaussian to within what data can tell. */
    public static final double MAX = 1000;
    /** Where a fitted {@code ν} starts, from a Gaussian fit: heavy enough tails to move, close enough to move little. */
    public static final double START = 30;

    /** How {@code ν} is fitted. */
    public enum Constraint implements Labelled {
        /** One {@code ν} per component, each by its own root. */
        FREE,
        /** One {@code ν} shared by every component. */
        EQUAL,
        /** {@code ν} held at a given value. */
        FIXED;

        /**
         * @param components K
         * @return how many free parameters the degrees of freedom add to BIC's count: K when free, 1 when equal,
         *         none when fixed
         */
        public int parameters(int components) {
            return switch (this) {
                case FREE -> components;
                case EQUAL -> 1;
                case FIXED -> 0;
            };
        }

        /**
         * @param name {@code free}, {@code equal} or {@code fixed}
         * @return the constraint
         * @throws EmkitException if the name is none of them
         */
        public static Constraint parse(String name) {
            return Labelled.parse(Constraint.class, name, "degrees-of-freedom constraint");
        }
    }

    private static final DegreesOfFreedom FREE = new DegreesOfFreedom(Constraint.FREE, Double.NaN);
    private static final DegreesOfFreedom EQUAL = new DegreesOfFreedom(Constraint.EQUAL, Double.NaN);

    private final Constraint constraint;
    private final double value;

    private DegreesOfFreedom(Constraint constraint, double value) {
        this.constraint = constraint;
        this.value = value;
    }

    /** @return one {@code ν} per component, fitted */
    public static DegreesOfFreedom free() {
        return FREE;
    }

    /** @return one {@code ν} for every component, fitted */
    public static DegreesOfFreedom equal() {
        return EQUAL;
    }

    /**
     * @param value the degrees of freedom of every component, a finite number &gt; 0 (very large values make the
     *              components Gaussians)
     * @return {@code ν} held at {@code value}
     * @throws EmkitException if the value is not a finite positive number
     */
    public static DegreesOfFreedom fixed(double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new EmkitException("the degrees of freedom must be a finite number > 0, got " + value);
        }
        return new DegreesOfFreedom(Constraint.FIXED, value);
    }

    /** @return how {@code ν} is fitted */
    public Constraint constraint() {
        return constraint;
    }

    /** @return the fixed value, or {@code NaN} unless {@link Constraint#FIXED} */
    public double value() {
        return value;
    }

    /**
     * @param components K
     * @return how many free parameters {@code ν} adds for BIC: K, 1 or 0
     */
    public int parameterCount(int components) {
        return constraint.parameters(components);
    }

    /**
     * The ECM's second conditional maximisation: each {@code ν} (or the shared one) given the E-step's expected
     * scales, as this constraint says — the root of {@code log(ν/2) − ψ(ν/2) + 1 + mean(log u − u) + ψ((ν + D)/2) −
     * log((ν + D)/2) = 0} per component (free) or over all rows (equal); fixed ones stay.
     *
     * @param nu             the current degrees of freedom, changed in place
     * @param d              the dimension D (for rows with missing values, the observed one is in the scales)
     * @param logScale       per component {@code Σ r (log u − u + 1)}
     * @param responsibility per component {@code Σ r}
     * @param fitted         per component whether its scale matrix was fitted this step (an empty component's free
     *                       {@code ν} stays)
     * @return {@code nu}
     */
    public double[] next(double[] nu, int d, double[] logScale, double[] responsibility, boolean[] fitted) {
        switch (constraint) {
            case FIXED -> {
                return nu;
            }
            case FREE -> {
                for (int c = 0; c < nu.length; c++) {
                    if (fitted[c]) {
                        nu[c] = solve(logMinusDigamma(0.5 * (nu[c] + d)) - logScale[c] / responsibility[c]);
                    }
                }
                return nu;
            }
            default -> {
                double sum = 0;
                double n = 0;
                for (int c = 0; c < nu.length; c++) {
                    sum += logScale[c];
                    n += responsibility[c];
                }
                java.util.Arrays.fill(nu, solve(logMinusDigamma(0.5 * (nu[0] + d)) - sum / n));
                return nu;
            }
        }
    }

    /**
     * Warns of the components whose {@code ν} ran off towards infinity (above {@code gaussianLike}, capped at
     * {@value #MAX}): their tails are a Gaussian's, so the {@code ν → ∞} limit fits as well with fewer parameters.
     * Says nothing when {@code ν} is fixed.
     *
     * @param nu           the fitted degrees of freedom, one per component
     * @param gaussianLike the {@code ν} above which a component counts as Gaussian
     * @param limit        what the {@code ν → ∞} limit of the whole model is called ("a Gaussian mixture")
     * @param someAdvice   the advice when only some components ran off
     * @param warnings     where the warning goes
     */
    public void warnGaussianLike(double[] nu, double gaussianLike, String limit, String someAdvice,
                                 java.util.function.Consumer<String> warnings) {
        if (constraint == Constraint.FIXED) {
            return;
        }
        java.util.List<String> ranOff = new java.util.ArrayList<>();
        for (int c = 0; c < nu.length; c++) {
            if (nu[c] > gaussianLike) {
                ranOff.add(Integer.toString(c + 1));
            }
        }
        if (ranOff.isEmpty()) {
            return;
        }
        String which = constraint == Constraint.EQUAL ? "the shared degrees of freedom"
                : (ranOff.size() == 1 ? "component " : "components ") + EmkitException.list(ranOff)
                        + ": the degrees of freedom";
        warnings.accept(String.format(Locale.ROOT, "%s ran off towards infinity (above %.0f, capped at %.0f): %s", which,
                gaussianLike, MAX, ranOff.size() == nu.length
                        ? "the data show no heavier tails than a Gaussian's; " + limit + " (--distribution gaussian)"
                                + " fits as well with fewer parameters"
                        : someAdvice));
    }

    /**
     * A t model's degrees of freedom, checked: one per component, each finite and &gt; 0, all the same unless free.
     *
     * @param nu         the degrees of freedom
     * @param components K
     * @param constraint how they were fitted
     * @return a copy of {@code nu}
     * @throws EmkitException if their count is not K, one is not a finite positive number, or
     *                        {@link Constraint#EQUAL equal} or fixed ones differ
     */
    public static double[] checked(double[] nu, int components, Constraint constraint) {
        if (nu.length != components) {
            throw new EmkitException("expected " + components + " degrees of freedom (one per component), got "
                    + nu.length);
        }
        for (int c = 0; c < components; c++) {
            if (!(nu[c] > 0) || Double.isInfinite(nu[c])) {
                throw new EmkitException("component " + (c + 1) + ": degrees of freedom must be a finite number > 0,"
                        + " got " + nu[c]);
            }
            if (constraint != Constraint.FREE && nu[c] != nu[0]) {
                throw new EmkitException("degrees of freedom that are " + constraint.label() + " must be the same for"
                        + " every component, got " + java.util.Arrays.toString(nu));
            }
        }
        return nu.clone();
    }

    /**
     * Makes a t model of its scale model and degrees of freedom (its constructor).
     *
     * @param <P> the t model
     * @param <H> its scale model
     */
    @FunctionalInterface
    public interface Maker<P, H> {
        /**
         * @param scales     the scale model
         * @param nu         the degrees of freedom
         * @param constraint how they were fitted
         * @return the t model
         */
        P of(H scales, double[] nu, Constraint constraint);
    }

    /**
     * A t model's coordinates for SQUAREM: its scale model's (the head), then {@code ln ν} per component (free),
     * once (equal) or not at all (fixed); an extrapolated {@code ν} is held within [{@value #MIN}, {@value #MAX}].
     *
     * @param <P> the t model
     * @param <H> its scale model
     */
    public abstract static class Coordinates<P, H> extends io.emkit.em.ParameterVector.Extended<P, H> {
        private final DegreesOfFreedom degreesOfFreedom;

        /**
         * @param scales           the scale model's coordinates
         * @param degreesOfFreedom how the fit treats {@code ν}
         */
        protected Coordinates(io.emkit.em.ParameterVector<H> scales, DegreesOfFreedom degreesOfFreedom) {
            super(scales);
            this.degreesOfFreedom = degreesOfFreedom;
        }

        /**
         * @param params the t model
         * @return its degrees of freedom (a copy)
         */
        protected abstract double[] degreesOfFreedom(P params);

        /**
         * @param scales     the scale model
         * @param nu         the degrees of freedom
         * @param constraint how they were fitted
         * @return the t model
         */
        protected abstract P of(H scales, double[] nu, Constraint constraint);

        /**
         * The coordinates of a t model whose parts these functions read and whose constructor {@code make} is.
         *
         * @param scales           the scale model's coordinates
         * @param degreesOfFreedom how the fit treats {@code ν}
         * @param head             the t model's scale model
         * @param nu               the t model's degrees of freedom (a copy)
         * @param make             the t model of its parts
         * @param <P>              the t model
         * @param <H>              its scale model
         * @return the coordinates
         */
        public static <P, H> Coordinates<P, H> of(io.emkit.em.ParameterVector<H> scales,
                                                  DegreesOfFreedom degreesOfFreedom,
                                                  java.util.function.Function<P, H> head,
                                                  java.util.function.Function<P, double[]> nu, Maker<P, H> make) {
            return new Coordinates<>(scales, degreesOfFreedom) {
                @Override
                protected H headModel(P params) {
                    return head.apply(params);
                }

                @Override
                protected double[] degreesOfFreedom(P params) {
                    return nu.apply(params);
                }

                @Override
                protected P of(H h, double[] values, Constraint constraint) {
                    return make.of(h, values, constraint);
                }
            };
        }

        @Override
        protected int tailLength(P template) {
            return degreesOfFreedom.parameterCount(degreesOfFreedom(template).length);
        }

        @Override
        protected boolean writeTail(P params, double[] out, int at) {
            double[] nu = degreesOfFreedom(params);
            for (int i = 0; at + i < out.length; i++) {
                out[at + i] = Math.log(nu[i]);
            }
            return true;
        }

        @Override
        protected P combine(H scales, double[] x, int at, P template) {
            double[] nu = degreesOfFreedom(template);
            boolean free = degreesOfFreedom.constraint() == Constraint.FREE;
            for (int c = 0; c < nu.length && at < x.length; c++) {
                nu[c] = Math.min(MAX, Math.max(MIN, Math.exp(x[at + (free ? c : 0)])));
            }
            return of(scales, nu, degreesOfFreedom.constraint());
        }
    }

    /** @return where a fit starts {@code ν}: the fixed value, or {@value #START} */
    public double start() {
        return constraint == Constraint.FIXED ? value : START;
    }

    /**
     * Every component's {@code ν} where a fit starts it: how each t fit (with or without noise, of scale matrices
     * or factor analysers) turns a Gaussian start into a t start.
     *
     * @param components how many components
     * @return {@link #start()} once per component
     */
    public double[] starts(int components) {
        double[] nu = new double[components];
        Arrays.fill(nu, start());
        return nu;
    }

    @Override
    public String toString() {
        return constraint == Constraint.FIXED ? String.format(Locale.ROOT, "fixed %s", value) : constraint.label();
    }

    // -------------------------------------------------------------------------------------- the root for ν

    /**
     * The M-step's {@code ν}: the root of {@code ln(ν/2) − ψ(ν/2) = target}, clamped to [{@link #MIN}, {@link #MAX}].
     *
     * @param target the right side of the equation (positive)
     * @return the root
     */
    public static double solve(double target) {
        if (!(target < logMinusDigamma(MIN / 2))) {
            return MIN;
        }
        if (!(target > logMinusDigamma(MAX / 2))) {
            return MAX;
        }
        // ln(ν/2) − ψ(ν/2) falls strictly in ν: bisect on ln ν until the bracket is two neighbouring doubles.
        double lo = Math.log(MIN);
        double hi = Math.log(MAX);
        for (int i = 0; i < 200; i++) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) {
                break;
            }
            if (logMinusDigamma(0.5 * Math.exp(mid)) > target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return Math.exp(0.5 * (lo + hi));
    }

    // ---------------------------------------------------------------------------------- special functions

    /** Below this argument the asymptotic series are shifted up by the recurrences. */
    private static final double SERIES_FROM = 10;

    /**
     * {@code ln a − ψ(a)} for {@code a > 0}, without the cancellation of subtracting two large numbers: the
     * recurrence {@code ψ(a) = ψ(a + 1) − 1/a} shifts {@code a} to at least 10, then the asymptotic series
     * {@code 1/(2a) + 1/(12a²) − 1/(120a⁴) + 1/(252a⁶) − 1/(240a⁸) + 1/(132a¹⁰) − 691/(32760a¹²) + 1/(12a¹⁴)}
     * (error below 1e-16 there).
     *
     * @param a the argument, &gt; 0
     * @return {@code ln a − ψ(a)}, positive and falling
     */
    public static double logMinusDigamma(double a) {
        double shifted = a;
        double sum = 0;
        while (shifted < SERIES_FROM) {
            sum += 1 / shifted;
            shifted += 1;
        }
        double inv = 1 / shifted;
        double inv2 = inv * inv;
        double series = 0.5 * inv + inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240
                - inv2 * (1.0 / 132 - inv2 * (691.0 / 32760 - inv2 / 12))))));
        // ln a − ψ(a) = ln a − ln s + (ln s − ψ(s)) + Σ 1/(a + j), s = a + m.
        return (shifted == a ? 0.0 : Math.log(a / shifted)) + series + sum;
    }

    /**
     * {@code ln Γ(a + h) − ln Γ(a)} for {@code a > 0, h ≥ 0}, accurate also when {@code a} is huge (the t
     * density's constant at {@code ν = 10⁸}) where two separate log-gammas would cancel to a few digits:
     * {@code a} is shifted to at least 10 by the recurrence, then Stirling's series of both terms is subtracted
     * term by term, {@code (a − ½) ln(1 + h/a) + h ln(a + h) − h} plus the difference of the series' tails.
     *
     * @param a the base argument, &gt; 0
     * @param h the shift, ≥ 0
     * @return the difference of the log-gammas
     */
    static double logGammaRatio(double a, double h) {
        double correction = 0;
        while (a < SERIES_FROM) {
            // Γ(a + h)/Γ(a) = [Γ(a + 1 + h)/Γ(a + 1)] · a/(a + h)
            correction -= Math.log1p(h / a);
            a += 1;
        }
        double b = a + h;
        return correction + (a - 0.5) * Math.log1p(h / a) + h * Math.log(b) - h + stirlingTail(b) - stirlingTail(a);
    }

    /** {@code 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷) + 1/(1188x⁹)}: Stirling's series after its leading terms. */
    private static double stirlingTail(double x) {
        double inv = 1 / x;
        double inv2 = inv * inv;
        return inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680 - inv2 / 1188))));
    }

    /**
     * The part of the log density of a d-variate t that depends on neither the row nor the scale matrix:
     * {@code ln Γ((ν + d)/2) − ln Γ(ν/2) − (d/2) ln(πν)}; it tends to {@code −(d/2) ln 2π} as {@code ν → ∞}.
     *
     * @param nu the degrees of freedom
     * @param d  the dimension
     * @return the log constant
     */
    public static double logConstant(double nu, int d) {
        double a = 0.5 * nu;
        double h = 0.5 * d;
        // −(d/2) ln(πν) = −h ln(2a) − h ln π, and h ln(a + h) − h ln(2a) is folded in as h·(ln(1 + h/a) − ln 2)
        // so that nothing of size ln a is left to cancel.
        double ratio = logGammaRatio(a, h);
        return ratio - h * Math.log(a + h) + h * (Math.log1p(h / a) - Math.log(2) - Math.log(Math.PI));
    }

    /**
     * A draw of {@code W ~ Gamma(shape ν/2, rate ν/2)} (mean 1): the latent scale of a t row, so that
     * {@code μ + z/√W} with {@code z ~ N(0, Σ)} is t-distributed. Marsaglia and Tsang's (2000) squeeze and
     * rejection for shape ≥ 1, boosted by {@code U^(1/shape)} below it.
     *
     * @param nu     the degrees of freedom
     * @param random the stream
     * @return the draw, &gt; 0
     */
    public static double latentScale(double nu, SplittableRandom random) {
        double shape = 0.5 * nu;
        double boost = 1;
        if (shape < 1) {
            boost = Math.pow(random.nextDouble(), 1 / shape);
            shape += 1;
        }
        double dd = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * dd);
        while (true) {
            double z = random.nextGaussian();
            double v = 1 + c * z;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * z * z * z * z || Math.log(u) < 0.5 * z * z + dd * (1 - v + Math.log(v))) {
                return dd * v * boost / (0.5 * nu);
            }
        }
    }

    /**
     * A t mixture's sample from its scale mixture's: each row {@code μ_k + (x − μ_k)/√W}, {@code x} the Gaussian
     * row, {@code W ~ Gamma(ν_k/2, rate ν_k/2)} from a second stream split from {@code seed}.
     *
     * @param gaussian the scale mixture's sample, drawn with {@code seed}
     * @param nu       each component's {@code ν}
     * @param means    K × D locations, by rows
     * @param seed     the sample's seed
     * @return the t sample, named as the Gaussian one
     */
    public static io.emkit.mixture.MixtureModel.Sample stretched(io.emkit.mixture.MixtureModel.Sample gaussian,
                                                                 double[] nu, double[] means, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed).split();
        io.emkit.data.Dataset rows = gaussian.data();
        int n = rows.rows();
        int d = rows.columns();
        double[] values = rows.rawValues().clone();
        int[] labels = gaussian.components();
        for (int i = 0; i < n; i++) {
            int c = labels[i];
            double stretch = 1 / Math.sqrt(latentScale(nu[c], random));
            for (int j = 0; j < d; j++) {
                double mu = means[c * d + j];
                values[i * d + j] = mu + (values[i * d + j] - mu) * stretch;
            }
        }
        return new io.emkit.mixture.MixtureModel.Sample(io.emkit.data.Dataset.wrap(values, n, d, rows.columnNames()),
                labels);
    }
}
