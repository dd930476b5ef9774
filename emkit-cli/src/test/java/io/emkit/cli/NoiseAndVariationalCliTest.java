package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code emkit fit --noise} and {@code fit --method vb} end to end, and their model files in use. */
class NoiseAndVariationalCliTest {
    @TempDir
    Path dir;
    Path faithful;
    Path noisy;

    @BeforeEach
    void data() throws IOException {
        faithful = CliTest.copyExample(dir, "faithful.csv");
        // Old Faithful and 60 rows drawn uniformly over its bounding box.
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(faithful));
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 60; i++) {
            lines.add(String.format(Locale.ROOT, "%.4f,%.1f", 1.6 + 3.5 * random.nextDouble(), 43 + 53 * random.nextDouble()));
        }
        noisy = dir.resolve("noisy.csv");
        Files.write(noisy, lines);
    }

    @Test
    void aNoiseFitSaysWhatTheNoiseTookAndPredictLabelsItMinusOne() throws IOException {
        Path model = dir.resolve("noise.json");
        CliTest.Run r = emkit("fit", noisy.toString(), "-k", "2", "--noise", "--json", "--model-out", model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        JsonNode j = mapper.readTree(r.out());
        double weight = j.get("noise_weight").asDouble();
        assertThat(weight).isBetween(0.05, 0.5);
        // 1 Gaussian weight + 2 × 2 means + 2 × 3 covariance parameters + the noise's weight and density (mclust's count)
        assertThat(j.get("n_parameters").asInt()).isEqualTo(13);
        assertThat(j.get("model").get("kind").asText()).isEqualTo("noise_mixture");
        int noiseRows = j.get("noise_rows").asInt();
        assertThat(noiseRows).isPositive();

        CliTest.Run predict = emkit("predict", "--model", model.toString(), noisy.toString(), "--proba");
        assertThat(predict.status()).as(predict.err()).isZero();
        List<String> out = predict.out().lines().toList();
        assertThat(out.get(0)).isEqualTo("label,p0,p1,p_noise");
        assertThat(out.stream().skip(1).filter(l -> l.startsWith("-1,")).count()).isEqualTo(noiseRows);
        for (String line : out.subList(1, out.size())) {
            String[] f = line.split(",");
            assertThat(Double.parseDouble(f[1]) + Double.parseDouble(f[2]) + Double.parseDouble(f[3]))
                    .isCloseTo(1.0, within(1e-9));
        }
        CliTest.Run score = emkit("score", "--model", model.toString(), noisy.toString(), "--json");
        double ll = j.get("log_likelihood").asDouble();
        assertThat(mapper.readTree(score.out()).get("log_likelihood").asDouble()).isCloseTo(ll, within(1e-9 * Math.abs(ll)));

        CliTest.Run summary = emkit("fit", noisy.toString(), "-k", "2", "--noise");
        assertThat(summary.out()).contains("Gaussian mixture with a uniform noise component")
                .contains(noiseRows + " of 332 rows most probably noise");
        // What a noise model does not do yet is one line, exit 2.
        CliTest.Run report = emkit("report", "--model", model.toString(), noisy.toString(), "--out",
                dir.resolve("r.html").toString());
        assertThat(report.status()).isEqualTo(2);
        assertThat(report.err()).startsWith("emkit: mixtures with a noise component have no pictures yet");
    }

    @Test
    void aMixtureOfFactorAnalysersWithOneFactorLessThanColumnsIsTheFullCovarianceFit() throws IOException {
        // Q = d − 1 factors can express any covariance: the fit's optimum is VVV's.
        Path model = dir.resolve("mfa.json");
        CliTest.Run mfa = emkit("fit", faithful.toString(), "-k", "2", "--covariance", "mfa:1", "--json",
                "--model-out", model.toString());
        assertThat(mfa.status()).as(mfa.err()).isZero();
        CliTest.Run full = emkit("fit", faithful.toString(), "-k", "2", "--json");
        ObjectMapper mapper = new ObjectMapper();
        JsonNode m = mapper.readTree(mfa.out());
        assertThat(m.get("log_likelihood").asDouble()).isCloseTo(
                mapper.readTree(full.out()).get("log_likelihood").asDouble(), within(1e-3));
        assertThat(m.get("model").get("kind").asText()).isEqualTo("mfa_mixture");
        // 1 weight + 2 × 2 means + 2 × (2 loadings + 2 uniquenesses)
        assertThat(m.get("n_parameters").asInt()).isEqualTo(13);
        CliTest.Run predict = emkit("predict", "--model", model.toString(), faithful.toString());
        assertThat(predict.status()).as(predict.err()).isZero();
        assertThat(predict.out().lines()).hasSize(273);
        for (String q : new String[] {"mfa:2", "mfa:0", "mfa:x"}) {
            CliTest.Run bad = emkit("fit", faithful.toString(), "-k", "2", "--covariance", q);
            assertThat(bad.status()).as(q).isEqualTo(2);
            assertThat(bad.err()).as(q).doesNotContain("Exception").contains("mfa");
        }
    }

    @Test
    void aNoiseFitTakesThePriorAndSelectComparesUnderIt() throws IOException {
        CliTest.Run fit = emkit("fit", noisy.toString(), "-k", "2", "--noise", "--prior", "default", "--json");
        assertThat(fit.status()).as(fit.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(fit.out());
        // MAP-EM: the objective is the log-likelihood plus the log prior density, which is not zero.
        assertThat(j.get("log_posterior").asDouble()).isNotEqualTo(j.get("log_likelihood").asDouble());
        CliTest.Run table = emkit("fit", noisy.toString(), "-k", "2", "--noise", "--prior", "default");
        assertThat(table.out()).contains("log posterior   ").contains("on the mean log posterior)");
        CliTest.Run select = emkit("select", noisy.toString(), "-k", "1-2", "--covariance", "VVV", "--noise", "--prior",
                "default");
        assertThat(select.status()).as(select.err()).isZero();
        assertThat(select.out()).contains("MAP-EM under the default prior").contains("every model has a uniform noise");
    }

    /** The bad input for the robust models: each one clear line and exit status 2. */
    @Test
    void tooFewRowsForTheNoiseBadDegreesOfFreedomAndBadFactorCountsAreOneLine() throws IOException {
        Path two = Files.writeString(dir.resolve("two.csv"), "a,b\n1,2\n3,5\n");
        CliTest.assertUserError(emkit("fit", two.toString(), "-k", "2", "--noise"),
                "a noise component beside 2 components needs at least 3 rows; the data have 2");
        CliTest.assertUserError(emkit("select", two.toString(), "-k", "2", "--covariance", "VVV", "--noise"),
                "every fit failed");
        CliTest.assertUserError(emkit("select", faithful.toString(), "-k", "1-2", "--distribution", "t", "--df", "0"),
                "--df must be a finite number > 0, got 0");
        CliTest.assertUserError(emkit("select", faithful.toString(), "-k", "1-2", "--distribution", "t", "--df", "-3"),
                "--df must be a finite number > 0, got -3");
        CliTest.assertUserError(emkit("fit", faithful.toString(), "-k", "2", "--covariance", "mfa:3"),
                "--covariance mfa:3 needs fewer factors than the data's 2 columns");
        CliTest.assertUserError(emkit("fit", faithful.toString(), "-k", "2", "--covariance", "mfa:0"), "Q >= 1");
        CliTest.assertUserError(emkit("select", faithful.toString(), "-k", "1", "--covariance", "mfa:2"),
                "needs fewer factors than the data's 2 columns");
    }

    /**
     * The combinations of the robust models that are not built (priors for factor analysers; t factor analysers beside
     * a noise component in select, as in fit): each refused in one line naming the options, exit status 2. Select
     * takes every combination fit makes (SelectCombinationsCliTest).
     */
    @Test
    void combinationsNotBuiltAreRefusedInOneLine() {
        String f = faithful.toString();
        String[][] refused = {
                {"--prior", "mfa:Q", "fit", f, "-k", "2", "--prior", "default", "--covariance", "mfa:1"},
                {"--prior", "mfa:Q", "select", f, "-k", "1-2", "--prior", "default", "--covariance", "mfa:1"},
                {"--distribution t", "mfa:Q", "select", f, "-k", "1-2", "--noise", "--distribution", "t",
                        "--covariance", "mfa:1"}};
        for (String[] c : refused) {
            CliTest.Run r = emkit(java.util.Arrays.copyOfRange(c, 2, c.length));
            CliTest.assertUserError(r, c[0], c[1]);
        }
    }

    @Test
    void aTMixtureTakesThePriorAndSelectComparesUnderIt() throws IOException {
        CliTest.Run fit = emkit("fit", faithful.toString(), "-k", "2", "--distribution", "t", "--prior", "default",
                "--json");
        assertThat(fit.status()).as(fit.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(fit.out());
        assertThat(j.get("log_posterior").asDouble()).isNotEqualTo(j.get("log_likelihood").asDouble());
        assertThat(j.get("distribution").asText()).isEqualTo("t");
        CliTest.Run table = emkit("fit", faithful.toString(), "-k", "2", "--distribution", "t", "--prior", "default");
        assertThat(table.out()).contains("log posterior   ").contains("on the mean log posterior)");
        CliTest.Run select = emkit("select", faithful.toString(), "-k", "1-2", "--covariance", "VVV", "--distribution",
                "t", "--prior", "default", "--json");
        assertThat(select.status()).as(select.err()).isZero();
        JsonNode best = new ObjectMapper().readTree(select.out()).get("best");
        assertThat(best.get("components").asInt()).isEqualTo(2);
    }

    @Test
    void selectWithNoiseCountsTheNoiseAsMclustDoes() throws IOException {
        CliTest.Run r = emkit("select", noisy.toString(), "-k", "1-2", "--covariance", "VVV", "--noise", "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("noise").asBoolean()).isTrue();
        CliTest.Run table = emkit("select", noisy.toString(), "-k", "2", "--covariance", "VVV", "--noise");
        // VVV, K = 2 in two columns: 2 × 5 + 1 Gaussian parameters, and the noise's weight and density.
        assertThat(table.out()).containsPattern("2  VVV +-[0-9.]+ +13 ").contains("every model has a uniform noise component");
        CliTest.Run t = emkit("select", noisy.toString(), "-k", "2", "--covariance", "VVV", "--noise", "--distribution",
                "t");
        // With t components, each its degrees of freedom too: 13 + 2.
        assertThat(t.status()).as(t.err()).isZero();
        assertThat(t.out()).containsPattern("2  VVV +-[0-9.]+ +15 ");
    }

    @Test
    void variationalBayesKeepsTheComponentsTheDataNeedAndSavesAnOrdinaryModel() throws IOException {
        Path model = dir.resolve("vb.json");
        CliTest.Run r = emkit("fit", faithful.toString(), "-k", "8", "--method", "vb", "--weight-concentration", "0.01",
                "--json", "--model-out", model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        JsonNode j = mapper.readTree(r.out());
        assertThat(j.get("method").asText()).isEqualTo("vb");
        assertThat(j.get("weight_prior").asText()).isEqualTo("dirichlet-process");
        JsonNode trace = j.get("lower_bound_trace");
        assertThat(trace.get(trace.size() - 1).asDouble()).isEqualTo(j.get("lower_bound").asDouble());
        for (int i = 1; i < trace.size(); i++) {
            assertThat(trace.get(i).asDouble()).isGreaterThanOrEqualTo(trace.get(i - 1).asDouble() - 1e-9);
        }
        // Old Faithful's two clusters, perhaps a third for its skewed long-eruption cluster; never eight.
        assertThat(j.get("effective_components").asInt()).isBetween(2, 4);
        JsonNode file = mapper.readTree(Files.readString(model));
        assertThat(file.get("kind").asText()).isEqualTo("gaussian_mixture");
        assertThat(file.get("variational").get("stick_concentration")).hasSize(8);
        CliTest.Run predict = emkit("predict", "--model", model.toString(), faithful.toString());
        assertThat(predict.status()).as(predict.err()).isZero();
        assertThat(predict.out().lines()).hasSize(273);
        CliTest.Run score = emkit("score", "--model", model.toString(), faithful.toString(), "--json");
        assertThat(mapper.readTree(score.out()).get("log_likelihood").asDouble())
                .isCloseTo(j.get("log_likelihood").asDouble(), within(1e-6));

        // Stochastic variational inference: 272 rows in batches of 100 over 2 passes, then one full iteration.
        CliTest.Run svi = emkit("fit", faithful.toString(), "-k", "4", "--method", "vb", "--mini-batch", "100",
                "--passes", "2", "--json");
        assertThat(svi.status()).as(svi.err()).isZero();
        assertThat(mapper.readTree(svi.out()).get("n_iter").asInt()).isEqualTo(3 * 2 + 1);

        for (String[] bad : new String[][] {{"--method", "bayes"}, {"--weight-prior", "dirichlet"},
                {"--method", "vb", "--weight-prior", "pitman-yor"}, {"--method", "vb", "--weight-concentration", "0"},
                {"--method", "vb", "--covariance", "VEV"}, {"--method", "vb", "--n-init", "3"}}) {
            String[] args = new String[bad.length + 3];
            args[0] = "fit";
            args[1] = faithful.toString();
            args[2] = "-k2";
            System.arraycopy(bad, 0, args, 3, bad.length);
            CliTest.Run e = emkit(args);
            assertThat(e.status()).as(String.join(" ", bad)).isEqualTo(2);
            assertThat(e.err()).as(String.join(" ", bad)).doesNotContain("Exception").doesNotContain("internal error");
        }
    }
}
