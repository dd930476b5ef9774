package io.emkit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.data.CsvData;
import io.emkit.data.EmkFile;
import io.emkit.data.Rows;
import io.emkit.em.EmResult;
import io.emkit.em.IterationListener;
import io.emkit.mixture.CovarianceType;
import io.emkit.mixture.GaussianMixture;
import io.emkit.mixture.GaussianMixtureModel;
import io.emkit.mixture.Initialization;
import io.emkit.io.ModelFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code emkit fit}: fits a Gaussian mixture to a CSV file. */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fit a Gaussian mixture to the rows of a CSV file by EM and print the fitted model.",
                "BIC and AIC are -2*logL + p*ln(n) and -2*logL + 2p: lower is better.",
                "Missing cells (empty, NA, NaN) are fitted exactly on each row's observed values (missing at random)."})
final class FitCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATA.csv", description = "The data: one row per line, comma-separated.")
    Path data;

    @Option(names = {"-k", "--components"}, required = true, paramLabel = "K",
            description = "Number of mixture components.")
    int components;

    @Option(names = "--covariance", paramLabel = "TYPE", converter = CovarianceConverter.class,
            description = "Covariance structure: full (VVV), diag (VVI), spherical (VII), tied (EEE) or any other of"
                    + " mclust's names: EII, EEI, VEI, EVI, VEE, EVE, VVE, EEV, VEV, EVV. Default: full.")
    CovarianceType covariance = CovarianceType.FULL;

    @Option(names = "--init", paramLabel = "METHOD", converter = InitConverter.class,
            description = "Initialisation: kmeans++, random or random-points. Default: kmeans++.")
    Initialization init = Initialization.KMEANS_PLUS_PLUS;

    @Option(names = "--init-model", paramLabel = "FILE",
            description = "Start EM from the parameters in this model file (a warm start) instead of --init.")
    Path initModel;

    @Option(names = "--n-init", paramLabel = "N", description = "Number of initialisations; the best fit wins. Default: 1.")
    int nInit = 1;

    @Option(names = "--max-iter", paramLabel = "N", description = "Most EM iterations per initialisation. Default: 100.")
    int maxIter = 100;

    @Option(names = "--tol", paramLabel = "X",
            description = "Stop when the mean log-likelihood per row changes by less than X. 0 runs exactly --max-iter iterations. Default: 0.001.")
    double tol = 1e-3;

    @Option(names = "--reg-covar", paramLabel = "X", description = "Added to covariance diagonals. Default: 1e-6.")
    double regCovar = GaussianMixture.DEFAULT_REG_COVAR;

    @Option(names = "--seed", paramLabel = "N", description = "Seed deciding every random choice. Default: 0.")
    long seed = 0;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the E-step (the result does not depend on it). Default: all cores.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--out-of-core",
            description = "Stream a .emk file from disk in every iteration instead of reading it into memory"
                    + " (for data larger than the heap; initialisation looks at 100000 rows spread over the file).")
    boolean outOfCore;

    // ---- other mixture families (FamilyFit): begin
    @Option(names = "--family", paramLabel = "FAMILY|COL=FAMILY",
            description = "Fit a mixture of independent columns instead of a Gaussian mixture: gaussian, poisson,"
                    + " bernoulli, categorical, exponential or auto (numbers gaussian, text categorical) for every"
                    + " column, and COL=FAMILY for one column (repeatable). Default: a Gaussian mixture.")
    java.util.List<String> family = new java.util.ArrayList<>();
    // ---- other mixture families: end

    @Option(names = "--model-out", paramLabel = "FILE", description = "Save the fitted model (JSON) to FILE.")
    Path modelOut;

    // Pictures and report (--plot, --plot-trace, --report): see FitPictures.
    @Mixin
    FitPictures pictures;

    @Option(names = "--json", description = "Print one JSON object instead of the readable summary.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors (and the JSON with --json).")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Print a line per iteration on standard error.")
    boolean verbose;

    @Override
    public Integer call() {
        validate();
        if (!family.isEmpty()) {
            return FamilyFit.run(this);
        }
        Outputs.checkNotAnInput(modelOut, "--model-out", data);
        pictures.check(data, modelOut, initModel);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Rows dataset;
        if (outOfCore) {
            if (!EmkFile.isEmk(data)) {
                throw new io.emkit.EmkitException(data + ": --out-of-core streams emkit's binary format; convert the"
                        + " file first: emkit convert " + data + " DATA.emk");
            }
            dataset = EmkFile.map(data, dataOptions.options());
        } else {
            CsvData csv = dataOptions.read(data);
            if (!quiet) {
                for (String c : csv.ignoredColumns()) {
                    err.println("note: ignoring non-numeric column '" + c + "' (choose columns with --columns)");
                }
            }
            dataset = csv.dataset();
        }
        GaussianMixtureModel start = initModel == null ? null : warmStart();
        GaussianMixture config = GaussianMixture.withComponents(components)
                .initialModel(start)
                .covarianceType(covariance)
                .initialization(init)
                .initializations(nInit)
                .maxIterations(maxIter)
                .tolerance(tol)
                .regCovar(regCovar)
                .seed(seed)
                .threads(threads)
                .listener(pictures.listener(CliSupport.progress(err, quiet, verbose, "log-likelihood", "change/row", 1)));
        EmResult<GaussianMixtureModel> fit = config.fit(dataset);
        if (modelOut != null) {
            ModelFiles.write(fit.params(), modelOut);
        }
        pictures.write(data, dataset, config, fit, err, !quiet && !json);
        if (json) {
            Outputs.write(null, out, w -> w.write(toJson(fit, dataset) + "\n"));
        } else if (!quiet) {
            out.print(Summary.of(data.toString(), dataset, config, fit));
            out.flush();
        }
        if (!quiet) {
            for (String w : fit.warnings()) {
                err.println("warning: " + w);
            }
            if (modelOut != null && !json) {
                err.println("model saved to " + modelOut);
            }
        }
        return 0;
    }

    private GaussianMixtureModel warmStart() {
        if (!(ModelFiles.read(initModel) instanceof GaussianMixtureModel g)) {
            throw new io.emkit.EmkitException(initModel + ": not a Gaussian mixture model");
        }
        return g;
    }

    private void validate() {
        CommandLine cl = spec.commandLine();
        if (components < 1) {
            throw new CommandLine.ParameterException(cl, "--components must be at least 1, got " + components);
        }
        if (!(regCovar >= 0) || Double.isInfinite(regCovar)) {
            throw new CommandLine.ParameterException(cl, "--reg-covar must be a finite number >= 0, got " + regCovar);
        }
        CliSupport.requireEmOptions(cl, nInit, maxIter, tol, threads);
    }

    static String toJson(EmResult<GaussianMixtureModel> fit, Rows dataset) {
        ObjectNode o = CliSupport.fitJson(fit);
        o.put("n_samples", dataset.rows());
        o.put("n_features", dataset.columns());
        CliSupport.putMissing(o, dataset.countMissing());
        o.set("model", ModelFiles.toTree(fit.params()));
        return CliSupport.finishJson(o, fit, "log_likelihood_trace", 1);
    }

    static final class CovarianceConverter extends LibraryConverter<CovarianceType> {
        CovarianceConverter() {
            super(CovarianceType::parse);
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
