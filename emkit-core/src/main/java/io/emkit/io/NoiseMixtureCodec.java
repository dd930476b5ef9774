package io.emkit.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.factor.FactorAnalyserMixtureModel;
import io.emkit.noise.NoiseFactorAnalyserMixtureModel;
import io.emkit.noise.NoiseMixtureModel;
import io.emkit.noise.NoiseStudentMixtureModel;
import io.emkit.noise.NoiseRegion;
import io.emkit.student.StudentMixtureModel;

/**
 * Gaussian mixtures with a noise component: the Gaussian mixture's keys (its {@code "weights"} the Gaussian
 * components' shares among themselves, summing to 1), then {@code "noise"}: {@code {"weight": π₀,
 * "log_volume": ln V, "region": "bounding" | "principal", "axes": D×D, "lower": D, "upper": D}} — the noise
 * share of all rows and the box its uniform density spreads over ({@code log_volume} is written for people and
 * checked against the box on reading).
 */
final class NoiseMixtureCodec extends ModelCodec<NoiseMixtureModel> {
    static final String KIND = "noise_mixture";
    private final GaussianMixtureCodec gaussian = new GaussianMixtureCodec();

    NoiseMixtureCodec() {
        super(KIND, "mixture with a noise component", NoiseMixtureModel.class);
    }

    @Override
    void write(NoiseMixtureModel model, ObjectNode root) {
        gaussian.write(model.gaussian(), root);
        writeNoise(model.noiseWeight(), model.region(), root);
    }

    /** Writes {@code "noise"}: the weight, the log volume and the box. */
    static void writeNoise(double weight, NoiseRegion region, ObjectNode root) {
        int d = region.lower().length;
        ObjectNode noise = root.putObject("noise");
        noise.put("weight", weight);
        noise.put("log_volume", region.logVolume());
        noise.put("region", region.principal() ? "principal" : "bounding");
        double[] axes = region.axes();
        double[][] rows = new double[d][];
        for (int a = 0; a < d; a++) {
            rows[a] = java.util.Arrays.copyOfRange(axes, a * d, (a + 1) * d);
        }
        noise.set("axes", ModelJson.matrix(rows));
        noise.set("lower", ModelJson.numbers(region.lower()));
        noise.set("upper", ModelJson.numbers(region.upper()));
    }

    @Override
    NoiseMixtureModel read(ModelJson root) {
        GaussianMixtureModel g = gaussian.read(root);
        ModelJson noise = root.object("noise", "noise.");
        return new NoiseMixtureModel(g, noise.number("weight"), readRegion(root, noise, g.dimension()));
    }

    /** Reads the box of {@code "noise"}, checking its log volume. */
    static NoiseRegion readRegion(ModelJson root, ModelJson noise, int d) {
        String kind = noise.text("region");
        if (!kind.equals("principal") && !kind.equals("bounding")) {
            throw root.fail("\"noise.region\" must be \"bounding\" or \"principal\", not '" + kind + "'");
        }
        double[][] axes = noise.matrix("axes", d, d);
        double[] flat = new double[d * d];
        for (int a = 0; a < d; a++) {
            System.arraycopy(axes[a], 0, flat, a * d, d);
        }
        NoiseRegion region = new NoiseRegion(flat, noise.vector("lower", d), noise.vector("upper", d),
                kind.equals("principal"));
        if (noise.has("log_volume") && Math.abs(noise.number("log_volume") - region.logVolume())
                > 1e-9 * Math.max(1, Math.abs(region.logVolume()))) {
            throw root.fail("\"noise.log_volume\" (" + noise.number("log_volume") + ") is not the volume of the box"
                    + " \"noise.lower\" to \"noise.upper\" (" + region.logVolume() + ")");
        }
        return region;
    }

    /**
     * t mixtures with a noise component: a t mixture's keys ({@link StudentMixtureCodec}: the Gaussian mixture's,
     * its weights the t components' shares among themselves, then {@code "distribution": "t"},
     * {@code "degrees_of_freedom"}, {@code "df_constraint"}), then {@code "noise"} as for a Gaussian mixture with
     * noise.
     */
    static final class OfT extends ModelCodec<NoiseStudentMixtureModel> {
        static final String KIND = "noise_t_mixture";
        private final StudentMixtureCodec student = new StudentMixtureCodec();

        OfT() {
            super(KIND, "t mixture with a noise component", NoiseStudentMixtureModel.class);
        }

        @Override
        void write(NoiseStudentMixtureModel model, ObjectNode root) {
            student.write(model.student(), root);
            writeNoise(model.noiseWeight(), model.region(), root);
        }

        @Override
        NoiseStudentMixtureModel read(ModelJson root) {
            StudentMixtureModel t = student.read(root);
            ModelJson noise = root.object("noise", "noise.");
            return new NoiseStudentMixtureModel(t, noise.number("weight"), readRegion(root, noise, t.dimension()));
        }
    }

    /**
     * Mixtures of factor analysers with a noise component: a mixture of factor analysers' keys
     * ({@link FactorMixtureCodec}, its weights the factor analysers' shares among themselves), then {@code "noise"} as
     * for a Gaussian mixture with noise.
     */
    static final class OfFactorAnalysers extends ModelCodec<NoiseFactorAnalyserMixtureModel> {
        static final String KIND = "noise_mfa_mixture";
        private final FactorMixtureCodec factorAnalysers = new FactorMixtureCodec();

        OfFactorAnalysers() {
            super(KIND, "mixture of factor analysers with a noise component", NoiseFactorAnalyserMixtureModel.class);
        }

        @Override
        void write(NoiseFactorAnalyserMixtureModel model, ObjectNode root) {
            factorAnalysers.write(model.factorAnalysers(), root);
            writeNoise(model.noiseWeight(), model.region(), root);
        }

        @Override
        NoiseFactorAnalyserMixtureModel read(ModelJson root) {
            FactorAnalyserMixtureModel fa = factorAnalysers.read(root);
            ModelJson noise = root.object("noise", "noise.");
            return new NoiseFactorAnalyserMixtureModel(fa, noise.number("weight"), readRegion(root, noise,
                    fa.dimension()));
        }
    }
}
