package io.emkit.spark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static io.emkit.spark.cli.SparkCliRuns.emkit;
import static io.emkit.spark.cli.SparkCliRuns.onSpark;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code emkit fit --weights-column W --engine spark} of the mixtures fitted by distributed plans — Gaussian, t,
 * noise, factor analysers, t factor analysers, noise beside t, noise beside factor analysers, variational Bayes and
 * product mixtures ({@code --family}) —
 * and of {@code kmeans --weights-column W --engine spark}, against the same command on the local engine: the same summary, the same JSON within 1e-9, a total weight that is the weights'
 * sum, and a fit that the weights change.
 */
class SparkWeightedFitCliTest {
    @TempDir
    static Path dir;

    /** The weights, summed by hand as the file is written. */
    private static double totalWeight;

    /**
     * 240 rows (x, y, z, w) of two Gaussian clusters and 12 scattered rows; the weights favour the second cluster
     * (3) over the first (0.5), so the weighted fit's component weights move.
     */
    private static Path data() throws IOException {
        Path file = dir.resolve("weighted.csv");
        if (Files.exists(file)) {
            return file;
        }
        SplittableRandom r = new SplittableRandom(17);
        List<String> lines = new ArrayList<>(List.of("x,y,z,w"));
        double total = 0;
        for (int i = 0; i < 240; i++) {
            boolean second = i % 3 == 0;
            double f = r.nextGaussian();
            double x = (second ? 4 : 0) + f + 0.4 * r.nextGaussian();
            double y = (second ? 3 : 0) + 0.8 * f + 0.4 * r.nextGaussian();
            double z = (second ? -2 : 1) + 0.6 * f + 0.4 * r.nextGaussian();
            double w = second ? 3 : 0.5;
            if (i % 20 == 0) {
                x = -8 + 20 * r.nextDouble();
                y = -8 + 20 * r.nextDouble();
                z = -8 + 20 * r.nextDouble();
                w = 1;
            }
            total += w;
            lines.add(x + "," + y + "," + z + "," + w);
        }
        totalWeight = total;
        Files.write(file, lines);
        return file;
    }

    /**
     * The weighted fit locally and on Spark: the same summary and the same JSON within 1e-9; the JSON's total weight
     * is the weights' sum and its log-likelihood is not the unweighted fit's.
     */
    private static void weightedAsLocally(String... options) throws IOException {
        // Variational Bayes starts once, from k-means clusters: no --n-init.
        List<String> runs = List.of(options).contains("vb") ? List.of() : List.of("--n-init", "1");
        String[] args = Stream.of(Stream.of("fit", data().toString(), "-k", "2", "--max-iter", "40", "--seed", "3",
                "--weights-column", "w"), runs.stream(), Stream.of(options)).flatMap(s -> s).toArray(String[]::new);
        SparkCliRuns.Outputs outputs = SparkCliRuns.sameLocallyAndOnSpark(" rows", args);
        JsonNode a = outputs.local();
        JsonNode b = outputs.spark();
        // n_samples counts rows, weighted or not, for every kind.
        assertThat(a.get("n_samples").asInt()).isEqualTo(240);
        assertThat(a.get("n_features").asInt()).isEqualTo(3);
        assertThat(Math.abs(b.get("total_weight").asDouble() - totalWeight)).isLessThan(1e-9 * totalWeight);
        // Unweighted, the fit is another one.
        String[] plain = Stream.of(args).filter(s -> !s.equals("--weights-column") && !s.equals("w"))
                .toArray(String[]::new);
        SparkCliRuns.Run unweighted = onSpark(Stream.concat(Stream.of(plain),
                Stream.of("--columns", "x,y,z", "--json")).toArray(String[]::new));
        assertThat(unweighted.status()).as(unweighted.err()).isZero();
        JsonNode c = new ObjectMapper().readTree(unweighted.out());
        assertThat(c.get("total_weight")).isNull();
        assertThat(Math.abs(c.get("log_likelihood").asDouble() - b.get("log_likelihood").asDouble()))
                .isGreaterThan(1.0);
    }

    @Test
    void aWeightedGaussianFitOnSparkIsTheLocalOne() throws IOException {
        weightedAsLocally("--covariance", "full");
    }

    @Test
    void aWeightedTMixtureOnSparkIsTheLocalOne() throws IOException {
        weightedAsLocally("--distribution", "t", "--covariance", "full");
    }

    @Test
    void aWeightedNoiseFitOnSparkIsTheLocalOne() throws IOException {
        weightedAsLocally("--noise", "--covariance", "full");
    }

    @Test
    void weightedFactorAnalysersOnSparkAreTheLocalOnes() throws IOException {
        weightedAsLocally("--covariance", "mfa:1");
    }

    @Test
    void weightedTFactorAnalysersOnSparkAreTheLocalOnes() throws IOException {
        weightedAsLocally("--distribution", "t", "--covariance", "mfa:1");
    }

    @Test
    void aWeightedTMixtureBesideNoiseOnSparkIsTheLocalOne() throws IOException {
        weightedAsLocally("--noise", "--distribution", "t", "--covariance", "full");
    }

    @Test
    void weightedFactorAnalysersBesideNoiseOnSparkAreTheLocalOnes() throws IOException {
        weightedAsLocally("--noise", "--covariance", "mfa:1");
    }

    @Test
    void weightedVariationalBayesOnSparkIsTheLocalFit() throws IOException {
        weightedAsLocally("--method", "vb", "--covariance", "full");
    }

    @Test
    void aWeightedProductMixtureOnSparkIsTheLocalOne() throws IOException {
        weightedAsLocally("--family", "gaussian");
    }

    @Test
    void weightedKMeansOnSparkIsTheLocalFit() throws IOException {
        String[] args = {"kmeans", data().toString(), "-k", "2", "--n-init", "2", "--seed", "3", "--weights-column",
                "w"};
        JsonNode b = SparkCliRuns.sameLocallyAndOnSpark("weighted (total weight", args).spark();
        ObjectMapper mapper = new ObjectMapper();
        assertThat(Math.abs(b.get("total_weight").asDouble() - totalWeight)).isLessThan(1e-9 * totalWeight);
        double clusters = b.get("cluster_weights").get(0).asDouble() + b.get("cluster_weights").get(1).asDouble();
        assertThat(Math.abs(clusters - totalWeight)).isLessThan(1e-9 * totalWeight);
        SparkCliRuns.Run plain = onSpark("kmeans", data().toString(), "-k", "2", "--n-init", "2", "--seed", "3",
                "--columns", "x,y,z", "--json");
        assertThat(plain.status()).as(plain.err()).isZero();
        JsonNode c = mapper.readTree(plain.out());
        assertThat(c.get("cluster_weights")).isNull();
        assertThat(Math.abs(c.get("inertia").asDouble() - b.get("inertia").asDouble())).isGreaterThan(1.0);
    }

    @Test
    void aNegativeOrMissingWeightIsOneLineWithStatus2() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(data()));
        for (String weight : List.of("-1", "")) {
            List<String> bad = new ArrayList<>(lines);
            bad.set(7, bad.get(7).substring(0, bad.get(7).lastIndexOf(',')) + "," + weight);
            Path file = dir.resolve("bad-weight" + weight + ".csv");
            Files.write(file, bad);
            for (String[] kind : List.of(new String[] {"fit", "--distribution", "t"}, new String[] {"fit", "--noise"},
                    new String[] {"fit", "--covariance", "mfa:1"}, new String[] {"fit", "--family", "gaussian"},
                    new String[] {"kmeans"})) {
                SparkCliRuns.Run run = onSpark(Stream.concat(Stream.of(kind[0], file.toString(), "-k", "2",
                        "--weights-column", "w"), Stream.of(kind).skip(1)).toArray(String[]::new));
                assertThat(run.status()).as(run.err()).isEqualTo(2);
                assertThat(run.err().strip()).contains("--weights-column 'w'").doesNotContain("\n")
                        .doesNotContain("Exception");
            }
        }
    }
}
