package io.emkit.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.noise.NoiseMixtureModel;
import io.emkit.noise.NoiseRegion;

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
        NoiseRegion region = model.region();
        int d = model.dimension();
        ObjectNode noise = root.putObject("noise");
        noise.put("weight", model.noiseWeight());
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
        int d = g.dimension();
        ModelJson noise = root.object("noise", "noise.");
        double weight = noise.number("weight");
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
        return new NoiseMixtureModel(g, weight, region);
    }
}
