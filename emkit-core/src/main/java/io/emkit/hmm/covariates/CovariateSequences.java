package io.emkit.hmm.covariates;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.data.Sequences;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sequences of observations with P covariates per step, the data of an input–output HMM: the observations are
 * {@link Sequences} (the emissions see only them), the covariates a row-major array with one row per step, in the
 * same global row order. Immutable.
 */
public final class CovariateSequences {
    private final Sequences observations;
    private final double[] covariates;
    private final int p;
    private final List<String> covariateNames;

    private CovariateSequences(Sequences observations, double[] covariates, int p, List<String> covariateNames) {
        this.observations = observations;
        this.covariates = covariates;
        this.p = p;
        this.covariateNames = List.copyOf(covariateNames);
    }

    /**
     * @param observations   the observed sequences
     * @param covariates     row-major, {@code P} values per step, one row per global row of {@code observations};
     *                       every value finite
     * @param covariateNames the P covariates' names
     * @return the data
     * @throws EmkitException if the shapes disagree or a covariate is not finite
     */
    public static CovariateSequences of(Sequences observations, double[] covariates, List<String> covariateNames) {
        int p = covariateNames.size();
        int n = observations.totalLength();
        if (covariates.length != (long) n * p) {
            throw new EmkitException(p + " covariates for " + n + " steps need " + ((long) n * p) + " values, got "
                    + covariates.length);
        }
        for (int i = 0; i < covariates.length; i++) {
            if (!Double.isFinite(covariates[i])) {
                int q = observations.sequenceOf(i / Math.max(p, 1));
                throw new EmkitException("sequence " + (q + 1) + ", step " + (i / p - observations.start(q) + 1)
                        + ", covariate '" + covariateNames.get(i % p) + "': " + covariates[i]
                        + ", expected a finite number");
            }
        }
        return new CovariateSequences(observations, covariates.clone(), p, covariateNames);
    }

    /** @return the observed sequences */
    public Sequences observations() {
        return observations;
    }

    /** @return the number of covariates P */
    public int covariateCount() {
        return p;
    }

    /** @return the covariates' names */
    public List<String> covariateNames() {
        return covariateNames;
    }

    /** @return the covariates, row-major, P per global row (the array itself: do not change it) */
    double[] rawCovariates() {
        return covariates;
    }

    /**
     * @param row a global row
     * @return its P covariates (a copy)
     */
    public double[] covariates(int row) {
        return Arrays.copyOfRange(covariates, row * p, (row + 1) * p);
    }

    /**
     * The sequences in {@link Sequences#canonicalOrder()} of the observations and covariates side by side (by
     * length, then by content), so a fit does not depend on the order the sequences came in.
     *
     * @return the data reordered (or this, if already in that order)
     */
    public CovariateSequences canonicalOrder() {
        int d = observations.dimension();
        int n = observations.totalLength();
        double[] both = new double[n * (d + p)];
        double[] x = observations.rawValues();
        for (int t = 0; t < n; t++) {
            System.arraycopy(x, t * d, both, t * (d + p), d);
            System.arraycopy(covariates, t * p, both, t * (d + p) + d, p);
        }
        int[] lengths = new int[observations.count()];
        for (int q = 0; q < lengths.length; q++) {
            lengths[q] = observations.length(q);
        }
        List<String> names = new ArrayList<>(observations.featureNames());
        for (int j = 0; j < p; j++) {
            names.add("covariate " + (j + 1));
        }
        Sequences joined = Sequences.of(Dataset.wrap(both, n, d + p, names), lengths);
        Sequences sorted = joined.canonicalOrder();
        if (sorted == joined) {
            return this;
        }
        double[] s = sorted.rawValues();
        double[] obs = new double[n * d];
        double[] cov = new double[n * p];
        for (int t = 0; t < n; t++) {
            System.arraycopy(s, t * (d + p), obs, t * d, d);
            System.arraycopy(s, t * (d + p) + d, cov, t * p, p);
        }
        int[] sortedLengths = new int[lengths.length];
        for (int q = 0; q < lengths.length; q++) {
            sortedLengths[q] = sorted.length(q);
        }
        Sequences o = Sequences.of(Dataset.wrap(obs, n, d, observations.featureNames()), sortedLengths);
        return new CovariateSequences(o, cov, p, covariateNames);
    }
}
