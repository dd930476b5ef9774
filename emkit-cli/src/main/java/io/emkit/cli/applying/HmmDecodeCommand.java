package io.emkit.cli.applying;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.cli.CliSupport;
import io.emkit.cli.Format;
import io.emkit.cli.HmmCommand;
import io.emkit.cli.HmmData;
import io.emkit.cli.KeptColumns;
import io.emkit.cli.Outputs;
import io.emkit.cli.pictures.PictureSize;
import io.emkit.cli.pictures.Pictures;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code emkit hmm decode}: the state of every step on the most probable path (Viterbi) or each step's most
 * probable state (MAP), the posteriors, and with {@code --json} the paths' log probabilities.
 */
@Command(name = "decode", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Label every row (time step) of a CSV file with its state on the most probable state path"
                + " (Viterbi; or, with --algorithm map, each step's most probable state) under a saved hidden Markov"
                + " model. For a hidden semi-Markov model, Viterbi finds the most probable segmentation (each segment's state"
                + " and duration) and writes its state at every step.",
                "Writes CSV in the file's row order: sequence (with --sequence-column), state (from 0; for a model"
                        + " fitted with --labels-column, class: the state's class name) and, with"
                        + " --posterior, p0..p(S-1), the posterior state probabilities; with --keep, the input columns named"
                        + " first.",
                "With --engine spark: decodes each sequence on Apache Spark and writes sequence, the --time-column,"
                        + " state (or class) and with --posterior p0..p(S-1) to the directory --out."})
public final class HmmDecodeCommand extends ModelOnDataCommand {
    /** The command, with its wording of {@code --model} and {@code DATA.csv}. */
    public HmmDecodeCommand() {
        super(ModelOption.HMM_HELP, "The sequences to decode.");
    }

    @Option(names = "--posterior", description = "Also write each state's posterior probability p0..p(S-1).")
    boolean posterior;

    @Option(names = "--algorithm", paramLabel = "viterbi|map",
            description = "viterbi: the most probable state path; map: each step's most probable state (the largest"
                    + " posterior), which may form an improbable or impossible path. Default: viterbi.")
    String algorithm = "viterbi";

    @Option(names = "--json", description = "Print JSON instead of CSV: algorithm, viterbi_log_probability (the"
            + " most probable path's log p(path, data), summed over sequences), log_likelihood, n_sequences, n_steps"
            + " and sequences (per sequence: id, n_steps, viterbi_log_probability, path_log_probability,"
            + " log_likelihood, states and, with --posterior, posteriors).")
    boolean json;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write the CSV to FILE (default: standard output)."
            + " With --engine spark: a new directory of CSV part files (sequence, the --time-column, state or class,"
            + " and with --posterior p0..p(S-1); rows in the input's order), or of Parquet files when FILE ends in"
            + " .parquet.")
    Path out;

    @Mixin
    HmmData.Options input;

    @Mixin
    KeptColumns kept;

    // Picture of the decoding (--plot): see io.emkit.cli.plot.HmmPlots.
    @Option(names = "--plot", paramLabel = "FILE",
            description = "Draw the first sequence's decoding to FILE (.png, .svg or .pdf): its first columns over time"
                    + " (the --time-column, else the step number) on bands of the decoded states, and below them the"
                    + " posterior state probabilities, stacked.")
    Path plot;

    @Mixin
    PictureSize size;

    @Mixin
    io.emkit.cli.EngineOptions engine;

    @Override
    public Integer call() {
        engine.refuse(spec.commandLine().getParseResult(), "--delimiter", "--json", "--plot", "--keep");
        Outputs.checkNotAnInput(out, "--out", model.file, data);
        Pictures.checkImageName(plot);
        size.check();
        Outputs.checkNotAnInput(plot, "--plot", model.file, data);
        boolean map = switch (algorithm.toLowerCase(java.util.Locale.ROOT)) {
            case "viterbi" -> false;
            case "map" -> true;
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "--algorithm '" + algorithm
                    + "': expected viterbi or map");
        };
        HmmCommand.Saved m = HmmCommand.readAnyModel(model.file);
        if (!engine.isLocal()) {
            return onEngine(m, map);
        }
        // A model fitted with --labels-column names each state's class: write the class in place of the state.
        java.util.List<String> stateClasses = io.emkit.io.LabelledModelFiles.readComponentClasses(model.file);
        HmmData d = HmmData.read(data, input, m.featureNames(), m.kind(), null, null, m.covariateNames());
        m = m.withCovariates(d);
        HmmCommand.checkDimension(d, m);
        KeptColumns.Carried carried = kept.given() ? kept.read(data, input.dataOptions(), d.rowOf.length, d::lineOf) : null;
        int[][] paths = map ? m.mapStates(d.sequences) : m.viterbi(d.sequences);
        double[][][] post = posterior || plot != null ? m.posteriors(d.sequences) : null;
        boolean withSequence = input.sequenceColumn() != null;
        if (plot != null) {
            String title = (map ? "MAP states" : "Viterbi states") + (withSequence ? ", sequence " + d.ids.get(0) : "")
                    + " (" + paths[0].length + " steps)";
            io.emkit.cli.plot.HmmPlots.decoding(title, d.times(0), d.timeName() == null ? "step" : d.timeName(),
                    d.sequences.sequence(0), m.featureNames(), paths[0], post[0], stateClasses, size.width(),
                    size.height())
                    .write(plot);
        }
        if (!posterior) {
            post = null;
        }
        if (json) {
            String text = decodingJson(m, d, map, paths, post);
            Outputs.write(out, spec.commandLine().getOut(), w -> w.write(text + "\n"));
            return 0;
        }
        int n = d.rowOf.length;
        // Back to the file's row order.
        int[] state = new int[n];
        int[] seqOf = new int[n];
        double[][] p = posterior ? new double[n][] : null;
        for (int q = 0; q < paths.length; q++) {
            int start = d.sequences.start(q);
            for (int t = 0; t < paths[q].length; t++) {
                int row = d.rowOf[start + t];
                state[row] = paths[q][t];
                seqOf[row] = q;
                if (posterior) {
                    p[row] = post[q][t];
                }
            }
        }
        int s = m.states();
        java.util.List<String> written = new java.util.ArrayList<>();
        if (withSequence) {
            written.add("sequence");
        }
        written.add(stateClasses == null ? "state" : "class");
        if (posterior) {
            for (int c = 0; c < s; c++) {
                written.add("p" + c);
            }
        }
        String header = KeptColumns.header(carried, written);
        Outputs.write(out, spec.commandLine().getOut(), w -> {
            w.write(header);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < n; i++) {
                line.setLength(0);
                if (carried != null) {
                    carried.appendCells(line, i);
                }
                if (withSequence) {
                    line.append(Format.csvHeader(java.util.List.of(d.ids.get(seqOf[i])))).append(',');
                }
                if (stateClasses == null) {
                    line.append(state[i]);
                } else {
                    line.append(Format.csvHeader(java.util.List.of(stateClasses.get(state[i]))));
                }
                if (posterior) {
                    for (int c = 0; c < s; c++) {
                        line.append(',').append(p[i][c]);
                    }
                }
                w.write(line.append('\n').toString());
            }
        });
        return 0;
    }

    /** On another engine: sequence, time and state (or class) of every row, written where the engine writes. */
    private int onEngine(HmmCommand.Saved m, boolean map) {
        io.emkit.hmm.StateSequenceModel<?> hmm = HmmCommand.forEngine(m);
        String engineName = io.emkit.cli.EngineOptions.typed(spec, "--engine");
        if (out == null) {
            throw new io.emkit.EmkitException("--engine " + engineName + " writes a directory of CSV part files (or"
                    + " Parquet files for a path ending in .parquet): give it with --out DIR");
        }
        // A model fitted with --labels-column names each state's class: written in place of the state, as locally.
        java.util.List<String> stateClasses = io.emkit.io.LabelledModelFiles.readComponentClasses(model.file);
        String file = io.emkit.cli.EngineOptions.dataArgument(spec);
        try (io.emkit.cli.ClusterEngine.Data held = engine.open(file, input.dataOptions())) {
            String sequence = io.emkit.cli.EngineOptions.columnName(held, file, input.sequenceColumn());
            String time = io.emkit.cli.EngineOptions.columnName(held, file, input.timeColumn());
            held.decode(hmm, sequence, time, HmmCommand.engineColumns(held, input, file, sequence, time, hmm), map,
                    stateClasses, posterior, io.emkit.cli.EngineOptions.typed(spec, "--out"));
        }
        return 0;
    }

    /** The decoding as one JSON object: totals, then each sequence's scores and states in time order. */
    private static String decodingJson(HmmCommand.Saved m, HmmData d, boolean map, int[][] paths, double[][][] post) {
        double[] viterbi = m.viterbiLogProbabilities(d.sequences);
        double[] decoded = map ? m.pathLogProbabilities(d.sequences, paths) : viterbi;
        double[] logLikelihoods = m.sequenceLogLikelihoods(d.sequences);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("algorithm", map ? "map" : "viterbi");
        o.put("model", m.description());
        o.put("viterbi_log_probability", sum(viterbi));
        o.put("log_likelihood", sum(logLikelihoods));
        o.put("n_sequences", d.sequences.count());
        o.put("n_steps", d.sequences.totalLength());
        ArrayNode sequences = o.putArray("sequences");
        for (int q = 0; q < paths.length; q++) {
            ObjectNode one = sequences.addObject();
            one.put("id", d.ids.get(q));
            one.put("n_steps", paths[q].length);
            one.put("viterbi_log_probability", viterbi[q]);
            // A MAP path may cross a forbidden transition: log probability -Infinity, which JSON cannot hold.
            if (Double.isInfinite(decoded[q])) {
                one.putNull("path_log_probability");
            } else {
                one.put("path_log_probability", decoded[q]);
            }
            one.put("log_likelihood", logLikelihoods[q]);
            ArrayNode states = one.putArray("states");
            for (int state : paths[q]) {
                states.add(state);
            }
            if (post != null) {
                ArrayNode rows = one.putArray("posteriors");
                for (double[] row : post[q]) {
                    ArrayNode r = rows.addArray();
                    for (double v : row) {
                        r.add(v);
                    }
                }
            }
        }
        return CliSupport.json(o);
    }

    private static double sum(double[] values) {
        double total = 0;
        for (double v : values) {
            total += v;
        }
        return total;
    }
}
