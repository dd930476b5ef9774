package io.emkit.bench;

import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.Precision;

import java.util.List;

/** The tools the harness knows, by name. */
final class Peers {

    /** Every tool, in the default order of a run. */
    static final List<String> ALL = List.of("emkit", "emkit-t1", "elki", "smile", "commons-math", "weka", "spark", "emkit-spark");

    private Peers() {
    }

    static Peer byName(String name) {
        return switch (name) {
            case "emkit" -> new EmkitPeer(0);
            case "emkit-t1" -> new EmkitPeer(1);
            case "emkit-t2" -> new EmkitPeer(2);
            case "emkit-reg0" -> new EmkitPeer(0, 0.0);
            case "emkit-single" -> new EmkitPeer(0, GaussianMixture.DEFAULT_REG_COVAR, Precision.SINGLE);
            case "emkit-t1-single" -> new EmkitPeer(1, GaussianMixture.DEFAULT_REG_COVAR, Precision.SINGLE);
            case "elki" -> new ElkiPeer();
            case "smile" -> new SmilePeer();
            case "commons-math" -> new CommonsMathPeer();
            case "weka" -> new WekaPeer();
            case "spark" -> new SparkPeer();
            case "emkit-spark" -> new EmkitSparkPeer();
            default -> throw new IllegalArgumentException("unknown tool '" + name + "'; known: " + ALL
                    + ", emkit-t2, emkit-reg0, emkit-single, emkit-t1-single");
        };
    }
}
