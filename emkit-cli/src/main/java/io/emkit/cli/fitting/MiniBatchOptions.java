package io.emkit.cli.fitting;

import io.emkit.cli.CliSupport;
import io.emkit.cli.WordedMixin;
import io.emkit.em.MiniBatch;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * The options of a fit by mini-batches (fit, kmeans): {@code --mini-batch}, {@code --passes},
 * {@code --step-exponent}, {@code --shuffle}, a picocli mixin. Declared here once; each command says what
 * {@code --mini-batch} means for its model, and a command whose mini-batch update has no step size (k-means)
 * leaves {@code --step-exponent} out.
 */
final class MiniBatchOptions extends WordedMixin {
    /** The options' names. */
    static final String MINI_BATCH = "--mini-batch", PASSES = "--passes", STEP_EXPONENT = "--step-exponent",
            SHUFFLE = "--shuffle";

    @Option(names = MINI_BATCH, paramLabel = "B",
            description = "Fit by mini-batch (stepwise) EM: an M-step after every batch of B rows, for data too large"
                    + " to go over many times (--max-iter and --tol do not apply). Default: full EM.")
    Integer batchSize;

    @Option(names = PASSES, paramLabel = "N",
            description = "With --mini-batch: passes over the rows. Default: 1.")
    Integer passes;

    @Option(names = STEP_EXPONENT, paramLabel = "A",
            description = "With --mini-batch: the step size after t batches is (t + 2)^-A, A in (0.5, 1]. Default: "
                    + MiniBatch.DEFAULT_STEP_EXPONENT + ".")
    Double stepExponent;

    @Option(names = SHUFFLE,
            description = "With --mini-batch: visit the rows in a new random order (from --seed) in every pass"
                    + " instead of the file's order.")
    boolean shuffle;

    /** False for a command without a step size (k-means): it does not offer {@code --step-exponent}. */
    private boolean stepped = true;

    /**
     * @param text how this command describes {@code --mini-batch}
     * @return this mixin
     */
    MiniBatchOptions miniBatchHelp(String text) {
        wording.put(MINI_BATCH, text);
        return this;
    }

    /**
     * Leaves {@code --step-exponent} out of this command: for k-means, whose centroids move by their own counts.
     *
     * @return this mixin
     */
    MiniBatchOptions withoutStepExponent() {
        stepped = false;
        wording.leaveOut(STEP_EXPONENT);
        return this;
    }

    /** @return whether {@code --mini-batch} is given */
    boolean given() {
        return batchSize != null;
    }

    /** A usage error (exit 2) when an option that refines {@code --mini-batch} is given without it. */
    void checkNotAlone(CommandLine cl) {
        if (!given() && (passes != null || stepExponent != null || shuffle)) {
            List<String> refining = new ArrayList<>(List.of(PASSES));
            if (stepped) {
                refining.add(STEP_EXPONENT);
            }
            throw new CommandLine.ParameterException(cl, String.join(", ", refining) + " and " + SHUFFLE
                    + " go with " + MINI_BATCH + " B");
        }
    }

    /** A usage error (exit 2) for a value out of range. */
    void checkValues(CommandLine cl) {
        CliSupport.requireAtLeast(cl, MINI_BATCH, batchSize, 1);
        if (passes != null) {
            CliSupport.requireAtLeast(cl, PASSES, passes, 1);
        }
        if (stepExponent != null && !(stepExponent > 0.5 && stepExponent <= 1)) {
            throw new CommandLine.ParameterException(cl, STEP_EXPONENT + " must be in (0.5, 1], got " + stepExponent);
        }
    }

    /** @return the schedule these options describe, or {@code null} for full iterations */
    MiniBatch schedule() {
        if (batchSize == null) {
            return null;
        }
        MiniBatch m = MiniBatch.ofSize(batchSize).shuffled(shuffle);
        m = passes == null ? m : m.passes(passes);
        return stepExponent == null ? m : m.stepExponent(stepExponent);
    }
}
