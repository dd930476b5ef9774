package io.emkit.hmm;

import io.emkit.EmkitException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parts of a hidden Markov model that Baum–Welch can hold fixed at their starting values (hmmlearn's
 * {@code params}): the start distribution, the transition matrix, and the parts of each emission family.
 */
public enum HmmParameter {
    /** The start distribution π. */
    START("start"),
    /** The whole transition matrix A. */
    TRANSITIONS("transitions"),
    /** The means of Gaussian and Gaussian-mixture emissions. */
    MEANS("means"),
    /** The covariances of Gaussian and Gaussian-mixture emissions. */
    COVARIANCES("covariances"),
    /** The mixture weights of each state of Gaussian-mixture emissions. */
    WEIGHTS("weights"),
    /** The symbol probabilities of categorical emissions, the category probabilities of multinomial ones. */
    PROBABILITIES("probabilities"),
    /** The rates of Poisson emissions. */
    RATES("rates");

    private final String label;

    HmmParameter(String label) {
        this.label = label;
    }

    /** @return the name on the command line, e.g. {@code covariances} */
    public String label() {
        return label;
    }

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
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (HmmParameter p : values()) {
            if (p.label.equals(n)) {
                return p;
            }
        }
        List<String> labels = new ArrayList<>();
        for (HmmParameter p : values()) {
            labels.add(p.label);
        }
        throw new EmkitException("'" + name + "' is not a part of a hidden Markov model; the parts are "
                + String.join(", ", labels));
    }
}
