package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emkit.hmm.Sequences;
import io.emkit.hmm.semimarkov.SemiMarkovModel;
import io.emkit.io.ModelFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code emkit hmm fit --duration}: hidden semi-Markov models through the command line, checked against the
 * library (the same seed gives the same model), their generating durations, and the bad-input rules.
 */
class SemiMarkovCliTest {
    private static final String TRUTH = """
            {
              "format": "emkit-model", "format_version": 1, "kind": "hidden_semi_markov_model",
              "n_states": 3, "n_features": 1, "feature_names": ["x"],
              "start_probabilities": [0.4, 0.3, 0.3],
              "transitions": [[0, 0.6, 0.4], [0.5, 0, 0.5], [0.3, 0.7, 0]],
              "durations": {"family": "poisson", "max_duration": 40, "lambda": [4, 9, 14],
                            "mean_durations": [5.0, 9.999999999999128, 14.99999971462653]},
              "emission": {"kind": "gaussian", "covariance_type": "spherical", "means": [[-2], [0], [2]],
                           "covariances": [0.6, 0.6, 0.6]}
            }
            """;

    @TempDir
    Path dir;
    private Path truth;
    private Path data;

    @BeforeEach
    void sample() throws IOException {
        truth = dir.resolve("truth.json");
        Files.writeString(truth, TRUTH);
        data = dir.resolve("obs.csv");
        CliTest.Run s = emkit("hmm", "sample", "--model", truth.toString(), "--length", "300", "--sequences", "8",
                "--seed", "3", "--out", data.toString());
        assertThat(s.status()).as(s.err()).isZero();
    }

    @Test
    void fitRecoversPoissonDurationsAndTheModelFileWorksWithDecodeScoreAndSample() throws IOException {
        Path model = dir.resolve("fit.json");
        CliTest.Run f = emkit("hmm", "fit", data.toString(), "--states", "3", "--sequence-column", "sequence",
                "--covariance", "spherical", "--duration", "poisson:40", "--seed", "1", "--model-out", model.toString());
        assertThat(f.status()).as(f.err()).isZero();
        assertThat(f.out()).contains("model        hidden semi-Markov model, 3 states, poisson durations up to 40 steps")
                .contains("d - 1 ~ Poisson(lambda = ").contains("mean dur.");
        SemiMarkovModel m = ModelFiles.readSemiMarkov(model);
        // Each fitted state's λ near the generating one of the state with the nearest emission mean.
        double[] lambda = {4, 9, 14};
        for (int j = 0; j < 3; j++) {
            double mean = ((io.emkit.hmm.GaussianEmission) m.emission()).gaussians().mean(j)[0];
            int t = (int) Math.round(mean / 2.0) + 1;
            assertThat(m.durations().parameters(j)[0]).isCloseTo(lambda[t], within(0.25 * lambda[t]));
        }

        CliTest.Run score = emkit("hmm", "score", "--model", model.toString(), data.toString(), "--sequence-column",
                "sequence", "--json");
        assertThat(score.status()).as(score.err()).isZero();
        JsonNode sj = new ObjectMapper().readTree(score.out());
        Sequences seqs = Sequences.of(io.emkit.data.Dataset.wrap(sampleValues(), 2400, 1, List.of("x")),
                new int[]{300, 300, 300, 300, 300, 300, 300, 300});
        assertThat(sj.get("log_likelihood").asDouble()).isEqualTo(m.logLikelihood(seqs));

        CliTest.Run decode = emkit("hmm", "decode", "--model", model.toString(), data.toString(), "--sequence-column",
                "sequence", "--json");
        assertThat(decode.status()).as(decode.err()).isZero();
        JsonNode dj = new ObjectMapper().readTree(decode.out());
        assertThat(dj.get("model").asText()).isEqualTo("hidden semi-Markov");
        int[][] paths = m.viterbi(seqs);
        JsonNode first = dj.get("sequences").get(0);
        for (int t = 0; t < 300; t++) {
            assertThat(first.get("states").get(t).asInt()).isEqualTo(paths[0][t]);
        }
        assertThat(first.get("viterbi_log_probability").asDouble()).isEqualTo(m.viterbiLogProbabilities(seqs)[0]);

        CliTest.Run again = emkit("hmm", "sample", "--model", model.toString(), "--length", "20", "--seed", "5",
                "--labels");
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.out().lines().count()).isEqualTo(21);
    }

    @Test
    void theReadmeExamplePrintsWhatTheReadmeShows() throws IOException {
        // TRUTH is examples/hsmm-three-regimes.json.
        assertThat(Files.readString(Path.of("..", "examples", "hsmm-three-regimes.json")).replaceAll("\\s+", ""))
                .isEqualTo(TRUTH.replaceAll("\\s+", ""));
        Path regimes = dir.resolve("regimes.csv");
        CliTest.Run s = emkit("hmm", "sample", "--model", truth.toString(), "--length", "500", "--sequences", "10",
                "--seed", "3", "--out", regimes.toString());
        assertThat(s.status()).as(s.err()).isZero();
        CliTest.Run f = emkit("hmm", "fit", regimes.toString(), "--states", "3", "--sequence-column", "sequence",
                "--covariance", "spherical", "--duration", "poisson:40");
        assertThat(f.status()).as(f.err()).isZero();
        assertThat(f.out()).contains("model        hidden semi-Markov model, 3 states, poisson durations up to 40"
                        + " steps, gaussian emissions (spherical covariance)")
                .contains("1           0.299685     9.83865         0.0    0.520929    0.479071   d - 1 ~ Poisson(lambda"
                        + " = 8.83865)")
                .contains("2           0.600035     14.8577    0.708037         0.0    0.291963   d - 1 ~ Poisson(lambda"
                        + " = 13.8577)")
                .contains("3           0.100281      4.8754    0.554889    0.445111         0.0   d - 1 ~ Poisson(lambda"
                        + " = 3.8754)");
    }

    private double[] sampleValues() throws IOException {
        List<String> lines = Files.readAllLines(data);
        double[] x = new double[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            x[i - 1] = Double.parseDouble(lines.get(i).split(",")[1]);
        }
        return x;
    }

    @Test
    void jsonShowsEachStatesDurationDistributionAndMean() throws IOException {
        CliTest.Run f = emkit("hmm", "fit", data.toString(), "--states", "3", "--sequence-column", "sequence",
                "--duration", "nonparametric:30", "--seed", "2", "--json", "--max-iter", "20");
        assertThat(f.status()).as(f.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(f.out());
        assertThat(o.get("durations")).hasSize(3);
        for (JsonNode d : o.get("durations")) {
            assertThat(d.get("family").asText()).isEqualTo("nonparametric");
            assertThat(d.get("probabilities")).hasSize(30);
            double mean = 0;
            for (int u = 0; u < 30; u++) {
                mean += (u + 1) * d.get("probabilities").get(u).asDouble();
            }
            assertThat(d.get("mean_duration").asDouble()).isCloseTo(mean, within(1e-9));
        }
        assertThat(o.get("model").get("kind").asText()).isEqualTo("hidden_semi_markov_model");
        double[] trace = new ObjectMapper().convertValue(o.get("log_likelihood_trace"), double[].class);
        for (int i = 1; i < trace.length; i++) {
            assertThat(trace[i]).isGreaterThanOrEqualTo(trace[i - 1] - 1e-9 * Math.abs(trace[i - 1]));
        }
    }

    @Test
    void badDurationsExitTwoWithOneLine() {
        for (String[] c : new String[][]{
                {"weibull", "--duration 'weibull': expected poisson[:DMAX], negative-binomial[:DMAX] or"
                        + " nonparametric:DMAX, with DMAX (the longest duration, in steps) an integer >= 1"},
                {"poisson:0", "--duration 'poisson:0': expected poisson[:DMAX]"},
                {"nonparametric", "--duration 'nonparametric': nonparametric durations need their longest"
                        + " duration, e.g. nonparametric:50"},
                {"nonparametric:301", "obs.csv: --duration nonparametric:301: the longest duration 301 is"
                        + " longer than every sequence (the longest has 300 steps); use at most 300"}}) {
            CliTest.Run r = emkit("hmm", "fit", data.toString(), "--states", "2", "--sequence-column", "sequence",
                    "--duration", c[0]);
            assertThat(r.status()).as(c[0]).isEqualTo(2);
            assertThat(r.err().strip()).startsWith("emkit: ").contains(c[1]).doesNotContain("\n")
                    .doesNotContain("Exception");
        }
        CliTest.Run r = emkit("hmm", "fit", data.toString(), "--states", "2", "--sequence-column", "sequence",
                "--duration", "poisson", "--transition-prior", "2");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("emkit: --transition-prior is not available for semi-Markov models yet;"
                + " it cannot be combined with --duration");
    }
}
