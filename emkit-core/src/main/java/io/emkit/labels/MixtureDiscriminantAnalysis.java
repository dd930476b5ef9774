package io.emkit.labels;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.Acceleration;
import io.emkit.em.EmOptions;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.init.Initialization;
import io.emkit.select.Candidate;
import io.emkit.select.ModelSelection;
import io.emkit.select.SelectionResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Gaussian mixture discriminant analysis (mclust's {@code MclustDA}, Fraley and Raftery 2002): every row's class is
 * known, and each class gets its own Gaussian mixture, its number of components and covariance structure chosen by
 * BIC on the class's rows alone (a {@link ModelSelection} per class). A row's class probabilities are the
 * posterior of the classes' mixtures with the class priors (the class frequencies unless given):
 *
 * <pre>  P(g | x) ∝ π_g Σ_c τ_gc φ(x; μ_gc, Σ_gc)</pre>
 *
 * <p>Each class's fit is mclust's {@code Mclust}: started from the hierarchical clustering of the class's rows
 * ({@link Initialization#HIERARCHICAL}), one run of plain EM. The whole model's log-likelihood is mclust's
 * ({@code logLik.MclustDA}): over all rows, {@code Σ_i w_i log Σ_g π_g f_g(x_i)} with the class frequencies as
 * {@code π_g}; its parameters are the sum of the classes' (each class's count includes its mixing weights, not the
 * class priors), and its BIC is {@code −2 logL + p ln n} with n all the rows (mclust's, with the opposite sign).
 */
public final class MixtureDiscriminantAnalysis {
    private final List<Integer> components;
    private final List<CovarianceType> structures;
    private final double regCovar;
    private final EmOptions options;

    private MixtureDiscriminantAnalysis(List<Integer> components, List<CovarianceType> structures, double regCovar,
                                        EmOptions options) {
        this.components = components;
        this.structures = structures;
        this.regCovar = regCovar;
        this.options = options;
    }

    /**
     * MclustDA's defaults: 1 to 5 components per class, all 14 structures, {@code regCovar}
     * {@value GaussianMixture#DEFAULT_REG_COVAR}, plain EM from the hierarchical start.
     *
     * @return the configuration
     */
    public static MixtureDiscriminantAnalysis mclustDA() {
        return new MixtureDiscriminantAnalysis(List.of(1, 2, 3, 4, 5), CovarianceType.all(),
                GaussianMixture.DEFAULT_REG_COVAR, EmOptions.defaults().withAcceleration(Acceleration.NONE));
    }

    /**
     * @param ks the numbers of components to try per class (each at least 1)
     * @return changed configuration
     */
    public MixtureDiscriminantAnalysis components(List<Integer> ks) {
        if (ks.isEmpty() || ks.stream().anyMatch(k -> k < 1)) {
            throw new IllegalArgumentException("numbers of components must be at least 1, got " + ks);
        }
        return new MixtureDiscriminantAnalysis(List.copyOf(ks), structures, regCovar, options);
    }

    /**
     * @param types the structures to try per class (at least one)
     * @return changed configuration
     */
    public MixtureDiscriminantAnalysis structures(List<CovarianceType> types) {
        if (types.isEmpty()) {
            throw new IllegalArgumentException("at least one covariance structure is needed");
        }
        return new MixtureDiscriminantAnalysis(components, List.copyOf(types), regCovar, options);
    }

    /**
     * @param reg added to covariance diagonals (≥ 0)
     * @return changed configuration
     */
    public MixtureDiscriminantAnalysis regCovar(double reg) {
        if (!(reg >= 0) || Double.isInfinite(reg)) {
            throw new IllegalArgumentException("regCovar must be a finite number >= 0, got " + reg);
        }
        return new MixtureDiscriminantAnalysis(components, structures, reg, options);
    }

    /**
     * @param emOptions tolerance, iterations and threads (the number of fits run at once); the fits run once each
     *                  from the hierarchical start, whatever the options' search
     * @return changed configuration
     */
    public MixtureDiscriminantAnalysis options(EmOptions emOptions) {
        return new MixtureDiscriminantAnalysis(components, structures, regCovar,
                Objects.requireNonNull(emOptions, "options"));
    }

    /**
     * One class's mixture.
     *
     * @param name       the class
     * @param rows       its rows
     * @param chosen     the candidate of lowest BIC (on the class's rows, with their n)
     * @param candidates every (K, structure) candidate of the class, K ascending then the structures in order
     */
    public record ClassModel(String name, int rows, Candidate chosen, List<Candidate> candidates) {
    }

    /**
     * A fitted classifier.
     *
     * @param model         every class's components, weighted by the class frequency times the weight in the class
     * @param classes       per class (in the labels' order) its mixture
     * @param logLikelihood over all rows, the log of the classes' densities mixed by the class frequencies
     * @param parameters    the sum of the classes' free parameters
     * @param bic           {@code −2 logL + p ln n}, n all the rows (or their total weight)
     */
    public record Result(LabelledGaussianMixture model, List<ClassModel> classes, double logLikelihood, int parameters,
                         double bic) {
    }

    /**
     * Fits a mixture per class, each chosen by BIC.
     *
     * @param data   the rows
     * @param labels every row's class
     * @return the classifier
     * @throws EmkitException if a row has no class, or no candidate of a class could be fitted (naming the class)
     */
    public Result fit(Dataset data, ClassLabels labels) {
        DiscriminantAnalysis.requireAllLabelled(labels);
        int[] counts = new int[labels.classes()];
        for (int g = 0; g < counts.length; g++) {
            counts[g] = labels.count(g);
        }
        return choose(labels.names(), counts, data.columnNames(), classPriors(data, labels), data.totalWeight(),
                g -> selection().run(DiscriminantAnalysis.subset(data, rowsOf(labels, g))),
                mixture -> {
                    double[] logDensity = mixture.scoreSamples(data);
                    double ll = 0;
                    for (int i = 0; i < data.rows(); i++) {
                        ll += data.weight(i) * logDensity[i];
                    }
                    return ll;
                });
    }

    /**
     * {@link #fit}'s choice for fits run elsewhere (on Spark): per class the selection {@code selection} runs,
     * its best by BIC kept, the classes' mixtures combined and scored on every row.
     *
     * @param classNames    the classes, sorted
     * @param rowsPerClass  per class its rows
     * @param features      the columns' names
     * @param frequencies   per class its share of the rows (the whole model's weights)
     * @param n             all the rows (or their total weight), BIC's n
     * @param selection     per class (its index) the selection over {@link #selection()}'s candidates, on its rows
     * @param logLikelihood the log-likelihood of every row under a mixture
     * @return the classifier
     * @throws EmkitException if no candidate of a class could be fitted (naming the class)
     */
    public Result choose(List<String> classNames, int[] rowsPerClass, List<String> features, double[] frequencies,
                         double n, java.util.function.IntFunction<SelectionResult> selection,
                         java.util.function.ToDoubleFunction<GaussianMixtureModel> logLikelihood) {
        List<ClassModel> classes = new ArrayList<>();
        List<GaussianMixtureModel> mixtures = new ArrayList<>();
        int p = 0;
        for (int g = 0; g < classNames.size(); g++) {
            String name = classNames.get(g);
            int rows = rowsPerClass[g];
            SelectionResult r = selection.apply(g);
            Candidate best = r.best().orElseThrow(() -> new EmkitException("class '" + name + "': no mixture could be"
                    + " fitted to its " + rows + (rows == 1 ? " row" : " rows")
                    + " (too few for every candidate); the first failure: " + r.candidates().get(0).name()
                    + ": " + r.candidates().get(0).failure()));
            classes.add(new ClassModel(name, rows, best, r.candidates()));
            mixtures.add((GaussianMixtureModel) best.model());
            p += best.parameterCount();
        }
        LabelledGaussianMixture model = combine(classNames, mixtures, features, frequencies);
        double ll = logLikelihood.applyAsDouble(model.mixture());
        return new Result(model, List.copyOf(classes), ll, p, -2 * ll + p * Math.log(n));
    }

    /**
     * @return the selection each class runs: its candidates and how each is fitted (the hierarchical start, one run)
     */
    public ModelSelection selection() {
        return ModelSelection.of(components, structures).fitting(template());
    }

    /**
     * K-fold cross-validation with each class's number of components and structure fixed (as mclust's
     * {@code cvMclustDA}): each fold's rows are classified by the mixtures fitted to the other folds, with
     * {@code priors} as the class priors.
     *
     * @param data      the rows
     * @param labels    every row's class
     * @param chosen    per class (in the labels' order) the number of components and the structure to refit
     * @param priors    per class the prior (summing to 1), for example the whole data's class frequencies
     * @param foldOfRow per row its fold, from 0
     * @return the error, the Brier score and the predictions
     * @throws EmkitException if a row has no class, a fold leaves a class without training rows or a fit fails
     */
    public DiscriminantAnalysis.CrossValidation crossValidate(Dataset data, ClassLabels labels, List<Candidate> chosen,
                                                              double[] priors, int[] foldOfRow) {
        DiscriminantAnalysis.requireAllLabelled(labels);
        return DiscriminantAnalysis.crossValidate(data, labels, foldOfRow, (train, trainLabels) ->
                foldClassifier(trainLabels.names(), chosen, data.columnNames(), priors,
                        (g, config) -> config.fit(DiscriminantAnalysis.subset(train, rowsOf(trainLabels, g))).params()));
    }

    /**
     * Cross-validation's classifier of one fold: each class's chosen mixture (its number of components and structure)
     * refitted to the fold's training rows of the class, from the hierarchical start in one run, by {@code fitter}
     * (here, or on another engine), then combined with {@code priors} as the class priors.
     *
     * @param classNames the classes, sorted
     * @param chosen     per class the number of components and the structure to refit
     * @param features   the features' names
     * @param priors     per class its prior
     * @param fitter     fits class g's training rows by the configuration given
     * @return the classifier
     * @throws EmkitException naming the class if its refit fails
     */
    public LabelledGaussianMixture foldClassifier(List<String> classNames, List<Candidate> chosen,
                                                  List<String> features, double[] priors,
                                                  java.util.function.BiFunction<Integer, GaussianMixture,
                                                          GaussianMixtureModel> fitter) {
        List<GaussianMixtureModel> mixtures = new ArrayList<>();
        for (int g = 0; g < classNames.size(); g++) {
            Candidate c = chosen.get(g);
            GaussianMixture config = GaussianMixture.withComponents(c.components()).covarianceType(c.covariance())
                    .initialization(Initialization.HIERARCHICAL).regCovar(regCovar)
                    .options(options.withInitializations(1).withThreads(1));
            try {
                mixtures.add(fitter.apply(g, config));
            } catch (EmkitException e) {
                throw new EmkitException("class '" + classNames.get(g) + "': its " + c.name()
                        + " mixture could not be refitted in cross-validation: " + e.getMessage());
            }
        }
        return combine(classNames, mixtures, features, priors);
    }

    /**
     * The class frequencies (total weights per class over the total weight).
     *
     * @param data   the rows (their weights)
     * @param labels every row's class
     * @return per class its share, in the labels' order
     */
    public static double[] classPriors(Dataset data, ClassLabels labels) {
        double[] out = new double[labels.classes()];
        double total = 0;
        for (int i = 0; i < labels.rows(); i++) {
            if (labels.classOf(i) >= 0) {
                out[labels.classOf(i)] += data.weight(i);
                total += data.weight(i);
            }
        }
        for (int g = 0; g < out.length; g++) {
            out[g] /= total;
        }
        return out;
    }

    private GaussianMixture template() {
        return GaussianMixture.withComponents(1).initialization(Initialization.HIERARCHICAL).regCovar(regCovar)
                .options(options.withInitializations(1));
    }

    private static List<Integer> rowsOf(ClassLabels labels, int g) {
        return IntStream.range(0, labels.rows()).filter(i -> labels.classOf(i) == g).boxed().toList();
    }

    /** The classes' mixtures as one mixture of full covariances, class g's components weighted by {@code priors[g]}. */
    private static LabelledGaussianMixture combine(List<String> classNames, List<GaussianMixtureModel> mixtures,
                                                   List<String> names, double[] priors) {
        List<Double> weights = new ArrayList<>();
        List<double[]> means = new ArrayList<>();
        List<double[][]> covariances = new ArrayList<>();
        List<String> classOfComponent = new ArrayList<>();
        for (int g = 0; g < mixtures.size(); g++) {
            GaussianMixtureModel m = mixtures.get(g);
            for (int c = 0; c < m.components(); c++) {
                weights.add(priors[g] * m.weights()[c]);
                means.add(m.mean(c));
                covariances.add(m.covariance(c));
                classOfComponent.add(classNames.get(g));
            }
        }
        double[] w = weights.stream().mapToDouble(Double::doubleValue).toArray();
        double total = 0;
        for (double v : w) {
            total += v;
        }
        for (int c = 0; c < w.length; c++) {
            w[c] /= total;
        }
        GaussianMixtureModel all = GaussianMixtureModel.full(w, means.toArray(double[][]::new),
                covariances.toArray(double[][][]::new)).withFeatureNames(names);
        return new LabelledGaussianMixture(all, classOfComponent);
    }

    @Override
    public String toString() {
        return "MixtureDiscriminantAnalysis[MclustDA, components=" + components + ", structures=" + structures
                + ", regCovar=" + regCovar + ", " + options + "]";
    }
}
