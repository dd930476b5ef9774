package io.emkit.families;

import io.emkit.em.DistributedFit;
import io.emkit.init.KMeansSeeding;
import io.emkit.mixture.DataChecks;
import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.ExpectationMaximization;
import io.emkit.em.SearchSpace;
import io.emkit.em.IterationListener;
import io.emkit.mixture.RecordingSteps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Fits mixtures whose components model the columns independently, each column with its own
 * {@link ColumnFamily} (a {@link ProductMixtureModel}): latent class analysis of categorical data, mixtures
 * of Poisson counts, of Bernoulli vectors, of exponential durations, and mixed data. Immutable configuration,
 * {@code with}-style, like {@link io.emkit.gaussian.GaussianMixture}.
 *
 * <pre>{@code
 * EmResult<ProductMixtureModel> fit = ProductMixture.withComponents(3)
 *         .families(List.of(ColumnFamily.CATEGORICAL, ColumnFamily.CATEGORICAL, ColumnFamily.GAUSSIAN))
 *         .initializations(5)
 *         .seed(42)
 *         .fit(data);
 * }</pre>
 *
 * <p><b>Initialisation.</b> Each start picks K seed rows by k-means++-style sampling (each next seed drawn
 * with probability proportional to its squared distance from the nearest seed so far), where numeric columns
 * count in units of their standard deviation and a categorical column adds 1 when the categories differ. Each
 * row then gets responsibility 0.8 on its nearest seed's component plus 0.2 spread at random over all
 * components, and one M-step turns these into parameters: no probability starts at exactly 0.
 *
 * <p>Defaults: every column {@link ColumnFamily#GAUSSIAN}, variance regularisation 1e-6 (added to Gaussian
 * columns' variances) and the {@link EmOptions#defaults() EM defaults}. The fit uses every core; its result
 * does not depend on how many.
 */
public final class ProductMixture {
    /** The default regularisation added to Gaussian columns' variances. */
    public static final double DEFAULT_REG_VAR = 1e-6;
    private static final double SEED_SHARE = 0.8;

    private final int components;
    private final ColumnFamily family;
    private final List<ColumnFamily> families;
    private final List<List<String>> categoryNames;
    private final double regVar;
    private final ProductMixtureModel initialModel;
    private final EmOptions options;

    private ProductMixture(int components, ColumnFamily family, List<ColumnFamily> families,
                           List<List<String>> categoryNames, double regVar, ProductMixtureModel initialModel,
                           EmOptions options) {
        this.components = components;
        this.family = family;
        this.families = families;
        this.categoryNames = categoryNames;
        this.regVar = regVar;
        this.initialModel = initialModel;
        this.options = options;
    }

    /**
     * @param components K, at least 1
     * @return a configuration with every other setting at its default
     */
    public static ProductMixture withComponents(int components) {
        if (components < 1) {
            throw new EmkitException("the number of components must be at least 1, got " + components);
        }
        return new ProductMixture(components, ColumnFamily.GAUSSIAN, null, null, DEFAULT_REG_VAR, null,
                EmOptions.defaults());
    }

    /**
     * @param family the family of every column
     * @return a changed copy
     */
    public ProductMixture family(ColumnFamily family) {
        return new ProductMixture(components, Objects.requireNonNull(family, "family"), null, categoryNames, regVar,
                initialModel, options);
    }

    /**
     * @param families one family per column of the data, in order
     * @return a changed copy
     */
    public ProductMixture families(List<ColumnFamily> families) {
        return new ProductMixture(components, family, List.copyOf(families), categoryNames, regVar, initialModel,
                options);
    }

    /**
     * Names the categories of categorical columns (code m is the m-th name); a column's number of categories is
     * then the number of its names, else its largest code + 1.
     *
     * @param names one list per column of the data ({@code null} entries for other columns)
     * @return a changed copy
     */
    public ProductMixture categoryNames(List<List<String>> names) {
        return new ProductMixture(components, family, families,
                names == null ? null : Collections.unmodifiableList(new ArrayList<>(names)), regVar, initialModel,
                options);
    }

    /**
     * @param regVar added to Gaussian columns' variances in every M-step (≥ 0)
     * @return a changed copy
     */
    public ProductMixture regVar(double regVar) {
        if (!(regVar >= 0) || Double.isInfinite(regVar)) {
            throw new EmkitException("regVar must be a finite number >= 0, got " + regVar);
        }
        return new ProductMixture(components, family, families, categoryNames, regVar, initialModel, options);
    }

    /**
     * Starts from these parameters instead of the seeded start; only one run is then made.
     *
     * @param model the starting model (same components, column families and numbers of categories as the
     *              fit), or {@code null} for the seeded start
     * @return a changed copy
     */
    public ProductMixture initialModel(ProductMixtureModel model) {
        return new ProductMixture(components, family, families, categoryNames, regVar, model, options);
    }

    /**
     * @param options every EM option at once
     * @return a changed copy
     */
    public ProductMixture options(EmOptions options) {
        return new ProductMixture(components, family, families, categoryNames, regVar, initialModel,
                Objects.requireNonNull(options, "options"));
    }

    /**
     * @param tolerance see {@link EmOptions#withTolerance}
     * @return a changed copy
     */
    public ProductMixture tolerance(double tolerance) {
        return options(options.withTolerance(tolerance));
    }

    /**
     * @param maxIterations see {@link EmOptions#withMaxIterations}
     * @return a changed copy
     */
    public ProductMixture maxIterations(int maxIterations) {
        return options(options.withMaxIterations(maxIterations));
    }

    /**
     * @param initializations see {@link EmOptions#withInitializations}
     * @return a changed copy
     */
    public ProductMixture initializations(int initializations) {
        return options(options.withInitializations(initializations));
    }

    /**
     * @param seed see {@link EmOptions#withSeed}
     * @return a changed copy
     */
    public ProductMixture seed(long seed) {
        return options(options.withSeed(seed));
    }

    /**
     * @param threads see {@link EmOptions#withThreads}
     * @return a changed copy
     */
    public ProductMixture threads(int threads) {
        return options(options.withThreads(threads));
    }

    /**
     * @param listener see {@link EmOptions#withListener}
     * @return a changed copy
     */
    public ProductMixture listener(IterationListener listener) {
        return options(options.withListener(listener));
    }

    /** @return the EM options */
    public EmOptions options() {
        return options;
    }

    /**
     * The family of each of {@code columns} columns under this configuration.
     *
     * @param columns the data's number of columns
     * @return one family per column
     */
    public List<ColumnFamily> familiesFor(int columns) {
        if (families == null) {
            return Collections.nCopies(columns, family);
        }
        if (families.size() != columns) {
            throw new EmkitException(families.size() + " column families given for data with " + columns
                    + " columns");
        }
        return families;
    }

    /**
     * Fits the mixture.
     *
     * @param data rows to fit: every value in its column's family's support or missing ({@code NaN}: left
     *             out of both steps, every value missing is skipped), at least K distinct rows (of positive
     *             weight); with {@linkplain Dataset#withWeights weights}, a row of weight {@code w} counts as
     *             {@code w} copies of it (the seeds are drawn with probability proportional to weight ×
     *             distance), and BIC's n is the total weight
     * @return the best run's model (named after the data's columns) and how the fit went
     * @throws ValueOutOfSupportException for a value its column's family cannot produce (naming row and column)
     * @throws EmkitException if the data cannot be fitted otherwise
     */
    public EmResult<ProductMixtureModel> fit(Dataset data) {
        ProductMixtureSteps steps = new ProductMixtureSteps(regVar);
        var start = starts(steps, data);
        EmOptions runOptions = initialModel != null ? options.withInitializations(1) : options;
        // Starts several at once where one E-step leaves threads idle (a few blocks of rows): the steps keep no
        // state and each start draws its own seeds, so the fit is the same bits whatever the threads.
        boolean concurrent = data.rows() < 2L * options.threads() * options.blockSize();
        return collapsedSaid(ExpectationMaximization.fit(steps, data, space(start, data, data.rows(), concurrent),
                runOptions), data);
    }

    /** @return the number of components */
    public int components() {
        return components;
    }

    /**
     * Semi-supervised EM: each row may come only from the components {@code restriction} allows it (a row of known
     * class from its class's components), and EM maximises the log-likelihood of the rows with what is known of
     * them, {@code Σ_i w_i log Σ_{c allowed for i} π_c f_c(x_i)}, which never decreases. With one component per
     * class, one run, from one M-step with every row's responsibility spread evenly over the components it may come
     * from (the initial model instead, if one is given). Where a known row may come from several components (several
     * per class), those components are interchangeable and an even share would keep them equal: each start then
     * puts every row wholly in one of its allowed components, drawn at random, and the options' search (or
     * initialisations) keeps the best run.
     *
     * @param data        the rows, in memory (numbered as the restriction numbers them)
     * @param restriction which components each row may come from
     * @return the fit; its log-likelihood is the semi-supervised one
     * @throws ValueOutOfSupportException for a value its column's family cannot produce (naming row and column)
     * @throws EmkitException if the data cannot be fitted otherwise
     */
    public EmResult<ProductMixtureModel> fitWithKnownComponents(Dataset data,
                                                                io.emkit.mixture.ComponentRestriction restriction) {
        ProductMixtureSteps steps = new ProductMixtureSteps(regVar, Objects.requireNonNull(restriction, "restriction"));
        ProductMixtureModel template = checkedTemplate(data);
        if (initialModel != null) {
            requireSameShape(initialModel, template);
            ProductMixtureModel given = initialModel.withFeatureNames(data.columnNames());
            return ExpectationMaximization.fit(steps, data, SearchSpace.of("initial model", random -> given,
                    cost(data)), options.withInitializations(1));
        }
        if (!sharedByKnownRows(data.rows(), restriction)) {
            // One component per class: every known row in its own, unknown rows shared evenly — one start, no
            // random choice, as every start would be this one.
            ProductMixtureModel start = knownRowsStart(steps, template, data, restriction, null);
            return ExpectationMaximization.fit(steps, data, SearchSpace.of("labelled rows", random -> start,
                    cost(data)), options.withInitializations(1));
        }
        // Several components per class: a class's components are interchangeable, and an even share would keep them
        // equal for ever. Each start puts every row wholly in one of the components it may be in, drawn at random,
        // and the search (or --n-init) keeps the best.
        return ExpectationMaximization.fit(steps, data, SearchSpace.of("random split of each class",
                random -> knownRowsStart(steps, template, data, restriction, random), cost(data)), options);
    }

    /**
     * {@link #fitWithKnownComponents} with its E-steps run by another engine (Spark): each row carries one more, last,
     * number from which {@code restrictions} makes its partition's restriction (its class), split off by the
     * partitions' kernel and by the loop on the sample the engine passes. The starts look at the sample: when it holds
     * every row, in order, the fit is {@link #fitWithKnownComponents}'s to rounding.
     *
     * @param restrictions the restriction of a partition's rows from their last column
     * @return the partition kernel and the loop around it
     */
    public DistributedFit<ProductMixtureModel, ProductStatistics> distributedWithKnownComponents(
            io.emkit.mixture.ComponentRestriction.FromColumn restrictions) {
        Objects.requireNonNull(restrictions, "restrictions");
        return new DistributedFit<>(new KnownComponentsSteps(regVar, restrictions), (runner, rows, sample) -> {
            Dataset data = withoutLastColumn(sample);
            double[] last = lastColumn(sample);
            io.emkit.mixture.ComponentRestriction restriction = restrictions.of(last);
            ProductMixtureSteps steps = new ProductMixtureSteps(regVar, restriction);
            ProductMixtureModel template = checkedTemplate(data);
            double cost = (double) rows * components * Math.max(data.columns(), 1);
            if (initialModel != null) {
                requireSameShape(initialModel, template);
                ProductMixtureModel given = initialModel.withFeatureNames(data.columnNames());
                return ExpectationMaximization.fit(steps, runner, rows, SearchSpace.of("initial model",
                        random -> given, cost), options.withInitializations(1));
            }
            if (!sharedByKnownRows(data.rows(), restriction)) {
                ProductMixtureModel start = knownRowsStart(steps, template, data, restriction, null);
                return ExpectationMaximization.fit(steps, runner, rows, SearchSpace.of("labelled rows",
                        random -> start, cost), options.withInitializations(1));
            }
            return ExpectationMaximization.fit(steps, runner, rows, SearchSpace.of("random split of each class",
                    random -> knownRowsStart(steps, template, data, restriction, random), cost), options);
        });
    }

    private static Dataset withoutLastColumn(Dataset rows) {
        int[] features = new int[rows.columns() - 1];
        Arrays.setAll(features, j -> j);
        return rows.selectColumns(features);
    }

    private static double[] lastColumn(Dataset rows) {
        double[] out = new double[rows.rows()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i, rows.columns() - 1);
        }
        return out;
    }

    /** The partitions' E-step of {@link #distributedWithKnownComponents}: the last column made a restriction. */
    private record KnownComponentsSteps(double regVar, io.emkit.mixture.ComponentRestriction.FromColumn restrictions)
            implements io.emkit.em.PartitionSteps<ProductMixtureModel, ProductStatistics> {
        private static final long serialVersionUID = 1L;

        @Override
        public ProductStatistics emptyStatistics(ProductMixtureModel params) {
            return new ProductMixtureSteps(regVar).emptyStatistics(params);
        }

        @Override
        public double accumulatePartition(ProductMixtureModel params, Dataset rows, long firstRow,
                                          ProductStatistics statistics) {
            return new ProductMixtureSteps(regVar, restrictions.of(lastColumn(rows)))
                    .accumulate(params, withoutLastColumn(rows), 0, rows.rows(), statistics);
        }
    }

    private double cost(Dataset data) {
        return (double) data.rows() * components * Math.max(data.columns(), 1);
    }

    /** Whether some row of known class may be in more than one component (several components per class). */
    private static boolean sharedByKnownRows(int rows, io.emkit.mixture.ComponentRestriction restriction) {
        for (int i = 0; i < rows; i++) {
            boolean[] allowed = restriction.allowed(i);
            if (allowed == null) {
                continue;
            }
            int n = 0;
            for (boolean a : allowed) {
                n += a ? 1 : 0;
            }
            if (n > 1 && n < allowed.length) {
                return true;
            }
        }
        return false;
    }

    /**
     * One M-step from responsibilities that respect the restriction: each row shared evenly among the components it
     * may be in ({@code random == null}), or wholly in one of them drawn at random.
     */
    private ProductMixtureModel knownRowsStart(ProductMixtureSteps steps, ProductMixtureModel template, Dataset data,
                                               io.emkit.mixture.ComponentRestriction restriction,
                                               SplittableRandom random) {
        int k = components;
        int d = data.columns();
        ProductStatistics s = steps.emptyStatistics(template);
        ColumnFamily[] fams = template.families().toArray(new ColumnFamily[0]);
        double[] x = data.rawValues();
        double[] r = new double[k];
        for (int i = 0; i < data.rows(); i++) {
            double w = data.weight(i);
            boolean[] allowed = restriction.allowed(i);
            int n = 0;
            for (int c = 0; c < k; c++) {
                n += allowed == null || allowed[c] ? 1 : 0;
            }
            int chosen = random == null ? -1 : random.nextInt(n);
            for (int c = 0, seen = 0; c < k; c++) {
                boolean may = allowed == null || allowed[c];
                r[c] = !may ? 0.0 : random == null ? w / n : seen == chosen ? w : 0.0;
                seen += may ? 1 : 0;
            }
            s.addRow(fams, template.rawParameters(), x, i * d, r);
        }
        return steps.maximize(s, template, message -> { });
    }

    /**
     * This fit with its E-steps run by another engine — Spark, for instance — through the same loop as
     * {@link #fit(Dataset)}: the seeded start looks only at the sample the engine passes, a sample of the
     * rows in memory. A categorical column's number of categories comes from its {@link #categoryNames}
     * when given (an engine should give them: the sample may miss a category), else from the sample.
     *
     * @return the partition kernel and the loop around it
     */
    public DistributedFit<ProductMixtureModel, ?> distributed() {
        ProductMixtureSteps steps = new ProductMixtureSteps(regVar);
        return new DistributedFit<>(steps, (runner, rows, sample) -> {
            var start = starts(steps, sample);
            EmOptions runOptions = initialModel != null ? options.withInitializations(1) : options;
            // Weighted rows count by their total weight, as fit(Dataset) counts them.
            return collapsedSaid(ExpectationMaximization.fit(steps, runner, DistributedFit.units(rows, sample),
                    space(start, sample, rows, false), runOptions), sample);
        });
    }

    /**
     * The search's view of the starts: one kind (seeded, or the warm start); an E-step costs about n·K·D; a fit with
     * a collapsed Gaussian column ({@link #collapsed}) ranks below every other.
     *
     * @param data       the rows the starts look at (all of them, or the engine's sample)
     * @param rows       the rows an E-step visits
     * @param concurrent whether the search may make starts at once (not where another engine runs the E-steps)
     */
    private SearchSpace<ProductMixtureModel> space(java.util.function.Function<SplittableRandom, ProductMixtureModel> start,
                                                   Dataset data, long rows, boolean concurrent) {
        RecordingSteps recordingSteps = RecordingSteps.of(data);
        return SearchSpace.of(initialModel != null ? "warm start" : "seeded", start,
                (double) rows * components * Math.max(data.columns(), 1), concurrent,
                fitted -> recordingSteps.reason(s -> collapsed(fitted, s)) != null);
    }

    /**
     * Why a fit has a Gaussian column collapsed, or null: a component's variance there held up by the
     * regularisation alone (at most 10·regVar) or below what rounding to the column's recording step adds (step²/12,
     * {@link Dataset#recordingSteps}), where the likelihood grows without bound on rows tied in that column (Old
     * Faithful with seven Gaussian components: one on a single row, 3.3 nats above the diagonal Gaussian mixture's
     * fit of the same model).
     */
    private String collapsed(ProductMixtureModel fitted, double[] recordingSteps) {
        List<ColumnFamily> families = fitted.families();
        for (int j = 0; j < families.size(); j++) {
            if (families.get(j) != ColumnFamily.GAUSSIAN) {
                continue;
            }
            double[][] p = fitted.parameters(j);
            double rounding = recordingSteps[j] * recordingSteps[j] / 12;
            for (int c = 0; c < p.length; c++) {
                double variance = p[c][1];
                if (variance <= 10 * regVar || variance < rounding) {
                    return String.format(java.util.Locale.ROOT, "degenerate: component %d (weight %.3g) has"
                            + " collapsed onto rows tied in column %d ('%s'): variance %.3g there (regularisation %.3g,"
                            + " recording step %.3g): a spurious maximum; fewer components or a larger regularisation",
                            c + 1, fitted.weights()[c], j + 1, fitted.featureNames().get(j), variance, regVar,
                            recordingSteps[j]);
                }
            }
        }
        return null;
    }

    /** {@code result}, with a warning where its model has a collapsed Gaussian column ({@link #collapsed}). */
    private EmResult<ProductMixtureModel> collapsedSaid(EmResult<ProductMixtureModel> result, Dataset data) {
        String reason = RecordingSteps.of(data).reason(s -> collapsed(result.params(), s));
        return reason == null ? result : result.withWarning(reason);
    }

    /** Checks {@code data} and returns a model of the fit's shape (equal weights, harmless parameters). */
    private ProductMixtureModel checkedTemplate(Dataset data) {
        DataChecks.requireFittable(data, components, "component", true);
        List<ColumnFamily> fams = familiesFor(data.columns());
        int d = data.columns();
        double[] x = data.rawValues();
        int[] categories = new int[d];
        for (int i = 0; i < data.rows(); i++) {
            for (int j = 0; j < d; j++) {
                double v = x[i * d + j];
                if (Double.isNaN(v)) {
                    continue;
                }
                String bad = fams.get(j).violation(v);
                if (bad != null) {
                    throw new ValueOutOfSupportException(i, j, data.columnNames().get(j), bad);
                }
                if (fams.get(j) == ColumnFamily.CATEGORICAL) {
                    categories[j] = (int) Math.max(categories[j], v + 1);
                }
            }
        }
        List<List<String>> names = new ArrayList<>(Collections.nCopies(d, (List<String>) null));
        if (categoryNames != null) {
            if (categoryNames.size() != d) {
                throw new EmkitException(categoryNames.size() + " lists of category names for " + d + " columns");
            }
            for (int j = 0; j < d; j++) {
                List<String> given = categoryNames.get(j);
                if (given != null && fams.get(j) == ColumnFamily.CATEGORICAL) {
                    if (given.size() < categories[j]) {
                        throw new EmkitException("column " + (j + 1) + " ('" + data.columnNames().get(j) + "') has code "
                                + (categories[j] - 1) + " but only " + given.size() + " category names");
                    }
                    categories[j] = given.size();
                    names.set(j, given);
                }
            }
        }
        return placeholder(fams, categories, names, data.columnNames());
    }

    /** Checks {@code data} and returns how a run starts: from the initial model, or seeded on {@code data}. */
    private java.util.function.Function<SplittableRandom, ProductMixtureModel> starts(ProductMixtureSteps steps,
                                                                                      Dataset data) {
        List<ColumnFamily> fams = familiesFor(data.columns());
        ProductMixtureModel template = checkedTemplate(data);
        if (initialModel != null) {
            requireSameShape(initialModel, template);
            ProductMixtureModel start = initialModel.withFeatureNames(data.columnNames());
            return random -> start;
        }
        double[] scale = scales(data, fams);
        return random -> initialParameters(steps, template, data, scale, random);
    }

    private static void requireSameShape(ProductMixtureModel given, ProductMixtureModel fit) {
        boolean same = given.components() == fit.components() && given.families().equals(fit.families());
        for (int j = 0; same && j < fit.dimension(); j++) {
            same = given.rawParameters()[j][0].length == fit.rawParameters()[j][0].length;
        }
        if (!same) {
            throw new EmkitException("the starting model has " + given.components() + " components and columns "
                    + given.families() + "; the fit asks for " + fit.components() + " and " + fit.families()
                    + " (with the data's numbers of categories)");
        }
    }

    /** Equal weights and harmless parameters: the M-step's fallback for components that start empty. */
    private ProductMixtureModel placeholder(List<ColumnFamily> fams, int[] categories, List<List<String>> names,
                                            List<String> featureNames) {
        int k = components;
        double[] w = new double[k];
        Arrays.fill(w, 1.0 / k);
        double[][][] p = new double[fams.size()][k][];
        for (int j = 0; j < fams.size(); j++) {
            for (int c = 0; c < k; c++) {
                p[j][c] = switch (fams.get(j)) {
                    case GAUSSIAN -> new double[] {0.0, 1.0};
                    case BERNOULLI -> new double[] {0.5};
                    case CATEGORICAL -> {
                        double[] u = new double[categories[j]];
                        Arrays.fill(u, 1.0 / categories[j]);
                        yield u;
                    }
                    case POISSON, EXPONENTIAL -> new double[] {1.0};
                };
            }
        }
        return ProductMixtureModel.of(w, fams, p, names, featureNames);
    }

    /**
     * Per column, what one unit of distance is: the (weighted) standard deviation (1 if 0); 0 marks
     * categorical columns.
     */
    private static double[] scales(Dataset data, List<ColumnFamily> fams) {
        int n = data.rows();
        int d = data.columns();
        double[] x = data.rawValues();
        double[] w = data.rawWeights();
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            if (fams.get(j) == ColumnFamily.CATEGORICAL) {
                continue;
            }
            double mean = 0;
            // The (total weight of the) rows that observe the column: a missing cell says nothing of its spread.
            double observed = 0;
            for (int i = 0; i < n; i++) {
                double v = x[i * d + j];
                if (!Double.isNaN(v)) {
                    mean += w == null ? v : w[i] * v;
                    observed += w == null ? 1.0 : w[i];
                }
            }
            mean /= observed;
            double ss = 0;
            for (int i = 0; i < n; i++) {
                double t = x[i * d + j] - mean;
                if (!Double.isNaN(t)) {
                    ss += w == null ? t * t : w[i] * t * t;
                }
            }
            double sd = Math.sqrt(ss / observed);
            scale[j] = sd > 0 ? sd : 1.0;
        }
        return scale;
    }

    private static double distance(double[] x, int a, int b, int d, double[] scale) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double u = x[a * d + j];
            double v = x[b * d + j];
            if (Double.isNaN(u) || Double.isNaN(v)) {
                continue; // a missing cell says nothing about the distance
            }
            if (scale[j] == 0) {
                s += u == v ? 0 : 1;
            } else {
                double t = (u - v) / scale[j];
                s += t * t;
            }
        }
        return s;
    }

    /** Seed {@code pick} becomes component {@code c}'s: rows nearer to it than to earlier seeds move to it. */
    private static void updateNearest(double[] x, int pick, int c, int d, double[] scale, double[] nearest,
                                      int[] owner) {
        for (int i = 0; i < nearest.length; i++) {
            double dist = distance(x, i, pick, d, scale);
            if (dist < nearest[i]) {
                nearest[i] = dist;
                owner[i] = c;
            }
        }
    }

    private ProductMixtureModel initialParameters(ProductMixtureSteps steps, ProductMixtureModel template,
                                                  Dataset data, double[] scale, SplittableRandom random) {
        int n = data.rows();
        int d = data.columns();
        int k = components;
        double[] x = data.rawValues();
        double[] w = data.rawWeights();
        int[] seeds = new int[k];
        double[] nearest = new double[n];
        int[] owner = new int[n];
        seeds[0] = w == null ? random.nextInt(n) : KMeansSeeding.draw(w, data.totalWeight(), random);
        for (int i = 0; i < n; i++) {
            nearest[i] = distance(x, i, seeds[0], d, scale);
        }
        double[] chance = w == null ? null : new double[n];
        for (int c = 1; c < k; c++) {
            int pick;
            if (w != null) {
                // As if each row were repeated as many times as its weight says.
                double total = 0;
                for (int i = 0; i < n; i++) {
                    chance[i] = w[i] * nearest[i];
                    total += chance[i];
                }
                pick = total > 0 ? KMeansSeeding.draw(chance, total, random)
                        : KMeansSeeding.draw(w, data.totalWeight(), random);
                seeds[c] = pick;
                updateNearest(x, pick, c, d, scale, nearest, owner);
                continue;
            }
            double total = 0;
            for (double v : nearest) {
                total += v;
            }
            if (total > 0) {
                double u = random.nextDouble() * total;
                pick = n - 1;
                double acc = 0;
                for (int i = 0; i < n; i++) {
                    acc += nearest[i];
                    if (u < acc) {
                        pick = i;
                        break;
                    }
                }
            } else {
                pick = random.nextInt(n);
            }
            seeds[c] = pick;
            updateNearest(x, pick, c, d, scale, nearest, owner);
        }
        ProductStatistics s = steps.emptyStatistics(template);
        double[][][] p = template.rawParameters();
        ColumnFamily[] families = template.families().toArray(new ColumnFamily[0]);
        double[] r = new double[k];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int c = 0; c < k; c++) {
                r[c] = random.nextDouble();
                sum += r[c];
            }
            for (int c = 0; c < k; c++) {
                r[c] = (1 - SEED_SHARE) * r[c] / sum + (c == owner[i] ? SEED_SHARE : 0.0);
                if (w != null) {
                    r[c] *= w[i];
                }
            }
            if (!allMissing(x, i * d, d)) {
                s.addRow(families, p, x, i * d, r);
            }
        }
        return steps.maximize(s, template, warning -> { });
    }

    private static boolean allMissing(double[] x, int offset, int d) {
        for (int j = 0; j < d; j++) {
            if (!Double.isNaN(x[offset + j])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "ProductMixture[components=" + components + ", families="
                + (families == null ? "all " + family : families.toString()) + ", regVar=" + regVar + ", " + options + "]";
    }
}
