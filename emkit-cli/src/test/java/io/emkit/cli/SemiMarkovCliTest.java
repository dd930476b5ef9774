package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emkit.data.Sequences;
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
                        + " longer than every sequence (the longest has 300 steps); use at most 300"},
                {"poisson:400", "obs.csv: --duration poisson:400: the longest duration 400 is longer than every"
                        + " sequence (the longest has 300 steps); use at most 300"},
                {"negative-binomial:301", "obs.csv: --duration negative-binomial:301: the longest duration 301 is"
                        + " longer than every sequence"}}) {
            CliTest.Run r = emkit("hmm", "fit", data.toString(), "--states", "2", "--sequence-column", "sequence",
                    "--duration", c[0]);
            assertThat(r.status()).as(c[0]).isEqualTo(2);
            assertThat(r.err().strip()).startsWith("emkit: ").contains(c[1]).doesNotContain("\n")
                    .doesNotContain("Exception");
        }
        CliTest.Run r = emkit("hmm", "fit", data.toString(), "--states", "3", "--sequence-column", "sequence",
                "--duration", "poisson", "--topology", "left-right");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("emkit: the topology left-right leaves state 3 with no move to another"
                + " state").doesNotContain("\n");
        CliTest.Run labelled = emkit("hmm", "fit", data.toString(), "--states", "3", "--sequence-column", "sequence",
                "--duration", "poisson", "--labels-column", "x");
        assertThat(labelled.status()).isEqualTo(2);
        assertThat(labelled.err()).startsWith("emkit: --labels-column is not available for semi-Markov models");
    }

    @Test
    void initModelWithFixedPartsKeepsThemBitForBit() throws IOException {
        Path model = dir.resolve("fixed.json");
        CliTest.Run f = emkit("hmm", "fit", data.toString(), "--sequence-column", "sequence", "--init-model",
                truth.toString(), "--fix", "start,transitions,durations", "--seed", "1", "--model-out", model.toString(),
                "--json");
        assertThat(f.status()).as(f.err()).isZero();
        SemiMarkovModel t = ModelFiles.readSemiMarkov(truth);
        SemiMarkovModel m = ModelFiles.readSemiMarkov(model);
        assertThat(m.startProbabilities()).isEqualTo(t.startProbabilities());
        assertThat(m.transitionMatrix()).isDeepEqualTo(t.transitionMatrix());
        assertThat(m.durations()).isEqualTo(t.durations());
        assertThat(m.emission()).isNotEqualTo(t.emission());
        assertNonDecreasing(new ObjectMapper().readTree(f.out()).get("log_likelihood_trace"));
        // Means and covariances held, the rest free; --duration matching the file is accepted.
        CliTest.Run g = emkit("hmm", "fit", data.toString(), "--sequence-column", "sequence", "--init-model",
                truth.toString(), "--duration", "poisson", "--fix", "means,covariances", "--model-out",
                model.toString());
        assertThat(g.status()).as(g.err()).isZero();
        assertThat(ModelFiles.readSemiMarkov(model).emission()).isEqualTo(t.emission());
    }

    @Test
    void masksAndPriorsWork() throws IOException {
        Path mask = dir.resolve("mask.csv");
        Files.writeString(mask, "0,1,0\n0,0,1\n1,0,0\n");
        Path model = dir.resolve("masked.json");
        CliTest.Run f = emkit("hmm", "fit", data.toString(), "--states", "3", "--sequence-column", "sequence",
                "--covariance", "spherical", "--duration", "poisson:40", "--transition-mask", mask.toString(),
                "--transition-prior", "2", "--start-prior", "2", "--means-weight", "1", "--covars-prior", "0.1",
                "--seed", "2", "--model-out", model.toString(), "--json");
        assertThat(f.status()).as(f.err()).isZero();
        double[][] a = ModelFiles.readSemiMarkov(model).transitionMatrix();
        assertThat(a[0]).containsExactly(0.0, 1.0, 0.0);
        assertThat(a[1]).containsExactly(0.0, 0.0, 1.0);
        assertThat(a[2]).containsExactly(1.0, 0.0, 0.0);
        JsonNode j = new ObjectMapper().readTree(f.out());
        assertNonDecreasing(j.get("log_likelihood_trace"));
        // The trace is the log posterior: its last entry is log_posterior, not the log-likelihood.
        JsonNode trace = j.get("log_likelihood_trace");
        assertThat(trace.get(trace.size() - 1).asDouble()).isEqualTo(j.get("log_posterior").asDouble());
        assertThat(j.get("log_posterior").asDouble()).isNotEqualTo(j.get("log_likelihood").asDouble());
    }

    private static void assertNonDecreasing(JsonNode trace) {
        assertThat(trace.size()).isGreaterThan(2);
        for (int i = 1; i < trace.size(); i++) {
            double prev = trace.get(i - 1).asDouble();
            assertThat(trace.get(i).asDouble()).isGreaterThanOrEqualTo(prev - 1e-9 * Math.abs(prev));
        }
    }

    @Test
    void badStartsAndMasksExitTwoWithOneLine() throws IOException {
        Path unreachable = dir.resolve("unreachable.csv");
        // State 1 is the only source (start state); 4 <-> 5 cannot be reached from it.
        Files.writeString(unreachable, "0,1,0,0,0\n0,0,1,0,0\n0,1,0,0,0\n0,0,0,0,1\n0,0,0,1,0\n");
        // Left to right: state 3 may only stay, which a semi-Markov state cannot do for ever.
        Path noWayOn = dir.resolve("left-right.csv");
        Files.writeString(noWayOn, "1,1,0\n0,1,1\n0,0,1\n");
        // Row 3 all 0: no move at all out of state 3.
        Path noWayOut = dir.resolve("no-way-out.csv");
        Files.writeString(noWayOut, "0,1,0\n0,0,1\n0,0,0\n");
        Path hmmFile = dir.resolve("hmm.json");
        CliTest.Run h = emkit("hmm", "fit", data.toString(), "--states", "3", "--sequence-column", "sequence",
                "--max-iter", "2", "--model-out", hmmFile.toString());
        assertThat(h.status()).as(h.err()).isZero();
        for (String[] c : new String[][]{
                {"--fix rates: the model in " + truth + " has gaussian emissions, which have no rates; its parts are start,"
                        + " transitions, means, covariances, durations",
                        "--init-model", truth.toString(), "--fix", "rates"},
                {"--fix keeps parts at their values in a starting model", "--states", "3", "--duration", "poisson",
                        "--fix", "durations"},
                {"--duration nonparametric:40 but --init-model " + truth + " has poisson durations up to 40 steps",
                        "--init-model", truth.toString(), "--duration", "nonparametric:40"},
                {"--duration with --init-model needs a hidden semi-Markov model file", "--init-model",
                        hmmFile.toString(), "--duration", "poisson"},
                {"the transition mask leaves state 4 unreachable", "--states", "5", "--duration", "poisson",
                        "--transition-mask", unreachable.toString()},
                {"the topology mask " + noWayOn + " leaves state 3 with no move to another state; a semi-Markov state"
                        + " is left after at most Dmax steps (staying is its duration, not a transition), so every"
                        + " state needs one: put a 1 off the diagonal in row 3 of the mask", "--states", "3",
                        "--duration", "poisson", "--transition-mask", noWayOn.toString()},
                {noWayOut + ": the transition mask leaves state 3 with no way out", "--states", "3", "--duration",
                        "poisson", "--transition-mask", noWayOut.toString()}}) {
            List<String> args = new java.util.ArrayList<>(List.of("hmm", "fit", data.toString(), "--sequence-column",
                    "sequence"));
            args.addAll(List.of(c).subList(1, c.length));
            CliTest.Run r = emkit(args.toArray(new String[0]));
            assertThat(r.status()).as(r.err()).isEqualTo(2);
            // One line (usage errors add picocli's "Try 'emkit hmm fit --help'" after it).
            String first = r.err().strip().lines().findFirst().orElse("");
            assertThat(first).startsWith("emkit: ").contains(c[0]);
            assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }
}
