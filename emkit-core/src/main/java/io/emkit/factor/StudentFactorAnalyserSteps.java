package io.emkit.factor;

import io.emkit.EmkitException;
import io.emkit.data.Rows;
import io.emkit.em.PartitionSteps;
import io.emkit.em.ParameterVector;
import io.emkit.student.DegreesOfFreedom;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * EM's two steps for a mixture of t factor analysers (McLachlan, Bean and Ben-Tahar 2007), in the single-cycle
 * form of {@link FactorAnalyserSteps}: the missing data are each row's component, its latent scale {@code W} and
 * its factors. Given the component, {@code W | x ~ Gamma((ν + D)/2, (ν + δ)/2)}, so the E-step gives each row
 * and component its responsibility {@code r}, its expected scale {@code u = (ν + D)/(ν + δ)} ({@code δ} the
 * squared Mahalanobis distance under {@code Σ = ΛΛᵀ + Ψ}, by the Woodbury identity) and its factors' posterior
 * mean {@code ẑ = M⁻¹ΛᵀΨ⁻¹(x − μ)}, which does not depend on {@code W}; their posterior covariance is
 * {@code M⁻¹/W}, so {@code E[W zzᵀ | x] = u ẑẑᵀ + M⁻¹}.
 *
 * <p>The M-step maximises the expected complete-data log-likelihood in two conditional steps. First the weights
 * {@code π = n_k/n} ({@code n_k = Σ r}) and, jointly, the location and loadings as the factor analysers'
 * regression with rows weighted by {@code r·u}:
 * <pre>
 *   [Λ_new, μ_new − μ] = B A⁻¹,   B = [Σ r u e ẑᵀ, Σ r u e],   A = [[n_k M⁻¹ + Σ r u ẑẑᵀ, Σ r u ẑ], [Σ r u ẑᵀ, Σ r u]],
 *   ψ_new,j = (Σ r u e_j² − Σ_a [Λ_new, μ_new − μ]_ja B_ja) / n_k   (+ regCovar);
 * </pre>
 * then the degrees of freedom, by the t mixture's one-dimensional root ({@link DegreesOfFreedom#solve}) on
 * {@code Σ r (ln u − u + 1) / n_k}, per component, shared or held fixed. Both are exact maximisers, so without
 * {@code regCovar} the log-likelihood never decreases; with {@code u ≡ 1} ({@code ν → ∞}) the first is
 * {@link FactorAnalyserSteps}'s M-step. Rows may carry weights. A row with missing values is evaluated on its
 * observed coordinates and adds its expected statistics given them (see the E-step's {@code scaleObserved});
 * values are assumed missing at random.
 */
public final class StudentFactorAnalyserSteps
        implements PartitionSteps.OfRows<StudentFactorAnalyserMixtureModel, StudentFactorStatistics> {
    private static final long serialVersionUID = 1L;
    /** A degree of freedom above this says the component's tails are a Gaussian's, and a review says so. */
    public static final double GAUSSIAN_LIKE = 100;

    private final double regCovar;
    private final DegreesOfFreedom degreesOfFreedom;
    private final FactorAnalyserSteps gaussian;

    /**
     * @param regCovar         added to every uniqueness in every M-step (&ge; 0)
     * @param degreesOfFreedom how {@code ν} is fitted
     * @throws EmkitException if {@code regCovar} is negative or not finite
     */
    public StudentFactorAnalyserSteps(double regCovar, DegreesOfFreedom degreesOfFreedom) {
        this.gaussian = new FactorAnalyserSteps(regCovar);
        this.regCovar = regCovar;
        this.degreesOfFreedom = Objects.requireNonNull(degreesOfFreedom, "degreesOfFreedom");
    }

    @Override
    public StudentFactorStatistics emptyStatistics(StudentFactorAnalyserMixtureModel params) {
        return new StudentFactorStatistics(params.components(), params.dimension(), params.factors());
    }

    /**
     * The E-step over rows {@code [from, to)}: each row's distance and factors' posterior mean under every
     * component, its t log densities, responsibilities and expected scales, added into the statistics;
     * {@code O(D·Q + Q²)} per row and component; rows with missing values on their observed coordinates.
     */
    @Override
    public double accumulate(StudentFactorAnalyserMixtureModel params, Rows data, int from, int to,
                             StudentFactorStatistics stats) {
        int d = params.dimension();
        FactorAnalyserMixtureModel scales = params.scales();
        double[] nu = params.degreesOfFreedom();
        FactorBlock block = FactorBlock.over(data, scales);
        return block.accumulate(data, from, to, scales, stats.scaled, new FactorBlock.RowTerms() {
            private final double[] terms = new double[3];
            /** A row with a missing value's squared distance over its observed coordinates, per component. */
            private final double[] observedDelta = new double[params.components()];

            @Override
            public double logJoint(int c, double delta) {
                return params.logPeak(c) - 0.5 * (nu[c] + d) * Math.log1p(delta / nu[c]);
            }

            /** The row's expected scale u weighs its offsets and factors; its count and log scale go apart. */
            @Override
            public double weightInSums(int c, double r, double delta) {
                double u = (nu[c] + d) / (nu[c] + delta);
                double t = u - 1;
                stats.responsibility[c] += r;
                stats.logScale[c] += r * (Math.log1p(t) - t);
                return r * u;
            }

            /**
             * Over its {@code p} observed coordinates o the component is a t with the same {@code ν} and scale
             * {@code Λ_oΛ_oᵀ + Ψ_o}; its squared distance {@code δ_o} is kept for the expected scale.
             */
            @Override
            public double logJointObserved(double[] x, int offset, int c, double[] factor, double[] covariance) {
                double logJoint = params.logJointObserved(x, offset, c, factor, covariance, terms);
                observedDelta[c] = terms[0];
                return logJoint;
            }

            /**
             * The expected scale is {@code u = (ν + p)/(ν + δ_o)}. Given {@code x_o} and {@code W}, the factors are
             * {@code N(ẑ, V/W)} with {@code V = M_o⁻¹}, and a missing {@code e_j = Λ_j z + ε_j} with
             * {@code ε_j ~ N(0, ψ_j/W)}: so {@code E[W zzᵀ] = u ẑẑᵀ + V}, {@code E[W e_j] = u Λ_j ẑ},
             * {@code E[W e_j z] = Λ_j(u ẑẑᵀ + V)} and {@code E[W e_j²] = Λ_j(u ẑẑᵀ + V)Λ_jᵀ + ψ_j}, which the row
             * adds with weight r. The degrees of freedom's statistic is taken relative to the complete rows' D, as
             * the t mixture's is.
             */
            @Override
            public double scaleObserved(int c, double r, int observed) {
                double u = (nu[c] + observed) / (nu[c] + observedDelta[c]);
                double t = u - 1;
                stats.responsibility[c] += r;
                stats.logScale[c] += r * (Math.log1p(t) - t + DegreesOfFreedom.logMinusDigamma(0.5 * (nu[c] + d))
                        - DegreesOfFreedom.logMinusDigamma(0.5 * (nu[c] + observed)));
                return u;
            }
        });
    }

    @Override
    public StudentFactorAnalyserMixtureModel maximize(StudentFactorStatistics s,
                                                      StudentFactorAnalyserMixtureModel previous,
                                                      Consumer<String> warnings) {
        int d = previous.dimension();
        boolean[] fitted = new boolean[s.k];
        FactorAnalyserMixtureModel scales = FactorAnalyserSteps.maximizeFactorAnalysers(s.scaled, s.responsibility,
                previous.scales(), "location", regCovar, fitted, warnings);
        return new StudentFactorAnalyserMixtureModel(scales, degreesOfFreedom.next(previous.degreesOfFreedom(), d,
                s.logScale, s.responsibility, fitted), degreesOfFreedom.constraint());
    }

    /**
     * The parameters for SQUAREM: the factor analysers' coordinates of {@link StudentFactorAnalyserMixtureModel#scales()}
     * ({@link FactorAnalyserSteps#parameterVector()}), then {@code ln ν} per component (free), once (equal) or not
     * at all (fixed); the engine's safeguard keeps the log-likelihood monotone.
     */
    @Override
    public ParameterVector<StudentFactorAnalyserMixtureModel> parameterVector() {
        ParameterVector<FactorAnalyserMixtureModel> scales = gaussian.parameterVector();
        if (scales == null) {
            return null;
        }
        return DegreesOfFreedom.Coordinates.of(scales, degreesOfFreedom, StudentFactorAnalyserMixtureModel::scales,
                StudentFactorAnalyserMixtureModel::degreesOfFreedom, StudentFactorAnalyserMixtureModel::new);
    }

    @Override
    public int parameterCount(StudentFactorAnalyserMixtureModel params) {
        return params.parameterCount();
    }

    /** Says which components' degrees of freedom ran off towards infinity (above {@value #GAUSSIAN_LIKE}). */
    @Override
    public void review(StudentFactorAnalyserMixtureModel params, StudentFactorStatistics statistics,
                       Consumer<String> warnings) {
        degreesOfFreedom.warnGaussianLike(params.degreesOfFreedom(), GAUSSIAN_LIKE, "a mixture of factor analysers",
                "their tails are a Gaussian's (compare with --distribution gaussian by BIC)", warnings);
    }
}
