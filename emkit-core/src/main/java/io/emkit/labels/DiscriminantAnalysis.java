package io.emkit.labels;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.em.Acceleration;
import io.emkit.em.EmOptions;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * Gaussian discriminant analysis with one Gaussian per class and a covariance structure the classes share, chosen
 * by BIC among the structures asked for (mclust's EDDA, Bensmail and Celeux 1996): every row's class is known, so
 * each structure's fit is the labelled-rows maximum likelihood (the semi-supervised fit with no unlabelled row). A
 * row's class probabilities are the posterior of the Gaussians with the class frequencies as priors.
 *
 * <p>BIC is mclust's: at the classes' estimates, the log-likelihood of the rows under the mixture of the classes'
 * Gaussians with the class frequencies as weights, the classes left out, {@code Σ w_i log Σ_g π_g N(x_i; μ_g, Σ_g)}
 * (what {@code MclustDA} computes by an E-step after its M-step), and the free parameters of the means and the
 * covariances, not of the frequencies (mclust's {@code equalPro}).
 */
public final class DiscriminantAnalysis {
    private final List<CovarianceType> structures;
    private final double regCovar;
    private final EmOptions options;

    private DiscriminantAnalysis(List<CovarianceType> structures, double regCovar, EmOptions options) {
        this.structures = structures;
        this.regCovar = regCovar;
        this.options = options;
    }

    /**
     * EDDA over all 14 structures, {@code regCovar} {@value GaussianMixture#DEFAULT_REG_COVAR}, plain EM (the
     * iterative structures' M-steps are iterated to convergence).
     *
     * @return the configuration
     */
    public static DiscriminantAnalysis edda() {
        return new DiscriminantAnalysis(CovarianceType.all(), GaussianMixture.DEFAULT_REG_COVAR,
                EmOptions.defaults().withAcceleration(Acceleration.NONE));
    }

    /**
     * @param types the structures to choose among (at least one)
     * @return changed configuration
     */
    public DiscriminantAnalysis structures(List<CovarianceType> types) {
        if (types.isEmpty()) {
            throw new IllegalArgumentException("at least one covariance structure is needed");
        }
        return new DiscriminantAnalysis(List.copyOf(types), regCovar, options);
    }

    /**
     * @param reg added to covariance diagonals (≥ 0)
     * @return changed configuration
     */
    public DiscriminantAnalysis regCovar(double reg) {
        if (!(reg >= 0) || Double.isInfinite(reg)) {
            throw new IllegalArgumentException("regCovar must be a finite number >= 0, got " + reg);
        }
        return new DiscriminantAnalysis(structures, reg, options);
    }

    /**
     * @param emOptions tolerance, iterations and threads of each structure's fit
     * @return changed configuration
     */
    public DiscriminantAnalysis options(EmOptions emOptions) {
        return new DiscriminantAnalysis(structures, regCovar, Objects.requireNonNull(emOptions, "options"));
    }

    /**
     * One structure's fit.
     *
     * @param type          the structure
     * @param logLikelihood {@code Σ w_i log Σ_g π_g N(x_i; μ_g, Σ_g)} at the fit, or NaN if it failed
     * @param parameters    the means' and covariances' free parameters
     * @param bic           {@code −2 logL + p ln n} (lower is better), or NaN
     * @param failure       why the fit failed, or {@code null}
     */
    public record Candidate(CovarianceType type, double logLikelihood, int parameters, double bic, String failure) {
    }

    /**
     * A fitted classifier.
     *
     * @param model      the chosen structure's Gaussians, one per class, weighted by the class frequencies
     * @param chosen     the chosen structure's candidate
     * @param candidates every structure's, in the order asked for
     */
    public record Result(LabelledGaussianMixture model, Candidate chosen, List<Candidate> candidates) {
    }

    /**
     * Cross-validated performance.
     *
     * @param error     the share of rows whose predicted class is wrong (each row predicted by the fit without its fold)
     * @param brier     the Brier score {@code Σ_i Σ_g (p_ig − [g = class(i)])² / (2n)}, in [0, 1], as mclust's
     * @param predicted per row its predicted class (index into the labels' classes); null when the folds were scored
     *                  elsewhere
     */
    public record CrossValidation(double error, double brier, int[] predicted) {
    }

    /**
     * Fits every structure and keeps the one of lowest BIC.
     *
     * @param data   the rows
     * @param labels every row's class
     * @return the classifier
     * @throws EmkitException if a row has no class, or no structure could be fitted
     */
    public Result fit(Dataset data, ClassLabels labels) {
        requireAllLabelled(labels);
        return choose(type -> {
            SemiSupervisedFit fit = fitOne(type, data, labels);
            double[] logDensity = fit.model().mixture().scoreSamples(data);
            double ll = 0;
            for (int i = 0; i < data.rows(); i++) {
                ll += data.weight(i) * logDensity[i];
            }
            return new StructureFit(fit.model(), ll, fit.em().parameterCount(), fit.em().sampleCount());
        });
    }

    /**
     * One structure's fit, however it was run.
     *
     * @param model          the classes' Gaussians, weighted by the class frequencies
     * @param logLikelihood  {@code Σ w_i log Σ_g π_g N(x_i; μ_g, Σ_g)} over every row
     * @param mixtureParams  the fitted mixture's free parameters (its weights' among them)
     * @param n              the rows (or their total weight), BIC's n
     */
    public record StructureFit(LabelledGaussianMixture model, double logLikelihood, int mixtureParams, double n) {
    }

    /**
     * Fits every structure by {@code fitter} and keeps the one of lowest BIC: {@link #fit}'s choice, for fits run
     * elsewhere (on Spark, by {@link #distributed}'s plans).
     *
     * @param fitter per structure its fit; an {@link EmkitException} marks the structure failed
     * @return the classifier
     * @throws EmkitException if no structure could be fitted
     */
    public Result choose(java.util.function.Function<CovarianceType, StructureFit> fitter) {
        List<Candidate> candidates = new ArrayList<>();
        Candidate best = null;
        LabelledGaussianMixture bestModel = null;
        for (CovarianceType type : structures) {
            try {
                StructureFit fit = fitter.apply(type);
                // The class frequencies are not free parameters here (mclust's EDDA).
                int p = fit.mixtureParams() - (fit.model().classNames().size() - 1);
                Candidate c = new Candidate(type, fit.logLikelihood(), p, -2 * fit.logLikelihood() + p * Math.log(fit.n()),
                        null);
                candidates.add(c);
                if (best == null || c.bic() < best.bic()) {
                    best = c;
                    bestModel = fit.model();
                }
            } catch (EmkitException e) {
                candidates.add(new Candidate(type, Double.NaN, 0, Double.NaN, e.getMessage()));
            }
        }
        if (best == null) {
            throw new EmkitException("no covariance structure could be fitted; the first failure: "
                    + candidates.get(0).failure());
        }
        return new Result(bestModel, best, List.copyOf(candidates));
    }

    /**
     * One structure's fit with its E-steps run by another engine: the semi-supervised fit {@link #fit} runs, every
     * row labelled.
     *
     * @param type       the structure
     * @param classNames the classes, in class order
     * @return the plan; its result's model has class g's Gaussian as component g
     */
    public io.emkit.em.DistributedFit<GaussianMixtureModel, ?> distributed(CovarianceType type,
                                                                          List<String> classNames) {
        return SemiSupervisedGaussianMixture.withCovariance(type).regCovar(regCovar).options(options)
                .distributed(classNames);
    }

    /** @return the structures to choose among, in order */
    public List<CovarianceType> structures() {
        return structures;
    }

    private SemiSupervisedFit fitOne(CovarianceType type, Dataset data, ClassLabels labels) {
        return SemiSupervisedGaussianMixture.withCovariance(type).regCovar(regCovar).options(options).fit(data, labels);
    }

    /**
     * K-fold cross-validation of one structure: each fold's rows are classified by the fit to the other folds, with
     * the whole data's class frequencies as the class priors (as mclust's {@code cvMclustDA}).
     *
     * @param data      the rows
     * @param labels    every row's class
     * @param type      the structure
     * @param foldOfRow per row its fold, from 0
     * @return the error, the Brier score and the predictions
     * @throws EmkitException if a row has no class, or a fold leaves a class without training rows
     */
    public CrossValidation crossValidate(Dataset data, ClassLabels labels, CovarianceType type, int[] foldOfRow) {
        return crossValidate(data, labels, type, MixtureDiscriminantAnalysis.classPriors(data, labels), foldOfRow);
    }

    /**
     * K-fold cross-validation of one structure with given class priors.
     *
     * @param data      the rows
     * @param labels    every row's class
     * @param type      the structure
     * @param priors    per class (in the labels' order) its prior, summing to 1
     * @param foldOfRow per row its fold, from 0
     * @return the error, the Brier score and the predictions
     * @throws EmkitException if a row has no class, or a fold leaves a class without training rows
     */
    public CrossValidation crossValidate(Dataset data, ClassLabels labels, CovarianceType type, double[] priors,
                                         int[] foldOfRow) {
        requireAllLabelled(labels);
        return crossValidate(data, labels, foldOfRow,
                (train, trainLabels) -> fitOne(type, train, trainLabels).model().withClassPriors(priors));
    }

    /** Fits a classifier to the rows of the other folds and classifies each fold's rows. */
    static CrossValidation crossValidate(Dataset data, ClassLabels labels, int[] foldOfRow,
                                         BiFunction<Dataset, ClassLabels, LabelledGaussianMixture> fitter) {
        int n = data.rows();
        int[] predicted = new int[n];
        CrossValidation sums = crossValidate(labels, foldOfRow, (f, trainLabels) -> {
            List<Integer> train = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                (foldOfRow[i] == f ? test : train).add(i);
            }
            LabelledGaussianMixture model = fitter.apply(subset(data, train), trainLabels);
            int[] truth = new int[test.size()];
            for (int t = 0; t < truth.length; t++) {
                truth[t] = labels.classOf(test.get(t));
            }
            int[] foldPredicted = new int[test.size()];
            double[] score = heldOutScore(model, subset(data, test), truth, labels.names(), foldPredicted);
            for (int t = 0; t < truth.length; t++) {
                predicted[test.get(t)] = foldPredicted[t];
            }
            return score;
        });
        return new CrossValidation(sums.error(), sums.brier(), predicted);
    }

    /**
     * One fold of a cross-validation: the classifier fitted to the other folds' rows, the fold's rows scored by
     * {@link #heldOutScore}, wherever the rows are.
     */
    @FunctionalInterface
    public interface FoldScore {
        /**
         * @param fold        the fold, from 0
         * @param trainLabels the classes of the other folds' rows, in their order (the same classes as the whole
         *                    data's)
         * @return the fold's rows classified wrongly and their Brier sum, as {@link #heldOutScore} returns them
         */
        double[] score(int fold, ClassLabels trainLabels);
    }

    /**
     * K-fold cross-validation whose folds are fitted and scored elsewhere (on Spark, for instance): the folds in
     * order, each with rows, checked to leave every class among the training rows, then scored by {@code fold}.
     *
     * @param labels    every row's class
     * @param foldOfRow per row its fold, from 0
     * @param fold      fits and scores one fold
     * @return the error and the Brier score over all the rows; no predictions ({@code predicted} is null)
     * @throws EmkitException if a fold leaves a class without training rows, or as {@code fold} throws
     */
    public static CrossValidation crossValidate(ClassLabels labels, int[] foldOfRow, FoldScore fold) {
        requireAllLabelled(labels);
        int folds = 0;
        for (int f : foldOfRow) {
            folds = Math.max(folds, f + 1);
        }
        int n = labels.rows();
        double wrong = 0;
        double brier = 0;
        for (int f = 0; f < folds; f++) {
            List<String> trainCells = new ArrayList<>();
            boolean held = false;
            for (int i = 0; i < n; i++) {
                if (foldOfRow[i] == f) {
                    held = true;
                } else {
                    trainCells.add(labels.names().get(labels.classOf(i)));
                }
            }
            if (!held) {
                continue;
            }
            ClassLabels trainLabels = ClassLabels.of(trainCells.toArray(new String[0]));
            if (trainLabels.classes() != labels.classes()) {
                throw new EmkitException("fold " + (f + 1) + " holds every row of a class, which its training rows then"
                        + " lack; use fewer folds");
            }
            // The fold's classes are in the same sorted order as the whole data's.
            double[] score = fold.score(f, trainLabels);
            wrong += score[0];
            brier += score[1];
        }
        return new CrossValidation(wrong / n, brier / (2.0 * n), null);
    }

    /**
     * Cross-validation's score of one fold's held-out rows under the classifier fitted without them, wherever the
     * rows are (another engine scores its partitions with it and adds the sums up).
     *
     * @param model      the classifier
     * @param rows       the held-out rows
     * @param truth      per row its class, an index into {@code classNames}
     * @param classNames the whole data's classes, sorted
     * @param predicted  where to put per row its predicted class (an index into {@code classNames}), or null
     * @return the rows classified wrongly, and the rows' {@code Σ_i Σ_g (p_ig − [g = class(i)])²} (the Brier score
     *         times {@code 2n})
     */
    public static double[] heldOutScore(LabelledGaussianMixture model, Dataset rows, int[] truth,
                                        List<String> classNames, int[] predicted) {
        double[][] p = model.classProbabilities(rows);
        double wrong = 0;
        double brier = 0;
        for (int t = 0; t < p.length; t++) {
            int best = 0;
            for (int g = 0; g < p[t].length; g++) {
                int classIndex = classNames.indexOf(model.classNames().get(g));
                double y = classIndex == truth[t] ? 1 : 0;
                brier += (p[t][g] - y) * (p[t][g] - y);
                if (p[t][g] > p[t][best]) {
                    best = g;
                }
            }
            int chosen = classNames.indexOf(model.classNames().get(best));
            if (predicted != null) {
                predicted[t] = chosen;
            }
            wrong += chosen == truth[t] ? 0 : 1;
        }
        return new double[] {wrong, brier};
    }

    /**
     * Folds with the classes spread evenly: each class's rows, in an order drawn from {@code seed}, dealt to the
     * folds in turn, the deal going on from class to class.
     *
     * @param labels every row's class
     * @param folds  K ≥ 2, at most the rows of the smallest class
     * @param seed   the seed of the order
     * @return per row its fold, from 0
     * @throws EmkitException naming the class if it has fewer rows than folds
     */
    public static int[] balancedFolds(ClassLabels labels, int folds, long seed) {
        requireAllLabelled(labels);
        if (folds < 2) {
            throw new EmkitException("cross-validation needs at least 2 folds, got " + folds);
        }
        for (int g = 0; g < labels.classes(); g++) {
            if (labels.count(g) < folds) {
                throw new EmkitException("--cv " + folds + " is larger than class '" + labels.names().get(g) + "', which"
                        + " has " + labels.count(g) + " row" + (labels.count(g) == 1 ? "" : "s")
                        + ": every fold's training rows must hold every class; use at most " + minCount(labels) + " folds");
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] out = new int[labels.rows()];
        int next = 0;
        for (int g = 0; g < labels.classes(); g++) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < labels.rows(); i++) {
                if (labels.classOf(i) == g) {
                    rows.add(i);
                }
            }
            for (int i = rows.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                Integer t = rows.get(i);
                rows.set(i, rows.get(j));
                rows.set(j, t);
            }
            for (int row : rows) {
                out[row] = next;
                next = (next + 1) % folds;
            }
        }
        return out;
    }

    private static int minCount(ClassLabels labels) {
        int min = Integer.MAX_VALUE;
        for (int g = 0; g < labels.classes(); g++) {
            min = Math.min(min, labels.count(g));
        }
        return min;
    }

    static void requireAllLabelled(ClassLabels labels) {
        if (labels.labelledRows() != labels.rows()) {
            for (int i = 0; i < labels.rows(); i++) {
                if (labels.classOf(i) < 0) {
                    throw new EmkitException("row " + (i + 1) + " has no class: discriminant analysis needs a class in"
                            + " every row (for rows without one, fit by semi-supervised EM: emkit fit --labels-column)");
                }
            }
        }
    }

    static Dataset subset(Dataset data, List<Integer> rows) {
        int d = data.columns();
        double[] values = new double[rows.size() * d];
        double[] weights = new double[rows.size()];
        for (int t = 0; t < rows.size(); t++) {
            for (int j = 0; j < d; j++) {
                values[t * d + j] = data.get(rows.get(t), j);
            }
            weights[t] = data.weight(rows.get(t));
        }
        Dataset out = Dataset.wrap(values, rows.size(), d, data.columnNames());
        return data.isWeighted() ? out.withWeights(weights) : out;
    }

    @Override
    public String toString() {
        return "DiscriminantAnalysis[EDDA, structures=" + structures + ", regCovar=" + regCovar + ", " + options + "]";
    }
}
