package io.emkit.gaussian;

import io.emkit.kernels.BlockWorkspace;

/**
 * The observed-coordinates view of rows with missing values ({@code NaN}) that models built on a Gaussian mixture's
 * locations and scale matrices use (the t mixtures, and a Gaussian mixture beside a noise component, which takes
 * the Gaussian E-step block by block, {@link #logJointColumns}): for each component, the squared Mahalanobis distance of a row's
 * observed coordinates under {@code Σ_oo} and {@code ½ log det Σ_oo}, and the row's expected statistics given its
 * observed coordinates, the missing ones replaced by their conditional mean {@code μ_m + Σ_mo Σ_oo⁻¹ (x_o − μ_o)} and
 * the conditional covariance {@code Σ_mm − Σ_mo Σ_oo⁻¹ Σ_om} added to the second moments. Factorisations are kept
 * per pattern of missing cells. Not thread-safe: one per thread.
 */
public final class ObservedMarginals {
    private final MissingPatterns patterns;
    private final GaussianMixtureModel model;
    private final int d;
    private final double[] completed;
    private double[] scaledConditional = new double[0];

    /**
     * @param model the components' locations and covariance (or scale) matrices
     */
    public ObservedMarginals(GaussianMixtureModel model) {
        this.patterns = new MissingPatterns(model);
        this.model = model;
        this.d = model.dimension();
        this.completed = new double[d];
    }

    /**
     * The row's observed part under each component.
     *
     * @param row        D values, {@code NaN} where missing
     * @param distance   receives, per component, {@code (x_o − μ_o)ᵀ Σ_oo⁻¹ (x_o − μ_o)} (0 if nothing is observed)
     * @param halfLogDet receives, per component, {@code ½ log det Σ_oo} (0 if nothing is observed)
     * @return how many coordinates the row observes
     * @throws io.emkit.EmkitException if a component's {@code Σ_oo} is not positive definite
     */
    public int observe(double[] row, double[] distance, double[] halfLogDet) {
        MissingPatterns.Pattern p = patterns.patternOf(row);
        patterns.observedDistances(row, p, distance);
        System.arraycopy(p.halfLogDet, 0, halfLogDet, 0, halfLogDet.length);
        return p.observed.length;
    }

    /**
     * Adds the row's expected statistics under component c given its observed coordinates: the completed row
     * {@code x̂} (its missing cells their conditional mean) with weight {@code outerWeight} to the weight, first and
     * second moments, and the conditional covariance of the missing cells with weight {@code conditionalWeight} to
     * the second moments. A Gaussian row has both weights its responsibility; a t row has {@code r·u} and
     * {@code r}, since {@code E[W x_m x_mᵀ | x_o] = u·x̂_m x̂_mᵀ + C_mm}. A row that observes nothing adds nothing.
     *
     * @param row               D values, {@code NaN} where missing
     * @param c                 the component
     * @param outerWeight       the weight of the completed row (&gt; 0)
     * @param conditionalWeight the weight of the conditional covariance
     * @param stats             the statistics to add to (moments about their shift)
     */
    public void addExpected(double[] row, int c, double outerWeight, double conditionalWeight,
                            GaussianStatistics stats) {
        MissingPatterns.Pattern p = patterns.patternOf(row);
        if (p.empty() || outerWeight == 0.0) {
            return;
        }
        patterns.complete(row, p, c, completed);
        double[] conditional = p.conditional[c];
        if (scaledConditional.length < conditional.length) {
            scaledConditional = new double[conditional.length];
        }
        double ratio = conditionalWeight / outerWeight;
        double[] scaled = scaledConditional;
        for (int i = 0; i < conditional.length; i++) {
            scaled[i] = conditional[i] * ratio;
        }
        stats.addCompleted(c, outerWeight, completed, p.missing, scaled);
    }

    /**
     * The Gaussian mixture's log joint densities {@code log w_c + log N(x | μ_c, Σ_c)} of the rows loaded in
     * {@code ws}, into {@link BlockWorkspace#jt} ({@code jt[c * ROWS + i]}), as
     * {@link GaussianMixtureModel#logJointColumns(BlockWorkspace)} does for complete rows (the same bits), and over
     * their observed coordinates for rows with a missing value, which it lists in {@link BlockWorkspace#incomplete}.
     *
     * @param ws the workspace holding the loaded rows
     * @return how many loaded rows have a missing value
     * @throws io.emkit.EmkitException if a component's {@code Σ_oo} is not positive definite
     */
    public int logJointColumns(BlockWorkspace ws) {
        return model.logJointColumns(ws, patterns);
    }

    /**
     * After {@link #logJointColumns}: adds the expected statistics of the block's first {@code count} incomplete
     * rows given their observed coordinates, with the responsibilities of the Gaussian components the caller left
     * in {@link BlockWorkspace#jt} (multiplied by the row weights, if any); a row observing nothing adds nothing.
     * Then takes those rows out of the block ({@link BlockWorkspace#clearIncompleteRows}), so that the block
     * kernels add the complete rows only.
     *
     * @param ws    the workspace holding the loaded rows
     * @param count how many of {@link BlockWorkspace#incomplete} to add
     * @param stats the Gaussian components' statistics
     */
    public void addExpectedAndClear(BlockWorkspace ws, int count, GaussianStatistics stats) {
        patterns.addExpected(ws, count, stats);
        ws.clearIncompleteRows(count, model.components());
    }
}
