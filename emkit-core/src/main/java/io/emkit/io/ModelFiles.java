package io.emkit.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.EmkitException;
import io.emkit.families.ProductMixtureModel;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.hmm.semimarkov.SemiMarkovModel;
import io.emkit.kmeans.KMeansModel;
import io.emkit.student.StudentMixtureModel;
import io.emkit.variational.VariationalModel;
import io.emkit.mixture.ClusteringModel;
import io.emkit.mixture.MixtureModel;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

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
 * A mixture of multivariate t distributions ({@link StudentMixtureModel}) has {@code "kind": "t_mixture"}, the
 * Gaussian mixture's keys above (its scale matrices under {@code "covariances"}), then {@code "distribution": "t"},
 * {@code "degrees_of_freedom"} (K numbers &gt; 0) and {@code "df_constraint"} ({@code free}, {@code equal} or
 * {@code fixed}: how many of them BIC counts; {@code free} when absent). A reader that does not know the kind
 * refuses the file rather than taking it for a Gaussian mixture.
 * A Gaussian mixture with a uniform noise component ({@link io.emkit.noise.NoiseMixtureModel}) has
 * {@code "kind": "noise_mixture"}, the Gaussian mixture's keys above (its weights the Gaussian components'
 * shares among themselves), then {@code "noise": {"weight": π₀, "log_volume": ln V, "region": "bounding" |
 * "principal", "axes": D×D, "lower": [D numbers], "upper": [D numbers]}}: the noise's share of all rows and the
 * box its density {@code 1/V} is spread over. A t mixture with a noise component
 * ({@link io.emkit.noise.NoiseStudentMixtureModel}) has {@code "kind": "noise_t_mixture"}, a t mixture's keys and
 * the same {@code "noise"}; a mixture of factor analysers with a noise component
 * ({@link io.emkit.noise.NoiseFactorAnalyserMixtureModel}) {@code "kind": "noise_mfa_mixture"}, an
 * {@code mfa_mixture}'s keys and the same {@code "noise"}.
 * A mixture of factor analysers ({@link io.emkit.factor.FactorAnalyserMixtureModel}) has
 * {@code "kind": "mfa_mixture"}, {@code "n_components"}, {@code "n_features"}, {@code "feature_names"},
 * {@code "n_factors"} (Q), {@code "weights"}, {@code "means"} (K×D), {@code "loadings"} (K arrays of D arrays of Q
 * numbers, {@code Λ_k}) and {@code "uniquenesses"} (K arrays of D numbers &gt; 0, the diagonals of {@code Ψ_k}):
 * component k's covariance is {@code Λ_k Λ_kᵀ + Ψ_k}.
 * A mixture of t factor analysers ({@link io.emkit.factor.StudentFactorAnalyserMixtureModel}) has
 * {@code "kind": "t_mfa_mixture"}, the mixture of factor analysers' keys above (its scale matrices
 * {@code Λ_k Λ_kᵀ + Ψ_k}), then a t mixture's {@code "distribution": "t"}, {@code "degrees_of_freedom"} and
 * {@code "df_constraint"}.
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
 * A hidden semi-Markov model ({@link #writeSemiMarkov}, {@link #readSemiMarkov}) has
 * {@code "kind": "hidden_semi_markov_model"}, the hidden Markov model's keys (its transitions with a zero
 * diagonal) and {@code "durations": {"family": "poisson" | "negative-binomial" | "nonparametric",
 * "max_duration": Dmax, "lambda": [S] | "size": [S], "probability": [S] | "probabilities": S×Dmax,
 * "mean_durations": [S]}} (the means are for the reader; reading ignores them).
 * A hidden Markov model with transition covariates ({@link #writeCovariateHmm}, {@link #readCovariateHmm}) has
 * {@code "kind": "covariate_hidden_markov_model"}, the hidden Markov model's keys without {@code "transitions"}, and
 * {@code "n_covariates": P, "covariate_names": [P strings], "transition_reference": "origin",
 * "transition_coefficients": S×S×(P+1)} ({@code [i][j]}: the intercept and slopes of the log-odds of moving from
 * state i to j rather than staying; {@code [i][i]} is 0).
 * Unknown keys are ignored, so later versions may add keys without breaking older readers of the same
 * format version. Files are written atomically.
 *
 * <p>A file written with a {@link Provenance} ends with a {@code "provenance"} object saying how the model was
 * made ({@code emkit_version}, {@code data_file}, {@code rows}, {@code columns}, {@code options}, {@code seed},
 * {@code log_likelihood}, {@code bic}, {@code converged}, {@code iterations}, {@code date}); reading ignores
 * it, and a file written without one is byte for byte what earlier versions wrote.
 *
 * <p>This class reads and writes the keys every file starts with and dispatches on {@code "kind"}; one codec
 * per kind (package-private, beside this class) reads and writes the rest.
 */
public final class ModelFiles {
    /** The value of {@code "format"}. */
    public static final String FORMAT = "emkit-model";
    /** The format version this code writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;
    /** The {@code "kind"} of a Gaussian mixture. */
    public static final String GAUSSIAN_MIXTURE = GaussianMixtureCodec.KIND;
    /** The {@code "kind"} of a mixture of multivariate t distributions. */
    public static final String T_MIXTURE = StudentMixtureCodec.KIND;
    /** The {@code "kind"} of a k-means model. */
    public static final String KMEANS = KMeansCodec.KIND;
    /** The {@code "kind"} of a Gaussian mixture with a noise component. */
    public static final String NOISE_MIXTURE = NoiseMixtureCodec.KIND;
    /** The {@code "kind"} of a mixture of factor analysers. */
    public static final String MFA_MIXTURE = FactorMixtureCodec.KIND;
    /** The {@code "kind"} of a t mixture with a noise component. */
    public static final String NOISE_T_MIXTURE = NoiseMixtureCodec.OfT.KIND;
    /** The {@code "kind"} of a mixture of factor analysers with a noise component. */
    public static final String NOISE_MFA_MIXTURE = NoiseMixtureCodec.OfFactorAnalysers.KIND;
    /** The {@code "kind"} of a mixture of t factor analysers. */
    public static final String T_MFA_MIXTURE = FactorMixtureCodec.OfT.KIND;
    /** The {@code "kind"} of a mixture of independent columns ({@link ProductMixtureModel}). */
    public static final String PRODUCT_MIXTURE = ProductMixtureCodec.KIND;
    /** The {@code "kind"} of a hidden Markov model. */
    public static final String HIDDEN_MARKOV_MODEL = HiddenMarkovModelCodec.KIND;

    /** The {@code "kind"} of a hidden semi-Markov model. */
    public static final String HIDDEN_SEMI_MARKOV_MODEL = SemiMarkovModelCodec.KIND;

    /** The {@code "kind"} of a hidden Markov model with transition covariates (an input–output HMM). */
    public static final String COVARIATE_HIDDEN_MARKOV_MODEL = CovariateHmmCodec.KIND;

    private static final ModelCodec<HiddenMarkovModel> HMM = new HiddenMarkovModelCodec();
    private static final ModelCodec<SemiMarkovModel> HSMM = new SemiMarkovModelCodec();
    private static final ModelCodec<io.emkit.hmm.covariates.CovariateHmmModel> IOHMM = new CovariateHmmCodec();
    /** Every kind, in the order messages list them. */
    private static final List<ModelCodec<?>> CODECS = List.of(new GaussianMixtureCodec(), new KMeansCodec(),
            new ProductMixtureCodec(), HMM, HSMM, IOHMM, new StudentMixtureCodec(), new NoiseMixtureCodec(),
            new FactorMixtureCodec(), new FactorMixtureCodec.OfT(), new NoiseMixtureCodec.OfT(),
            new NoiseMixtureCodec.OfFactorAnalysers());

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
     * Saves a model with how it was made, atomically.
     *
     * @param model      the model
     * @param file       where to write it
     * @param provenance how it was made, or null for none
     * @throws EmkitException if the file cannot be written
     */
    public static void write(ClusteringModel model, Path file, Provenance provenance) {
        writeText(ModelJson.text(withProvenance(toTree(model), provenance)), file);
    }

    /**
     * Saves a variational posterior as an ordinary Gaussian mixture file (kind {@code gaussian_mixture}: the
     * posterior means of the weights, means and covariances, which every reader loads) with the posterior's
     * parameters under {@code "variational"}: {@code "weight_prior"}, {@code "weight_concentration"} (K),
     * {@code "stick_concentration"} (K, Dirichlet process only), {@code "mean_precision"} (K),
     * {@code "degrees_of_freedom"} (K, or 1 for tied). Atomically.
     *
     * @param model      the posterior
     * @param file       where to write it
     * @param provenance how it was made, or null for none
     * @throws EmkitException if the file cannot be written
     */
    public static void write(VariationalModel model, Path file, Provenance provenance) {
        writeText(ModelJson.text(withProvenance(toTree(model), provenance)), file);
    }

    /**
     * @param model a variational posterior
     * @return its model file's content (see {@link #write(VariationalModel, Path, Provenance)}) as a JSON tree
     */
    public static ObjectNode toTree(VariationalModel model) {
        ObjectNode root = toTree(model.toGaussian());
        ObjectNode v = root.putObject("variational");
        v.put("weight_prior", model.weightPrior().label());
        v.set("weight_concentration", ModelJson.numbers(model.weightConcentration()));
        if (model.stickConcentration() != null) {
            v.set("stick_concentration", ModelJson.numbers(model.stickConcentration()));
        }
        v.set("mean_precision", ModelJson.numbers(model.meanPrecision()));
        v.set("degrees_of_freedom", ModelJson.numbers(model.degreesOfFreedom()));
        return root;
    }

    /**
     * Saves a hidden Markov model with how it was made, atomically.
     *
     * @param model      the model
     * @param file       where to write it
     * @param provenance how it was made, or null for none
     * @throws EmkitException if the file cannot be written
     */
    public static void writeHmm(HiddenMarkovModel model, Path file, Provenance provenance) {
        writeText(ModelJson.text(withProvenance(toTree(model), provenance)), file);
    }

    /**
     * Saves a hidden semi-Markov model with how it was made, atomically.
     *
     * @param model      the model
     * @param file       where to write it
     * @param provenance how it was made, or null for none
     * @throws EmkitException if the file cannot be written
     */
    public static void writeSemiMarkov(SemiMarkovModel model, Path file, Provenance provenance) {
        writeText(ModelJson.text(withProvenance(toTree(model), provenance)), file);
    }

    /**
     * @param model a hidden semi-Markov model
     * @return its model file's content as a JSON tree (to embed in other output)
     */
    public static ObjectNode toTree(SemiMarkovModel model) {
        return tree(HSMM, model);
    }

    /**
     * @param model a hidden semi-Markov model
     * @return its model file's content, indented, ending with a newline
     */
    public static String toJson(SemiMarkovModel model) {
        return ModelJson.text(toTree(model));
    }

    /**
     * Reads a hidden semi-Markov model file.
     *
     * @param file the file
     * @return the model
     * @throws ModelFileException if the file is missing, unreadable, not JSON or not a valid semi-Markov model
     */
    public static SemiMarkovModel readSemiMarkov(Path file) {
        return semiMarkov(header(parseFile(file)));
    }

    /**
     * Parses a hidden semi-Markov model file's content.
     *
     * @param json   the content
     * @param source how to name it in error messages (a file name)
     * @return the model
     * @throws ModelFileException if it is not a valid hidden semi-Markov model file
     */
    public static SemiMarkovModel semiMarkovFromJson(String json, String source) {
        return semiMarkov(header(ModelJson.parse(json, source)));
    }

    private static SemiMarkovModel semiMarkov(ModelJson root) {
        ModelCodec<?> codec = codec(root);
        if (codec != HSMM) {
            throw new ModelFileException(root.source(), "holds a " + codec.description()
                    + ", not a hidden semi-Markov model");
        }
        return body(HSMM, root);
    }

    /**
     * Saves a hidden Markov model with transition covariates with how it was made, atomically.
     *
     * @param model      the model
     * @param file       where to write it
     * @param provenance how it was made, or null for none
     * @throws EmkitException if the file cannot be written
     */
    public static void writeCovariateHmm(io.emkit.hmm.covariates.CovariateHmmModel model, Path file,
                                         Provenance provenance) {
        writeText(ModelJson.text(withProvenance(toTree(model), provenance)), file);
    }

    /**
     * @param model a hidden Markov model with transition covariates
     * @return its model file's content as a JSON tree (to embed in other output)
     */
    public static ObjectNode toTree(io.emkit.hmm.covariates.CovariateHmmModel model) {
        return tree(IOHMM, model);
    }

    /**
     * Reads a hidden Markov model file with transition covariates.
     *
     * @param file the file
     * @return the model
     * @throws ModelFileException if the file is missing, unreadable, not JSON or not a valid model of that kind
     */
    public static io.emkit.hmm.covariates.CovariateHmmModel readCovariateHmm(Path file) {
        ModelJson root = header(parseFile(file));
        ModelCodec<?> codec = codec(root);
        if (codec != IOHMM) {
            throw new ModelFileException(root.source(), "holds a " + codec.description()
                    + ", not a hidden Markov model with transition covariates");
        }
        return body(IOHMM, root);
    }

    private static ObjectNode withProvenance(ObjectNode root, Provenance p) {
        if (p != null) {
            ModelJson.putProvenance(root, p);
        }
        return root;
    }

    /**
     * @param model the model
     * @return its model file's content, indented, ending with a newline
     */
    public static String toJson(ClusteringModel model) {
        return ModelJson.text(toTree(model));
    }

    /**
     * @param model the model
     * @return its model file's content as a JSON tree (to embed in other output)
     */
    public static ObjectNode toTree(ClusteringModel model) {
        for (ModelCodec<?> codec : CODECS) {
            if (codec.modelClass().isInstance(model)) {
                return tree(codec, model);
            }
        }
        throw new IllegalArgumentException("no model file format for " + model.getClass().getName());
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
        return ModelJson.text(toTree(model));
    }

    /**
     * @param model a hidden Markov model
     * @return its model file's content as a JSON tree (to embed in other output)
     */
    public static ObjectNode toTree(HiddenMarkovModel model) {
        return tree(HMM, model);
    }

    /** The keys every file starts with, then the codec's. */
    private static <M> ObjectNode tree(ModelCodec<M> codec, Object model) {
        ObjectNode root = ModelJson.object();
        root.put("format", FORMAT);
        root.put("format_version", FORMAT_VERSION);
        root.put("kind", codec.kind());
        codec.write(codec.modelClass().cast(model), root);
        return root;
    }

    private static void writeText(String json, Path file) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /**
     * Reads a model file.
     *
     * @param file the file
     * @return the model: a {@link MixtureModel} or a {@link KMeansModel}
     * @throws ModelFileException if the file is missing, unreadable, not JSON or not a valid model
     */
    public static ClusteringModel read(Path file) {
        return mixture(header(parseFile(file)));
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
        return hmm(header(parseFile(file)));
    }

    /**
     * The {@code "kind"} of a model file, to choose between {@link #read} and {@link #readHmm}.
     *
     * @param file the file
     * @return {@link #GAUSSIAN_MIXTURE}, {@link #KMEANS}, {@link #PRODUCT_MIXTURE}, {@link #HIDDEN_MARKOV_MODEL},
     *         {@link #HIDDEN_SEMI_MARKOV_MODEL}, ...
     * @throws ModelFileException if the file is not a valid emkit model file of a known kind
     */
    public static String kindOf(Path file) {
        return codec(header(parseFile(file))).kind();
    }

    private static ModelJson parseFile(Path file) {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new ModelFileException(name, "is a directory, not a model file");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return ModelJson.parse(in, name);
        } catch (NoSuchFileException e) {
            throw new ModelFileException(name, "no such file");
        } catch (IOException e) {
            throw new ModelFileException(name, "cannot read: " + e.getMessage(), e);
        }
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
        return mixture(header(ModelJson.parse(json, source)));
    }

    private static ClusteringModel mixture(ModelJson root) {
        ModelCodec<?> codec = codec(root);
        if (codec == HMM || codec == HSMM || codec == IOHMM) {
            throw new ModelFileException(root.source(), "holds a " + codec.description() + ", not a mixture (use the"
                    + " emkit hmm commands, or ModelFiles.readHmm / readSemiMarkov)");
        }
        return (ClusteringModel) body(codec, root);
    }

    /**
     * The model file of any of the sequence models: a hidden Markov model, a hidden semi-Markov model or one with
     * transition covariates (what an engine broadcasts to its workers).
     *
     * @param model the model
     * @return its model file's content
     * @throws IllegalArgumentException for another kind of model
     */
    public static String sequenceModelToJson(io.emkit.hmm.StateSequenceModel<?> model) {
        if (model instanceof HiddenMarkovModel h) {
            return toJson(h);
        }
        if (model instanceof SemiMarkovModel m) {
            return toJson(m);
        }
        if (model instanceof io.emkit.hmm.covariates.CovariateHmmModel m) {
            return ModelJson.text(toTree(m));
        }
        throw new IllegalArgumentException("no model file for " + model.getClass().getName());
    }

    /**
     * Parses the model file of any of the sequence models ({@link #sequenceModelToJson}).
     *
     * @param json   the content
     * @param source how to name it in error messages
     * @return the model
     * @throws ModelFileException if it is not a valid sequence model file
     */
    public static io.emkit.hmm.StateSequenceModel<?> sequenceModelFromJson(String json, String source) {
        ModelJson root = header(ModelJson.parse(json, source));
        ModelCodec<?> codec = codec(root);
        if (codec != HMM && codec != HSMM && codec != IOHMM) {
            throw new ModelFileException(root.source(), "holds a " + codec.description() + ", not a sequence model");
        }
        return (io.emkit.hmm.StateSequenceModel<?>) body(codec, root);
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
        return hmm(header(ModelJson.parse(json, source)));
    }

    private static HiddenMarkovModel hmm(ModelJson root) {
        ModelCodec<?> codec = codec(root);
        if (codec != HMM) {
            throw new ModelFileException(root.source(), "holds a " + codec.description() + ", not a hidden Markov model");
        }
        return body(HMM, root);
    }

    /** Checks the parsed file's format and version. */
    private static ModelJson header(ModelJson root) {
        if (!FORMAT.equals(root.text("format"))) {
            throw root.fail("not an emkit model file (\"format\" is not \"" + FORMAT + "\")");
        }
        int version = root.integer("format_version");
        if (version > FORMAT_VERSION || version < 1) {
            throw root.fail("format_version " + version + " is not supported (this emkit reads "
                    + "versions 1 to " + FORMAT_VERSION + "; a newer emkit may have written it)");
        }
        return root;
    }

    /** The codec of the file's {@code "kind"}. */
    private static ModelCodec<?> codec(ModelJson root) {
        String kind = root.text("kind");
        for (ModelCodec<?> codec : CODECS) {
            if (codec.kind().equals(kind)) {
                return codec;
            }
        }
        throw root.fail("unknown model kind '" + kind + "' (this emkit knows: "
                + CODECS.stream().map(ModelCodec::kind).collect(Collectors.joining(", ")) + ")");
    }

    /** The codec's model; the model's own refusal of its parameters is an invalid model. */
    private static <M> M body(ModelCodec<M> codec, ModelJson root) {
        try {
            return codec.read(root);
        } catch (ModelFileException e) {
            throw e;
        } catch (EmkitException e) {
            throw root.fail("invalid model: " + e.getMessage(), e);
        }
    }
}
