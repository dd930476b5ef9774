package io.emkit.noise;

import io.emkit.EmkitException;
import io.emkit.data.Rows;
import io.emkit.data.Dataset;
import io.emkit.em.EmSteps;
import io.emkit.em.PartitionSteps;
import io.emkit.em.ParameterVector;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.GaussianMixtureSteps;
import io.emkit.gaussian.ObservedMarginals;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.kernels.BlockKernels;
import io.emkit.kernels.BlockWorkspace;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * EM's two steps for a Gaussian mixture with a uniform noise component ({@link NoiseMixtureModel}). The
 * E-step is the Gaussian one with one more column: the Gaussian block kernels give each row's log joint
 * density under each Gaussian component, shifted by {@code ln(1 − π₀)}, the noise column is the constant
 * {@code ln π₀ − ln V}, and the K + 1 columns are normalised together. The M-step is the Gaussian M-step on
 * the Gaussian components' statistics (every one of the 14 structures; the weights it gives are shares among
 * the Gaussian components) and {@code π₀ = n₀ / n}. Both maximise the expected complete-data log-likelihood,
 * so the log-likelihood never decreases. SQUAREM extrapolates the Gaussian coordinates and the logit of
 * {@code π₀}.
 *
 * <p>A row with missing values ({@code NaN}) is evaluated on its observed coordinates: each Gaussian component's
 * marginal there ({@link ObservedMarginals}, as a Gaussian mixture's E-step), the noise's the uniform over the
 * region's projection onto them ({@link NoiseRegion#logVolumeOver}); the M-step takes the row's expected
 * statistics given its observed values. This is EM for the observed-data likelihood
 * {@code Σ_i ln(π₀ / V_o(i) + (1 − π₀) Σ_c w_c N(x_{i,o}; μ_{c,o}, Σ_{c,oo}))}, exact under values missing at
 * random. A row observing nothing adds nothing. Complete rows are computed as they were without missing values.
 */
public final class NoiseMixtureSteps implements EmSteps<Rows, NoiseMixtureModel, NoiseStatistics>,
        PartitionSteps<NoiseMixtureModel, NoiseStatistics> {
    private static final long serialVersionUID = 1L;
    private final GaussianMixtureSteps gaussian;

    /**
     * @param type     the structure of the Gaussian components' covariances
     * @param regCovar added to the covariances' diagonals in every M-step (≥ 0)
     * @throws IllegalArgumentException if {@code regCovar} is negative or not finite
     */
    public NoiseMixtureSteps(CovarianceType type, double regCovar) {
        this.gaussian = new GaussianMixtureSteps(type, regCovar);
    }

    /**
     * Steps whose Gaussian components are fitted by {@code gaussian}'s M-step: by maximum likelihood, or by MAP-EM
     * under its prior, the objective then the log-likelihood plus the Gaussian components' log prior density.
     *
     * @param gaussian the Gaussian components' steps, soft assignment
     * @throws EmkitException if the steps assign rows hard
     */
    public NoiseMixtureSteps(GaussianMixtureSteps gaussian) {
        if (gaussian.assignment() != io.emkit.mixture.Assignment.SOFT) {
            throw new EmkitException("a noise component is fitted by ordinary (soft) EM; hard assignment is not"
                    + " supported");
        }
        this.gaussian = gaussian;
    }

    /** @return the Gaussian components' log prior density (0 by maximum likelihood) */
    @Override
    public double logPrior(NoiseMixtureModel params) {
        return gaussian.logPrior(params.gaussian());
    }

    @Override
    public int size(Rows data) {
        return data.rows();
    }

    /** @return the rows' total weight (their number when unweighted) */
    @Override
    public double normalizer(Rows data) {
        return data.totalWeight();
    }

    @Override
    public NoiseStatistics emptyStatistics(NoiseMixtureModel params) {
        return new NoiseStatistics(gaussian.emptyStatistics(params.gaussian()));
    }

    /**
     * The E-step over one partition's rows: what another engine (Spark) runs on its workers; a refusal names
     * the row among all the rows. The E-step does not use the prior, so the steps shipped there may be made
     * without one.
     */
    @Override
    public double accumulatePartition(NoiseMixtureModel params, Dataset rows, long firstRow,
                                      NoiseStatistics statistics) {
        return accumulate(params, rows, 0, rows.rows(), firstRow, statistics);
    }

    @Override
    public double accumulate(NoiseMixtureModel params, Rows data, int from, int to, NoiseStatistics stats) {
        return accumulate(params, data, from, to, 0, stats);
    }

    /** The E-step over rows {@code [from, to)} of {@code data}, whose first row is row {@code firstRow} of all. */
    private double accumulate(NoiseMixtureModel params, Rows data, int from, int to, long firstRow,
                              NoiseStatistics stats) {
        BlockKernels kernels = BlockKernels.forSize(data.rows(), params.components() + 1);
        return BlockWorkspace.withReusable(params.dimension(), kernels, false,
                ws -> accumulate(params, data, from, to, firstRow, stats, ws));
    }

    private double accumulate(NoiseMixtureModel params, Rows data, int from, int to, long firstRow,
                              NoiseStatistics stats, BlockWorkspace ws) {
        int k = params.components();
        int r = BlockWorkspace.ROWS;
        GaussianMixtureModel g = params.gaussian();
        ws.ensureComponents(k + 1);
        ObservedMarginals marginals = new ObservedMarginals(g);
        double[] density = new double[r];
        double[] row = new double[params.dimension()];
        boolean[] empty = new boolean[r];
        double logGaussian = Math.log1p(-params.noiseWeight());
        double logNoise = params.logNoiseJoint();
        double ll = 0;
        for (int lo = from; lo < to; lo += r) {
            int hi = Math.min(to, lo + r);
            int b = hi - lo;
            ws.load(data, lo, hi);
            // Complete rows: the block kernels (the same bits as without missing values); rows with a missing
            // value: each component's marginal over the observed coordinates, listed in ws.incomplete.
            int incomplete = marginals.logJointColumns(ws);
            double[] jt = ws.jt;
            for (int c = 0; c < k; c++) {
                for (int i = 0; i < b; i++) {
                    jt[c * r + i] += logGaussian;
                }
            }
            Arrays.fill(jt, k * r, k * r + b, logNoise);
            for (int t = 0; t < incomplete; t++) {
                // The uniform over the box's projection onto the observed columns.
                int i = ws.incomplete[t];
                ws.copyRow(i, row);
                empty[t] = observesNothing(row);
                jt[k * r + i] = Math.log(params.noiseWeight()) - observedLogVolume(params.region(), row, firstRow + lo + i);
            }
            ws.kernels.normalizeColumns(ws, k + 1, density);
            for (int t = 0; t < incomplete; t++) {
                if (empty[t]) {
                    // A row observing nothing has density 1 (the weights' sum, to rounding) and adds nothing.
                    int i = ws.incomplete[t];
                    density[i] = 0.0;
                    jt[k * r + i] = 0.0;
                }
            }
            if (ws.weighted) {
                ws.scaleColumnsByWeight(k + 1);
                ll += ws.weightedSum(density);
            } else {
                for (int i = 0; i < b; i++) {
                    ll += density[i];
                }
            }
            stats.noise += ws.kernels.sum(ws, jt, k * r);
            if (incomplete > 0) {
                marginals.addExpectedAndClear(ws, incomplete, stats.gaussian);
            }
            stats.gaussian.addFromColumns(ws);
        }
        return ll;
    }

    /** True when every value of the row is missing. */
    static boolean observesNothing(double[] row) {
        for (double v : row) {
            if (!Double.isNaN(v)) {
                return false;
            }
        }
        return true;
    }

    /** The region's log volume over the row's observed columns; a refusal names the row (from 0). */
    static double observedLogVolume(NoiseRegion region, double[] row, long index) {
        try {
            return region.logVolumeOver(row);
        } catch (EmkitException e) {
            throw new EmkitException("row " + (index + 1) + ": " + e.getMessage());
        }
    }

    @Override
    public NoiseMixtureModel maximize(NoiseStatistics s, NoiseMixtureModel previous, Consumer<String> warnings) {
        double gaussianWeight = s.gaussian.totalWeight();
        double total = gaussianWeight + s.noise;
        if (!(gaussianWeight > 0)) {
            throw new EmkitException("the noise component took every row: no Gaussian component is left to fit"
                    + " (the data may have no clusters denser than the noise)");
        }
        double noiseWeight = Math.min(Math.max(s.noise / total, Double.MIN_NORMAL), 1 - 1e-16);
        GaussianMixtureModel g = gaussian.maximize(s.gaussian, previous.gaussian(), warnings);
        return new NoiseMixtureModel(g, noiseWeight, previous.region());
    }

    @Override
    public int parameterCount(NoiseMixtureModel params) {
        return params.parameterCount();
    }

    @Override
    public void review(NoiseMixtureModel params, NoiseStatistics statistics, Consumer<String> warnings) {
        gaussian.review(params.gaussian(), statistics.gaussian, warnings);
    }

    /** The Gaussian mixture's coordinates, then {@code logit π₀}. */
    @Override
    public ParameterVector<NoiseMixtureModel> parameterVector() {
        ParameterVector<GaussianMixtureModel> g = gaussian.parameterVector();
        if (g == null) {
            return null;
        }
        return new ParameterVector<>() {
            @Override
            public boolean keepsStructure(NoiseMixtureModel template) {
                return g.keepsStructure(template.gaussian());
            }

            @Override
            public double[] toVector(NoiseMixtureModel params) {
                double[] v = g.toVector(params.gaussian());
                double[] out = Arrays.copyOf(v, v.length + 1);
                double p = params.noiseWeight();
                out[v.length] = Math.log(p) - Math.log1p(-p);
                return out;
            }

            @Override
            public NoiseMixtureModel fromVector(double[] vector, NoiseMixtureModel template) {
                GaussianMixtureModel m = g.fromVector(Arrays.copyOf(vector, vector.length - 1), template.gaussian());
                double logit = vector[vector.length - 1];
                double p = 1 / (1 + Math.exp(-logit));
                if (m == null || !(p > 0 && p < 1)) {
                    return null;
                }
                return new NoiseMixtureModel(m, p, template.region());
            }
        };
    }
}
