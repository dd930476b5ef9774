package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emkit.factor.FactorAnalyserMixtureModel;
import io.emkit.io.ModelFiles;
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
 * {@code emkit select --covariance mfa:1-3} beside full and diagonal covariance, on 1,500 rows drawn here from two
 * factor analysers with 2 factors each in 12 dimensions: BIC picks 2 factors and 2 components, in the table, the JSON
 * and the model file; bad {@code mfa:} items are one line and exit 2.
 */
class FactorSelectCliTest {
    private static final int D = 12;
    private static final int Q = 2;
    private static final int N = 1500;

    @TempDir
    static Path dir;
    static Path data;

    @BeforeAll
    static void simulate() throws IOException {
        Random random = new Random(31);
        double[][][] loadings = new double[2][D][Q];
        double[][] psi = new double[2][D];
        for (int c = 0; c < 2; c++) {
            for (int j = 0; j < D; j++) {
                psi[c][j] = 0.3 + 0.5 * random.nextDouble();
                for (int a = 0; a < Q; a++) {
                    loadings[c][j][a] = 1.5 * random.nextGaussian();
                }
            }
        }
        StringBuilder s = new StringBuilder();
        for (int j = 0; j < D; j++) {
            s.append(j == 0 ? "" : ",").append("x").append(j);
        }
        s.append('\n');
        for (int i = 0; i < N; i++) {
            int c = i < 0.6 * N ? 0 : 1;
            double[] z = {random.nextGaussian(), random.nextGaussian()};
            for (int j = 0; j < D; j++) {
                double x = (c == 0 ? 0 : 3.0 * (j % 2 == 0 ? 1 : -1)) + Math.sqrt(psi[c][j]) * random.nextGaussian();
                for (int a = 0; a < Q; a++) {
                    x += loadings[c][j][a] * z[a];
                }
                s.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6f", x));
            }
            s.append('\n');
        }
        data = dir.resolve("factors.csv");
        Files.writeString(data, s);
    }

    @Test
    void bicPicksTwoFactorsOverFullAndDiagonalCovariance() throws IOException {
        Path model = dir.resolve("best.json");
        CliTest.Run r = emkit("select", data.toString(), "-k", "1-3", "--covariance", "VVV,VVI,mfa:1-3",
                "--search", "quick", "--seed", "4", "--model-out", model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("best by BIC: mixture of factor analysers, mfa:2, 2 components")
                .contains("2 factors per component");
        for (String name : new String[]{"mfa:1", "mfa:2", "mfa:3"}) {
            assertThat(r.out().lines().filter(l -> l.matches(" +[123]  " + name + " .*")).count()).as(name)
                    .isEqualTo(3);
        }
        FactorAnalyserMixtureModel m = (FactorAnalyserMixtureModel) ModelFiles.read(model);
        assertThat(m.factors()).isEqualTo(Q);
        assertThat(m.components()).isEqualTo(2);

        CliTest.Run j = emkit("select", data.toString(), "-k", "1-3", "--covariance", "VVV,VVI,mfa:1-3",
                "--search", "quick", "--seed", "4", "--json");
        assertThat(j.status()).as(j.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(j.out());
        JsonNode best = o.get("best");
        assertThat(best.get("covariance").asText()).isEqualTo("mfa:2");
        assertThat(best.get("factors").asInt()).isEqualTo(Q);
        assertThat(best.get("components").asInt()).isEqualTo(2);
        assertThat(best.get("n_parameters").asInt()).isEqualTo(FactorAnalyserMixtureModel.parameterCount(2, D, Q));
        assertThat(best.get("bic").asDouble()).isCloseTo(-2 * best.get("log_likelihood").asDouble()
                + best.get("n_parameters").asInt() * Math.log(N), within(1e-6));
        assertThat(o.get("results")).hasSize(3 * 5);
        for (JsonNode c : o.get("results")) {
            if (c.get("covariance").asText().startsWith("VV") && !c.get("bic").isNull()) {
                assertThat(best.get("bic").asDouble()).as("%s", c).isLessThan(c.get("bic").asDouble());
                assertThat(c.has("factors")).isFalse();
            }
        }
    }

    @Test
    void badFactorsAreOneLineAndExitTwo() {
        String[][] cases = {
                {"mfa:0", "Q >= 1"},
                {"mfa:x", "range such as mfa:1-5"},
                {"mfa:3-1", "from low to high"},
                {"VVV,mfa:2-12", "needs fewer factors than the data's 12 columns"},
        };
        for (String[] c : cases) {
            CliTest.Run r = emkit("select", data.toString(), "-k", "1", "--covariance", c[0]);
            assertThat(r.status()).as(c[0] + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().lines().filter(l -> !l.startsWith("Try 'emkit")).toList()).as(c[0]).hasSize(1);
            assertThat(r.err()).startsWith("emkit: ").contains(c[1]).doesNotContain("Exception");
        }
        CliTest.Run all = emkit("select", data.toString(), "-k", "1", "--covariance", "mfa:1", "--noise",
                "--distribution", "t");
        assertThat(all.status()).isEqualTo(2);
        assertThat(all.err()).contains("--noise, --distribution t and --covariance mfa:Q together are not available");
    }
}
