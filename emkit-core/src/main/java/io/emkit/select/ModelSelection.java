package io.emkit.select;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.factor.FactorAnalyserMixture;
import io.emkit.factor.FactorAnalyserMixtureModel;
import io.emkit.factor.StudentFactorAnalyserMixture;
import io.emkit.factor.StudentFactorAnalyserMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.init.HierarchicalClustering;
import io.emkit.init.Initialization;
import io.emkit.mixture.MixtureModel;
import io.emkit.student.DegreesOfFreedom;
import io.emkit.noise.NoiseFactorAnalyserMixture;
import io.emkit.noise.NoiseFactorAnalyserMixtureModel;
import io.emkit.noise.NoiseMixture;
import io.emkit.noise.NoiseMixtureModel;
import io.emkit.noise.NoiseRegion;
import io.emkit.noise.NoiseStudentMixture;
import io.emkit.noise.NoiseStudentMixtureModel;
import io.emkit.student.StudentMixture;
import io.emkit.student.StudentMixtureModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Chooses a Gaussian mixture's number of components and covariance structure: fits every (K, structure)
 * pair and ranks the fits by a {@link Criterion} (BIC by default; lower is better).
 *
 * <pre>{@code
 * SelectionResult r = ModelSelection.of(List.of(1, 2, 3, 4), CovarianceType.all()).run(data);
 * Candidate best = r.best().orElseThrow();
 * }</pre>
 *
 * <p><b>Shared initialisation.</b> As mclust shares one hierarchical-clustering partition among all
 * structures with the same K, every structure with the same K here starts from the same partition: the
 * fit's initialisation (by default k-means++ and Lloyd's iterations) depends only on the data, K and the
 * seed, and each structure's first M-step is taken from that partition. With
 * {@link Initialization#HIERARCHICAL} (mclust's default) the merge tree is computed once and cut at every K.
 *
 * <p><b>Determinism.</b> The fits run in parallel on {@code threads} workers (each fit on one thread);
 * since each fit's result is independent of threads and order, the result is the same for any number of
 * workers. A fit that fails (too few distinct rows for K, a covariance that cannot be made positive
 * definite) is kept as a failed {@link Candidate} with the reason, and never chosen; so is a degenerate
 * fit, one with a component collapsed onto a few (tied) values, whose variance along some direction is
 * held up by {@code regCovar} alone (its smallest covariance eigenvalue at most {@code 10·regCovar}): there
 * the likelihood is unbounded, and a criterion built on it would pick the spike; or one with a component narrower in
 * some column than rounding to the column's recording step ({@link Dataset#recordingSteps}).
 *
 * <p><b>Neighbours.</b> After every cell's own search, a Gaussian or t cell that ended below a structure nested in it
 * at the same K, or below its own structure with one component fewer, is run once more from that fit, so that no
 * larger model fits worse in the table.
 */
public final class ModelSelection {
    private final List<Integer> components;
    private final List<CovarianceType> structures;
    private final Criterion criterion;
    private final GaussianMixture template;
    private final Listener listener;
    /** How a t mixture's degrees of freedom are fitted, or {@code null} to select Gaussian mixtures. */
    private final DegreesOfFreedom studentT;
    /** Whether every candidate has a uniform noise component. */
    private final boolean noise;
    /** The numbers of factors Q of the mixtures of factor analysers also fitted for every K (none by default). */
    private final List<Integer> factors;

    /**
     * Hears about each fit of a selection as it starts and as it ends (to show progress). The calls come from
     * the threads running the fits, one at a time; they do not change the result.
     */
    public interface Listener {
        /** Hears nothing. */
        Listener NONE = new Listener() {
        };

        /**
         * A fit starts.
         *
         * @param started    how many fits have started, this one included
         * @param total      how many fits the selection runs
         * @param components its K
         * @param structure  its covariance structure
         */
        default void onFitStarted(int started, int total, int components, CovarianceType structure) {
        }

        /**
         * A fit starts, a mixture of factor analysers among them; by default the call without the factors.
         *
         * @param started    how many fits have started, this one included
         * @param total      how many fits the selection runs
         * @param components its K
         * @param structure  its covariance structure (full for a mixture of factor analysers)
         * @param factors    Q for a mixture of factor analysers, 0 for any other model
         */
        default void onFitStarted(int started, int total, int components, CovarianceType structure, int factors) {
            onFitStarted(started, total, components, structure);
        }

        /**
         * A fit ended, well or not.
         *
         * @param finished  how many fits have ended, this one included
         * @param total     how many fits the selection runs
         * @param candidate its result
         */
        default void onFitFinished(int finished, int total, Candidate candidate) {
        }
    }

    private ModelSelection(List<Integer> components, List<CovarianceType> structures, Criterion criterion,
                           GaussianMixture template, Listener listener, DegreesOfFreedom studentT, boolean noise,
                           List<Integer> factors) {
        this.components = components;
        this.structures = structures;
        this.criterion = criterion;
        this.template = template;
        this.listener = listener;
        this.studentT = studentT;
        this.noise = noise;
        this.factors = factors;
    }

    /**
     * A selection over these numbers of components and structures, by BIC, with every fit setting at its
     * default ({@link GaussianMixture#withComponents}).
     *
     * @param components the values of K to try (each at least 1), in the order to report them
     * @param structures the structures to try, in the order to report them; may be empty if
     *                   {@link #factorAnalysers} names numbers of factors
     * @return the selection
     * @throws EmkitException if {@code components} is empty or a K is below 1
     */
    public static ModelSelection of(List<Integer> components, List<CovarianceType> structures) {
        if (components.isEmpty()) {
            throw new EmkitException("model selection needs at least one number of components");
        }
        for (int k : components) {
            if (k < 1) {
                throw new EmkitException("the number of components must be at least 1, got " + k);
            }
        }
        return new ModelSelection(List.copyOf(components), List.copyOf(structures), Criterion.BIC,
                GaussianMixture.withComponents(1), Listener.NONE, null, false, List.of());
    }

    /**
     * @param criterion the criterion that picks the best model
     * @return a changed copy
     */
    public ModelSelection criterion(Criterion criterion) {
        return new ModelSelection(components, structures, Objects.requireNonNull(criterion, "criterion"), template,
                listener, studentT, noise, factors);
    }

    /**
     * @param listener hears each fit start and end (progress); {@link Listener#NONE} by default
     * @return a changed copy
     */
    public ModelSelection listener(Listener listener) {
        return new ModelSelection(components, structures, criterion, template, Objects.requireNonNull(listener, "listener"),
                studentT, noise, factors);
    }

    /**
     * The fit settings shared by every combination: initialisation, {@code regCovar}, the prior (MAP-EM:
     * the criteria then use the log-likelihood at the posterior mode, as mclust's) and the EM options
     * (seed, initialisations, tolerance, iterations). Its K, structure and starting model are ignored;
     * its thread count is the number of fits run at once.
     *
     * @param template the settings
     * @return a changed copy
     */
    public ModelSelection fitting(GaussianMixture template) {
        return new ModelSelection(components, structures, criterion, Objects.requireNonNull(template, "template"),
                listener, studentT, noise, factors);
    }

    /**
     * Selects mixtures of multivariate t distributions ({@link StudentMixture}) instead of Gaussian ones: every
     * combination is a t fit (from its Gaussian fit), and the criteria count the fitted degrees of freedom
     * among the parameters (K when free, 1 when equal, none when fixed). With {@link #noise} every combination is a
     * t mixture with a noise component ({@link NoiseStudentMixture}); with {@link #factorAnalysers} the factor
     * analysers are t ones ({@link StudentFactorAnalyserMixture}). Rows may have missing values.
     *
     * @param degreesOfFreedom how the degrees of freedom are fitted, or {@code null} for Gaussian mixtures
     * @return a changed copy
     */
    public ModelSelection studentT(DegreesOfFreedom degreesOfFreedom) {
        return new ModelSelection(components, structures, criterion, template, listener, degreesOfFreedom, noise, factors);
    }

    /**
     * Selects Gaussian mixtures with a uniform noise component ({@link NoiseMixture}): every combination is fitted
     * with the noise, started from one nearest-neighbour guess of the noise rows shared by all, and the criteria
     * count the noise's weight and density among the parameters (two), as mclust's do. With {@link #studentT} the
     * components are t ones ({@link NoiseStudentMixture}, no prior); with {@link #factorAnalysers} the factor
     * analysers have the noise too ({@link NoiseFactorAnalyserMixture}). Rows may have missing values.
     *
     * @param withNoise whether every candidate has a noise component
     * @return a changed copy
     */
    public ModelSelection noise(boolean withNoise) {
        return new ModelSelection(components, structures, criterion, template, listener, studentT, withNoise, factors);
    }

    /**
     * Also fits, for every K, a mixture of factor analysers ({@link FactorAnalyserMixture}) with each of these
     * numbers of factors Q, from the starts the full-covariance Gaussian fit would take. Their candidates come after
     * the structures' for the same K, in the order given; the criteria count
     * {@link FactorAnalyserMixtureModel#parameterCount(int, int, int)} parameters, plus the degrees of freedom's with
     * {@link #studentT} (t factor analysers) and the noise's two with {@link #noise}. A Q not below the data's number
     * of columns fails (as a failed candidate, with the reason). Not with a prior, nor with t and noise together.
     *
     * @param numbersOfFactors the values of Q, each at least 1; empty for none (the default)
     * @return a changed copy
     * @throws EmkitException if a Q is below 1
     */
    public ModelSelection factorAnalysers(List<Integer> numbersOfFactors) {
        for (int q : numbersOfFactors) {
            if (q < 1) {
                throw new EmkitException("a mixture of factor analysers needs at least 1 factor, got " + q);
            }
        }
        return new ModelSelection(components, structures, criterion, template, listener, studentT, noise,
                List.copyOf(numbersOfFactors));
    }

    /**
     * Fits every combination to {@code data}.
     *
     * @param data rows, weighted or not; missing values ({@code NaN}) are allowed, as in
     *             {@link GaussianMixture#fit(io.emkit.data.Rows)}; with weights, a row of weight {@code w}
     *             counts as {@code w} copies in every fit, in the log-likelihood, in ICL's entropy, and in
     *             BIC's n (the total weight)
     * @return every candidate, K ascending then the structures in order (then the numbers of factors), and the best
     * @throws EmkitException if there is no structure and no number of factors, or the models asked for are not
     *                        fitted ({@link #refusal})
     */
    public SelectionResult run(Dataset data) {
        if (structures.isEmpty() && factors.isEmpty()) {
            throw new EmkitException("model selection needs at least one structure or number of factors");
        }
        String refused = refusal();
        if (refused != null) {
            throw new EmkitException(refused);
        }
        // The tree every cell's search would make for itself (the rows as each search sees them: not where a value is
        // missing, which a search fills in first), made once.
        boolean everyCellsTree = template.initialization() == Initialization.HIERARCHICAL
                || GaussianMixture.searchIncludesHierarchy(data.rows(), data.columns())
                && data.countMissing().cells() == 0;
        HierarchicalClustering tree = template.hierarchy() != null ? template.hierarchy()
                : everyCellsTree ? HierarchicalClustering.of(data) : null;
        boolean[] noiseGuess = noise ? NoiseMixture.like(template.initialModel(null)).startingNoise(data) : null;
        int perK = structures.size() + factors.size();
        int threads = Math.max(1, Math.min(template.options().threads(), components.size() * perK));
        List<Candidate> out = new ArrayList<>();
        ExecutorService pool = Workers.pool(threads, "emkit-select");
        int total = components.size() * perK;
        int[] counts = new int[2];      // started, finished; guarded by counts
        try {
            List<Future<Candidate>> futures = new ArrayList<>();
            for (int k : components) {
                for (CovarianceType t : structures) {
                    futures.add(pool.submit(() -> {
                        synchronized (counts) {
                            listener.onFitStarted(++counts[0], total, k, t, 0);
                        }
                        Candidate c = fitOne(data, k, t, tree, noiseGuess, null);
                        synchronized (counts) {
                            listener.onFitFinished(++counts[1], total, c);
                        }
                        return c;
                    }));
                }
                for (int q : factors) {
                    futures.add(pool.submit(() -> {
                        synchronized (counts) {
                            listener.onFitStarted(++counts[0], total, k, CovarianceType.FULL, q);
                        }
                        Candidate c = fitFactors(data, k, q, tree, noiseGuess);
                        synchronized (counts) {
                            listener.onFitFinished(++counts[1], total, c);
                        }
                        return c;
                    }));
                }
            }
            for (Future<Candidate> f : futures) {
                out.add(f.get());
            }
            if (!noise && template.prior() == null) {
                out = fromNeighbours(out, pool, (cell, start) -> fitOne(data, cell.components(), cell.covariance(),
                        null, null, start));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmkitException("model selection interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
        return new SelectionResult(List.copyOf(out), criterion, data.rows(), data.totalWeight());
    }

    /** Rounds of {@link #fromNeighbours}: each lets a fit raised in the one before raise the cells around it. */
    private static final int NEIGHBOUR_ROUNDS = 3;
    /** How far (nats) a neighbour must be ahead of a cell for EM to be run from it: more than convergence blurs. */
    private static final double NEIGHBOUR_LEAD = 1e-3;

    /**
     * Starts from neighbouring cells, after every cell's own search (Gaussian and t mixtures without a prior or a
     * noise component). A structure's optimum is at least that of every structure nested in it at the same K
     * ({@link #nestedIn}: VVI's fits are VVE's with the axes for orientation, EEI's are EEE's), and (K, S)'s at least
     * (K − 1, S)'s, whose fit
     * with its heaviest component split in two along its principal axis is a start of K components. A table whose
     * EEE, K = 8 ends 4.5 nats below EEI, K = 8 (Old Faithful, each cell's own search) says the search missed, and a
     * reader sees it. So where a cell ended more than {@link #NEIGHBOUR_LEAD} below its best such neighbour, or
     * failed where the neighbour stands, EM is run once from the neighbour's fit, and its answer replaces the cell's
     * where it is proper and higher. Each round decides every cell's start from the table the round before left
     * (in the table's order, the runs on the pool), so the result does not depend on the threads. A neighbour's fit
     * is a cell's start once: where the run from it ended spurious or lower (iris's VVV, K = 7 from EVV's flattens a
     * component), the next round tries the next best neighbour ahead.
     */
    private List<Candidate> fromNeighbours(List<Candidate> table, ExecutorService pool,
                                           java.util.function.BiFunction<Candidate, MixtureModel, Candidate> fitFrom)
            throws InterruptedException, ExecutionException {
        List<Candidate> current = new ArrayList<>(table);
        // Per cell (by its place in the table), the neighbours' fits it was run from.
        List<java.util.Set<MixtureModel>> tried = new ArrayList<>();
        for (int i = 0; i < current.size(); i++) {
            tried.add(java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        }
        for (int round = 0; round < NEIGHBOUR_ROUNDS; round++) {
            List<Integer> cells = new ArrayList<>();
            List<Future<Candidate>> runs = new ArrayList<>();
            for (int i = 0; i < current.size(); i++) {
                Candidate cell = current.get(i);
                Candidate neighbour = cell.isFactorAnalysers() ? null : bestNeighbour(cell, current, tried.get(i));
                if (neighbour != null) {
                    tried.get(i).add(neighbour.model());
                    MixtureModel start = neighbourStart(cell, neighbour);
                    cells.add(i);
                    runs.add(pool.submit(() -> fitFrom.apply(cell, start)));
                }
            }
            if (runs.isEmpty()) {
                break;
            }
            for (int r = 0; r < runs.size(); r++) {
                int i = cells.get(r);
                Candidate before = current.get(i);
                Candidate after = runs.get(r).get();
                if (after.succeeded() && (!before.succeeded() || after.logLikelihood() > before.logLikelihood())) {
                    current.set(i, after);
                }
            }
        }
        return current;
    }

    /**
     * The best neighbour of {@code cell} ahead of it by more than {@link #NEIGHBOUR_LEAD} (or standing where the cell
     * failed) whose fit it was not yet run from; null for none.
     */
    private static Candidate bestNeighbour(Candidate cell, List<Candidate> table, java.util.Set<MixtureModel> tried) {
        Candidate best = null;
        for (Candidate other : table) {
            if (!other.succeeded() || other.isFactorAnalysers() || other == cell || tried.contains(other.model())) {
                continue;
            }
            boolean nested = other.components() == cell.components() && nestedIn(other.covariance(), cell.covariance());
            boolean smaller = other.components() == cell.components() - 1 && other.covariance() == cell.covariance();
            boolean ahead = !cell.succeeded() || other.logLikelihood() > cell.logLikelihood() + NEIGHBOUR_LEAD;
            if ((nested || smaller) && ahead && (best == null || other.logLikelihood() > best.logLikelihood())) {
                best = other;
            }
        }
        return best;
    }

    /**
     * The start {@link #fromNeighbours} runs {@code cell} from: the neighbour's fit in the cell's structure (a t
     * mixture's scales so, its degrees of freedom kept, a split component's given to both halves).
     */
    private static MixtureModel neighbourStart(Candidate cell, Candidate best) {
        GaussianMixtureModel fitted = best.model() instanceof StudentMixtureModel t ? t.scales()
                : (GaussianMixtureModel) best.model();
        int split = heaviest(fitted.weights());
        GaussianMixtureModel start = best.components() == cell.components() ? GaussianMixtureModel.of(cell.covariance(),
                fitted.weights(), fitted.means(), fitted.covariances()) : withSplit(fitted, split, cell.covariance());
        if (best.model() instanceof StudentMixtureModel t) {
            double[] nu = t.degreesOfFreedom();
            if (best.components() < cell.components()) {
                nu = java.util.Arrays.copyOf(nu, nu.length + 1);
                nu[nu.length - 1] = nu[split];
            }
            return new StudentMixtureModel(start, nu, t.constraint());
        }
        return start;
    }

    /** The index of the largest weight (the first of equal ones). */
    private static int heaviest(double[] w) {
        int c = 0;
        for (int j = 1; j < w.length; j++) {
            c = w[j] > w[c] ? j : c;
        }
        return c;
    }

    /**
     * Whether every mixture of structure {@code inner} is one of {@code outer}: mclust's letters compared one by one,
     * volume E within V, shape and orientation I within E within V (a spherical component has every orientation).
     */
    private static boolean nestedIn(CovarianceType inner, CovarianceType outer) {
        String a = inner.mclustName();
        String b = outer.mclustName();
        if (a.equals(b)) {
            return false;
        }
        for (int j = 0; j < 3; j++) {
            if ("IEV".indexOf(a.charAt(j)) > "IEV".indexOf(b.charAt(j))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code m} with component {@code c} split in two: half the weight each, the means half a standard deviation
     * either side along its principal axis, the covariance kept (so every structure's constraints still hold); the new
     * half last.
     */
    private static GaussianMixtureModel withSplit(GaussianMixtureModel m, int c, CovarianceType type) {
        int k = m.components();
        double[] w = m.weights();
        double[][] mu = m.means();
        double[][][] cov = m.covariances();
        double[] axis = io.emkit.mixture.PrincipalAxis.of(cov[c]);
        double spread = 0;
        for (int i = 0; i < axis.length; i++) {
            for (int j = 0; j < axis.length; j++) {
                spread += axis[i] * cov[c][i][j] * axis[j];
            }
        }
        double step = 0.5 * Math.sqrt(Math.max(spread, 0));
        double[] weights = java.util.Arrays.copyOf(w, k + 1);
        double[][] means = java.util.Arrays.copyOf(mu, k + 1);
        double[][][] covariances = java.util.Arrays.copyOf(cov, k + 1);
        weights[c] = weights[k] = w[c] / 2;
        means[k] = mu[c].clone();
        means[c] = mu[c].clone();
        for (int j = 0; j < axis.length; j++) {
            means[c][j] -= step * axis[j];
            means[k][j] += step * axis[j];
        }
        covariances[k] = cov[c];
        return GaussianMixtureModel.of(type, weights, means, covariances);
    }

    /** One cell of this selection's kind of model, judged; from {@code start} (one EM run) if not null. */
    private Candidate fitOne(Dataset data, int k, CovarianceType type, HierarchicalClustering tree, boolean[] noiseGuess,
                             MixtureModel start) {
        int p = parameterCount(k, data.columns(), type, 0);
        try {
            EmResult<? extends MixtureModel> fit = fit(data, k, type, 0, tree, noiseGuess, start);
            return checked(k, type, p, fit, data.recordingSteps(), () -> scored(data, k, type, p, fit, 0));
        } catch (EmkitException | IllegalStateException e) {
            return failed(k, type, p, e.getMessage());
        }
    }

    /**
     * Why this selection's models cannot be fitted, or {@code null} if they can: a prior does not go with factor
     * analysers (its conjugate prior is on a full covariance) nor with t mixtures beside a noise component (fitted by
     * maximum likelihood only), and t factor analysers beside a noise component are not fitted at all.
     *
     * @return the reason, one line, or {@code null}
     */
    public String refusal() {
        boolean withFactors = !factors.isEmpty();
        if (withFactors && studentT != null && noise) {
            return "t factor analysers with a noise component are not fitted (emkit fit does not fit them either):"
                    + " select with two of t, noise and mfa:Q";
        }
        if (withFactors && template.prior() != null) {
            return "mixtures of factor analysers cannot be selected with a prior: its conjugate prior is on a full"
                    + " covariance and would not keep the factor structure";
        }
        if (studentT != null && noise && template.prior() != null) {
            return "t mixtures with a noise component are fitted by maximum likelihood; a prior is not supported yet";
        }
        return null;
    }

    /**
     * The free parameters of one model of this selection: the Gaussian structure's or the factor analysers' count,
     * plus the degrees of freedom's (t) and the noise's weight and density (two, as mclust counts them).
     *
     * @param k         components
     * @param dimension the columns fitted
     * @param type      the covariance structure (ignored for factor analysers)
     * @param factors   Q for a mixture of factor analysers, 0 for a Gaussian structure
     * @return p
     */
    public int parameterCount(int k, int dimension, CovarianceType type, int factors) {
        int shape = factors > 0 ? FactorAnalyserMixtureModel.parameterCount(k, dimension, factors)
                : type.mixtureParameters(k, dimension);
        return shape + (studentT == null ? 0 : studentT.parameterCount(k)) + (noise ? 2 : 0);
    }

    /**
     * One fit of this selection's kind of model: Gaussian, t, with noise, factor analysers (Gaussian, t or with
     * noise), on one thread.
     *
     * @param start a K-component model of the same kind to run EM from once, or {@code null} for the usual starts
     */
    private EmResult<? extends MixtureModel> fit(Dataset data, int k, CovarianceType type, int q,
                                                 HierarchicalClustering tree, boolean[] noiseGuess, MixtureModel start) {
        GaussianMixture config = GaussianMixture.withComponents(k).covarianceType(q > 0 ? CovarianceType.FULL : type)
                .initialization(template.initialization()).regCovar(template.regCovar())
                .prior(q > 0 ? null : template.prior()).hierarchy(tree).options(template.options().withThreads(1));
        if (q > 0) {
            if (noise) {
                return NoiseFactorAnalyserMixture.like(config, q).initialNoise(noiseGuess)
                        .initialModel((NoiseFactorAnalyserMixtureModel) start).fit(data);
            }
            if (studentT != null) {
                return StudentFactorAnalyserMixture.like(config, q).degreesOfFreedom(studentT)
                        .initialModel((StudentFactorAnalyserMixtureModel) start).fit(data);
            }
            return FactorAnalyserMixture.like(config, q).initialModel((FactorAnalyserMixtureModel) start).fit(data);
        }
        if (noise && studentT != null) {
            return NoiseStudentMixture.like(config).degreesOfFreedom(studentT).initialNoise(noiseGuess)
                    .initialModel((NoiseStudentMixtureModel) start).fit(data);
        }
        if (noise) {
            return NoiseMixture.like(config).initialNoise(noiseGuess).initialModel((NoiseMixtureModel) start).fit(data);
        }
        if (studentT != null) {
            return StudentMixture.like(config).degreesOfFreedom(studentT).initialModel((StudentMixtureModel) start)
                    .fit(data);
        }
        return config.initialModel((GaussianMixtureModel) start).fit(data);
    }

    /**
     * The parametric bootstrap likelihood-ratio test of K against K + 1 components among this selection's models of
     * one structure (Gaussian, t, with noise, factor analysers), each fit as the selection makes it. A noise
     * component's region is each sample's own (its bounding box), for both fits to the sample alike, so the smaller
     * fit starts from the generating model with the sample's region.
     *
     * @param type    the covariance structure (full for factor analysers)
     * @param factors Q for mixtures of factor analysers, 0 for a Gaussian structure
     * @return the test, with this selection's seed and number of fits at once; replicates, level and the largest K
     *         to be set
     * @throws EmkitException if the models cannot be fitted ({@link #refusal})
     */
    public LikelihoodRatioTest likelihoodRatioTest(CovarianceType type, int factors) {
        String refused = refusal();
        if (refused != null) {
            throw new EmkitException(refused);
        }
        String name = factors > 0 ? "mfa:" + factors : type.mclustName();
        return LikelihoodRatioTest.of(name, (data, k, start) -> fit(data, k, type, factors, null, null,
                start == null ? null : inRegion(start, data))).fitting(template);
    }

    /** A noise model with the region of {@code data} in place of its own; any other model as it is. */
    private static MixtureModel inRegion(MixtureModel m, Dataset data) {
        if (m instanceof NoiseMixtureModel n) {
            return new NoiseMixtureModel(n.gaussian(), n.noiseWeight(), NoiseRegion.of(data));
        }
        if (m instanceof NoiseStudentMixtureModel n) {
            return new NoiseStudentMixtureModel(n.student(), n.noiseWeight(), NoiseRegion.of(data));
        }
        if (m instanceof NoiseFactorAnalyserMixtureModel n) {
            return new NoiseFactorAnalyserMixtureModel(n.factorAnalysers(), n.noiseWeight(), NoiseRegion.of(data));
        }
        return m;
    }

    /** A fit that stands scored by {@code scored}; one whose log-likelihood is not finite or that collapsed, failed. */
    private Candidate checked(int k, CovarianceType type, int p, EmResult<? extends MixtureModel> fit,
                              double[] recordingSteps, java.util.function.Supplier<Candidate> scored) {
        double ll = fit.logLikelihood();
        if (!Double.isFinite(ll)) {
            return failed(k, type, p, "the log-likelihood is not finite (" + ll + ")");
        }
        String degenerate = spuriousReason(fit.params(), recordingSteps);
        if (degenerate != null) {
            return failed(k, type, p, degenerate);
        }
        return scored.get();
    }

    /**
     * Fits every (K, structure) of Gaussian mixtures by {@code fitter}, for fits run elsewhere (on Spark, by each
     * configuration's {@code distributed()} plan), and judges them as {@link #run} does; ICL is not computed (it
     * needs every row's responsibilities), so it is NaN.
     *
     * @param rows      the rows fitted
     * @param n         their total weight, BIC's n
     * @param dimension the columns fitted
     * @param fitter    per configuration (the template's, with K and the structure set) its fit; an
     *                  {@link EmkitException} marks the candidate failed
     * @return every candidate, K ascending then the structures in order, and the best
     * @throws EmkitException if t mixtures, a noise component or factor analysers are asked for
     */
    public SelectionResult run(int rows, double n, int dimension,
                               java.util.function.Function<GaussianMixture, EmResult<GaussianMixtureModel>> fitter) {
        if (structures.isEmpty() || !factors.isEmpty() || studentT != null || noise) {
            throw new EmkitException("model selection by another engine takes Gaussian structures only");
        }
        List<Candidate> out = new ArrayList<>();
        for (int k : components) {
            for (CovarianceType type : structures) {
                out.add(fitElsewhere(k, type, dimension, n, fitter, null));
            }
        }
        if (template.prior() == null) {
            // The neighbours' starts as in this JVM, one fit at a time (the engine's fits are its own to share out).
            ExecutorService pool = Workers.pool(1, "emkit-select");
            try {
                out = fromNeighbours(out, pool, (cell, start) -> fitElsewhere(cell.components(), cell.covariance(),
                        dimension, n, fitter, (GaussianMixtureModel) start));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmkitException("model selection interrupted");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
            } finally {
                pool.shutdownNow();
            }
        }
        return new SelectionResult(List.copyOf(out), criterion, rows, n);
    }

    /** One cell of {@link #run(int, double, int, java.util.function.Function)}, from {@code start} if not null. */
    private Candidate fitElsewhere(int k, CovarianceType type, int dimension, double n,
                                   java.util.function.Function<GaussianMixture, EmResult<GaussianMixtureModel>> fitter,
                                   GaussianMixtureModel start) {
        int p = type.mixtureParameters(k, dimension);
        GaussianMixture config = GaussianMixture.withComponents(k).covarianceType(type)
                .initialization(template.initialization()).regCovar(template.regCovar()).prior(template.prior())
                .options(template.options().withThreads(1)).initialModel(start);
        try {
            EmResult<GaussianMixtureModel> fit = fitter.apply(config);
            return checked(k, type, p, fit, null, () -> {
                double ll = fit.logLikelihood();
                return new Candidate(k, type, ll, fit.objective(), p, -2 * ll + p * Math.log(n), Double.NaN,
                        -2 * ll + 2.0 * p, null, fit.params(), List.copyOf(fit.warnings()));
            });
        } catch (EmkitException | IllegalStateException e) {
            return failed(k, type, p, e.getMessage());
        }
    }

    /**
     * One mixture of factor analysers (Gaussian, t or with noise); failed, as a Gaussian fit is, where a component's
     * covariance {@code ΛΛᵀ + Ψ} has collapsed (its smallest eigenvalue at most {@code 10·regCovar}).
     */
    private Candidate fitFactors(Dataset data, int k, int q, HierarchicalClustering tree, boolean[] noiseGuess) {
        int p = parameterCount(k, data.columns(), CovarianceType.FULL, q);
        try {
            EmResult<? extends MixtureModel> fit = fit(data, k, CovarianceType.FULL, q, tree, noiseGuess, null);
            double ll = fit.logLikelihood();
            if (!Double.isFinite(ll)) {
                return failedFactors(k, q, p, "the log-likelihood is not finite (" + ll + ")");
            }
            String degenerate = spuriousReason(fit.params(), data.recordingSteps());
            if (degenerate != null) {
                return failedFactors(k, q, p, degenerate);
            }
            return scored(data, k, CovarianceType.FULL, p, fit, q);
        } catch (EmkitException | IllegalStateException e) {
            return failedFactors(k, q, p, e.getMessage());
        }
    }

    /**
     * Why a fit is degenerate ({@link GaussianMixtureModel#spuriousReason(double, double[])}, on its Gaussian shapes),
     * or null; {@code recordingSteps} the data's ({@code null} where the rows are another engine's).
     */
    private String spuriousReason(MixtureModel m, double[] recordingSteps) {
        MixtureModel inner = m instanceof NoiseMixtureModel n ? n.gaussian()
                : m instanceof NoiseStudentMixtureModel n ? n.student()
                : m instanceof NoiseFactorAnalyserMixtureModel n ? n.factorAnalysers() : m;
        if (inner instanceof StudentMixtureModel t) {
            inner = t.scales();
        }
        if (inner instanceof StudentFactorAnalyserMixtureModel t) {
            inner = t.scales();
        }
        GaussianMixtureModel gaussian;
        if (inner instanceof FactorAnalyserMixtureModel f) {
            double[][][] covariances = new double[f.components()][][];
            for (int c = 0; c < covariances.length; c++) {
                covariances[c] = f.covariance(c);
            }
            gaussian = GaussianMixtureModel.full(f.weights(), f.means(), covariances);
        } else {
            gaussian = (GaussianMixtureModel) inner;
        }
        return gaussian.spuriousReason(template.regCovar(), recordingSteps);
    }

    /**
     * A fit that stands, with its criteria: BIC and AIC from the log-likelihood and the parameter count, ICL the
     * BIC plus twice the classification entropy of the rows.
     */
    private static Candidate scored(Dataset data, int k, CovarianceType type, int p, EmResult<? extends MixtureModel> fit,
                                    int factors) {
        double ll = fit.logLikelihood();
        double bic = -2 * ll + p * Math.log(data.totalWeight());
        double aic = -2 * ll + 2.0 * p;
        double icl = bic + 2 * entropy(fit.params().predictProba(data), data.rawWeights());
        return new Candidate(k, type, ll, fit.objective(), p, bic, icl, aic, null, fit.params(),
                List.copyOf(fit.warnings()), factors);
    }

    private static Candidate failedFactors(int k, int q, int p, String why) {
        return new Candidate(k, CovarianceType.FULL, Double.NaN, Double.NaN, p, Double.NaN, Double.NaN, Double.NaN, why,
                null, List.of(), q);
    }

    private static Candidate failed(int k, CovarianceType type, int p, String why) {
        return new Candidate(k, type, Double.NaN, Double.NaN, p, Double.NaN, Double.NaN, Double.NaN, why, null, List.of());
    }

    /** {@code −Σᵢ wᵢ Σₖ zᵢₖ ln zᵢₖ}, with {@code 0 ln 0 = 0}; every {@code wᵢ} is 1 when {@code w} is null. */
    static double entropy(double[][] z, double[] w) {
        double e = 0;
        for (int i = 0; i < z.length; i++) {
            double wi = w == null ? 1.0 : w[i];
            for (double v : z[i]) {
                if (v > 0) {
                    e -= wi * v * Math.log(v);
                }
            }
        }
        return e;
    }
}
