package io.emkit.factor;

import io.emkit.EmkitException;
import io.emkit.student.ScaleMixtureModel;
import io.emkit.student.DegreesOfFreedom;

import java.util.Arrays;
import java.util.List;

/**
 * A fitted mixture of t factor analysers (McLachlan, Bean and Ben-Tahar 2007): component {@code k} is a
 * multivariate t with weight {@code π_k}, location {@code μ_k}, scale matrix {@code Σ_k = Λ_k Λ_kᵀ + Ψ_k} (a
 * factor analyser's, {@link #scales()}) and degrees of freedom {@code ν_k}. Each row is
 * {@code μ_k + (Λ_k z + ε)/√W} with {@code z ~ N(0, I_Q)}, {@code ε ~ N(0, Ψ_k)} and {@code W ~ Gamma(ν_k/2,
 * rate ν_k/2)}: heavy tails for few parameters per component. Immutable and thread-safe.
 *
 * <p>The density needs only a row's squared Mahalanobis distance {@code δ} under {@code Σ_k} and
 * {@code ln|Σ_k|}, both by the Woodbury identity of the factor analysers' model: {@code O(D·Q + Q²)} per row and
 * component, never a {@code D × D} matrix. A row with missing values is evaluated on its observed coordinates
 * (the marginal of a t is a t with the same degrees of freedom).
 */
public final class StudentFactorAnalyserMixtureModel extends ScaleMixtureModel<FactorAnalyserMixtureModel> {
    /** Per component: {@code ln π_k + ln C(ν_k, D) − ½ ln|Σ_k|}, the log joint density at δ = 0. */
    private final double[] logPeak;

    /**
     * @param scales           the weights, locations and scale matrices, as a mixture of factor analysers
     * @param degreesOfFreedom one {@code ν} per component, finite and &gt; 0
     * @param constraint       how {@code ν} was fitted (it decides how many parameters BIC counts)
     * @throws EmkitException if a degree of freedom is not a finite positive number, their count is not K, or
     *                        {@link DegreesOfFreedom.Constraint#EQUAL equal} or fixed ones differ
     */
    public StudentFactorAnalyserMixtureModel(FactorAnalyserMixtureModel scales, double[] degreesOfFreedom,
                                             DegreesOfFreedom.Constraint constraint) {
        super(scales, degreesOfFreedom, constraint);
        this.logPeak = new double[k];
        double[] w = scales.weights();
        for (int c = 0; c < k; c++) {
            logPeak[c] = Math.log(w[c]) + DegreesOfFreedom.logConstant(this.degreesOfFreedom[c], d)
                    - scales.halfLogDeterminant(c);
        }
    }

    /** @return the number of factors Q of every component */
    public int factors() {
        return scales.factors();
    }

    /**
     * @param names the features' names, D of them
     * @return this model with its features so named
     */
    public StudentFactorAnalyserMixtureModel withFeatureNames(List<String> names) {
        return new StudentFactorAnalyserMixtureModel(scales.withFeatureNames(names), degreesOfFreedom, constraint);
    }

    /** Component c's log joint density at distance 0: for the steps. */
    double logPeak(int c) {
        return logPeak[c];
    }

    /**
     * A row's log joint density under component c over its observed coordinates o: the marginal of a t over them is
     * a t with the same {@code ν}, location {@code μ_o} and scale {@code Λ_oΛ_oᵀ + Ψ_o}, evaluated by the factor
     * analysers' Woodbury terms; leaves the factors' posterior given {@code x_o} as
     * {@link FactorAnalyserMixtureModel#observedTerms} does, with the squared distance (floored at 0) in
     * {@code terms[0]}.
     *
     * @param x          the rows
     * @param offset     where the row starts in {@code x}
     * @param c          the component
     * @param factor     Q doubles to receive the factors' posterior mean
     * @param covariance Q² doubles to receive their posterior covariance {@code M_o⁻¹}
     * @param terms      3 doubles: the distance, {@code ln|Ψ_o|} and {@code ln|M_o|}
     * @return the log joint density; {@code ln π_c} for a row that observes nothing
     */
    double logJointObserved(double[] x, int offset, int c, double[] factor, double[] covariance, double[] terms) {
        int p = scales.observedTerms(x, offset, c, factor, covariance, terms);
        double nu = degreesOfFreedom[c];
        double delta = Math.max(0.0, terms[0]);
        terms[0] = delta;
        if (p == 0) {
            return Math.log(scales.weights()[c]);
        }
        return Math.log(scales.weights()[c]) + DegreesOfFreedom.logConstant(nu, p) - 0.5 * (terms[1] + terms[2])
                - 0.5 * (nu + p) * Math.log1p(delta / nu);
    }

    @Override
    protected RowEvaluator rowEvaluator() {
        int q = scales.factors();
        double[] factor = new double[q];
        double[] covariance = new double[q * q];
        double[] terms = new double[3];
        return (x, offset, joint) -> {
            boolean missing = missesValues(x, offset);
            for (int c = 0; c < k; c++) {
                double nu = degreesOfFreedom[c];
                joint[c] = missing ? logJointObserved(x, offset, c, factor, covariance, terms)
                        : logPeak[c] - 0.5 * (nu + d) * Math.log1p(scales.squaredDistance(x, offset, c, factor) / nu);
            }
        };
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each row is drawn as {@code μ_k + (Λ_k z + ε)/√W}: the component, {@code z} and {@code ε} as the factor
     * analysers {@link #scales()} draw them, and {@code W ~ Gamma(ν_k/2, rate ν_k/2)} from a second stream split
     * from the same seed.
     */
    @Override
    public Sample sample(int n, long seed) {
        double[] means = new double[k * d];
        for (int c = 0; c < k; c++) {
            System.arraycopy(scales.mean(c), 0, means, c * d, d);
        }
        return DegreesOfFreedom.stretched(scales.sample(n, seed), degreesOfFreedom, means, seed);
    }

    @Override
    public String toString() {
        return "StudentFactorAnalyserMixtureModel[" + k + " components, " + d + " features, " + scales.factors()
                + " factors, df " + Arrays.toString(degreesOfFreedom) + "]";
    }
}
