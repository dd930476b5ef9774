package io.emkit.cli.fitting;

import io.emkit.cli.EngineOptions;
import io.emkit.cli.CliSupport;
import io.emkit.cli.ClusterEngine;
import io.emkit.cli.DataOptions;
import io.emkit.cli.WeightsColumn;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.data.CsvData;
import io.emkit.data.Dataset;
import io.emkit.data.EmkFile;
import io.emkit.data.Rows;
import io.emkit.em.EmResult;
import io.emkit.em.IterationListener;
import io.emkit.mixture.Assignment;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.Precision;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.GaussianPrior;
import io.emkit.select.Bootstrap;
import io.emkit.select.BootstrapResult;
import io.emkit.init.Initialization;
import io.emkit.em.MiniBatch;
import io.emkit.io.ModelFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** {@code emkit fit}: fits a Gaussian mixture to a CSV file. */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fit a Gaussian mixture to the rows of a CSV file by EM and print the fitted model.",
                "BIC and AIC are -2*logL + p*ln(n) and -2*logL + 2p: lower is better.",
                "Missing cells (empty, NA, NaN) are fitted exactly on each row's observed values (missing at random)."})
public final class FitCommand extends FittingCommand {

    @Option(names = {"-k", "--components"}, paramLabel = "K",
            description = "Number of mixture components (required, but with --labels-column: classes x"
                    + " --components-per-class).")
    int components;

    // ---- semi-supervised EM (LabelledFit): begin
    @Option(names = "--labels-column", paramLabel = "COL",
            description = "Semi-supervised EM: this column (by name or number from 1; not a model column) holds each"
                    + " row's class, or nothing for an unlabelled row. Rows of a class come from its components only;"
                    + " the model file keeps each component's class, and predict writes classes (docs/labels.md).")
    String labelsColumn;

    @Option(names = "--components-per-class", paramLabel = "N",
            description = "With --labels-column: components each class owns. Default: 1.")
    int componentsPerClass = 1;
    // ---- semi-supervised EM: end

    /** Every name {@code --covariance} accepts, for the help of each command that takes one. */
    static final String COVARIANCE_NAMES = "full (VVV), diag (VVI), spherical (VII), tied (EEE) or any other of"
            + " mclust's names: EII, EEI, VEI, EVI, VEE, EVE, VVE, EEV, VEV, EVV; for one column also mclust's E (equal"
            + " variance, read as EII) and V (unequal variances, VII)";

    /** The structure {@code --covariance} names; full for a mixture of factor analysers. */
    CovarianceType covariance = CovarianceType.FULL;
    /** Q with {@code --covariance mfa:Q} (a mixture of factor analysers), 0 otherwise. */
    int factors;

    @Option(names = "--covariance", paramLabel = "TYPE",
            description = "Covariance structure: " + COVARIANCE_NAMES + "; or mfa:Q, a mixture of factor analysers"
                    + " (each covariance Lambda Lambda^T + Psi with Q factors, for many columns). Default: full.")
    void covariance(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.startsWith("mfa:")) {
            try {
                factors = Integer.parseInt(v.substring(4).trim());
            } catch (NumberFormatException e) {
                factors = 0;
            }
            if (factors < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '--covariance':"
                        + " mfa:Q needs a whole number of factors Q >= 1, got '" + value + "'");
            }
            covariance = CovarianceType.FULL;
            return;
        }
        factors = 0;
        try {
            covariance = new CovarianceConverter().convert(value);
        } catch (CommandLine.TypeConversionException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '--covariance': "
                    + e.getMessage());
        }
    }

    @Mixin
    DistributionOptions distribution = new DistributionOptions();

    @Mixin
    NoiseOptions noise = new NoiseOptions();

    @Mixin
    VariationalOptions variational = new VariationalOptions();

    @Option(names = "--init", paramLabel = "METHOD", converter = InitConverter.class,
            description = "Initialisation: kmeans++, random, random-points or hc (model-based hierarchical clustering, mclust's default; on at most 2000 rows spread over the data). Default: kmeans++.")
    Initialization init = Initialization.KMEANS_PLUS_PLUS;

    @Option(names = "--init-model", paramLabel = "FILE",
            description = "Start EM from the parameters in this model file (a warm start) instead of --init.")
    Path initModel;

    @Mixin
    EmOptionsMixin em = EmOptionsMixin.em("row")
            .searchHelp(EmOptionsMixin.SEARCH_HELP + " Its starts are --init first, then kmeans++, random-points, random and hc"
                    + " (on at most 2000 rows). Default: ${DEFAULT-VALUE}.")
            .nInitHelp("from --init", "the best")
            .maxIterHelp("Most EM iterations per initialisation. Default: ${DEFAULT-VALUE}.")
            .threadsHelp("Threads for the E-step and, on small data, the search's starts (the result does not"
                    + " depend on it). Default: all cores.");

    @Mixin
    RegCovarOption regCovar;

    @Option(names = "--prior", paramLabel = "NAME", converter = PriorConverter.class, description = PRIOR_HELP)
    GaussianPrior prior;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    WeightsColumn weights;

    @Option(names = "--assignment", paramLabel = "soft|hard", converter = AssignmentConverter.class,
            description = "soft: ordinary EM; hard: classification EM (each row wholly in its most probable"
                    + " component), which maximises the classification log-likelihood. Default: soft.")
    Assignment assignment = Assignment.SOFT;

    @Option(names = "--hard", description = "Same as --assignment hard.")
    boolean hard;

    @Option(names = "--precision", paramLabel = "double|single", converter = PrecisionConverter.class,
            description = "single: the E-step's Mahalanobis products of the full-covariance structures in float (twice"
                    + " the SIMD lanes), the statistics and the log-likelihood still summed in double; the"
                    + " log-likelihood moves by 1e-10 to 2e-9 relative (after 5 iterations); with 512-bit vectors an"
                    + " iteration is 1.3x as fast at 64 columns and no faster at 16 (0.94x; see the guide)."
                    + " Gaussian mixtures fitted in this JVM only; data"
                    + " beyond float's range are fitted in double, with a warning. Default: double.")
    Precision precision = Precision.DOUBLE;

    @Mixin
    EngineOptions engine;

    @Option(names = "--out-of-core",
            description = "Stream a .emk file from disk in every iteration instead of reading it into memory"
                    + " (for data larger than the heap; initialisation looks at 100000 rows spread over the file).")
    boolean outOfCore;

    @Mixin
    MiniBatchOptions miniBatch = new MiniBatchOptions();

    // ---- other mixture families (FamilyFit): begin
    @Option(names = "--family", paramLabel = "FAMILY|COL=FAMILY",
            description = "Fit a mixture of independent columns instead of a Gaussian mixture: gaussian, poisson,"
                    + " bernoulli, categorical, exponential or auto (numbers gaussian, text categorical) for every"
                    + " column, and COL=FAMILY for one column (repeatable). Default: a Gaussian mixture.")
    java.util.List<String> family = new java.util.ArrayList<>();
    // ---- other mixture families: end

    @Option(names = "--bootstrap", paramLabel = "B",
            description = "After the fit, B bootstrap replicates (each refit warm-started from the fit): standard"
                    + " errors and 95%% percentile intervals of the weights, means and covariances.")
    int bootstrap;

    @Option(names = "--bootstrap-kind", paramLabel = "KIND", converter = BootstrapKindConverter.class,
            description = "nonparametric (rows resampled with replacement, the default) or weighted (every row"
                    + " with a flat-Dirichlet weight: the weighted likelihood bootstrap).")
    Bootstrap.Kind bootstrapKind = Bootstrap.Kind.NONPARAMETRIC;

    @Mixin
    FitOutputs output;

    // Pictures and report (--plot, --plot-trace, --report): see FitPictures.
    @Mixin
    FitPictures pictures;

    @Override
    public Integer call() {
        checkPrecision();
        if (labelsColumn != null) {
            em.check(spec.commandLine());
            return LabelledFit.run(this);
        }
        validate();
        // What needs the rows in this JVM (pictures, a second pass for hard fits, resampling, batches).
        engine.refuse(spec.commandLine().getParseResult(), "--out-of-core", "--plot", "--plot-trace", "--report",
                EmOptionsMixin.THREADS, "--hard", "--assignment", "--bootstrap", "--bootstrap-kind",
                "--mini-batch", "--delimiter");
        if (!family.isEmpty()) {
            return FamilyFit.run(this);
        }
        if (variational.isVb()) {
            return VariationalFit.run(this);
        }
        if (factors > 0) {
            return FactorFit.run(this, configuration(spec.commandLine().getErr()));
        }
        if (noise.noise) {
            return NoiseFit.run(this, configuration(spec.commandLine().getErr()));
        }
        if (distribution.isT()) {
            return StudentFit.run(this, configuration(spec.commandLine().getErr()));
        }
        output.checkNotAnInput(data);
        pictures.check(data, output.modelOut, initModel);
        PrintWriter err = spec.commandLine().getErr();
        if (!engine.isLocal()) {
            try (ClusterEngine.Data held = engine.open(dataArgument(), dataOptions)) {
                List<String> columns = EngineOptions.numericColumns(held, dataOptions, dataArgument(), note -> {
                    if (!output.mode.quiet) {
                        err.println(note);
                    }
                });
                GaussianMixture config = configuration(err);
                List<String> modelColumns = new java.util.ArrayList<>(columns);
                String weightName = EngineFit.weightsColumn(this, held, modelColumns);
                if (weightName != null) {
                    // Each row's weight travels with it, to the E-steps and to the starts' sample, as locally.
                    ClusterEngine.Data weighted = held.weighted(weightName);
                    EmResult<GaussianMixtureModel> fit = weighted.fit(config.distributed(), em.seed, modelColumns);
                    ClusterEngine.Counts counted = weighted.count(fit.params(), modelColumns);
                    return report(fit, counted.rows(), config, null, counted, err);
                }
                EmResult<GaussianMixtureModel> fit = held.fit(config, columns);
                // One more pass: the clustering table and the missing cells, counted where the rows are.
                ClusterEngine.Counts counted = held.count(fit.params(), columns);
                return report(fit, (long) fit.sampleCount(), config, null, counted, err);
            }
        }
        Rows dataset;
        if (outOfCore) {
            dataset = mappedRows();
        } else {
            try (FitStatus.Reading reading = status(err).reading(data.toString(), dataOptions)) {
                dataset = weights.read(data, dataOptions, output.mode.quiet, reading.notes(), true, CliSupport.FAMILY_HINT);
                reading.rows(dataset.rows());
            }
        }
        GaussianMixture config = configuration(err);
        status(err).seeding(config.options().search() == null ? config.options().initializations() : 0);
        EmResult<GaussianMixtureModel> fit;
        try {
            fit = config.fit(dataset);
        } finally {
            status(err).done();
        }
        return report(fit, dataset.rows(), config, dataset, null, err);
    }

    /**
     * For fits that run in this JVM only: refuses another engine, checks {@code --model-out}, and reads the rows.
     *
     * @param what  the fit, as the refusal names it ("a noise component is fitted")
     * @param alone the option that asked for it, which the refusal suggests dropping
     * @return the rows, with their weights
     */
    Dataset rowsInThisJvm(String what, String alone) {
        return rowsInThisJvm(what, alone, false);
    }

    /**
     * As {@link #rowsInThisJvm(String, String)}, with missing cells allowed if {@code missingAllowed}.
     *
     * @param what           the fit, as the refusal names it
     * @param alone          the option that asked for it
     * @param missingAllowed whether the fit takes rows with missing cells
     * @return the rows, with their weights
     */
    Dataset rowsInThisJvm(String what, String alone, boolean missingAllowed) {
        if (!engine.isLocal()) {
            throw new io.emkit.EmkitException(what + " on this machine only for now; drop --engine or " + alone);
        }
        output.checkNotAnInput(data);
        return weights.read(data, dataOptions, output.mode.quiet, spec.commandLine().getErr(), missingAllowed);
    }

    /**
     * For {@code --out-of-core}: the .emk file mapped from disk, streamed by every E-step.
     *
     * @return the rows, on disk
     * @throws io.emkit.EmkitException if the file is not emkit's binary format or row weights are asked for
     */
    Rows mappedRows() {
        if (!EmkFile.isEmk(data)) {
            throw new io.emkit.EmkitException(data + ": --out-of-core streams emkit's binary format; convert the"
                    + " file first: emkit convert " + data + " DATA.emk");
        }
        if (weights.given()) {
            throw new io.emkit.EmkitException("--weights-column cannot be combined with --out-of-core yet;"
                    + " fit the file in memory");
        }
        return EmkFile.map(data, dataOptions.options());
    }

    String dataArgument() {
        return EngineOptions.dataArgument(spec);
    }

    /** DATA as the summary names it: as before for local files, as typed for the engines. */
    String dataLabel() {
        return engine.isLocal() ? data.toString() : dataArgument();
    }

    /** The fit's status line (or lines), made once: every phase of the command shows on it. */
    private FitStatus status;

    FitStatus status(PrintWriter err) {
        if (status == null) {
            Assignment mode = hard ? Assignment.HARD : assignment;
            String objective = prior != null ? "log posterior"
                    : mode == Assignment.HARD ? "classification log-likelihood" : "log-likelihood";
            status = FitStatus.of(err, output.mode.quiet, output.mode.verbose, objective, "change/row", 1);
        }
        return status;
    }

    GaussianMixture configuration(PrintWriter err) {
        Assignment mode = hard ? Assignment.HARD : assignment;
        GaussianMixture config = GaussianMixture.withComponents(components)
                .assignment(mode)
                .initialModel(initModel == null ? null : warmStart())
                .covarianceType(covariance)
                .initialization(init)
                .options(em.options())
                .regCovar(regCovar.value)
                .prior(prior)
                .miniBatch(miniBatch.schedule())
                .precision(precision)
                .listener(pictures.listener(status(err)));
        return config;
    }

    /**
     * Saves the model, prints the summary or the JSON and the warnings; {@code dataset} is null off this JVM, where
     * {@code counted} says what the engine counted of its rows.
     */
    private int report(EmResult<GaussianMixtureModel> fit, long rows, GaussianMixture config, Rows dataset,
                       ClusterEngine.Counts counted, PrintWriter err) {
        PrintWriter out = spec.commandLine().getOut();
        // A hard fit's objective is the classification log-likelihood; the criteria use the mixture's.
        double logLikelihood = config.assignment() == Assignment.HARD ? config.logLikelihood(fit.params(), dataset)
                : fit.logLikelihood();
        BootstrapResult boot = bootstrap == 0 ? null
                : Bootstrap.of(bootstrap).kind(bootstrapKind).seed(em.seed).threads(em.threads)
                        .run(config, (Dataset) dataset, fit.params());
        if (output.modelOut != null) {
            ModelFiles.write(fit.params(), output.modelOut, CliSupport.provenance(spec.commandLine(), dataLabel(), rows,
                    fit.params().dimension(), em.seed, fit, logLikelihood));
        }
        if (dataset != null) {
            pictures.write(data, dataset, config, fit, logLikelihood, err, output.mode.readable());
        }
        output.print(out, err, () -> toJson(fit, rows, dataset, config, logLikelihood, boot, counted),
                () -> Summary.of(dataLabel(), rows, dataset, config, fit, logLikelihood, counted)
                        + (boot == null ? "" : BootstrapOutput.table(boot)), fit.warnings());
        return 0;
    }

    private GaussianMixtureModel warmStart() {
        if (!(ModelFiles.read(initModel) instanceof GaussianMixtureModel g)) {
            throw new io.emkit.EmkitException(initModel + ": not a Gaussian mixture model");
        }
        return g;
    }

    /** Refuses {@code --precision single} where the fit is not a Gaussian mixture's in this JVM. */
    private void checkPrecision() {
        if (precision != Precision.SINGLE) {
            return;
        }
        String other = labelsColumn != null ? "--labels-column"
                : !family.isEmpty() ? "--family"
                : variational.isVb() ? "--method vb"
                : factors > 0 ? "--covariance mfa:Q"
                : noise.noise ? "--noise"
                : distribution.isT() ? "--distribution t"
                : !engine.isLocal() ? "--engine spark"
                : null;
        if (other != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--precision single applies to Gaussian"
                    + " mixtures fitted in this JVM; it does not go with " + other);
        }
    }

    private void validate() {
        CommandLine cl = spec.commandLine();
        if (!cl.getParseResult().hasMatchedOption("--components")) {
            throw new CommandLine.ParameterException(cl, "Missing required option: '--components=K'");
        }
        if (cl.getParseResult().hasMatchedOption("--components-per-class")) {
            throw new CommandLine.ParameterException(cl, "--components-per-class goes with --labels-column");
        }
        if (components < 1) {
            throw new CommandLine.ParameterException(cl, "--components must be at least 1, got " + components);
        }
        regCovar.check(cl);
        em.check(cl);
        distribution.check(cl);
        noise.check(cl);
        variational.check(cl);
        if (bootstrap != 0 && bootstrap < 2) {
            throw new CommandLine.ParameterException(cl, "--bootstrap must be at least 2 replicates, got " + bootstrap);
        }
        if (bootstrap == 0 && cl.getParseResult().hasMatchedOption("--bootstrap-kind")) {
            throw new CommandLine.ParameterException(cl, "--bootstrap-kind goes with --bootstrap B");
        }
        if (bootstrap != 0 && outOfCore) {
            throw new CommandLine.ParameterException(cl, "--bootstrap resamples rows in memory; it cannot be combined"
                    + " with --out-of-core");
        }
        if (hard && cl.getParseResult().hasMatchedOption("--assignment") && assignment != Assignment.HARD) {
            throw new CommandLine.ParameterException(cl, "--hard contradicts --assignment " + assignment.label());
        }
        if (!miniBatch.given()) {
            miniBatch.checkNotAlone(cl);
            return;
        }
        if (!family.isEmpty()) {
            throw new CommandLine.ParameterException(cl, "--mini-batch fits Gaussian mixtures; it does not go with"
                    + " --family");
        }
        if (hard || assignment == Assignment.HARD) {
            throw new CommandLine.ParameterException(cl, "--mini-batch runs ordinary (soft) EM; it does not go with"
                    + " hard assignments");
        }
        if (weights.given()) {
            throw new CommandLine.ParameterException(cl, "--mini-batch does not take --weights-column yet");
        }
        miniBatch.checkValues(cl);
    }

    /**
     * The JSON result; a hard fit reports the mixture log-likelihood (and the criteria from it) under the
     * usual keys and its objective under {@code classification_log_likelihood} and its trace.
     */
    static String toJson(EmResult<GaussianMixtureModel> fit, long rows, Rows dataset, GaussianMixture config,
                         double logLikelihood, BootstrapResult boot, ClusterEngine.Counts counted) {
        ObjectNode o = CliSupport.fitJson(fit, logLikelihood);
        if (boot != null) {
            BootstrapOutput.addTo(o, boot);
        }
        if (config.prior() != null) {
            o.put("log_posterior", fit.objective());
        }
        Assignment mode = config.assignment();
        boolean isHard = mode == Assignment.HARD;
        o.put("assignment", mode.label());
        if (isHard) {
            o.put("classification_log_likelihood", fit.logLikelihood());
        }
        o.put("n_samples", rows);
        if (dataset != null && dataset.isWeighted()) {
            o.put("total_weight", dataset.totalWeight());
        } else if (counted != null && counted.weighted()) {
            o.put("total_weight", counted.totalWeight());
        }
        o.put("n_features", fit.params().dimension());
        Summary.putClusterSizes(o, Summary.clusterSizes(fit.params(), dataset, counted));
        if (config.miniBatch() != null) {
            MiniBatch m = config.miniBatch();
            ObjectNode mb = o.putObject("mini_batch");
            mb.put("batch_size", m.batchSize());
            mb.put("batches_per_pass", m.batchesPerPass((int) rows));
            mb.put("passes", m.passes());
            mb.put("step_exponent", m.stepExponent());
            mb.put("shuffled", m.shuffled());
        }
        CliSupport.putMissing(o, Summary.missing(dataset, counted));
        o.set("model", ModelFiles.toTree(fit.params()));
        return CliSupport.finishJson(o, fit, isHard ? "classification_log_likelihood_trace" : "log_likelihood_trace", 1);
    }

    /** What {@code --prior} does, for the help of fit and select. */
    static final String PRIOR_HELP = "default: MAP-EM under mclust's default conjugate prior (means shrunk 0.01 rows' worth"
            + " towards the data mean, inverse-Wishart covariances with d+2 degrees of freedom and scale"
            + " var(data)/K^(2/d)), which keeps components from collapsing; EM then maximises the log posterior, and"
            + " BIC uses the log-likelihood at its mode. --reg-covar is not used. none: maximum likelihood. Default: none.";

    static final class PriorConverter implements CommandLine.ITypeConverter<GaussianPrior> {
        @Override
        public GaussianPrior convert(String value) {
            return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "default" -> GaussianPrior.defaults();
                case "none" -> null;
                default -> throw new CommandLine.TypeConversionException("expected default or none, got '" + value + "'");
            };
        }
    }

    static final class CovarianceConverter extends LibraryConverter<CovarianceType> {
        CovarianceConverter() {
            super(CovarianceType::parse);
        }
    }

    static final class BootstrapKindConverter extends LibraryConverter<Bootstrap.Kind> {
        BootstrapKindConverter() {
            super(Bootstrap.Kind::parse);
        }
    }

    static final class AssignmentConverter extends LibraryConverter<Assignment> {
        AssignmentConverter() {
            super(Assignment::parse);
        }
    }

    static final class PrecisionConverter extends LibraryConverter<Precision> {
        PrecisionConverter() {
            super(Precision::parse);
        }
    }

    static final class InitConverter extends LibraryConverter<Initialization> {
        InitConverter() {
            super(Initialization::parse);
        }
    }

    /** Turns the library's parse errors into picocli's, so they exit with a usage error. */
    abstract static class LibraryConverter<T> implements CommandLine.ITypeConverter<T> {
        private final java.util.function.Function<String, T> parse;

        LibraryConverter(java.util.function.Function<String, T> parse) {
            this.parse = parse;
        }

        @Override
        public T convert(String value) {
            try {
                return parse.apply(value);
            } catch (io.emkit.EmkitException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
