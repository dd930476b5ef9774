package io.emkit.cli.fitting;

import io.emkit.cli.CliSupport;
import io.emkit.cli.ClusterEngine;
import io.emkit.cli.EngineOptions;
import io.emkit.cli.Format;
import io.emkit.cli.HmmCommand;
import io.emkit.cli.HmmData;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.em.EmResult;
import io.emkit.em.IterationListener;
import io.emkit.hmm.CategoricalEmission;
import io.emkit.hmm.EmissionKind;
import io.emkit.hmm.GaussianEmission;
import io.emkit.hmm.GaussianMixtureEmission;
import io.emkit.hmm.HiddenMarkov;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.hmm.HmmParameter;
import io.emkit.hmm.PoissonEmission;
import io.emkit.data.Sequences;
import io.emkit.io.ModelFiles;
import io.emkit.gaussian.covariance.CovarianceType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** {@code emkit hmm fit}: fits a hidden Markov model to the sequences of a CSV file. */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fit a hidden Markov model to sequences in a CSV file (one row per time step) by Baum-Welch"
                + " (with --duration, a hidden semi-Markov model with explicit state durations).",
                "BIC and AIC are -2*logL + p*ln(n) and -2*logL + 2p with n the number of time steps: lower is better."})
public final class HmmFitCommand extends FittingCommand {
    /** The command, with its wording of {@code DATA.csv}. */
    public HmmFitCommand() {
        super("The data: one time step per line, comma-separated.");
    }

    @Option(names = {"-k", "--components", "-s", "--states"}, paramLabel = "K",
            description = "Number of hidden states (--states is the same option; required unless --init-model gives it).")
    Integer states;

    @Option(names = "--emission", paramLabel = "KIND", converter = EmissionConverter.class,
            description = "Emission distributions: gaussian, gmm (a mixture of --mix Gaussians per state), categorical"
                    + " (one column of symbols 0..M-1), poisson (counts) or multinomial (count vectors: each row the counts of"
                    + " the columns' categories). Default: gaussian.")
    EmissionKind emission = EmissionKind.GAUSSIAN;

    @Option(names = "--labels-column", paramLabel = "COL",
            description = "Semi-supervised Baum-Welch: this column (not an observation column) holds each step's class,"
                    + " or nothing; one state per class (in sorted order), a labelled step is in its class's state."
                    + " The model file keeps each state's class, and hmm decode writes classes (docs/labels.md).")
    String labelsColumn;

    @Option(names = "--states-per-class", paramLabel = "N",
            description = "With --labels-column: states each class owns (a class with regimes of its own); the states"
                    + " must be classes x N. Default: 1.")
    int statesPerClass = 1;

    @Option(names = "--mix", paramLabel = "M", description = "Gaussians per state for --emission gmm. Default: 2.")
    int mix = 2;

    @Option(names = "--covariance", paramLabel = "TYPE", converter = FitCommand.CovarianceConverter.class,
            description = "Gaussian (and gmm) emissions' covariance: " + FitCommand.COVARIANCE_NAMES
                    + ". Default: full.")
    CovarianceType covariance = CovarianceType.FULL;

    @Option(names = "--duration", paramLabel = "SPEC",
            description = "Fit a hidden semi-Markov model: each state lasts a number of steps drawn from its own"
                    + " duration distribution, then moves to another state. SPEC: poisson[:DMAX] (d - 1 Poisson),"
                    + " negative-binomial[:DMAX] or nonparametric:DMAX (free probabilities of 1..DMAX steps); DMAX, the"
                    + " longest duration, at most the longest sequence (default for the first two: 100, or the longest"
                    + " sequence if shorter). Same emissions, --init-model (a semi-Markov model file; it implies --duration), --fix"
                    + " (also durations), priors and topologies (every state needs a move to another: no left-right).")
    String duration;

    @Option(names = "--transition-covariates", split = ",", paramLabel = "COL",
            description = "Make the transitions depend on these columns (an input-output HMM): each state's"
                    + " outgoing row is a multinomial logistic regression (intercept and one slope per column, the"
                    + " state itself the reference) of the covariates of the step moved into. Not observation columns;"
                    + " hmm decode and score read them from their data, hmm sample from --covariates FILE. No"
                    + " --duration, --init-model, --fix, priors or topologies yet.")
    List<String> transitionCovariates = new java.util.ArrayList<>();

    @Mixin
    HmmData.Options input;

    @Mixin
    EmOptionsMixin em = EmOptionsMixin.em("time step")
            .searchHelp(EmOptionsMixin.SEARCH_HELP + " Default: ${DEFAULT-VALUE}.")
            .nInitHelp("from seeded starts", "the best")
            .maxIterHelp("Most Baum-Welch iterations per initialisation. Default: ${DEFAULT-VALUE}.")
            .threadsHelp("Threads for the E-step (the result does not depend on it). Default: all cores.");

    @Mixin
    RegCovarOption regCovar = new RegCovarOption().help("Added to Gaussian covariance diagonals. Default: 1e-6.");

    @Option(names = "--transition-prior", paramLabel = "ALPHA",
            description = "Dirichlet concentration (>= 1) on each transition row: MAP estimation. Default: 1 (none).")
    double transitionPrior = 1.0;

    @Option(names = "--init-model", paramLabel = "FILE",
            description = "Start Baum-Welch from the HMM in FILE (a warm start: its states, emission family and"
                    + " parameters; its zeros stay zero) instead of a random initialisation. A hidden semi-Markov model"
                    + " file starts a semi-Markov fit (its durations set --duration).")
    Path initModel;

    @Option(names = "--fix-transitions", split = ",", paramLabel = "FROM:TO",
            description = "Keep these transitions at their values in --init-model (states numbered from 1, e.g."
                    + " 1:2,3:3), or 'all'. Each row's other entries are re-estimated to fill what the fixed ones leave.")
    List<String> fixTransitions = new java.util.ArrayList<>();

    @Option(names = "--fix", split = ",", paramLabel = "PART",
            description = "Keep these parts at their values in --init-model (hmmlearn's params leaves them out): start,"
                    + " transitions, means, covariances, weights (gmm), probabilities (categorical), rates (poisson)."
                    + " The other parts are re-estimated; the log-likelihood still never decreases. With --duration,"
                    + " also durations.")
    List<String> fix = new java.util.ArrayList<>();

    @Mixin
    HmmStructureOptions structure = new HmmStructureOptions();

    /** Whether this run fits a hidden semi-Markov model (--duration, or a semi-Markov --init-model). */
    private boolean semiMarkov;

    // ---- pictures (--plot, --report, --width, --height): see HmmFitPictures
    @Mixin
    HmmFitPictures pictures = new HmmFitPictures();
    // ---- pictures: end

    @Mixin
    FitOutputs output;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() {
        engine.refuse(spec.commandLine().getParseResult(), "--delimiter", EmOptionsMixin.THREADS);
        output.checkNotAnInput(data, initModel);
        // ---- pictures: checked before the fit; drawn on this machine, of a hidden Markov model
        pictures.check(data, output.modelOut, initModel);
        engine.refuse(spec.commandLine().getParseResult(), "--plot", "--report");
        if (duration != null && pictures.given()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--plot and --report are not available for"
                    + " semi-Markov models yet; draw the decoding with hmm decode --plot");
        }
        if (!transitionCovariates.isEmpty() && pictures.given()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--plot and --report are not available with"
                    + " --transition-covariates yet");
        }
        // ---- pictures: end
        if (statesPerClass != 1 && (labelsColumn == null || statesPerClass < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), statesPerClass < 1
                    ? "--states-per-class must be at least 1, got " + statesPerClass
                    : "--states-per-class goes with --labels-column");
        }
        SemiMarkovFit.Spec durations = duration == null ? null : SemiMarkovFit.Spec.parse(duration);
        if (!transitionCovariates.isEmpty()) {
            CovariateFit.refuseOptions(this);
        }
        // A semi-Markov starting model: its start, transitions and emissions serve the checks an HMM's would, its
        // durations say --duration when it is not given.
        io.emkit.hmm.semimarkov.SemiMarkovModel semiStart = null;
        if (initModel != null && ModelFiles.HIDDEN_SEMI_MARKOV_MODEL.equals(ModelFiles.kindOf(initModel))) {
            semiStart = ModelFiles.readSemiMarkov(initModel);
            durations = SemiMarkovFit.Spec.adopt(durations, semiStart, initModel);
            if (pictures.given()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--plot and --report are not available"
                        + " for semi-Markov models yet (" + initModel + " holds one); draw the decoding with hmm decode"
                        + " --plot");
            }
        } else if (initModel != null && durations != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--duration with --init-model needs a hidden"
                    + " semi-Markov model file (from hmm fit --duration ... --model-out); " + initModel + " holds "
                    + ModelFiles.kindOf(initModel));
        }
        semiMarkov = durations != null;
        if (semiMarkov && labelsColumn != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--labels-column is not available for"
                    + " semi-Markov models (--duration) yet");
        }
        boolean fixDurations = durations != null && fix.stream().anyMatch(f -> f.trim().equalsIgnoreCase("durations"));
        if (durations != null) {
            fix.removeIf(f -> f.trim().equalsIgnoreCase("durations"));
        }
        HiddenMarkovModel start = semiStart != null ? adoptInitModel(HiddenMarkovModel.of(
                semiStart.startProbabilities(), semiStart.transitionMatrix(), semiStart.emission()))
                : initModel == null ? null : adoptInitModel(HmmCommand.readModel(initModel));
        validate();
        if (fixDurations && start == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--fix keeps parts at their values in a"
                    + " starting model; give it with --init-model FILE");
        }
        boolean[][] fixed = fixedTransitions(start);
        if (!fix.isEmpty() && start == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--fix keeps parts at their values in a"
                    + " starting model; give it with --init-model FILE");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // The reader's notes (columns left out or modelled) wait for a fit: a run that fails says one line.
        java.io.StringWriter notes = new java.io.StringWriter();
        HmmData d = null;
        io.emkit.labels.ClassLabels labels = null;
        // The status line (or lines): reading, seeding, each start's iterations (FitStatus).
        FitStatus status = FitStatus.of(err, output.mode.quiet, output.mode.verbose, "objective", "change/step", 1);
        if (engine.isLocal()) {
            try (FitStatus.Reading reading = status.reading(data.toString(), input.dataOptions())) {
                d = HmmData.read(data, input, start == null ? null : start.featureNames(), emission,
                        output.mode.quiet ? null : new PrintWriter(notes, true), labelsColumn, transitionCovariates);
                reading.rows(d.sequences.totalLength());
            }
            if (start != null) {
                HmmCommand.checkDimension(d, start);
            }
            labels = labelsColumn == null ? null
                    : io.emkit.labels.ClassLabels.of(d.labelCells(labelsColumn, input.dataOptions()));
        }
        HiddenMarkov config = switch (emission) {
            case GAUSSIAN -> HiddenMarkov.gaussian(states, covariance);
            case GAUSSIAN_MIXTURE -> HiddenMarkov.gaussianMixture(states, mix, covariance);
            case CATEGORICAL -> HiddenMarkov.categorical(states);
            case POISSON -> HiddenMarkov.poisson(states);
            case MULTINOMIAL -> HiddenMarkov.multinomial(states);
        };
        if (start != null) {
            if (start.emission() instanceof CategoricalEmission c) {
                config = config.symbols(c.symbols());
            }
            config = config.initialModel(start).fixedTransitions(fixed).fixedParameters(fixedParts(start));
        }
        config = config.options(em.options()).regCovar(regCovar.value)
                .transitionPrior(transitionPrior)
                .listener(pictures.listener(status));
        if (durations != null) {
            try {
                status.seeding(FitStatus.runs(config.options()));
                config = structure.apply(spec.commandLine(), config, states, emission);
                return SemiMarkovFit.run(this, config, d, durations, semiStart, fixDurations, notes, status::done);
            } finally {
                status.done();
            }
        }
        if (!transitionCovariates.isEmpty()) {
            try {
                status.seeding(FitStatus.runs(config.options()));
                return CovariateFit.run(this, config, d, notes, status::done);
            } finally {
                status.done();
            }
        }
        config = structure.apply(spec.commandLine(), config, states, emission);
        EmResult<HiddenMarkovModel> fit;
        long count;
        List<String> names;
        String label;
        List<String> stateClasses = null;
        LabelCounts known = null;
        if (engine.isLocal()) {
            try {
                status.seeding(FitStatus.runs(config.options()));
                if (labels != null) {
                    io.emkit.labels.SemiSupervisedHmm.Fit labelled = io.emkit.labels.SemiSupervisedHmm.of(config)
                            .fit(d.sequences, labels, statesPerClass);
                    fit = labelled.em();
                    stateClasses = labelled.stateClasses();
                    long[] counts = new long[labels.classes()];
                    for (int g = 0; g < counts.length; g++) {
                        counts[g] = labels.count(g);
                    }
                    known = new LabelCounts(labels.names(), counts, labels.rows());
                } else {
                    fit = config.fit(d.sequences);
                }
            } finally {
                status.done();
            }
            count = d.sequences.count();
            names = d.sequences.featureNames();
            label = data.toString();
        } else {
            label = EngineOptions.dataArgument(spec);
            HiddenMarkov configured = config;
            if (labelsColumn != null) {
                record Labelled(ClusterEngine.PlanFit<HiddenMarkovModel> fit, List<String> names,
                                ClusterEngine.Classes classes) {
                }
                Labelled on = onEngine(notes, start, e -> {
                    ClusterEngine.Classes classes = e.held().classes(e.labels());
                    return new Labelled(e.held().fit(io.emkit.labels.SemiSupervisedHmm.of(configured)
                                    .distributed(classes.names(), statesPerClass), e.sequence(), e.time(),
                            e.observations(), e.labels(), classes.names()), e.observations(), classes);
                });
                fit = on.fit().fit();
                count = on.fit().sequences();
                names = on.names();
                stateClasses = io.emkit.labels.SemiSupervisedHmm.stateClasses(on.classes().names(), statesPerClass);
                known = new LabelCounts(on.classes().names(), on.classes().counts(), on.fit().steps());
            } else {
                record Plain(ClusterEngine.SequenceFit fit, List<String> names) {
                }
                Plain on = onEngine(notes, start, e -> new Plain(e.held().fit(configured, e.sequence(), e.time(),
                        e.observations()), e.observations()));
                fit = on.fit().fit();
                count = on.fit().sequences();
                names = on.names();
            }
        }
        if (!output.mode.quiet) {
            err.print(notes);
            err.flush();
        }
        long steps = Math.round(fit.sampleCount());
        // ---- pictures: the first sequence's decoding and the report
        if (d != null && pictures.given()) {
            java.util.Map<String, String> own = new java.util.LinkedHashMap<>();
            own.put("--components", Integer.toString(fit.params().states()));
            own.put("--emission", emission.toString());
            own.put("--covariance", covariance.label());
            long sequenceCount = count;
            List<String> columns = names;
            pictures.write(data, d, fit, stateClasses, own, em.options(), () -> summary(fit, data.toString(),
                    sequenceCount, steps, columns), err, output.mode.readable());
        }
        // ---- pictures: end
        if (output.modelOut != null) {
            io.emkit.io.Provenance provenance = CliSupport.provenance(spec.commandLine(), label, steps,
                    fit.params().dimension(), em.seed, fit, fit.logLikelihood());
            if (stateClasses != null) {
                io.emkit.io.LabelledModelFiles.writeHmm(fit.params(), stateClasses, output.modelOut, provenance);
            } else {
                ModelFiles.writeHmm(fit.params(), output.modelOut, provenance);
            }
        }
        long sequences = count;
        String file = label;
        List<String> classes = stateClasses;
        LabelCounts classCounts = known;
        output.print(out, err, () -> {
            String json = toJson(fit, sequences, steps, names.size());
            if (classes == null) {
                return json;
            }
            try {
                com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode)
                        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
                o.put("objective", "semi_supervised_log_likelihood");
                o.put("labels_column", labelsColumn);
                o.put("labelled_steps", classCounts.labelledRows());
                com.fasterxml.jackson.databind.node.ArrayNode a = o.putArray("state_classes");
                classes.forEach(a::add);
                io.emkit.io.LabelledModelFiles.withClasses((com.fasterxml.jackson.databind.node.ObjectNode) o.get("model"),
                        classes);
                return CliSupport.json(o);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }, () -> {
            String summary = summary(fit, file, sequences, steps, names);
            if (classes == null) {
                return summary;
            }
            StringBuilder s = new StringBuilder();
            s.append("labels       column '").append(labelsColumn.trim()).append("': ")
                    .append(classCounts.labelledRows()).append(" labelled steps in ").append(classCounts.names().size())
                    .append(" classes (");
            for (int g = 0; g < classCounts.names().size(); g++) {
                s.append(g == 0 ? "" : ", ").append(classCounts.names().get(g)).append(' ')
                        .append(classCounts.counts()[g]);
            }
            s.append("), ").append(classCounts.rows() - classCounts.labelledRows()).append(" unlabelled; a labelled"
                    + " step is in"
                    + " its class's state, and the objective is the log-likelihood with the known states\n");
            s.append("state classes ");
            for (int c = 0; c < classes.size(); c++) {
                s.append(c == 0 ? "" : ", ").append(c + 1).append(' ').append(classes.get(c));
            }
            s.append(" (hmm decode writes the class names)");
            return s.append("\n").append(summary).toString();
        }, fit.warnings());
        return 0;
    }

    /**
     * The classes of a labels column and how many steps have each.
     *
     * @param names  the classes, sorted
     * @param counts per class its labelled steps
     * @param rows   every step
     */
    record LabelCounts(List<String> names, long[] counts, long rows) {
        long labelledRows() {
            return java.util.Arrays.stream(counts).sum();
        }
    }

    /**
     * Sequences an engine holds, their columns resolved as the file's reader resolves them for this machine.
     *
     * @param held         the open data
     * @param label        the data argument
     * @param sequence     the sequence column, or null
     * @param time         the time column, or null
     * @param observations the observation columns
     * @param covariates   the transition covariates' columns (empty without --transition-covariates)
     * @param labels       the labels column, or null
     */
    record OnEngine(ClusterEngine.Data held, String label, String sequence, String time, List<String> observations,
                    List<String> covariates, String labels) {
    }

    /**
     * Opens the data on the engine, resolves the columns and runs {@code fit} on them, then closes the engine.
     *
     * @param notes where the reader's notes go (columns left out)
     * @param start the starting model, whose features are the observation columns, or null
     */
    <T> T onEngine(java.io.StringWriter notes, HiddenMarkovModel start, java.util.function.Function<OnEngine, T> fit) {
        String label = EngineOptions.dataArgument(spec);
        try (ClusterEngine.Data held = engine.open(label, input.dataOptions())) {
            List<String> all = held.columnNames();
            String sequence = input.sequenceColumn() == null ? null
                    : all.get(io.emkit.data.TextTable.columnIndex(label, all, input.sequenceColumn().trim()));
            String time = input.timeColumn() == null ? null
                    : all.get(io.emkit.data.TextTable.columnIndex(label, all, input.timeColumn().trim()));
            String labels = labelsColumn == null ? null
                    : all.get(io.emkit.data.TextTable.columnIndex(label, all, labelsColumn.trim()));
            List<String> covariates = new java.util.ArrayList<>();
            for (String c : transitionCovariates) {
                int j = io.emkit.data.TextTable.columnIndex(label, all, c.trim());
                if (!held.isNumeric(j)) {
                    throw new io.emkit.EmkitException(label + ": transition covariate '" + c.trim()
                            + "' is not a numeric column");
                }
                covariates.add(all.get(j));
            }
            List<String> given = new java.util.ArrayList<>(covariates);
            if (labels != null) {
                given.add(labels);
            }
            for (String c : given) {
                if (c.equals(sequence) || c.equals(time)) {
                    throw new io.emkit.EmkitException((c.equals(labels) ? "--labels-column" : "--transition-covariates")
                            + " '" + c + "' is also the " + (c.equals(sequence) ? "sequence" : "time") + " column");
                }
            }
            java.io.StringWriter read = new java.io.StringWriter();
            List<String> names = new java.util.ArrayList<>(EngineOptions.observationColumns(held, input.dataOptions(),
                    label, sequence, time, start == null ? null : start.featureNames(), new PrintWriter(read, true)));
            if (input.dataOptions().columnsGiven()) {
                for (String c : names) {
                    if (c.equals(labels) || covariates.contains(c)) {
                        throw new io.emkit.EmkitException((c.equals(labels) ? "--labels-column" : "--transition-covariates")
                                + " '" + c + "' is also in --columns; leave it out of --columns");
                    }
                }
            }
            names.remove(labels);
            names.removeAll(covariates);
            if (names.isEmpty()) {
                throw new io.emkit.EmkitException(label + ": no observation columns; choose them with --columns");
            }
            // The labels column is not an observation column: no note that it is left out.
            read.toString().lines().filter(l -> !output.mode.quiet && (labels == null || !l.contains("'" + labels + "'")))
                    .forEach(l -> notes.write(l + System.lineSeparator()));
            if (start != null && start.dimension() != names.size()) {
                throw new io.emkit.EmkitException(label + ": the starting model has " + start.dimension()
                        + " features but the data have " + names.size() + " observation columns ("
                        + io.emkit.EmkitException.list(names) + ")");
            }
            return fit.apply(new OnEngine(held, label, sequence, time, List.copyOf(names), List.copyOf(covariates),
                    labels));
        }
    }

    /**
     * Takes the number of states and the emission family from the starting model, refusing options that say
     * otherwise.
     */
    private HiddenMarkovModel adoptInitModel(HiddenMarkovModel m) {
        CommandLine cl = spec.commandLine();
        var parse = cl.getParseResult();
        if (states != null && states != m.states()) {
            throw new CommandLine.ParameterException(cl, "--components " + states + " but --init-model " + initModel
                    + " has " + m.states() + " states; drop --components");
        }
        states = m.states();
        EmissionKind kind = m.emission().kind();
        if (parse.hasMatchedOption("--emission") && emission != kind) {
            throw new CommandLine.ParameterException(cl, "--emission " + emission + " but --init-model " + initModel
                    + " has " + kind + " emissions; drop --emission");
        }
        emission = kind;
        CovarianceType type = m.emission() instanceof GaussianEmission g ? g.covarianceType()
                : m.emission() instanceof GaussianMixtureEmission g ? g.covarianceType() : covariance;
        if (parse.hasMatchedOption("--covariance") && covariance != type) {
            throw new CommandLine.ParameterException(cl, "--covariance " + covariance.label() + " but --init-model "
                    + initModel + " has " + type.label() + " covariances; drop --covariance");
        }
        covariance = type;
        if (m.emission() instanceof GaussianMixtureEmission g) {
            if (parse.hasMatchedOption("--mix") && mix != g.mixtureComponents()) {
                throw new CommandLine.ParameterException(cl, "--mix " + mix + " but --init-model " + initModel
                        + " has " + g.mixtureComponents() + " Gaussians per state; drop --mix");
            }
            mix = g.mixtureComponents();
        }
        return m;
    }

    /** The --fix-transitions mask, or null when none are fixed. */
    private boolean[][] fixedTransitions(HiddenMarkovModel start) {
        if (fixTransitions.isEmpty()) {
            return null;
        }
        CommandLine cl = spec.commandLine();
        if (start == null) {
            throw new CommandLine.ParameterException(cl, "--fix-transitions keeps transitions at their values in a"
                    + " starting model; give it with --init-model FILE");
        }
        boolean[][] mask = new boolean[states][states];
        for (String entry : fixTransitions) {
            String e = entry.trim();
            if (e.equalsIgnoreCase("all")) {
                for (boolean[] row : mask) {
                    java.util.Arrays.fill(row, true);
                }
                continue;
            }
            String[] parts = e.split(":", -1);
            int from = parts.length == 2 ? stateNumber(parts[0]) : -1;
            int to = parts.length == 2 ? stateNumber(parts[1]) : -1;
            if (from < 1 || to < 1 || from > states || to > states) {
                throw new CommandLine.ParameterException(cl, "--fix-transitions: '" + entry + "' is not FROM:TO with"
                        + " states from 1 to " + states + " (e.g. 1:2), nor 'all'");
            }
            mask[from - 1][to - 1] = true;
        }
        return mask;
    }

    /** The --fix parts, each checked against the starting model's emission family. */
    private java.util.Set<HmmParameter> fixedParts(HiddenMarkovModel start) {
        java.util.Set<HmmParameter> parts = java.util.EnumSet.noneOf(HmmParameter.class);
        EmissionKind kind = start.emission().kind();
        for (String name : fix) {
            HmmParameter p;
            try {
                p = HmmParameter.parse(name);
            } catch (io.emkit.EmkitException e) {
                throw new io.emkit.EmkitException("--fix: " + e.getMessage());
            }
            if (!p.appliesTo(kind)) {
                throw new io.emkit.EmkitException("--fix " + p.label() + ": the model in " + initModel + " has " + kind
                        + " emissions, which have no " + p.label() + "; its parts are " + String.join(", ",
                        HmmParameter.of(kind).stream().map(HmmParameter::label).toList())
                        + (semiMarkov ? ", durations" : ""));
            }
            parts.add(p);
        }
        return parts;
    }

    private static int stateNumber(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void validate() {
        CommandLine cl = spec.commandLine();
        if (states == null) {
            throw new CommandLine.ParameterException(cl, "Missing required option: '--components=K' (or --init-model FILE)");
        }
        CliSupport.requireAtLeast(cl, "--components", states, 1);
        CliSupport.requireAtLeast(cl, "--mix", mix, 1);
        regCovar.check(cl);
        CliSupport.requireFiniteAtLeast(cl, "--transition-prior", transitionPrior, 1);
        em.check(cl);
    }

    private String summary(EmResult<HiddenMarkovModel> fit, String file, long sequences, long n, List<String> columns) {
        HiddenMarkovModel m = fit.params();
        StringBuilder b = new StringBuilder();
        SemiMarkovFit.dataLine(b, file, sequences, n, columns).append('\n');
        b.append("model        hidden Markov model, ").append(Format.count(m.states(), "state")).append(", ").append(emission)
                .append(" emissions");
        if (m.emission() instanceof GaussianEmission g) {
            b.append(" (").append(g.covarianceType()).append(" covariance)");
        } else if (m.emission() instanceof GaussianMixtureEmission g) {
            b.append(" (").append(g.mixtureComponents()).append(" Gaussians per state, ").append(g.covarianceType())
                    .append(" covariance)");
        }
        b.append('\n');
        SemiMarkovFit.fitAndCriteria(b, this, fit, n);
        double[] pi = m.startProbabilities();
        double[] stationary = m.stationaryDistribution();
        double[] durations = m.expectedDurations();
        double[][] a = m.transitionMatrix();
        b.append(Format.pad("state", 8)).append(Format.padLeft("start", 12)).append(Format.padLeft("stationary", 12))
                .append(Format.padLeft("duration", 12));
        for (int j = 0; j < m.states(); j++) {
            b.append(Format.padLeft("-> " + (j + 1), 12));
        }
        b.append('\n');
        for (int i = 0; i < m.states(); i++) {
            b.append(Format.pad(Integer.toString(i + 1), 8)).append(Format.padLeft(Format.num(pi[i]), 12))
                    .append(Format.padLeft(stationary == null ? "-" : Format.num(stationary[i]), 12))
                    .append(Format.padLeft(Double.isInfinite(durations[i]) ? "inf" : Format.num(durations[i]), 12));
            for (int j = 0; j < m.states(); j++) {
                b.append(Format.padLeft(Format.num(a[i][j]), 12));
            }
            b.append('\n');
        }
        b.append("(start: the first step's state; stationary: the long-run share of steps in each state");
        if (stationary == null) {
            b.append(", none here: the chain has several closed classes of states");
        }
        b.append(";\n duration: the expected steps per visit, 1/(1 - a_ii); -> j: the transition probabilities)\n\n");
        List<String> names = m.featureNames();
        if (m.emission() instanceof GaussianEmission g) {
            b.append(Format.pad("state", 8));
            for (String f : names) {
                b.append(Format.padLeft("mean " + f, 16));
            }
            b.append('\n');
            for (int i = 0; i < m.states(); i++) {
                b.append(Format.pad(Integer.toString(i + 1), 8));
                for (double v : g.gaussians().mean(i)) {
                    b.append(Format.padLeft(Format.num(v), 16));
                }
                b.append('\n');
            }
            b.append('\n');
            Summary.covariances(b, g.gaussians(), names, Summary.columnWidth(names), c -> "state " + (c + 1), "all states");
        } else if (m.emission() instanceof GaussianMixtureEmission g) {
            b.append(Format.pad("state", 8)).append(Format.pad("gaussian", 10)).append(Format.padLeft("weight", 12));
            for (String f : names) {
                b.append(Format.padLeft("mean " + f, 16));
            }
            b.append('\n');
            double[][] w = g.mixtureWeights();
            int k = g.mixtureComponents();
            for (int i = 0; i < m.states(); i++) {
                for (int c = 0; c < k; c++) {
                    b.append(Format.pad(c == 0 ? Integer.toString(i + 1) : "", 8)).append(Format.pad(Integer.toString(c + 1), 10))
                            .append(Format.padLeft(Format.num(w[i][c]), 12));
                    for (double v : g.gaussians().mean(i * k + c)) {
                        b.append(Format.padLeft(Format.num(v), 16));
                    }
                    b.append('\n');
                }
            }
            b.append('\n');
            Summary.covariances(b, g.gaussians(), names, Summary.columnWidth(names),
                    c -> "state " + (c / k + 1) + ", gaussian " + (c % k + 1), "every Gaussian of every state");
        } else if (m.emission() instanceof CategoricalEmission c) {
            b.append(Format.pad("state", 8));
            for (int j = 0; j < c.symbols(); j++) {
                b.append(Format.padLeft("P(" + j + ")", 12));
            }
            b.append('\n');
            double[][] p = c.probabilities();
            for (int i = 0; i < m.states(); i++) {
                b.append(Format.pad(Integer.toString(i + 1), 8));
                for (double v : p[i]) {
                    b.append(Format.padLeft(Format.num(v), 12));
                }
                b.append('\n');
            }
        } else if (m.emission() instanceof io.emkit.hmm.MultinomialEmission c) {
            b.append(Format.pad("state", 8));
            for (String f : names) {
                b.append(Format.padLeft("P(" + f + ")", 16));
            }
            b.append('\n');
            double[][] p = c.probabilities();
            for (int i = 0; i < m.states(); i++) {
                b.append(Format.pad(Integer.toString(i + 1), 8));
                for (double v : p[i]) {
                    b.append(Format.padLeft(Format.num(v), 16));
                }
                b.append('\n');
            }
        } else if (m.emission() instanceof PoissonEmission p) {
            b.append(Format.pad("state", 8));
            for (String f : names) {
                b.append(Format.padLeft("rate " + f, 16));
            }
            b.append('\n');
            double[][] r = p.rates();
            for (int i = 0; i < m.states(); i++) {
                b.append(Format.pad(Integer.toString(i + 1), 8));
                for (double v : r[i]) {
                    b.append(Format.padLeft(Format.num(v), 16));
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    static String toJson(EmResult<HiddenMarkovModel> fit, long sequences, long steps, int features) {
        ObjectNode o = SemiMarkovFit.fitJson(fit, sequences, steps, features);
        o.set("model", ModelFiles.toTree(fit.params()));
        double[] stationary = fit.params().stationaryDistribution();
        if (stationary == null) {
            o.putNull("stationary");
        } else {
            ArrayNode pi = o.putArray("stationary");
            for (double v : stationary) {
                pi.add(v);
            }
        }
        ArrayNode durations = o.putArray("expected_durations");
        for (double v : fit.params().expectedDurations()) {
            if (Double.isInfinite(v)) {
                durations.addNull();
            } else {
                durations.add(v);
            }
        }
        return CliSupport.finishJson(o, fit, "log_likelihood_trace", 1);
    }

    static final class EmissionConverter extends FitCommand.LibraryConverter<EmissionKind> {
        EmissionConverter() {
            super(EmissionKind::parse);
        }
    }
}
