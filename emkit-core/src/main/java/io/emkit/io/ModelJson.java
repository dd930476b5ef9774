package io.emkit.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.EmkitException;
import io.emkit.mixture.ClusteringModel;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The JSON of model files, the one place that knows Jackson: static helpers that write numbers, and an instance
 * that reads one JSON object of a file with messages naming the key and what was expected. Numbers are written
 * by Jackson in the shortest form that parses back to the same double, which is what makes round trips exact.
 */
final class ModelJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** How deep a model file's JSON may nest: the deepest model (an HMM's full covariances) nests 5 levels. */
    static final int MAX_DEPTH = 32;
    /** The longest string a model file may hold (names of features and categories). */
    static final int MAX_STRING = 1_000_000;
    /** Reads with limits that stop hostile files early, with a message of ours, not Jackson's defaults. */
    private static final ObjectMapper READER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING).build())
            .build());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonNode root;
    private final String source;
    /** Prepended to keys in messages, for nested objects (e.g. {@code "emission."}). */
    private final String prefix;

    private ModelJson(JsonNode root, String source, String prefix) {
        this.root = root;
        this.source = source;
        this.prefix = prefix;
    }

    // ---- writing

    /** A new, empty JSON object. */
    static ObjectNode object() {
        return NODES.objectNode();
    }

    /** The file's text: indented, ending with a newline. */
    static String text(ObjectNode tree) {
        try {
            return MAPPER.writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a model", e);
        }
    }

    static ArrayNode numbers(double[] v) {
        ArrayNode a = NODES.arrayNode(v.length);
        for (double x : v) {
            a.add(x);
        }
        return a;
    }

    static ArrayNode matrix(double[][] m) {
        ArrayNode a = NODES.arrayNode(m.length);
        for (double[] row : m) {
            a.add(numbers(row));
        }
        return a;
    }

    /** An array of matrices (one covariance matrix per component). */
    static ArrayNode matrices(double[][][] ms) {
        ArrayNode a = NODES.arrayNode(ms.length);
        for (double[][] m : ms) {
            a.add(matrix(m));
        }
        return a;
    }

    static void putStrings(ObjectNode node, String key, List<String> values) {
        ArrayNode a = node.putArray(key);
        values.forEach(a::add);
    }

    /**
     * {@code "n_components"}, {@code "n_features"} and {@code "feature_names"}: the keys every mixture and k-means
     * file has after its own first ones, in the schema's order.
     */
    static void putComponentsAndFeatures(ObjectNode node, ClusteringModel model) {
        node.put("n_components", model.components());
        putFeatures(node, model.featureNames());
    }

    /** {@code "n_features"} and {@code "feature_names"}, as every kind writes them. */
    static void putFeatures(ObjectNode node, List<String> names) {
        node.put("n_features", names.size());
        putStrings(node, "feature_names", names);
    }

    /** Adds {@code "provenance"}: how the model was made; a number that is not finite is written as null. */
    static void putProvenance(ObjectNode root, Provenance p) {
        ObjectNode o = root.putObject("provenance");
        o.put("emkit_version", p.emkitVersion());
        o.put("data_file", p.dataFile());
        o.put("rows", p.rows());
        o.put("columns", p.columns());
        ObjectNode options = o.putObject("options");
        p.options().forEach(options::put);
        o.put("seed", p.seed());
        putFinite(o, "log_likelihood", p.logLikelihood());
        putFinite(o, "bic", p.bic());
        o.put("converged", p.converged());
        o.put("iterations", p.iterations());     // null when not known
        o.put("date", p.date());
    }

    private static void putFinite(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    // ---- reading

    /**
     * Parses a file's content, which must be a JSON object.
     *
     * @throws ModelFileException if it is not
     */
    static ModelJson parse(String json, String source) {
        try {
            return parsed(() -> READER.readTree(json), source);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);      // a string has no I/O to fail: JSON errors are handled
        }
    }

    /**
     * Parses a file's content from a stream, which must be a JSON object: a stream, so that a file without end
     * ({@code /dev/zero}) fails at its first bytes instead of filling the heap.
     *
     * @throws ModelFileException if it is not
     * @throws IOException        if reading fails
     */
    static ModelJson parse(InputStream in, String source) throws IOException {
        return parsed(() -> READER.readTree(in), source);
    }

    /** Reads a JSON tree; may throw {@link IOException}. */
    private interface TreeSource {
        JsonNode read() throws IOException;
    }

    private static ModelJson parsed(TreeSource tree, String source) throws IOException {
        try {
            return of(tree.read(), source);
        } catch (JsonProcessingException e) {
            throw invalid(e, source);
        }
    }

    /** Jackson's refusal as one line of ours: never its hints about parser features nor its source excerpt. */
    private static ModelFileException invalid(JsonProcessingException e, String source) {
        if (e instanceof StreamConstraintsException) {
            String m = String.valueOf(e.getOriginalMessage());
            String what = m.contains("nesting depth") ? "JSON nested more than " + MAX_DEPTH + " levels deep"
                    : m.contains("String value length") ? "a string longer than "
                            + String.format(Locale.ROOT, "%,d", MAX_STRING) + " characters"
                    : m.contains("Number value length") ? "a number written with too many digits"
                    : "JSON beyond what a model file holds";
            return new ModelFileException(source, "not an emkit model file (" + what + ")", e);
        }
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
        return new ModelFileException(source, "not valid JSON (" + where + plain(e.getOriginalMessage()) + ")", e);
    }

    /**
     * Jackson's message without what means nothing to a user: its advice to enable parser features and any
     * excerpt of the source; the first line only.
     */
    static String plain(String message) {
        if (message == null) {
            return "unreadable";
        }
        String m = message.lines().findFirst().orElse("").strip();
        for (String cut : new String[] {": enable ", "; enable ", " (not recognized as one since", " (JSON feature",
                " at [Source", "[Source"}) {
            int i = m.indexOf(cut);
            if (i >= 0) {
                m = m.substring(0, i);
            }
        }
        int feature = m.indexOf("JsonReadFeature");
        if (feature >= 0) {
            m = m.substring(0, feature).strip();
        }
        m = m.replace("`", "'");
        return m.length() > 200 ? m.substring(0, 200) + "..." : m;
    }

    private static ModelJson of(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new ModelFileException(source, "not an emkit model file (expected a JSON object)");
        }
        return new ModelJson(root, source, "");
    }

    /** The file this JSON comes from, as messages name it. */
    String source() {
        return source;
    }

    /** {@code key} as messages name it (with the path of a nested object). */
    String key(String key) {
        return prefix + key;
    }

    /** The object under {@code key}, read with {@code prefix} before its keys in messages. */
    ModelJson object(String key, String prefix) {
        return nested(required(key), key, prefix);
    }

    /** {@code node}, which must be an object, read with {@code prefix} before its keys; {@code what} names it. */
    ModelJson nested(JsonNode node, String what, String prefix) {
        if (!node.isObject()) {
            throw fail("\"" + what + "\" must be an object");
        }
        return new ModelJson(node, source, prefix);
    }

    /** A refusal of this file. */
    ModelFileException fail(String problem) {
        return new ModelFileException(source, problem);
    }

    /** A refusal of this file, caused by {@code cause}. */
    ModelFileException fail(String problem, Throwable cause) {
        return new ModelFileException(source, problem, cause);
    }

    JsonNode required(String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            throw fail("missing key \"" + key(key) + "\"");
        }
        return n;
    }

    /** Whether the key is present and not {@code null}: for optional keys. */
    boolean has(String key) {
        JsonNode n = root.get(key);
        return n != null && !n.isNull();
    }

    String text(String key) {
        JsonNode n = required(key);
        if (!n.isTextual()) {
            throw fail("\"" + key(key) + "\" must be a string");
        }
        return n.asText();
    }

    /** A string parsed by {@code parser} (a label of an enum); its refusal is reported naming the key. */
    <T> T parsed(String key, Function<String, T> parser) {
        String text = text(key);
        try {
            return parser.apply(text);
        } catch (ModelFileException e) {
            throw e;
        } catch (EmkitException e) {
            throw fail("\"" + key(key) + "\": " + e.getMessage());
        }
    }

    int integer(String key) {
        JsonNode n = required(key);
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw fail("\"" + key(key) + "\" must be an integer");
        }
        return n.intValue();
    }

    /** The finite number under {@code key}. */
    double number(String key) {
        JsonNode n = required(key);
        if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
            throw fail("\"" + key(key) + "\" must be a finite number");
        }
        return n.doubleValue();
    }

    /** A count that must be at least 1 (components, states, features, ...). */
    int count(String key) {
        int v = integer(key);
        if (v < 1) {
            throw fail("\"" + key(key) + "\" must be at least 1, got " + v);
        }
        return v;
    }

    /** {@code "feature_names"}, as many as {@code "n_features"} says. */
    List<String> featureNames() {
        return strings("feature_names", count("n_features"));
    }

    List<String> strings(String key, int length) {
        JsonNode n = required(key);
        array(n, key, length);
        List<String> out = new ArrayList<>(length);
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw fail("\"" + key + "\" must hold strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    /** The vector under {@code key}. */
    double[] vector(String key, int length) {
        return vector(required(key), key(key), length);
    }

    /** The matrix under {@code key}. */
    double[][] matrix(String key, int rows, int cols) {
        return matrix(required(key), key(key), rows, cols);
    }

    void array(JsonNode n, String what, int length) {
        if (n == null || !n.isArray()) {
            throw fail("\"" + what + "\" must be an array of " + length + " entries");
        }
        if (n.size() != length) {
            throw fail("\"" + what + "\" has " + n.size() + " entries, expected " + length);
        }
    }

    double[] vector(JsonNode n, String what, int length) {
        array(n, what, length);
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            JsonNode e = n.get(i);
            if (!e.isNumber()) {
                throw fail("\"" + what + "\" entry " + i + " must be a number");
            }
            out[i] = e.doubleValue();
            if (!Double.isFinite(out[i])) {
                throw fail("\"" + what + "\" entry " + i + " is not finite");
            }
        }
        return out;
    }

    double[][] matrix(JsonNode n, String what, int rows, int cols) {
        array(n, what, rows);
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = vector(n.get(i), what + "[" + i + "]", cols);
        }
        return out;
    }
}
