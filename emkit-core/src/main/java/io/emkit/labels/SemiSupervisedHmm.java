package io.emkit.labels;

import io.emkit.EmkitException;
import io.emkit.em.EmResult;
import io.emkit.hmm.HiddenMarkov;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.data.Sequences;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Semi-supervised Baum–Welch for a hidden Markov model: some time steps' classes are known, one state per class
 * (state s stands for class s, the classes in sorted order), and a labelled step is in its class's state. EM
 * maximises the log-likelihood of the sequences together with the known states,
 * {@code Σ_q log Σ over the state paths of q through its known states of P(path, x_q)}, which never decreases
 * ({@link io.emkit.hmm.BaumWelchSteps#withKnownStates}). The starts are the model's own; the known steps pin the
 * states from the first E-step on.
 */
public final class SemiSupervisedHmm {
    private final HiddenMarkov config;

    private SemiSupervisedHmm(HiddenMarkov config) {
        this.config = config;
    }

    /**
     * @param config the model (its number of states must be the number of classes), emission, topology, priors
     *               and EM options
     * @return the configuration
     */
    public static SemiSupervisedHmm of(HiddenMarkov config) {
        return new SemiSupervisedHmm(Objects.requireNonNull(config, "config"));
    }

    /**
     * A fitted model whose states stand for classes.
     *
     * @param em           how EM went; its log-likelihood is the one with the known states
     * @param stateClasses per state the name of its class
     */
    public record Fit(EmResult<HiddenMarkovModel> em, List<String> stateClasses) {
    }

    /**
     * Fits the model, one state per class.
     *
     * @param data   the sequences, in the order the labels number their steps
     * @param labels one class or none per step (global row)
     * @return the fit
     * @throws EmkitException naming a class that no state can take, or if the data cannot be fitted
     */
    public Fit fit(Sequences data, ClassLabels labels) {
        return fit(data, labels, 1);
    }

    /**
     * Fits the model with {@code perClass} states per class: class g owns states {@code g·perClass ...
     * (g+1)·perClass − 1}, and a labelled step is in one of them (a class with regimes of its own, say). The starts
     * are the HMM's own, which do not look at the labels; EM then keeps every labelled step in its class's states.
     *
     * @param data     the sequences, in the order the labels number their steps
     * @param labels   one class or none per step (global row)
     * @param perClass states per class, at least 1; the configuration's states must be classes × perClass
     * @return the fit
     * @throws EmkitException naming a class that no state can take, if states are left without a class, or if
     *                        the data cannot be fitted
     */
    public Fit fit(Sequences data, ClassLabels labels, int perClass) {
        if (labels.rows() != data.totalLength()) {
            throw new EmkitException("the labels have " + labels.rows() + " rows but the sequences "
                    + data.totalLength() + " steps");
        }
        checkStates(labels.names(), perClass);
        Canonical canonical = canonical(data, labels);
        EmResult<HiddenMarkovModel> em = config.fitWithKnownStates(canonical.data,
                new ClassRestriction(canonical.labels, LabelledStart.classOfComponent(labels.classes(), perClass)));
        return new Fit(em, LabelledStart.componentNames(labels, perClass));
    }

    /** Refuses states that are not {@code perClass} per class. */
    private void checkStates(List<String> classNames, int perClass) {
        if (perClass < 1) {
            throw new EmkitException("states per class must be at least 1, got " + perClass);
        }
        int classes = classNames.size();
        int states = config.states();
        int needed = classes * perClass;
        String per = perClass == 1 ? "" : " at " + perClass + " per class";
        if (states < needed) {
            throw new EmkitException("class '" + classNames.get(states / perClass) + "' has labelled steps but no"
                    + " state to take it: " + states + " states" + per + " for " + classes + " classes ("
                    + EmkitException.list(classNames) + "); ask for " + needed + " states");
        }
        if (states > needed) {
            throw new EmkitException(states + " states for " + classes + " classes" + per + " leave "
                    + (states - needed) + " without a class, which is not supported yet; ask for " + needed + " states"
                    + (states % classes == 0 ? " (or " + states / classes + " states per class)" : ""));
        }
    }

    /**
     * This fit with its E-steps run by another engine over sequences it holds (Spark, in emkit-spark): each step of
     * the engine's sequences is its observations followed by its class's index into {@code classNames}
     * (-1 for a step without a class). Given every sequence as the sample, the fit is
     * {@link #fit(Sequences, ClassLabels, int)}'s up to rounding; its states stand for
     * {@link #stateClasses(List, int)}.
     *
     * @param classNames the classes, sorted (as {@link ClassLabels} orders them)
     * @param perClass   states per class, at least 1; the configuration's states must be classes × perClass
     * @return the plan
     * @throws EmkitException if the states are not {@code perClass} per class
     */
    public io.emkit.em.DistributedFit.OverSequences<HiddenMarkovModel, io.emkit.hmm.HmmStatistics> distributed(
            List<String> classNames, int perClass) {
        checkStates(classNames, perClass);
        int[] classOfState = LabelledStart.classOfComponent(classNames.size(), perClass);
        return new io.emkit.em.DistributedFit.OverSequences<>(new KnownStates(classNames.size(), classOfState),
                (runner, extent, sample) -> {
                    // In the order of the single-machine fit: canonical with the classes as one more column (which
                    // the starts see, in the pooled steps' order).
                    int d = sample.dimension() - 1;
                    Sequences sorted = sample.canonicalOrder();
                    return config.fitWithKnownStates(runner, extent.steps(), sorted.columns(0, d));
                }, config.options().seed());
    }

    /**
     * @param classNames the classes, sorted
     * @param perClass   states per class
     * @return per state the name of its class, as {@link Fit#stateClasses()} gives them
     */
    public static List<String> stateClasses(List<String> classNames, int perClass) {
        return LabelledStart.componentNames(classNames, perClass);
    }

    /** The E-step of a part of the sequences whose last column is each step's class: Baum–Welch with known states. */
    private static final class KnownStates
            implements io.emkit.em.DistributedFit.OverSequences.Kernel<HiddenMarkovModel, io.emkit.hmm.HmmStatistics> {
        private static final long serialVersionUID = 1L;
        private final int classes;
        private final int[] classOfState;

        KnownStates(int classes, int[] classOfState) {
            this.classes = classes;
            this.classOfState = classOfState.clone();
        }

        @Override
        public io.emkit.hmm.HmmStatistics emptyStatistics(HiddenMarkovModel params) {
            return io.emkit.hmm.HmmStatistics.of(params);
        }

        @Override
        public double accumulate(HiddenMarkovModel params, Sequences sequences, long firstStep,
                                 io.emkit.hmm.HmmStatistics stats) {
            int d = sequences.dimension() - 1;
            double[] x = sequences.rawValues();
            int[] classOfRow = new int[sequences.totalLength()];
            for (int t = 0; t < classOfRow.length; t++) {
                classOfRow[t] = (int) x[t * (d + 1) + d];
            }
            Sequences observations = sequences.columns(0, d);
            return new io.emkit.hmm.BaumWelchSteps(0.0, false, null, 1.0)
                    .withKnownStates(new ClassRestriction(classOfRow, classes, classOfState))
                    .accumulate(params, observations, 0, observations.count(), stats);
        }
    }

    private record Canonical(Sequences data, ClassLabels labels) {
    }

    /**
     * The sequences and their labels in the sequences' canonical order ({@link Sequences#canonicalOrder()}), with
     * each step's class as one more column, so that two sequences of equal values but other labels are ordered
     * too: the fit then does not depend on the order the sequences came in.
     */
    private static Canonical canonical(Sequences data, ClassLabels labels) {
        int d = data.dimension();
        double[] x = data.rawValues();
        List<double[][]> withLabels = new ArrayList<>(data.count());
        for (int q = 0; q < data.count(); q++) {
            double[][] steps = new double[data.length(q)][d + 1];
            for (int t = 0; t < steps.length; t++) {
                int row = data.start(q) + t;
                System.arraycopy(x, row * d, steps[t], 0, d);
                steps[t][d] = labels.classOf(row);
            }
            withLabels.add(steps);
        }
        Sequences sorted = Sequences.of(withLabels).canonicalOrder();
        double[] y = sorted.rawValues();
        List<double[][]> values = new ArrayList<>(sorted.count());
        String[] cells = new String[labels.rows()];
        for (int q = 0; q < sorted.count(); q++) {
            double[][] steps = new double[sorted.length(q)][d];
            for (int t = 0; t < steps.length; t++) {
                int row = sorted.start(q) + t;
                System.arraycopy(y, row * (d + 1), steps[t], 0, d);
                int g = (int) y[row * (d + 1) + d];
                cells[row] = g < 0 ? null : labels.names().get(g);
            }
            values.add(steps);
        }
        return new Canonical(Sequences.of(values, data.featureNames()), ClassLabels.of(cells));
    }

    @Override
    public String toString() {
        return "SemiSupervisedHmm[" + config + "]";
    }
}
