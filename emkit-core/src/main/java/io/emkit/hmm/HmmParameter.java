package io.emkit.hmm;

import io.emkit.EmkitException;
import io.emkit.Labelled;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a hidden Markov model that Baum–Welch can hold fixed at their starting values (hmmlearn's
 * {@code params}): the start distribution, the transition matrix, and the parts of each emission family.
 */
public enum HmmParameter implements Labelled {
    /** The start distribution π. */
    START,
    /** The whole transition matrix A. */
    TRANSITIONS,
    /** The means of Gaussian and Gaussian-mixture emissions. */
    MEANS,
    /** The covariances of Gaussian and Gaussian-mixture emissions. */
    COVARIANCES,
    /** The mixture weights of each state of Gaussian-mixture emissions. */
    WEIGHTS,
    /** The symbol probabilities of categorical emissions, the category probabilities of multinomial ones. */
    PROBABILITIES,
    /** The rates of Poisson emissions. */
    RATES;

    /**
     * @param kind an emission family
     * @return whether a model with these emissions has this part
     */
    public boolean appliesTo(EmissionKind kind) {
        return switch (this) {
            case START, TRANSITIONS -> true;
            case MEANS, COVARIANCES -> kind == EmissionKind.GAUSSIAN || kind == EmissionKind.GAUSSIAN_MIXTURE;
            case WEIGHTS -> kind == EmissionKind.GAUSSIAN_MIXTURE;
            case PROBABILITIES -> kind == EmissionKind.CATEGORICAL || kind == EmissionKind.MULTINOMIAL;
            case RATES -> kind == EmissionKind.POISSON;
        };
    }

    /**
     * @param kind an emission family
     * @return the parts a model with these emissions has, in declaration order
     */
    public static List<HmmParameter> of(EmissionKind kind) {
        List<HmmParameter> out = new ArrayList<>();
        for (HmmParameter p : values()) {
            if (p.appliesTo(kind)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * @param name a label ({@code start}, {@code transitions}, {@code means}, ...), any case
     * @return the part
     * @throws EmkitException if no part has that name
     */
    public static HmmParameter parse(String name) {
        return Labelled.parse(HmmParameter.class, name, "HMM part");
    }
}
