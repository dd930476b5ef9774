package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code emkit select} over the models {@code emkit fit} makes by combining t components, a noise component and factor
 * analysers (issue #16), on data drawn here from known models: a t mixture of two differently shaped components with
 * uniform noise over a wider box (2 columns), and two t or Gaussian factor analysers with 2 factors in 12 columns (the
 * Gaussian ones with uniform noise). BIC picks the true K, structure and Q; every BIC is {@code −2 logL + p ln n} with p
 * counted here from the published formulas; the bootstrap LRT runs on these models and keeps the true K.
 */
class SelectCombinationsCliTest {
    private static final int D = 12;

    @TempDir
    static Path dir;
    /** Two t components (ν = 5), correlated differently, 300 and 200 rows, and 40 uniform rows over a wider box. */
    static Path tWithNoise;
    /** Two t factor analysers (ν = 6) with 2 factors in 12 columns, 360 and 240 rows. */
    static Path tFactors;
    /** Two Gaussian factor analysers with 2 factors in 12 columns, 360 and 240 rows, and 50 uniform rows. */
    static Path factorsWithNoise;

    @BeforeAll
    static void simulate() throws IOException {
        Random random = new Random(16);
        StringBuilder s = new StringBuilder("x,y\n");
        double[][][] chol = {{{1, 0}, {0.8, 0.6}}, {{1.4, 0}, {-0.35, 0.6}}};
        double[][] means = {{0, 0}, {8, 2}};
        for (int i = 0; i < 500; i++) {
            int c = i < 300 ? 0 : 1;
            double scale = Math.sqrt(5 / chiSquare(random, 5));
            double z0 = random.nextGaussian();
            double z1 = random.nextGaussian();
            double x = means[c][0] + scale * chol[c][0][0] * z0;
            double y = means[c][1] + scale * (chol[c][1][0] * z0 + chol[c][1][1] * z1);
            s.append(String.format(Locale.ROOT, "%.6f,%.6f%n", x, y));
        }
        for (int i = 0; i < 40; i++) {
            s.append(String.format(Locale.ROOT, "%.6f,%.6f%n", -10 + 28 * random.nextDouble(),
                    -10 + 22 * random.nextDouble()));
        }
        tWithNoise = dir.resolve("t-noise.csv");
        Files.writeString(tWithNoise, s);
        tFactors = dir.resolve("t-factors.csv");
        Files.writeString(tFactors, factorAnalysers(random, 6, 0));
        factorsWithNoise = dir.resolve("factors-noise.csv");
        Files.writeString(factorsWithNoise, factorAnalysers(random, Double.POSITIVE_INFINITY, 50));
    }

    /** A chi-square draw with {@code nu} (whole) degrees of freedom. */
    private static double chiSquare(Random random, int nu) {
        double sum = 0;
        for (int i = 0; i < nu; i++) {
            double g = random.nextGaussian();
            sum += g * g;
        }
        return sum;
    }

    /** 600 rows of two factor analysers (t with {@code nu}, Gaussian when infinite), then {@code noise} uniform rows. */
    private static String factorAnalysers(Random random, double nu, int noise) {
        double[][][] loadings = new double[2][D][2];
        double[][] psi = new double[2][D];
        for (int c = 0; c < 2; c++) {
            for (int j = 0; j < D; j++) {
                psi[c][j] = 0.3 + 0.5 * random.nextDouble();
                for (int a = 0; a < 2; a++) {
                    loadings[c][j][a] = 1.5 * random.nextGaussian();
                }
            }
        }
        StringBuilder s = new StringBuilder();
        for (int j = 0; j < D; j++) {
            s.append(j == 0 ? "" : ",").append("x").append(j);
        }
        s.append('\n');
        for (int i = 0; i < 600; i++) {
            int c = i < 360 ? 0 : 1;
            double scale = Double.isInfinite(nu) ? 1 : Math.sqrt(nu / chiSquare(random, (int) nu));
            double[] z = {random.nextGaussian(), random.nextGaussian()};
            for (int j = 0; j < D; j++) {
                double x = Math.sqrt(psi[c][j]) * random.nextGaussian();
                for (int a = 0; a < 2; a++) {
                    x += loadings[c][j][a] * z[a];
                }
                x = (c == 0 ? 0 : 4.0 * (j % 2 == 0 ? 1 : -1)) + scale * x;
                s.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6f", x));
            }
            s.append('\n');
        }
        for (int i = 0; i < noise; i++) {
            for (int j = 0; j < D; j++) {
                s.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6f", -15 + 30 * random.nextDouble()));
            }
            s.append('\n');
        }
        return s.toString();
    }

    private static JsonNode json(String... args) throws IOException {
        CliTest.Run r = emkit(args);
        assertThat(r.status()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    /** The result for (K, covariance name), e.g. (2, "mfa:2"). */
    private static JsonNode cell(JsonNode j, int k, String covariance) {
        for (JsonNode c : j.get("results")) {
            if (c.get("components").asInt() == k && c.get("covariance").asText().equals(covariance)) {
                return c;
            }
        }
        throw new AssertionError("no result for K = " + k + ", " + covariance);
    }

    /** The cell counts {@code p} parameters and its BIC is {@code −2 logL + p ln n}. */
    private static void assertBic(JsonNode j, JsonNode cell, int p) {
        assertThat(cell.get("n_parameters").asInt()).as(cell.toString()).isEqualTo(p);
        double n = j.get("n_samples").asDouble();
        assertThat(cell.get("bic").asDouble()).as(cell.toString())
                .isCloseTo(-2 * cell.get("log_likelihood").asDouble() + p * Math.log(n), within(1e-6));
    }

    @Test
    void tMixturesWithNoisePickTheTrueModelAndCountTheDegreesOfFreedomAndTheNoise() throws IOException {
        JsonNode j = json("select", tWithNoise.toString(), "-k", "1-3", "--covariance", "EII,EEE,VVV", "--noise",
                "--distribution", "t", "--json");
        assertThat(j.get("noise").asBoolean()).isTrue();
        assertThat(j.get("distribution").asText()).isEqualTo("t");
        JsonNode best = j.get("best");
        assertThat(best.get("components").asInt()).isEqualTo(2);
        assertThat(best.get("covariance").asText()).isEqualTo("VVV");
        assertThat(best.get("degrees_of_freedom")).hasSize(2);
        // VVV, K = 2, 2 columns: 2 × 3 covariance entries, 2 × 2 means, 1 weight; 2 degrees of freedom (free); the
        // noise's weight and density.
        assertBic(j, cell(j, 2, "VVV"), 2 * 3 + 2 * 2 + 1 + 2 + 2);
        // EII, K = 3: 1 variance, 3 × 2 means, 2 weights, 3 degrees of freedom, noise 2.
        assertBic(j, cell(j, 3, "EII"), 1 + 3 * 2 + 2 + 3 + 2);
        JsonNode equal = json("select", tWithNoise.toString(), "-k", "2", "--covariance", "VVV", "--noise",
                "--distribution", "t", "--df-constraint", "equal", "--json");
        assertBic(equal, cell(equal, 2, "VVV"), 2 * 3 + 2 * 2 + 1 + 1 + 2);
        JsonNode fixed = json("select", tWithNoise.toString(), "-k", "2", "--covariance", "VVV", "--noise",
                "--distribution", "t", "--df", "5", "--json");
        assertBic(fixed, cell(fixed, 2, "VVV"), 2 * 3 + 2 * 2 + 1 + 2);
        CliTest.Run table = emkit("select", tWithNoise.toString(), "-k", "1-3", "--covariance", "EII,EEE,VVV",
                "--noise", "--distribution", "t");
        assertThat(table.out()).contains("best by BIC: t mixture with a uniform noise component, VVV, 2 components")
                .contains("degrees of freedom:").contains("every model has a uniform noise component");
    }

    @Test
    void tFactorAnalysersPickTwoFactorsAndTwoComponents() throws IOException {
        JsonNode j = json("select", tFactors.toString(), "-k", "1-3", "--covariance", "mfa:1-3", "--distribution", "t",
                "--json");
        JsonNode best = j.get("best");
        assertThat(best.get("components").asInt()).isEqualTo(2);
        assertThat(best.get("factors").asInt()).isEqualTo(2);
        assertThat(best.get("degrees_of_freedom")).hasSize(2);
        // K = 2, D = 12, Q = 2: per component 12·2 − 1 loadings and 12 uniquenesses; 2 × 12 means; 1 weight; 2
        // degrees of freedom.
        assertBic(j, cell(j, 2, "mfa:2"), 2 * (12 * 2 - 1 + 12) + 2 * 12 + 1 + 2);
        // K = 3, Q = 1: per component 12 loadings and 12 uniquenesses; 3 × 12 means; 2 weights; 3 degrees of freedom.
        assertBic(j, cell(j, 3, "mfa:1"), 3 * (12 + 12) + 3 * 12 + 2 + 3);
    }

    @Test
    void factorAnalysersWithNoisePickTwoFactorsAndTwoComponents() throws IOException {
        JsonNode j = json("select", factorsWithNoise.toString(), "-k", "1-3", "--covariance", "mfa:1-3", "--noise",
                "--json");
        assertThat(j.get("noise").asBoolean()).isTrue();
        JsonNode best = j.get("best");
        assertThat(best.get("components").asInt()).isEqualTo(2);
        assertThat(best.get("factors").asInt()).isEqualTo(2);
        // K = 2, D = 12, Q = 2: 2 × (24 − 1 + 12) + 24 means + 1 weight, and the noise's weight and density.
        assertBic(j, cell(j, 2, "mfa:2"), 2 * (12 * 2 - 1 + 12) + 2 * 12 + 1 + 2);
        // K = 1, Q = 3: 12·3 − 3 loadings, 12 uniquenesses, 12 means, no weight; noise 2.
        assertBic(j, cell(j, 1, "mfa:3"), (12 * 3 - 3 + 12) + 12 + 2);
    }

    /**
     * The bootstrap LRT on t mixtures with noise: its fits to the data are the selection's (the same log-likelihood
     * for K = 1 and 2), and with 19 samples (the smallest p-value 0.05) it keeps the 2 components drawn. The fits
     * search quickly ({@code --search quick}): what is tested here is the bootstrap, whose 19 replicates are two
     * fits each.
     */
    @Test
    void theBootstrapTestRunsOnTMixturesWithNoiseAndKeepsTwoComponents() throws IOException {
        JsonNode j = json("select", tWithNoise.toString(), "-k", "1-3", "--covariance", "VVV", "--noise",
                "--distribution", "t", "--lrt", "--lrt-bootstrap", "19", "--search", "quick", "--json");
        JsonNode tests = j.get("lrt").get("tests");
        assertThat(j.get("lrt").get("covariance").asText()).isEqualTo("VVV");
        assertThat(tests.get(0).get("log_likelihood").asDouble())
                .isCloseTo(cell(j, 1, "VVV").get("log_likelihood").asDouble(), within(1e-6));
        assertThat(tests.get(0).get("log_likelihood_more").asDouble())
                .isCloseTo(cell(j, 2, "VVV").get("log_likelihood").asDouble(), within(1e-6));
        assertThat(tests.get(0).get("significant").asBoolean()).isTrue();
        assertThat(tests).hasSize(2);
        assertThat(tests.get(1).get("significant").asBoolean()).isFalse();
        CliTest.Run table = emkit("select", tWithNoise.toString(), "-k", "1-2", "--covariance", "VVV", "--noise",
                "--distribution", "t", "--lrt", "--lrt-bootstrap", "2");
        assertThat(table.out()).contains("Bootstrap likelihood-ratio test, VVV (t mixtures with a uniform noise"
                + " component)");
    }

    /** The same on factor analysers with noise, K = 1 against 2 only (each fit in 12 columns is slower). */
    @Test
    void theBootstrapTestRunsOnFactorAnalysersWithNoise() throws IOException {
        JsonNode j = json("select", factorsWithNoise.toString(), "-k", "1-2", "--covariance", "mfa:2", "--noise",
                "--lrt", "--lrt-bootstrap", "19", "--search", "quick", "--json");
        JsonNode tests = j.get("lrt").get("tests");
        assertThat(j.get("lrt").get("covariance").asText()).isEqualTo("mfa:2");
        assertThat(tests).hasSize(1);
        assertThat(tests.get(0).get("log_likelihood").asDouble())
                .isCloseTo(cell(j, 1, "mfa:2").get("log_likelihood").asDouble(), within(1e-6));
        assertThat(tests.get(0).get("log_likelihood_more").asDouble())
                .isCloseTo(cell(j, 2, "mfa:2").get("log_likelihood").asDouble(), within(1e-6));
        assertThat(tests.get(0).get("significant").asBoolean()).isTrue();
        assertThat(tests.get(0).get("p_value").asDouble()).isCloseTo(1.0 / 20, within(1e-12));
    }

    @Test
    void theSelectionPlotIsDrawnWithNoise() throws IOException {
        Path plot = dir.resolve("noise-bic.png");
        CliTest.Run r = emkit("select", tWithNoise.toString(), "-k", "1-3", "--covariance", "EEE,VVV", "--noise",
                "--plot", plot.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("plot saved to");
        assertThat(javax.imageio.ImageIO.read(plot.toFile())).isNotNull();
    }

    /** What is still not fitted, or does not go together, is one line and exit status 2. */
    @Test
    void whatNoFitMakesIsRefusedInOneLine() {
        String f = factorsWithNoise.toString();
        CliTest.assertUserError(emkit("select", f, "-k", "1-2", "--covariance", "mfa:1", "--noise", "--distribution",
                "t"), "--noise, --distribution t and --covariance mfa:Q together are not available");
        CliTest.assertUserError(emkit("select", tWithNoise.toString(), "-k", "1-2", "--noise", "--distribution", "t",
                "--prior", "default"), "--prior is not available with --noise --distribution t");
    }
}
