package io.emkit.io;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How one kind of model is written to and read from the body of a model file: everything after the
 * {@code "format"}, {@code "format_version"} and {@code "kind"} keys that {@link ModelFiles} writes and checks.
 * The schema of every kind is in {@link ModelFiles}.
 *
 * @param <M> the model class
 */
abstract class ModelCodec<M> {
    private final String kind;
    private final String description;
    private final Class<M> modelClass;

    /**
     * @param kind        the value of {@code "kind"}
     * @param description how messages name a model of this kind, after "a" ("k-means model")
     * @param modelClass  the class of the models this codec writes
     */
    ModelCodec(String kind, String description, Class<M> modelClass) {
        this.kind = kind;
        this.description = description;
        this.modelClass = modelClass;
    }

    final String kind() {
        return kind;
    }

    final String description() {
        return description;
    }

    final Class<M> modelClass() {
        return modelClass;
    }

    /** Adds the model's keys to {@code root}, in the order the schema lists them. */
    abstract void write(M model, ObjectNode root);

    /**
     * Reads a model from the file's root object.
     *
     * @throws ModelFileException if a key is missing or malformed; a refusal by the model's own checks
     *                            ({@link io.emkit.EmkitException}) is reported by {@link ModelFiles} as an
     *                            invalid model
     */
    abstract M read(ModelJson root);
}
