package io.emkit.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.EmkitException;
import io.emkit.mixture.ClusteringModel;
import io.emkit.families.ColumnFamily;
import io.emkit.hmm.CategoricalEmission;
import io.emkit.hmm.Emission;
import io.emkit.hmm.EmissionKind;
import io.emkit.hmm.GaussianEmission;
import io.emkit.hmm.GaussianMixtureEmission;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.hmm.PoissonEmission;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.kmeans.KMeansModel;
import io.emkit.mixture.MixtureModel;
import io.emkit.families.ProductMixtureModel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Saves fitted models as JSON and reads them back, exactly: every number is written in the shortest
 * form that parses back to the same double, and a model's derived quantities are recomputed from the
 * stored parameters the same way on load, so a loaded model predicts bit for bit as the saved one.
 *
 * <h2>Schema (format version 1)</h2>
 * <pre>{@code
 * {
 *   "format": "emkit-model",          // always this string
 *   "format_version": 1,
 *   "kind": "gaussian_mixture",
 *   "covariance_type": "full",        // full | diag | spherical | tied | any of mclust's 14 names
 *   "n_components": K,
 *   "n_features": D,
 *   "feature_names": [D strings],
 *   "weights": [K numbers, >= 0, summing to 1],
 *   "means": [K arrays of D numbers],
 *   "covariances": ...                // full: K×D×D; diag: K×D; spherical: K; tied: D×D; others: K×D×D
 * }
 * }</pre>
 * A k-means model ({@link KMeansModel}) has {@code "kind": "kmeans"}, the same {@code "format"},
 * {@code "format_version"}, {@code "n_components"} (K clusters), {@code "n_features"} and
 * {@code "feature_names"}, and {@code "centroids"}: K arrays of D numbers.
 * A mixture of independent columns ({@link ProductMixtureModel}) has {@code "kind": "product_mixture"},
 * {@code "weights"} and {@code "columns"}: D objects {@code {"family": "poisson", "parameters": K arrays}}
 * (a categorical column also has {@code "categories"}, its category names in code order).
 * A hidden Markov model ({@link #writeHmm}, {@link #readHmm}) has {@code "kind": "hidden_markov_model"}:
 * <pre>{@code
 * {
 *   "format": "emkit-model", "format_version": 1, "kind": "hidden_markov_model",
 *   "n_states": S, "n_features": D, "feature_names": [D strings],
 *   "start_probabilities": [S numbers summing to 1],
 *   "transitions": [S arrays of S numbers, each summing to 1],   // zeros are structural
 *   "emission": {"kind": "gaussian", "covariance_type": "full", "means": S×D, "covariances": ...}
 *            or {"kind": "gmm", "covariance_type": "full", "n_mix": M, "weights": S×M,
 *                "means": (S·M)×D, "covariances": ... (S·M Gaussians, state after state)}
 *            or {"kind": "categorical", "n_symbols": M, "probabilities": S×M}
 *            or {"kind": "poisson", "rates": S×D}
 * }
 * }</pre>
 * Unknown keys are ignored, so later versions may add keys without breaking older readers of the same
 * format version. Files are written atomically.
 */
public final class ModelFiles {
    /** The value of {@code "format"}. */
    public static final String FORMAT = "emkit-model";
    /** The format version this code writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;
    /** The {@code "kind"} of a Gaussian mixture. */
    public static final String GAUSSIAN_MIXTURE = "gaussian_mixture";
    /** The {@code "kind"} of a k-means model. */
    public static final String KMEANS = "kmeans";
    /** The {@code "kind"} of a mixture of independent columns ({@link ProductMixtureModel}). */
    public static final String PRODUCT_MIXTURE = "product_mixture";
    /** The {@code "kind"} of a hidden Markov model. */
    public static final String HIDDEN_MARKOV_MODEL = "hidden_markov_model";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ModelFiles() {
    }

    /**
     * Saves a model, atomically.
     *
     * @param model the model
     * @param file  where to write it
     * @throws EmkitException if the file cannot be written
     */
    public static void write(ClusteringModel model, Path file) {
        writeText(toJson(model), file);
    }

    /**
     * @param model the model
     * @return its model file's content, indented, ending with a newline
     */
    public static String toJson(ClusteringModel model) {
        return text(toTree(model));
    }

    /** The keys every model file starts with. */
    private static ObjectNode startFile(String kind) {
        ObjectNode root = NODES.objectNode();
        root.put("format", FORMAT);
        root.put("format_version", FORMAT_VERSION);
        root.put("kind", kind);
        return root;
    }

    private static String text(ObjectNode tree) {
        try {
            return MAPPER.writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a model", e);
        }
    }

    private static void writeText(String json, Path file) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /**
     * @param model the model
     * @return its model file's content as a JSON tree (to embed in other output)
     */
    public static ObjectNode toTree(ClusteringModel model) {
        if (model instanceof KMeansModel m) {
            ObjectNode root = startFile(KMEANS);
            root.put("n_components", m.components());
            root.put("n_features", m.dimension());
            ArrayNode names = root.putArray("feature_names");
            m.featureNames().forEach(names::add);
            root.set("centroids", matrix(m.centroids()));
            return root;
        }
        if (model instanceof ProductMixtureModel m) {
            return productMixtureTree(m);
        }
        if (!(model instanceof GaussianMixtureModel g)) {
            throw new IllegalArgumentException("no model file format for " + model.getClass().getName());
        }
        ObjectNode root = startFile(GAUSSIAN_MIXTURE);
        root.put("covariance_type", g.covarianceType().label());
        root.put("n_components", g.components());
        root.put("n_features", g.dimension());
        ArrayNode names = root.putArray("feature_names");
        g.featureNames().forEach(names::add);
        root.set("weights", numbers(g.weights()));
        root.set("means", matrix(g.means()));
        root.set("covariances", covariances(g));
        return root;
    }

    // ---- product_mixture (mixtures of independent columns): begin
    private static ObjectNode productMixtureTree(ProductMixtureModel m) {
        ObjectNode root = startFile(PRODUCT_MIXTURE);
        root.put("n_components", m.components());
        root.put("n_features", m.dimension());
        ArrayNode names = root.putArray("feature_names");
        m.featureNames().forEach(names::add);
        root.set("weights", numbers(m.weights()));
        ArrayNode columns = root.putArray("columns");
        for (int j = 0; j < m.dimension(); j++) {
            ObjectNode c = columns.addObject();
            c.put("family", m.families().get(j).label());
            if (m.families().get(j) == ColumnFamily.CATEGORICAL) {
                ArrayNode cats = c.putArray("categories");
                m.categories(j).forEach(cats::add);
            }
            c.set("parameters", matrix(m.parameters(j)));
        }
        return root;
    }

    private static ProductMixtureModel readProductMixture(Reader r) {
        int k = r.count("n_components");
        int d = r.count("n_features");
        List<String> names = r.strings("feature_names", d);
        double[] weights = r.vector(r.required("weights"), "weights", k);
        JsonNode columns = r.required("columns");
        r.array(columns, "columns", d);
        List<ColumnFamily> families = new ArrayList<>(d);
        List<List<String>> categories = new ArrayList<>(d);
        double[][][] parameters = new double[d][][];
        for (int j = 0; j < d; j++) {
            JsonNode node = columns.get(j);
            String key = "columns[" + j + "]";
            if (!node.isObject()) {
                throw new ModelFileException(r.source, "\"" + key + "\" must be an object");
            }
            Reader c = new Reader(node, r.source, key + ".");
            ColumnFamily family;
            try {
                family = ColumnFamily.parse(c.text("family"));
            } catch (ModelFileException e) {
                throw e;
            } catch (EmkitException e) {
                throw new ModelFileException(r.source, "\"" + key + ".family\": " + e.getMessage());
            }
            families.add(family);
            int size = family.freeParameters(0); // every non-categorical family: one parameter per free parameter
            List<String> cats = null;
            if (family == ColumnFamily.CATEGORICAL) {
                JsonNode catNode = c.required("categories");
                if (!catNode.isArray() || catNode.size() < 1) {
                    throw new ModelFileException(r.source, "\"" + key + ".categories\" must be a non-empty array");
                }
                cats = c.strings("categories", catNode.size());
                size = cats.size();
            }
            categories.add(cats);
            parameters[j] = c.matrix(c.required("parameters"), key + ".parameters", k, size);
        }
        try {
            return ProductMixtureModel.of(weights, families, parameters, categories, names);
        } catch (EmkitException e) {
            throw new ModelFileException(r.source, "invalid model: " + e.getMessage(), e);
        }
    }
    // ---- product_mixture: end

    private static ArrayNode covariances(GaussianMixtureModel g) {
        Object cov = g.covarianceParameters();
        return switch (g.covarianceType()) {
            case FULL -> {
                ArrayNode a = NODES.arrayNode();
                for (double[][] m : (double[][][]) cov) {
                    a.add(matrix(m));
                }
                yield a;
            }
            case DIAG, TIED -> matrix((double[][]) cov);
            case SPHERICAL -> numbers((double[]) cov);
            default -> {
                ArrayNode a = NODES.arrayNode();
                for (double[][] m : (double[][][]) cov) {
                    a.add(matrix(m));
                }
                yield a;
            }
        };
    }

    /**
     * Saves a hidden Markov model, atomically.
     *
     * @param model the model
     * @param file  where to write it
     * @throws EmkitException if the file cannot be written
     */
    public static void writeHmm(HiddenMarkovModel model, Path file) {
        writeText(toJson(model), file);
    }

    /**
     * @param model a hidden Markov model
     * @return its model file's content, indented, ending with a newline
     */
    public static String toJson(HiddenMarkovModel model) {
        return text(toTree(model));
    }

    /**
     * @param model a hidden Markov model
     * @return its model file's content as a JSON tree (to embed in other output)
     */
    public static ObjectNode toTree(HiddenMarkovModel model) {
        ObjectNode root = startFile(HIDDEN_MARKOV_MODEL);
        root.put("n_states", model.states());
        root.put("n_features", model.dimension());
        ArrayNode names = root.putArray("feature_names");
        model.featureNames().forEach(names::add);
        root.set("start_probabilities", numbers(model.startProbabilities()));
        root.set("transitions", matrix(model.transitionMatrix()));
        ObjectNode e = root.putObject("emission");
        Emission emission = model.emission();
        e.put("kind", emission.kind().label());
        if (emission instanceof GaussianEmission g) {
            e.put("covariance_type", g.covarianceType().label());
            e.set("means", matrix(g.gaussians().means()));
            e.set("covariances", covariances(g.gaussians()));
        } else if (emission instanceof GaussianMixtureEmission g) {
            e.put("covariance_type", g.covarianceType().label());
            e.put("n_mix", g.mixtureComponents());
            e.set("weights", matrix(g.mixtureWeights()));
            e.set("means", matrix(g.gaussians().means()));
            e.set("covariances", covariances(g.gaussians()));
        } else if (emission instanceof CategoricalEmission c) {
            e.put("n_symbols", c.symbols());
            e.set("probabilities", matrix(c.probabilities()));
        } else if (emission instanceof PoissonEmission p) {
            e.set("rates", matrix(p.rates()));
        }
        return root;
    }

    private static ArrayNode numbers(double[] v) {
        ArrayNode a = NODES.arrayNode(v.length);
        for (double x : v) {
            a.add(x);
        }
        return a;
    }

    private static ArrayNode matrix(double[][] m) {
        ArrayNode a = NODES.arrayNode(m.length);
        for (double[] row : m) {
            a.add(numbers(row));
        }
        return a;
    }

    /**
     * Reads a model file.
     *
     * @param file the file
     * @return the model: a {@link MixtureModel} or a {@link KMeansModel}
     * @throws ModelFileException if the file is missing, unreadable, not JSON or not a valid model
     */
    public static ClusteringModel read(Path file) {
        return fromJson(readText(file), file.toString());
    }

    /**
     * Reads a model file that must hold a mixture model (a density), not a k-means model.
     *
     * @param file the file
     * @return the mixture
     * @throws ModelFileException as {@link #read}, and if the file holds a k-means model
     */
    public static MixtureModel readMixture(Path file) {
        ClusteringModel model = read(file);
        if (!(model instanceof MixtureModel m)) {
            throw new ModelFileException(file.toString(), "holds a k-means model, not a mixture: k-means models"
                    + " have no density (no probabilities, log-likelihood or sampling); only predict can use them");
        }
        return m;
    }

    /**
     * Reads a hidden Markov model file.
     *
     * @param file the file
     * @return the model
     * @throws ModelFileException if the file is missing, unreadable, not JSON or not a valid hidden Markov model
     */
    public static HiddenMarkovModel readHmm(Path file) {
        return hmmFromJson(readText(file), file.toString());
    }

    /**
     * The {@code "kind"} of a model file, to choose between {@link #read} and {@link #readHmm}.
     *
     * @param file the file
     * @return {@link #GAUSSIAN_MIXTURE}, {@link #KMEANS}, {@link #PRODUCT_MIXTURE} or {@link #HIDDEN_MARKOV_MODEL}
     * @throws ModelFileException if the file is not a valid emkit model file of a known kind
     */
    public static String kindOf(Path file) {
        String name = file.toString();
        Reader r = header(readText(file), name);
        String kind = r.text("kind");
        if (!GAUSSIAN_MIXTURE.equals(kind) && !KMEANS.equals(kind) && !HIDDEN_MARKOV_MODEL.equals(kind)
                && !PRODUCT_MIXTURE.equals(kind)) {
            throw unknownKind(name, kind);
        }
        return kind;
    }

    private static ModelFileException unknownKind(String source, String kind) {
        return new ModelFileException(source, "unknown model kind '" + kind + "' (this emkit knows: "
                + GAUSSIAN_MIXTURE + ", " + KMEANS + ", " + PRODUCT_MIXTURE + ", " + HIDDEN_MARKOV_MODEL + ")");
    }

    private static String readText(Path file) {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new ModelFileException(name, "is a directory, not a model file");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ModelFileException(name, "no such file");
        } catch (IOException e) {
            throw new ModelFileException(name, "cannot read: " + e.getMessage(), e);
        }
        return text;
    }

    /**
     * Parses a model file's content.
     *
     * @param json   the content
     * @param source how to name it in error messages (a file name)
     * @return the model: a {@link MixtureModel} or a {@link KMeansModel}
     * @throws ModelFileException if it is not valid
     */
    public static ClusteringModel fromJson(String json, String source) {
        Reader r = header(json, source);
        String kind = r.text("kind");
        if (HIDDEN_MARKOV_MODEL.equals(kind)) {
            throw new ModelFileException(source, "holds a hidden Markov model, not a mixture (use the emkit hmm"
                    + " commands, or ModelFiles.readHmm)");
        }
        if (KMEANS.equals(kind)) {
            return readKMeans(r);
        }
        if (PRODUCT_MIXTURE.equals(kind)) {
            return readProductMixture(r);
        }
        if (!GAUSSIAN_MIXTURE.equals(kind)) {
            throw unknownKind(source, kind);
        }
        return readGaussianMixture(r);
    }

    /**
     * Parses a hidden Markov model file's content.
     *
     * @param json   the content
     * @param source how to name it in error messages (a file name)
     * @return the model
     * @throws ModelFileException if it is not a valid hidden Markov model file
     */
    public static HiddenMarkovModel hmmFromJson(String json, String source) {
        Reader r = header(json, source);
        String kind = r.text("kind");
        if (GAUSSIAN_MIXTURE.equals(kind) || KMEANS.equals(kind) || PRODUCT_MIXTURE.equals(kind)) {
            throw new ModelFileException(source, "holds a " + (KMEANS.equals(kind) ? "k-means model"
                    : GAUSSIAN_MIXTURE.equals(kind) ? "Gaussian mixture" : "mixture of independent columns")
                    + ", not a hidden Markov model");
        }
        if (!HIDDEN_MARKOV_MODEL.equals(kind)) {
            throw unknownKind(source, kind);
        }
        return readHiddenMarkovModel(r);
    }

    /** Parses the JSON and checks format and version. */
    private static Reader header(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelFileException(source, "not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFileException(source, "not an emkit model file (expected a JSON object)");
        }
        Reader r = new Reader(root, source);
        if (!FORMAT.equals(r.text("format"))) {
            throw new ModelFileException(source, "not an emkit model file (\"format\" is not \"" + FORMAT + "\")");
        }
        int version = r.integer("format_version");
        if (version > FORMAT_VERSION || version < 1) {
            throw new ModelFileException(source, "format_version " + version + " is not supported (this emkit reads "
                    + "versions 1 to " + FORMAT_VERSION + "; a newer emkit may have written it)");
        }
        return r;
    }

    private static HiddenMarkovModel readHiddenMarkovModel(Reader r) {
        int s = r.count("n_states");
        int d = r.count("n_features");
        List<String> names = r.strings("feature_names", d);
        double[] start = r.vector(r.required("start_probabilities"), "start_probabilities", s);
        double[][] transitions = r.matrix(r.required("transitions"), "transitions", s, s);
        JsonNode node = r.required("emission");
        if (!node.isObject()) {
            throw new ModelFileException(r.source, "\"emission\" must be an object");
        }
        Reader e = new Reader(node, r.source, "emission.");
        try {
            EmissionKind kind;
            try {
                kind = EmissionKind.parse(e.text("kind"));
            } catch (ModelFileException x) {
                throw x;
            } catch (EmkitException x) {
                throw new ModelFileException(r.source, "\"emission.kind\": " + x.getMessage());
            }
            Emission emission = switch (kind) {
                case GAUSSIAN -> GaussianEmission.of(readGaussians(e, s, d));
                case GAUSSIAN_MIXTURE -> {
                    int m = e.count("n_mix");
                    double[][] w = e.matrix(e.required("weights"), "emission.weights", s, m);
                    yield GaussianMixtureEmission.of(w, readGaussians(e, s * m, d));
                }
                case CATEGORICAL -> {
                    if (d != 1) {
                        throw new ModelFileException(r.source, "categorical emissions need \"n_features\": 1");
                    }
                    int m = e.count("n_symbols");
                    yield CategoricalEmission.of(e.matrix(e.required("probabilities"), "emission.probabilities", s, m));
                }
                case POISSON -> PoissonEmission.of(e.matrix(e.required("rates"), "emission.rates", s, d));
            };
            return HiddenMarkovModel.of(start, transitions, emission.withFeatureNames(names));
        } catch (ModelFileException x) {
            throw x;
        } catch (EmkitException x) {
            throw new ModelFileException(r.source, "invalid model: " + x.getMessage(), x);
        }
    }

    private static KMeansModel readKMeans(Reader r) {
        int k = r.count("n_components");
        int d = r.count("n_features");
        List<String> names = r.strings("feature_names", d);
        double[][] centroids = r.matrix(r.required("centroids"), "centroids", k, d);
        try {
            return KMeansModel.of(centroids).withFeatureNames(names);
        } catch (EmkitException e) {
            throw new ModelFileException(r.source, "invalid model: " + e.getMessage(), e);
        }
    }

    private static GaussianMixtureModel readGaussianMixture(Reader r) {
        CovarianceType type;
        try {
            type = CovarianceType.parse(r.text("covariance_type"));
        } catch (EmkitException e) {
            throw new ModelFileException(r.source, "\"covariance_type\": " + e.getMessage());
        }
        int k = r.count("n_components");
        int d = r.count("n_features");
        List<String> names = r.strings("feature_names", d);
        double[] weights = r.vector(r.required("weights"), "weights", k);
        double[][] means = r.matrix(r.required("means"), "means", k, d);
        JsonNode cov = r.required("covariances");
        try {
            GaussianMixtureModel model = gaussians(r, type, weights, means, cov, "covariances", k, d);
            return model.withFeatureNames(names);
        } catch (ModelFileException e) {
            throw e;
        } catch (EmkitException e) {
            throw new ModelFileException(r.source, "invalid model: " + e.getMessage(), e);
        }
    }

    /**
     * The Gaussians of a model file from their covariances, in the shape the structure stores: full K×D×D
     * for every structure but diag (K×D), spherical (K) and tied (D×D). {@code key} names the JSON key in
     * messages.
     */
    private static GaussianMixtureModel gaussians(Reader r, CovarianceType type, double[] weights, double[][] means,
                                                  JsonNode cov, String key, int k, int d) {
        return switch (type) {
            case DIAG -> GaussianMixtureModel.diag(weights, means, r.matrix(cov, key, k, d));
            case SPHERICAL -> GaussianMixtureModel.spherical(weights, means, r.vector(cov, key, k));
            case TIED -> GaussianMixtureModel.tied(weights, means, r.matrix(cov, key, d, d));
            default -> {
                r.array(cov, key, k);
                double[][][] c = new double[k][][];
                for (int i = 0; i < k; i++) {
                    c[i] = r.matrix(cov.get(i), key + "[" + i + "]", d, d);
                }
                yield GaussianMixtureModel.of(type, weights, means, c);
            }
        };
    }

    /** The {@code k} Gaussians of an emission object (equal weights: the file keeps none for them). */
    private static GaussianMixtureModel readGaussians(Reader e, int k, int d) {
        CovarianceType type;
        try {
            type = CovarianceType.parse(e.text("covariance_type"));
        } catch (ModelFileException x) {
            throw x;
        } catch (EmkitException x) {
            throw new ModelFileException(e.source, "\"emission.covariance_type\": " + x.getMessage());
        }
        double[] w = new double[k];
        java.util.Arrays.fill(w, 1.0 / k);
        double[][] means = e.matrix(e.required("means"), "emission.means", k, d);
        JsonNode cov = e.required("covariances");
        return gaussians(e, type, w, means, cov, "emission.covariances", k, d);
    }

    /** Reads typed fields with messages that name the key and what was expected. */
    private static final class Reader {
        final JsonNode root;
        final String source;
        /** Prepended to keys in messages, for nested objects (e.g. {@code "emission."}). */
        final String prefix;

        Reader(JsonNode root, String source) {
            this(root, source, "");
        }

        Reader(JsonNode root, String source, String prefix) {
            this.root = root;
            this.source = source;
            this.prefix = prefix;
        }

        JsonNode required(String key) {
            JsonNode n = root.get(key);
            if (n == null || n.isNull()) {
                throw new ModelFileException(source, "missing key \"" + prefix + key + "\"");
            }
            return n;
        }

        String text(String key) {
            JsonNode n = required(key);
            if (!n.isTextual()) {
                throw new ModelFileException(source, "\"" + prefix + key + "\" must be a string");
            }
            return n.asText();
        }

        int integer(String key) {
            JsonNode n = required(key);
            if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                throw new ModelFileException(source, "\"" + prefix + key + "\" must be an integer");
            }
            return n.intValue();
        }

        /** A count that must be at least 1 (components, states, features, ...). */
        int count(String key) {
            int v = integer(key);
            if (v < 1) {
                throw new ModelFileException(source, "\"" + prefix + key + "\" must be at least 1, got " + v);
            }
            return v;
        }

        List<String> strings(String key, int length) {
            JsonNode n = required(key);
            array(n, key, length);
            List<String> out = new ArrayList<>(length);
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    throw new ModelFileException(source, "\"" + key + "\" must hold strings");
                }
                out.add(e.asText());
            }
            return out;
        }

        void array(JsonNode n, String what, int length) {
            if (n == null || !n.isArray()) {
                throw new ModelFileException(source, "\"" + what + "\" must be an array of " + length + " entries");
            }
            if (n.size() != length) {
                throw new ModelFileException(source, "\"" + what + "\" has " + n.size() + " entries, expected " + length);
            }
        }

        double[] vector(JsonNode n, String what, int length) {
            array(n, what, length);
            double[] out = new double[length];
            for (int i = 0; i < length; i++) {
                JsonNode e = n.get(i);
                if (!e.isNumber()) {
                    throw new ModelFileException(source, "\"" + what + "\" entry " + i + " must be a number");
                }
                out[i] = e.doubleValue();
                if (!Double.isFinite(out[i])) {
                    throw new ModelFileException(source, "\"" + what + "\" entry " + i + " is not finite");
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
}
