package io.emkit.cli.applying;

import io.emkit.cli.Format;
import io.emkit.cli.HmmCommand;
import io.emkit.cli.HmmData;
import io.emkit.cli.KeptColumns;
import io.emkit.cli.Outputs;
import io.emkit.cli.pictures.PictureSize;
import io.emkit.cli.pictures.Pictures;
import io.emkit.hmm.HiddenMarkovModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code emkit hmm decode}: the most probable state of every step (Viterbi), and the posteriors. */
@Command(name = "decode", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Label every row (time step) of a CSV file with its state on the most probable state path"
                + " (Viterbi) under a saved hidden Markov model.",
                "Writes CSV in the file's row order: sequence (with --sequence-column), state (from 0) and, with"
                        + " --posterior, p0..p(S-1), the posterior state probabilities; with --keep, the input columns named"
                        + " first."})
public final class HmmDecodeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE",
            description = "A model file from 'emkit hmm fit --model-out'.")
    Path model;

    @Parameters(index = "0", paramLabel = "DATA.csv", description = "The sequences to decode.")
    Path data;

    @Option(names = "--posterior", description = "Also write each state's posterior probability p0..p(S-1).")
    boolean posterior;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write the CSV to FILE (default: standard output).")
    Path out;

    @Mixin
    HmmData.Options input;

    @Mixin
    KeptColumns kept;

    // Picture of the decoding (--plot): see io.emkit.cli.plot.HmmPlots.
    @Option(names = "--plot", paramLabel = "FILE",
            description = "Draw the first sequence's observations over time, coloured by Viterbi state, to FILE (.png, .svg or .pdf).")
    Path plot;

    @Mixin
    PictureSize size;

    @Override
    public Integer call() {
        Outputs.checkNotAnInput(out, "--out", model, data);
        Pictures.checkImageName(plot);
        size.check();
        Outputs.checkNotAnInput(plot, "--plot", model, data);
        HiddenMarkovModel m = HmmCommand.readModel(model);
        HmmData d = HmmData.read(data, input, m.featureNames(), m.emission().kind(), null);
        HmmCommand.checkDimension(d, m);
        KeptColumns.Carried carried = kept.given() ? kept.read(data, input.dataOptions(), d.rowOf.length, d::lineOf) : null;
        int[][] paths = m.viterbi(d.sequences);
        double[][][] post = posterior ? m.posteriors(d.sequences) : null;
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
        boolean withSequence = input.sequenceColumn() != null;
        if (plot != null) {
            String title = "Viterbi states" + (withSequence ? ", sequence " + d.ids.get(0) : "")
                    + " (" + paths[0].length + " steps)";
            io.emkit.cli.plot.HmmPlots.states(title, d.sequences.sequence(0), paths[0], m.featureNames(),
                    size.width(), size.height()).write(plot);
        }
        int s = m.states();
        Outputs.write(out, spec.commandLine().getOut(), w -> {
            StringBuilder line = new StringBuilder();
            if (carried != null) {
                carried.appendNames(line);
            }
            line.append(withSequence ? "sequence,state" : "state");
            if (posterior) {
                for (int c = 0; c < s; c++) {
                    line.append(",p").append(c);
                }
            }
            w.write(line.append('\n').toString());
            for (int i = 0; i < n; i++) {
                line.setLength(0);
                if (carried != null) {
                    carried.appendCells(line, i);
                }
                if (withSequence) {
                    line.append(Format.csvHeader(java.util.List.of(d.ids.get(seqOf[i])))).append(',');
                }
                line.append(state[i]);
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
}
