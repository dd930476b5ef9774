package io.emkit.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.EmkitException;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.labels.LabelledGaussianMixture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Model files of Gaussian mixtures whose components stand for classes ({@link LabelledGaussianMixture}, from
 * semi-supervised EM): an ordinary {@code "gaussian_mixture"} file, unchanged, plus one key,
 * {@code "component_classes"}: per component the name of its class. Any reader of Gaussian mixtures reads the
 * mixture; {@link #readComponentClasses} reads the classes.
 */
public final class LabelledModelFiles {
    /** The key that holds the class of each component. */
    public static final String COMPONENT_CLASSES = "component_classes";

    private LabelledModelFiles() {
    }

    /**
     * Saves the mixture and its components' classes, with how it was made, atomically.
     *
     * @param model      the model
     * @param file       where to write it
     * @param provenance how it was made, or null for none
     * @throws EmkitException if the file cannot be written
     */
    public static void write(LabelledGaussianMixture model, Path file, Provenance provenance) {
        ObjectNode root = toTree(model);
        if (provenance != null) {
            ModelJson.putProvenance(root, provenance);
        }
        byte[] bytes = ModelJson.text(root).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /**
     * Saves any mixture (a product mixture, say) with its components' classes, atomically.
     *
     * @param model            the mixture
     * @param componentClasses per component the name of its class
     * @param file             where to write it
     * @param provenance       how it was made, or null for none
     * @throws EmkitException if the file cannot be written
     */
    public static void write(io.emkit.mixture.ClusteringModel model, List<String> componentClasses, Path file,
                             Provenance provenance) {
        writeTree(withClasses(ModelFiles.toTree(model), componentClasses), file, provenance);
    }

    /**
     * Saves a hidden Markov model with its states' classes ({@value #COMPONENT_CLASSES}: per state the name of its
     * class), atomically.
     *
     * @param model        the model
     * @param stateClasses per state the name of its class
     * @param file         where to write it
     * @param provenance   how it was made, or null for none
     * @throws EmkitException if the file cannot be written
     */
    public static void writeHmm(io.emkit.hmm.HiddenMarkovModel model, List<String> stateClasses, Path file,
                                Provenance provenance) {
        writeTree(withClasses(ModelFiles.toTree(model), stateClasses), file, provenance);
    }

    /**
     * @param root    a model file's tree
     * @param classes per component (or state) the name of its class
     * @return the same tree, with {@value #COMPONENT_CLASSES} added
     */
    public static ObjectNode withClasses(ObjectNode root, List<String> classes) {
        ArrayNode out = root.putArray(COMPONENT_CLASSES);
        classes.forEach(out::add);
        return root;
    }

    private static void writeTree(ObjectNode root, Path file, Provenance provenance) {
        if (provenance != null) {
            ModelJson.putProvenance(root, provenance);
        }
        byte[] bytes = ModelJson.text(root).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /**
     * @param model the model
     * @return its model file's content as a JSON tree
     */
    public static ObjectNode toTree(LabelledGaussianMixture model) {
        ObjectNode root = ModelFiles.toTree(model.mixture());
        ArrayNode classes = root.putArray(COMPONENT_CLASSES);
        model.componentClasses().forEach(classes::add);
        return root;
    }

    /**
     * The class of each component of a model file, if it has them.
     *
     * @param file a model file
     * @return per component its class name, or {@code null} when the file has no {@value #COMPONENT_CLASSES}
     * @throws ModelFileException if the file cannot be read, or its classes are not one name per component
     */
    public static List<String> readComponentClasses(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFileException(file.toString(), "cannot read the model file: " + e.getMessage(), e);
        }
        JsonNode classes = root == null ? null : root.get(COMPONENT_CLASSES);
        if (classes == null) {
            return null;
        }
        JsonNode k = root.has("n_states") ? root.get("n_states") : root.get("n_components");
        if (!classes.isArray() || k == null || classes.size() != k.asInt()) {
            throw new ModelFileException(file.toString(), "'" + COMPONENT_CLASSES + "' must be a list of one class name per"
                    + " component (per state for a hidden Markov model)");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode c : classes) {
            if (!c.isTextual() || c.asText().isBlank()) {
                throw new ModelFileException(file.toString(), "'" + COMPONENT_CLASSES + "' must hold class names (text)");
            }
            out.add(c.asText());
        }
        return out;
    }

    /**
     * Reads a Gaussian mixture with its components' classes.
     *
     * @param file a model file written by {@link #write}
     * @return the model
     * @throws ModelFileException if the file is not a Gaussian mixture with component classes
     */
    public static LabelledGaussianMixture read(Path file) {
        if (!(ModelFiles.read(file) instanceof GaussianMixtureModel mixture)) {
            throw new ModelFileException(file.toString(), "not a Gaussian mixture");
        }
        List<String> classes = readComponentClasses(file);
        if (classes == null) {
            throw new ModelFileException(file.toString(), "the mixture has no '" + COMPONENT_CLASSES + "'");
        }
        return new LabelledGaussianMixture(mixture, classes);
    }
}
