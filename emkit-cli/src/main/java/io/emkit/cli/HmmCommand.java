package io.emkit.cli;

import io.emkit.cli.applying.HmmDecodeCommand;
import io.emkit.cli.applying.HmmSampleCommand;
import io.emkit.cli.applying.HmmScoreCommand;
import io.emkit.cli.fitting.HmmFitCommand;
import io.emkit.EmkitException;
import io.emkit.hmm.EmissionKind;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.data.Sequences;
import io.emkit.hmm.covariates.CovariateHmmModel;
import io.emkit.hmm.covariates.CovariateSequences;
import io.emkit.hmm.semimarkov.SemiMarkovModel;
import io.emkit.io.ModelFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.nio.file.Path;

/** {@code emkit hmm}: hidden Markov models, fitted by Baum–Welch. */
@Command(name = "hmm", mixinStandardHelpOptions = true,
        description = "Hidden Markov models, fitted by Baum-Welch (EM), and hidden semi-Markov models (fit --duration):"
                + " fit, decode, score, sample.",
        subcommands = {HmmFitCommand.class, HmmDecodeCommand.class, HmmScoreCommand.class, HmmSampleCommand.class},
        footer = {"", "Run 'emkit hmm COMMAND --help' for a command's options."})
public final class HmmCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (fit, decode, score, sample)");
    }

    /**
     * @param file a hidden Markov model file
     * @return the model it holds
     */
    public static HiddenMarkovModel readModel(Path file) {
        return ModelFiles.readHmm(file);
    }

    /**
     * @param file a hidden Markov or hidden semi-Markov model file
     * @return the model it holds, either kind
     */
    public static Saved readAnyModel(Path file) {
        String kind = ModelFiles.kindOf(file);
        if (ModelFiles.HIDDEN_SEMI_MARKOV_MODEL.equals(kind)) {
            return new Saved(null, ModelFiles.readSemiMarkov(file), null, null);
        }
        if (ModelFiles.COVARIATE_HIDDEN_MARKOV_MODEL.equals(kind)) {
            return new Saved(null, null, ModelFiles.readCovariateHmm(file), null);
        }
        return new Saved(ModelFiles.readHmm(file), null, null, null);
    }

    /**
     * A saved hidden Markov model, hidden semi-Markov model or hidden Markov model with transition covariates, with
     * what decode, score and sample ask of each. The last needs the covariates of the data it is applied to:
     * {@link #withCovariates} binds them.
     *
     * @param hmm        the hidden Markov model, or null
     * @param hsmm       the hidden semi-Markov model, or null
     * @param iohmm      the hidden Markov model with transition covariates, or null
     * @param covariates the data's covariates for {@code iohmm} (see {@link HmmData#covariates}), or null
     */
    public record Saved(HiddenMarkovModel hmm, SemiMarkovModel hsmm, CovariateHmmModel iohmm, HmmData covariates) {
        /** @return the covariate columns the transitions need (empty for models without them) */
        public java.util.List<String> covariateNames() {
            return iohmm == null ? java.util.List.of() : iohmm.covariateNames();
        }

        /**
         * @param data the data read with {@link #covariateNames()} as covariate columns
         * @return this model bound to the data's covariates
         */
        public Saved withCovariates(HmmData data) {
            return new Saved(hmm, hsmm, iohmm, data);
        }

        private CovariateSequences bound(Sequences data) {
            if (covariates == null) {
                throw new IllegalStateException("the model's covariates are not bound to the data");
            }
            return CovariateSequences.of(data, covariates.covariates, covariates.covariateNames);
        }

        /** @return the kind of model, for messages and JSON */
        public String description() {
            return hsmm != null ? "hidden semi-Markov" : iohmm != null ? "hidden Markov with transition covariates"
                    : "hidden Markov";
        }

        /** @return whether it is a semi-Markov model */
        public boolean semiMarkov() {
            return hsmm != null;
        }

        /** @return the number of states */
        public int states() {
            return hmm != null ? hmm.states() : hsmm != null ? hsmm.states() : iohmm.states();
        }

        /** @return the observation columns' names */
        public java.util.List<String> featureNames() {
            return hmm != null ? hmm.featureNames() : hsmm != null ? hsmm.featureNames() : iohmm.featureNames();
        }

        /** @return the emission family */
        public EmissionKind kind() {
            return (hmm != null ? hmm.emission() : hsmm != null ? hsmm.emission() : iohmm.emission()).kind();
        }

        /**
         * @param data sequences
         * @return each sequence's log-likelihood
         */
        public double[] sequenceLogLikelihoods(Sequences data) {
            return hmm != null ? hmm.sequenceLogLikelihoods(data) : hsmm != null ? hsmm.sequenceLogLikelihoods(data)
                    : iohmm.sequenceLogLikelihoods(bound(data));
        }

        /**
         * @param data sequences
         * @return the most probable path (semi-Markov: segmentation) of each sequence
         */
        public int[][] viterbi(Sequences data) {
            return hmm != null ? hmm.viterbi(data) : hsmm != null ? hsmm.viterbi(data)
                    : iohmm.viterbi(bound(data));
        }

        /**
         * @param data sequences
         * @return each step's most probable state
         */
        public int[][] mapStates(Sequences data) {
            return hmm != null ? hmm.mapStates(data) : hsmm != null ? hsmm.mapStates(data)
                    : iohmm.mapStates(bound(data));
        }

        /**
         * @param data sequences
         * @return the posterior state probabilities of every step
         */
        public double[][][] posteriors(Sequences data) {
            return hmm != null ? hmm.posteriors(data) : hsmm != null ? hsmm.posteriors(data)
                    : iohmm.posteriors(bound(data));
        }

        /**
         * @param data sequences
         * @return each sequence's Viterbi log probability
         */
        public double[] viterbiLogProbabilities(Sequences data) {
            return hmm != null ? hmm.viterbiLogProbabilities(data) : hsmm != null ? hsmm.viterbiLogProbabilities(data)
                    : iohmm.viterbiLogProbabilities(bound(data));
        }

        /**
         * @param data  sequences
         * @param paths one state per step
         * @return each path's log joint probability with its sequence
         */
        public double[] pathLogProbabilities(Sequences data, int[][] paths) {
            return hmm != null ? hmm.pathLogProbabilities(data, paths) : hsmm != null
                    ? hsmm.pathLogProbabilities(data, paths) : iohmm.pathLogProbabilities(bound(data), paths);
        }

        /**
         * Draws from a model whose transitions depend on covariates: every sequence moves along the same covariates.
         *
         * @param covariates row-major, the model's P covariates for each of {@code length} steps
         * @param sequences  how many
         * @param length     steps per sequence
         * @param seed       decides the draw
         * @param startState the first state, or null to draw it
         * @return the draw
         */
        public HiddenMarkovModel.Sample sampleAlong(double[] covariates, int sequences, int length, long seed,
                                                    Integer startState) {
            int p = iohmm.covariateNames().size();
            double[] all = new double[Math.multiplyExact(Math.multiplyExact(sequences, length), p)];
            int[] lengths = new int[sequences];
            for (int q = 0; q < sequences; q++) {
                System.arraycopy(covariates, 0, all, q * length * p, length * p);
                lengths[q] = length;
            }
            CovariateHmmModel from = iohmm;
            if (startState != null) {
                double[] only = new double[iohmm.states()];
                only[startState] = 1.0;
                from = CovariateHmmModel.of(only, iohmm.transitions(), iohmm.emission());
            }
            return from.sample(all, lengths, seed);
        }

        /**
         * @param sequences  how many
         * @param length     steps per sequence
         * @param seed       decides the draw
         * @param startState the first state, or null to draw it
         * @return the draw
         */
        public HiddenMarkovModel.Sample sample(int sequences, int length, long seed, Integer startState) {
            if (iohmm != null) {
                throw new EmkitException("the model's transitions depend on covariates ("
                        + EmkitException.list(iohmm.covariateNames()) + "); give their values with --covariates FILE");
            }
            if (hmm != null) {
                return startState == null ? hmm.sample(sequences, length, seed)
                        : hmm.sample(sequences, length, seed, startState);
            }
            return startState == null ? hsmm.sample(sequences, length, seed)
                    : hsmm.sample(sequences, length, seed, startState);
        }
    }

    /**
     * Checks that the data have the model's number of observation columns.
     *
     * @param data the data
     * @param m    the model
     */
    public static void checkDimension(HmmData data, Saved m) {
        checkDimension(data, m.featureNames());
    }

    private static void checkDimension(HmmData data, java.util.List<String> names) {
        if (data.sequences.dimension() != names.size()) {
            throw new EmkitException(io.emkit.data.DataFiles.nameOf(data.file) + ": the model has " + names.size()
                    + " features (" + EmkitException.list(names) + ") but the file has " + data.sequences.dimension()
                    + " observation column" + (data.sequences.dimension() == 1 ? "" : "s") + " ("
                    + EmkitException.list(data.sequences.featureNames()) + "); choose them with --columns");
        }
    }

    /**
     * Checks that the data have the model's number of observation columns.
     *
     * @param data the data
     * @param m    the model
     */
    public static void checkDimension(HmmData data, HiddenMarkovModel m) {
        checkDimension(data, m.featureNames());
    }
    /**
     * The model of a saved model, for another engine, which scores and decodes each kind by the model's own
     * per-sequence methods.
     *
     * @param m the saved model
     * @return the hidden Markov, hidden semi-Markov or input–output hidden Markov model
     */
    public static io.emkit.hmm.StateSequenceModel<?> forEngine(Saved m) {
        return m.hmm() != null ? m.hmm() : m.hsmm() != null ? m.hsmm() : m.iohmm();
    }

    /**
     * The columns of data on another engine for a model: its observation columns — its features by name when the
     * data have them all, else as the local reader picks them (leaving out the covariates); as many as the model's
     * features — then its transition covariates' columns by name (an input–output HMM's).
     *
     * @param held     the open data
     * @param options  the hmm command's data options
     * @param file     the data as the user named them
     * @param sequence the sequence column's name, or null
     * @param time     the time column's name, or null
     * @param model    the model
     * @return the columns, in the model's order
     */
    public static java.util.List<String> engineColumns(ClusterEngine.Data held, HmmData.Options options, String file,
                                                       String sequence, String time,
                                                       io.emkit.hmm.StateSequenceModel<?> model) {
        java.util.List<String> all = held.columnNames();
        java.util.List<String> covariates = new java.util.ArrayList<>();
        if (model instanceof CovariateHmmModel iohmm) {
            for (String c : iohmm.covariateNames()) {
                if (!all.contains(c)) {
                    throw new EmkitException(file + ": transition covariate '" + c + "': no such column; the columns"
                            + " are: " + EmkitException.list(all));
                }
                if (!held.isNumeric(all.indexOf(c))) {
                    throw new EmkitException(file + ": transition covariate '" + c + "' is not a numeric column");
                }
                if (c.equals(sequence) || c.equals(time)) {
                    throw new EmkitException("--transition-covariates '" + c + "' is also the "
                            + (c.equals(sequence) ? "sequence" : "time") + " column");
                }
                if (options.dataOptions().columnsGiven() && options.dataOptions().columns().stream()
                        .map(String::trim).anyMatch(c::equals)) {
                    throw new EmkitException("--transition-covariates '" + c + "' is also in --columns; a covariate"
                            + " is not an observation column: leave it out of --columns");
                }
                covariates.add(c);
            }
        }
        java.util.List<String> names = new java.util.ArrayList<>(EngineOptions.observationColumns(held,
                options.dataOptions(), file, sequence, time, model.featureNames(),
                new java.io.PrintWriter(java.io.Writer.nullWriter())));
        names.removeAll(covariates);
        if (names.size() != model.featureNames().size()) {
            throw new EmkitException(file + ": the model has " + model.featureNames().size() + " features ("
                    + EmkitException.list(model.featureNames()) + ") but the data have " + names.size()
                    + " observation column" + (names.size() == 1 ? "" : "s") + " (" + EmkitException.list(names)
                    + "); choose them with --columns");
        }
        names.addAll(covariates);
        return names;
    }
}
