package io.emkit.cli.fitting;

import io.emkit.cli.CliSupport;
import io.emkit.cli.DataOptions;
import io.emkit.cli.Emkit;
import io.emkit.cli.Format;
import io.emkit.cli.Outputs;
import io.emkit.cli.WeightsColumn;
import io.emkit.cli.pictures.PictureSize;
import io.emkit.cli.pictures.Pictures;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.io.ModelFiles;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianPrior;
import io.emkit.init.Initialization;
import io.emkit.select.Candidate;
import io.emkit.select.Criterion;
import io.emkit.select.LikelihoodRatioTest;
import io.emkit.select.ModelSelection;
import io.emkit.select.SelectionResult;
import io.emkit.student.StudentMixtureModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import io.emkit.cli.plot.SelectionPlot;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** {@code emkit select}: fits every (K, covariance structure) pair and picks one by BIC, ICL or AIC. */
@Command(name = "select", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Choose a Gaussian mixture's number of components and covariance structure by BIC, ICL or AIC.",
                "Every combination is fitted and ranked by BIC (-2*logL + p*ln n), ICL (BIC + 2*entropy of the"
                        + " responsibilities) or AIC (-2*logL + 2p). Lower is better for all three.",
                "Structures with the same K start from the same partition of the rows."})
public final class SelectCommand extends FittingCommand {

    @Option(names = {"-k", "--components"}, paramLabel = "RANGE",
            description = "Numbers of components: a range 1-9, a list 2,3,5, or both (1-3,6). Default: 1-9.")
    String componentsSpec = "1-9";

    @Option(names = "--covariance", paramLabel = "NAMES",
            description = "Structures: all (mclust's 14: EII, VII, EEI, VEI, EVI, VVI, EEE, VEE, EVE, VVE, EEV, VEV,"
                    + " EVV, VVV) or a comma-separated list of names (full, diag, spherical and tied are accepted)."
                    + " Add mfa:Q for mixtures of factor analysers with Q factors, Q a range or list (mfa:1-5,"
                    + " mfa:2,4, or both with other names: VVV,VVI,mfa:1-5); mfa alone fits only those. Default: all.")
    String covarianceSpec = "all";

    @Mixin
    DistributionOptions distribution = new DistributionOptions().help(
            "Select Gaussian mixtures, or t mixtures (each fitted from its Gaussian fit; BIC counts the fitted degrees"
                    + " of freedom among the parameters; missing cells are fitted on each row's observed values). Default: gaussian.",
            "With --distribution t: hold every degrees of freedom at V (> 0) instead of fitting them.",
            "With --distribution t: one degrees of freedom per component (free) or one for all (equal). Default: free.");

    @Option(names = "--noise",
            description = "Select mixtures with a uniform noise component (as fit --noise, started from one"
                    + " nearest-neighbour guess of the noise for all models): Gaussian, t (--distribution t) or factor"
                    + " analysers (mfa:Q; not t ones); the noise's weight and density count as two parameters, as"
                    + " mclust's. Rows with missing cells are fitted on their observed values.")
    boolean noise;

    @Option(names = "--criterion", paramLabel = "NAME", description = "bic, icl or aic. Default: bic.")
    String criterionName = "bic";

    @Option(names = "--init", paramLabel = "METHOD", converter = FitCommand.InitConverter.class,
            description = "Initialisation: kmeans++, random, random-points or hc (model-based hierarchical clustering, mclust's default; on at most 2000 rows spread over the data). Default: kmeans++.")
    Initialization init = Initialization.KMEANS_PLUS_PLUS;

    @Mixin
    EmOptionsMixin em = EmOptionsMixin.em("row")
            .searchHelp(EmOptionsMixin.SEARCH_HELP + " Default: ${DEFAULT-VALUE} (a criterion compares likelihoods, so a fit"
                    + " stuck in a poor local maximum misleads it).")
            .nInitHelp("per fit from --init", "the best")
            .maxIterHelp("Most EM iterations per fit. Default: ${DEFAULT-VALUE}.")
            .threadsHelp("Fits run at once (the result does not depend on it). Default: all cores.");

    @Mixin
    RegCovarOption regCovar;

    @Option(names = "--prior", paramLabel = "NAME", converter = FitCommand.PriorConverter.class,
            description = FitCommand.PRIOR_HELP)
    GaussianPrior prior;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    WeightsColumn weights;

    @Option(names = "--model-out", paramLabel = "FILE", description = "Save the chosen model (JSON) to FILE.")
    Path modelOut;

    @Option(names = "--plot", paramLabel = "FILE",
            description = "Draw the criterion against K, a line per structure, the chosen model marked (.png, .svg or .pdf).")
    Path plot;

    @Option(names = "--lrt",
            description = "Also test K against K+1 components by the parametric bootstrap likelihood-ratio test (as"
                    + " mclust's mclustBootstrapLRT), for the one structure named by --covariance, or else the chosen"
                    + " model's, each fit as the selection's (t, with noise, factor analysers); a row per K from 1 until a test is not significant at level 0.05 (or K reaches the"
                    + " largest --components).")
    boolean lrt;

    @Option(names = "--lrt-bootstrap", paramLabel = "B",
            description = "Bootstrap samples per test for --lrt (the smallest p-value is 1/(B+1)). Default: 99.")
    int lrtBootstrap = 99;

    @Mixin
    PictureSize size;

    @Mixin
    PrintOptions mode = new PrintOptions().help("Print one JSON object instead of the table.",
            "Print a line per fit on standard error.");

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        ModelSelection.Listener progress = SelectProgress.of(cl.getErr(), mode.quiet, mode.verbose);
        // Reading the file is shown as fit shows it, from the command's start; then a line per fit (SelectProgress).
        FitStatus readingStatus = FitStatus.of(cl.getErr(), mode.quiet, mode.verbose, "log-likelihood", "change/row", 1);
        List<Integer> ks = parseComponents(cl, componentsSpec);
        Structures structures = parseStructures(cl, covarianceSpec);
        List<CovarianceType> types = structures.types();
        List<Integer> factors = structures.factors();
        Criterion criterion;
        try {
            criterion = Criterion.parse(criterionName);
        } catch (EmkitException e) {
            throw new CommandLine.ParameterException(cl, "--criterion: " + e.getMessage());
        }
        em.check(cl);
        distribution.check(cl);
        boolean studentT = distribution.isT();
        if (!factors.isEmpty() && studentT && noise) {
            throw new CommandLine.ParameterException(cl, "--noise, --distribution t and --covariance mfa:Q together"
                    + " are not available (fit does not fit t factor analysers beside a noise component either);"
                    + " choose two of them");
        }
        if (!factors.isEmpty() && prior != null) {
            throw new CommandLine.ParameterException(cl, "--prior does not go with --covariance mfa:Q: its conjugate"
                    + " prior (mclust's) is on a full covariance and would not keep the factor structure Lambda"
                    + " Lambda^T + Psi; compare mfa:Q fits by maximum likelihood");
        }
        if (studentT && noise && prior != null) {
            throw new CommandLine.ParameterException(cl, "--prior is not available with --noise --distribution t yet"
                    + " (it is with either alone)");
        }
        // Not regCovar.check: select has always written this bound as 0.0, as its other range checks do; the
        // message stays as it was.
        CliSupport.requireFiniteAtLeast(cl, RegCovarOption.NAME, regCovar.value, 0);
        if (lrtBootstrap < 1) {
            throw new CommandLine.ParameterException(cl, "--lrt-bootstrap must be at least 1, got " + lrtBootstrap);
        }
        Outputs.checkNotAnInput(modelOut, "--model-out", data);
        Outputs.checkNotAnInput(plot, "--plot", data);
        size.check();
        Pictures.checkImageName(plot);
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        Dataset rows;
        try (FitStatus.Reading reading = readingStatus.reading(data.toString(), dataOptions)) {
            rows = weights.read(data, dataOptions, mode.quiet, reading.notes(), true);
            reading.rows(rows.rows());
        }
        int mostFactors = factors.stream().mapToInt(Integer::intValue).max().orElse(0);
        if (mostFactors >= rows.columns()) {
            throw new EmkitException("--covariance mfa:" + mostFactors + " needs fewer factors than the data's "
                    + Format.count(rows.columns(), "column") + " (choose Q below " + rows.columns() + ")");
        }
        io.emkit.data.Rows.MissingCounts missing = rows.countMissing();
        GaussianMixture template = GaussianMixture.withComponents(1).initialization(init)
                .options(em.options()).regCovar(regCovar.value).prior(prior);
        SelectionResult result;
        ModelSelection selection = ModelSelection.of(ks, types).criterion(criterion).fitting(template)
                .studentT(studentT ? distribution.degreesOfFreedom() : null).noise(noise).factorAnalysers(factors)
                .listener(progress);
        try {
            result = selection.run(rows);
        } finally {
            if (progress instanceof SelectProgress shown) {
                shown.close();
            }
        }
        Optional<Candidate> best = result.best();
        if (modelOut != null && best.isPresent()) {
            Candidate c = best.get();
            // A selection keeps each candidate's numbers, not how its run ended: converged and iterations unknown.
            ModelFiles.write(c.model(), modelOut, CliSupport.provenance(cl, data.toString(), rows.rows(), rows.columns(),
                    em.seed, c.logLikelihood(), c.bic(), null, null));
        }
        // The one structure named, else the chosen model's.
        CovarianceType lrtStructure = types.size() + factors.size() == 1
                ? (types.isEmpty() ? CovarianceType.FULL : types.get(0)) : best.map(Candidate::covariance).orElse(null);
        int lrtFactors = types.size() + factors.size() == 1
                ? (types.isEmpty() ? factors.get(0) : 0) : best.map(Candidate::factors).orElse(0);
        LikelihoodRatioTest lrtTest = !lrt || lrtStructure == null ? null
                : selection.likelihoodRatioTest(lrtStructure, lrtFactors).replicates(lrtBootstrap)
                        .maxComponents(Math.max(2, ks.stream().mapToInt(Integer::intValue).max().orElse(2)));
        List<LikelihoodRatioTest.Step> tests = lrtTest == null ? null : lrtTest.run(rows);
        String lrtModel = lrtTest == null ? null : lrtTest.model() + kinds(studentT, noise, lrtFactors > 0);
        if (mode.json) {
            ObjectNode o = json(result, prior != null, missing);
            if (tests != null) {
                lrtJson(o, lrtTest.model(), tests);
            }
            out.println(CliSupport.json(o));
        } else if (!mode.quiet) {
            out.print(table(result, data.toString(), prior != null, CliSupport.missingLine(missing, rows), rows.columns()));
            if (noise) {
                out.println("every model has a uniform noise component (its weight and density count as two"
                        + " parameters, as mclust's)");
            }
            if (tests != null) {
                out.print(lrtTable(lrtModel, tests));
            }
        }
        out.flush();
        if (best.isEmpty()) {
            err.println("emkit: every fit failed; see the reasons above");
            return Emkit.USAGE;
        }
        if (plot != null) {
            SelectionPlot.of(result, size.width(), size.height()).write(plot);
            if (mode.readable()) {
                err.println("plot saved to " + plot);
            }
        }
        if (modelOut != null && mode.readable()) {
            err.println("model saved to " + modelOut);
        }
        return 0;
    }

    static List<Integer> parseComponents(CommandLine cl, String spec) {
        Set<Integer> out = new LinkedHashSet<>();
        try {
            for (String part : spec.split(",")) {
                String p = part.trim();
                int dash = p.indexOf('-', 1);
                if (dash > 0) {
                    int lo = Integer.parseInt(p.substring(0, dash).trim());
                    int hi = Integer.parseInt(p.substring(dash + 1).trim());
                    if (hi < lo) {
                        throw new NumberFormatException();
                    }
                    for (int k = lo; k <= hi; k++) {
                        out.add(k);
                    }
                } else {
                    out.add(Integer.parseInt(p));
                }
            }
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(cl, "--components: expected a range such as 1-9 or a list such"
                    + " as 2,3,5, got '" + spec + "'");
        }
        for (int k : out) {
            if (k < 1) {
                throw new CommandLine.ParameterException(cl, "--components must be at least 1, got " + k);
            }
        }
        List<Integer> sorted = new ArrayList<>(out);
        sorted.sort(null);
        return sorted;
    }

    /**
     * What {@code --covariance} names.
     *
     * @param types   the Gaussian structures, in order
     * @param factors the numbers of factors of the mixtures of factor analysers, ascending (empty for none)
     */
    record Structures(List<CovarianceType> types, List<Integer> factors) {
    }

    /**
     * {@code all}, or structure names and {@code mfa:Q} items separated by commas, where Q is a number or a range and
     * the numbers and ranges after an {@code mfa:} belong to it ({@code VVV,mfa:1-3,5,EII}: Q = 1, 2, 3, 5).
     */
    static Structures parseStructures(CommandLine cl, String spec) {
        if (spec.trim().equalsIgnoreCase("all")) {
            return new Structures(CovarianceType.all(), List.of());
        }
        Set<CovarianceType> out = new LinkedHashSet<>();
        Set<Integer> factors = new java.util.TreeSet<>();
        boolean inFactors = false;
        for (String item : spec.split(",", -1)) {
            String name = item.trim();
            boolean mfa = name.toLowerCase(Locale.ROOT).startsWith("mfa:");
            if (mfa || inFactors && !name.isEmpty() && Character.isDigit(name.charAt(0))) {
                String range = mfa ? name.substring(4).trim() : name;
                if (!range.matches("[0-9]+(\\s*-\\s*[0-9]+)?")) {
                    throw new CommandLine.ParameterException(cl, "--covariance: mfa:Q needs a number of factors Q or a"
                            + " range such as mfa:1-5, got '" + item.trim() + "'");
                }
                String[] ends = range.split("-");
                int lo;
                int hi;
                try {
                    lo = Integer.parseInt(ends[0].trim());
                    hi = Integer.parseInt(ends[ends.length - 1].trim());
                } catch (NumberFormatException e) {
                    throw new CommandLine.ParameterException(cl, "--covariance: the number of factors in '"
                            + item.trim() + "' is too large");
                }
                if (lo < 1 || hi < lo || hi > 10_000) {
                    throw new CommandLine.ParameterException(cl, "--covariance: mfa:Q needs Q >= 1 (and a range from"
                            + " low to high), got '" + item.trim() + "'");
                }
                for (int q = lo; q <= hi; q++) {
                    factors.add(q);
                }
                inFactors = true;
                continue;
            }
            inFactors = false;
            try {
                out.add(CovarianceType.parse(name));
            } catch (EmkitException e) {
                throw new CommandLine.ParameterException(cl, "--covariance: " + e.getMessage());
            }
        }
        return new Structures(List.copyOf(out), List.copyOf(factors));
    }

    /** mclust's name of a model ({@link Summary#modelName}), or {@code mfa:Q} for a mixture of factor analysers. */
    static String modelName(Candidate c, int dimension) {
        return c.isFactorAnalysers() ? c.structureName() : Summary.modelName(c.covariance(), c.components(), dimension);
    }

    /**
     * The candidates as distinct models: where structures coincide (one column; one component) one row stands
     * for them all, named as mclust names it ({@link Summary#modelName}), the best of them by the criterion.
     *
     * @param dimension the number of columns fitted
     * @return a row per distinct model, in the order of the candidates
     */
    static List<Candidate> distinctModels(SelectionResult r, int dimension) {
        java.util.Map<String, Candidate> byModel = new java.util.LinkedHashMap<>();
        Candidate best = r.best().orElse(null);
        for (Candidate c : r.candidates()) {
            String key = c.components() + "," + modelName(c, dimension);
            Candidate kept = byModel.get(key);
            // The chosen model stands for its group even where another structure ties with it.
            if (kept == null || c == best || kept != best && c.succeeded()
                    && (!kept.succeeded() || c.value(r.criterion()) < kept.value(r.criterion()))) {
                byModel.put(key, c);
            }
        }
        return List.copyOf(byModel.values());
    }

    /** E.g. "VVV,3" or for one column "V,3": mclust's way of naming a model in its tables. */
    private static String shortName(Candidate c, int dimension) {
        return modelName(c, dimension) + "," + c.components();
    }

    /**
     * @param missingLine {@link CliSupport#missingLine}, empty for complete data
     * @param dimension   the number of columns fitted
     */
    static String table(SelectionResult r, String source, boolean map, String missingLine, int dimension) {
        StringBuilder s = new StringBuilder();
        boolean weighted = r.n() != r.rows();
        s.append("Model selection on ").append(source).append(": ").append(Format.count(r.rows(), "row"))
                .append(weighted ? " (total weight " + Format.amount(r.n()) + ", the n of BIC)" : "").append("; ")
                .append(r.criterion().toString().toUpperCase(Locale.ROOT)).append(" picks the model (lower is better)\n");
        s.append(missingLine);
        s.append("BIC = -2 logL + p ln n; ICL = BIC + 2 entropy(responsibilities); AIC = -2 logL + 2p.\n");
        if (map) {
            s.append("MAP-EM under the default prior: logL is the log-likelihood at the posterior mode; log-post adds"
                    + " the log prior density.\n");
        }
        s.append('\n');
        s.append(String.format(Locale.ROOT, "%3s  %-10s %14s%s %5s %14s %14s %14s%n", "K", "covariance",
                "log-lik", map ? String.format(Locale.ROOT, " %14s", "log-post") : "", "p", "BIC", "ICL", "AIC"));
        Candidate best = r.best().orElse(null);
        List<Candidate> distinct = distinctModels(r, dimension);
        for (Candidate c : distinct) {
            String name = modelName(c, dimension);
            if (c.succeeded()) {
                s.append(String.format(Locale.ROOT, "%3d  %-10s %14.4f%s %5d %14.4f %14.4f %14.4f%s%n", c.components(),
                        name, c.logLikelihood(), map ? String.format(Locale.ROOT, " %14.4f", c.logPosterior()) : "",
                        c.parameterCount(), c.bic(), c.icl(), c.aic(), c == best ? "  <- best" : ""));
            } else {
                s.append(String.format(Locale.ROOT, "%3d  %-10s  failed: %s%n", c.components(), name, c.failure()));
            }
        }
        if (distinct.size() < r.candidates().size()) {
            s.append(dimension == 1 ? "(one column: mclust's univariate models E, equal variance, V, unequal variances,"
                    + " and X, one component;\n each stands for the structures that coincide there)\n"
                    : "(one component: XII, XXI and XXX stand for the spherical, diagonal and ellipsoidal structures,"
                    + " which coincide there)\n");
        }
        s.append('\n');
        if (best != null) {
            String criterion = r.criterion().toString().toUpperCase(Locale.ROOT);
            // The chosen model first: where another's value is lower by rounding only (SelectionResult#best's tie),
            // the table must name the model that was picked.
            List<Candidate> ranked = distinct.stream().filter(Candidate::succeeded)
                    .sorted(java.util.Comparator.comparing((Candidate c) -> c != best)
                            .thenComparingDouble(c -> c.value(r.criterion()))).limit(3).toList();
            List<String> values = new ArrayList<>();
            List<String> differences = new ArrayList<>();
            int width = 14;
            for (Candidate c : ranked) {
                double difference = c.value(r.criterion()) - ranked.get(0).value(r.criterion());
                values.add(Format.fixed(c.value(r.criterion()), 4));
                differences.add(c == ranked.get(0) ? "0" : (difference < 0 ? "" : "+") + Format.fixed(difference, 4));
                width = Math.max(width, Math.max(values.get(values.size() - 1).length(),
                        differences.get(differences.size() - 1).length()) + 2);
            }
            s.append("top ").append(ranked.size()).append(" by ").append(criterion)
                    .append(Format.padLeft(criterion, width)).append(Format.padLeft("difference", width)).append('\n');
            for (int i = 0; i < ranked.size(); i++) {
                s.append(Format.pad("  " + shortName(ranked.get(i), dimension), 12))
                        .append(Format.padLeft(values.get(i), width)).append(Format.padLeft(differences.get(i), width))
                        .append('\n');
            }
            s.append('\n');
            s.append("best by ").append(criterion).append(": ")
                    .append(kind(best))
                    .append(modelName(best, dimension)).append(", ")
                    .append(Format.count(best.components(), "component"))
                    .append(String.format(Locale.ROOT, " (%s %.4f)%n", criterion, best.value(r.criterion())));
            if (degreesOfFreedom(best.model()) != null) {
                s.append("degrees of freedom:");
                for (double v : degreesOfFreedom(best.model())) {
                    s.append(' ').append(Format.num(v));
                }
                s.append(" (p counts the fitted ones)\n");
            }
            if (best.isFactorAnalysers()) {
                s.append(Format.count(best.factors(), "factor")).append(" per component (covariance Lambda Lambda^T +"
                        + " Psi); loadings and uniquenesses in the model file (--model-out) and the JSON (--json)\n");
            }
        } else {
            s.append("no fit succeeded\n");
        }
        return s.toString();
    }

    static ObjectNode json(SelectionResult r, boolean map, io.emkit.data.Rows.MissingCounts missing) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode o = mapper.createObjectNode();
        o.put("criterion", r.criterion().toString());
        o.put("distribution", r.candidates().stream().anyMatch(c -> degreesOfFreedom(c.model()) != null)
                ? StudentFit.T : StudentFit.GAUSSIAN);
        o.put("prior", map ? "default" : "none");
        o.put("noise", r.candidates().stream().anyMatch(c -> c.model() instanceof io.emkit.noise.MixtureBesideNoise<?>));
        o.put("n_samples", r.rows());
        if (r.n() != r.rows()) {
            o.put("total_weight", r.n());
        }
        CliSupport.putMissing(o, missing);
        ArrayNode results = o.putArray("results");
        for (Candidate c : r.candidates()) {
            results.add(node(mapper, c, map));
        }
        Optional<Candidate> best = r.best();
        if (best.isPresent()) {
            o.set("best", node(mapper, best.get(), map));
        } else {
            o.putNull("best");
        }
        return o;
    }

    /**
     * @param t        whether the models are t ones
     * @param noise    whether they have a noise component
     * @param factors  whether they are factor analysers
     * @return e.g. {@code " (t factor analysers)"}, or empty for Gaussian mixtures
     */
    static String kinds(boolean t, boolean noise, boolean factors) {
        if (!t && !noise) {
            return "";
        }
        String models = (t ? "t " : "Gaussian ") + (factors ? "factor analysers" : "mixtures");
        return " (" + models + (noise ? " with a uniform noise component" : "") + ")";
    }

    /** E.g. "t mixture with a uniform noise component, ", "mixture of factor analysers, "; empty for a Gaussian mixture. */
    private static String kind(Candidate c) {
        boolean t = degreesOfFreedom(c.model()) != null;
        boolean noise = c.model() instanceof io.emkit.noise.MixtureBesideNoise<?>;
        String model = c.isFactorAnalysers() ? (t ? "mixture of t factor analysers" : "mixture of factor analysers")
                : t ? "t mixture" : noise ? "Gaussian mixture" : "";
        model += noise ? " with a uniform noise component" : "";
        return model.isEmpty() ? "" : model + ", ";
    }

    /** A t model's degrees of freedom (with or without noise, factor analysers or not), or null for any other. */
    static double[] degreesOfFreedom(io.emkit.mixture.MixtureModel m) {
        io.emkit.mixture.MixtureModel inner = m instanceof io.emkit.noise.NoiseStudentMixtureModel n ? n.student() : m;
        return inner instanceof StudentMixtureModel t ? t.degreesOfFreedom()
                : inner instanceof io.emkit.factor.StudentFactorAnalyserMixtureModel t ? t.degreesOfFreedom() : null;
    }

    /** @param model the model tested, as {@link LikelihoodRatioTest#model} names it and {@link #kinds} qualifies it */
    static String lrtTable(String model, List<LikelihoodRatioTest.Step> tests) {
        StringBuilder s = new StringBuilder();
        s.append("\nBootstrap likelihood-ratio test, ").append(model).append(": LRT = 2 (logL(K+1) - logL(K));")
                .append(" p-value from ").append(tests.get(0).replicates()).append(" samples drawn from the K-component fit\n\n");
        s.append(String.format(Locale.ROOT, "%-10s %14s %14s %12s %9s%n", "K vs K+1", "logL(K)", "logL(K+1)", "LRT", "p-value"));
        for (LikelihoodRatioTest.Step t : tests) {
            s.append(String.format(Locale.ROOT, "%-10s %14.4f %14.4f %12.4f %9.4f  %s%n",
                    t.components() + " vs " + (t.components() + 1), t.logLikelihood(), t.logLikelihoodMore(),
                    t.statistic(), t.pValue(), t.significant() ? "significant: K+1 fits better" : "not significant"));
        }
        LikelihoodRatioTest.Step last = tests.get(tests.size() - 1);
        s.append(last.significant() ? "every test was significant up to the largest K allowed\n"
                : "the test keeps " + last.components() + (last.components() == 1 ? " component" : " components") + "\n");
        return s.toString();
    }

    static void lrtJson(ObjectNode o, String model, List<LikelihoodRatioTest.Step> tests) {
        ObjectNode l = o.putObject("lrt");
        l.put("covariance", model);
        ArrayNode a = l.putArray("tests");
        for (LikelihoodRatioTest.Step t : tests) {
            ObjectNode n = a.addObject();
            n.put("components", t.components());
            n.put("log_likelihood", t.logLikelihood());
            n.put("log_likelihood_more", t.logLikelihoodMore());
            n.put("statistic", t.statistic());
            n.put("p_value", t.pValue());
            n.put("replicates", t.replicates());
            n.put("significant", t.significant());
        }
    }

    private static ObjectNode node(ObjectMapper mapper, Candidate c, boolean map) {
        ObjectNode n = mapper.createObjectNode();
        n.put("components", c.components());
        n.put("covariance", c.structureName());
        if (c.isFactorAnalysers()) {
            n.put("factors", c.factors());
        }
        n.put("n_parameters", c.parameterCount());
        if (c.succeeded()) {
            n.put("log_likelihood", c.logLikelihood());
            if (map) {
                n.put("log_posterior", c.logPosterior());
            }
            n.put("bic", c.bic());
            n.put("icl", c.icl());
            n.put("aic", c.aic());
            if (degreesOfFreedom(c.model()) != null) {
                ArrayNode dof = n.putArray("degrees_of_freedom");
                for (double v : degreesOfFreedom(c.model())) {
                    dof.add(v);
                }
            }
        } else {
            n.putNull("log_likelihood");
            if (map) {
                n.putNull("log_posterior");
            }
            n.putNull("bic");
            n.putNull("icl");
            n.putNull("aic");
            n.put("failure", c.failure());
        }
        return n;
    }
}
