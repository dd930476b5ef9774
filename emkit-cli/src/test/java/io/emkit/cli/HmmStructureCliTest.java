package io.emkit.cli;

import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.hmm.MultinomialEmission;
import io.emkit.io.ModelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code emkit hmm fit} with a topology, a transition mask, priors and multinomial emissions, end to end. */
class HmmStructureCliTest {
    private static final String LEFT_RIGHT = """
            {"format": "emkit-model", "format_version": 1, "kind": "hidden_markov_model",
             "n_states": 3, "n_features": 1, "feature_names": ["x"],
             "start_probabilities": [1, 0, 0], "transitions": [[0.9, 0.1, 0], [0, 0.9, 0.1], [0, 0, 1]],
             "emission": {"kind": "gaussian", "covariance_type": "diag",
                          "means": [[0], [3], [6]], "covariances": [[1], [1], [1]]}}
            """;
    private static final String MULTINOMIAL = """
            {"format": "emkit-model", "format_version": 1, "kind": "hidden_markov_model",
             "n_states": 2, "n_features": 3, "feature_names": ["a", "b", "c"],
             "start_probabilities": [0.6, 0.4], "transitions": [[0.9, 0.1], [0.2, 0.8]],
             "emission": {"kind": "multinomial", "n_trials": 10,
                          "probabilities": [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]}}
            """;

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private Path sample(String model, int sequences) throws IOException {
        Path csv = dir.resolve("data.csv");
        CliTest.Run r = emkit("hmm", "sample", "--model", write("truth.json", model).toString(), "--length", "60",
                "--sequences", Integer.toString(sequences), "--seed", "1", "--out", csv.toString());
        assertThat(r.status()).as(r.err()).isZero();
        return csv;
    }

    @Test
    void leftRightAndTheSameMaskFromAFileKeepTheirZerosAndGiveTheSameFit() throws IOException {
        Path data = sample(LEFT_RIGHT, 20);
        Path named = dir.resolve("named.json");
        CliTest.Run a = emkit("hmm", "fit", data.toString(), "-k", "3", "--covariance", "diag", "--sequence-column",
                "sequence", "--topology", "left-right", "--seed", "1", "--model-out", named.toString());
        assertThat(a.status()).as(a.err()).isZero();
        HiddenMarkovModel m = ModelFiles.readHmm(named);
        double[][] t = m.transitionMatrix();
        assertThat(t[0][2]).isZero();
        assertThat(t[1][0]).isZero();
        assertThat(t[2][0] + t[2][1]).isZero();
        assertThat(t[2][2]).isEqualTo(1.0);
        assertThat(m.startProbabilities()).containsExactly(1, 0, 0);
        assertThat(t[0][0]).isCloseTo(0.9, within(0.04));
        // 2 free transitions, no free start probability, 3 means and 3 variances.
        assertThat(a.out()).contains("p = 8 free parameters");

        Path mask = write("mask.csv", "1,1,0\n0,1,1\n0,0,1\n");
        Path masked = dir.resolve("masked.json");
        CliTest.Run b = emkit("hmm", "fit", data.toString(), "-k", "3", "--covariance", "diag", "--sequence-column",
                "sequence", "--transition-mask", mask.toString(), "--seed", "1", "--model-out", masked.toString());
        assertThat(b.status()).as(b.err()).isZero();
        assertThat(ModelFiles.readHmm(masked)).isEqualTo(m);
    }

    @Test
    void badMasksAndTopologiesExitTwoWithOneLine() throws IOException {
        Path data = sample(LEFT_RIGHT, 2);
        String[][] cases = {
                {"1,1,0\n0,1,1\n0,0,0\n", "leaves state 3 with no way out"},
                {"1,0,0\n0,1,1\n0,1,1\n", "leaves state 2 unreachable from the start state 1"},
                {"1,1\n0,1\n", "line 1: 2 cells, expected 3"},
                {"1,1,0\n0,1,0.5\n0,0,1\n", "line 2, column 3: '0.5' is not 0 or 1"},
        };
        for (String[] c : cases) {
            Path mask = write("bad.csv", c[0]);
            CliTest.Run r = emkit("hmm", "fit", data.toString(), "-k", "3", "--sequence-column", "sequence",
                    "--transition-mask", mask.toString());
            assertThat(r.status()).as(c[1]).isEqualTo(2);
            assertThat(r.err()).contains(c[1]).contains(mask.toString()).doesNotContain("Exception");
            assertThat(r.err().strip().lines().filter(l -> l.startsWith("emkit:")).count()).isEqualTo(1);
        }
        CliTest.Run r = emkit("hmm", "fit", data.toString(), "-k", "3", "--sequence-column", "sequence",
                "--topology", "left-right:0");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("unknown topology 'left-right:0'");
        CliTest.Run both = emkit("hmm", "fit", data.toString(), "-k", "3", "--topology", "left-right",
                "--transition-mask", write("m.csv", "1,1,0\n0,1,1\n0,0,1\n").toString());
        assertThat(both.status()).isEqualTo(2);
        CliTest.Run prior = emkit("hmm", "fit", data.toString(), "-k", "3", "--emission", "poisson",
                "--means-weight", "1");
        assertThat(prior.status()).isEqualTo(2);
    }

    @Test
    void priorsMakeTheObjectiveTheLogPosterior() throws IOException {
        Path data = sample(LEFT_RIGHT, 10);
        CliTest.Run r = emkit("hmm", "fit", data.toString(), "-k", "3", "--covariance", "diag", "--sequence-column",
                "sequence", "--start-prior", "2", "--transition-prior", "2", "--means-prior", "3", "--means-weight",
                "10", "--covars-prior", "1", "--covars-weight", "3", "--seed", "1", "--json", "-q");
        assertThat(r.status()).as(r.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        // A prior that pulls every mean toward 3 with the weight of 10 observations: the log posterior differs
        // from the log-likelihood, and the start probabilities are no longer 0/1.
        assertThat(j.get("log_posterior").asDouble()).isNotEqualTo(j.get("log_likelihood").asDouble());
        double[] start = new double[3];
        for (int i = 0; i < 3; i++) {
            start[i] = j.get("model").get("start_probabilities").get(i).asDouble();
            assertThat(start[i]).isGreaterThan(0.05);
        }
    }

    @Test
    void multinomialEmissionsFitAndSaveTheirTrials() throws IOException {
        Path data = sample(MULTINOMIAL, 8);
        Path out = dir.resolve("fit.json");
        CliTest.Run r = emkit("hmm", "fit", data.toString(), "-k", "2", "--emission", "multinomial",
                "--sequence-column", "sequence", "--seed", "2", "--model-out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("multinomial emissions").contains("P(a)");
        HiddenMarkovModel m = ModelFiles.readHmm(out);
        MultinomialEmission e = (MultinomialEmission) m.emission();
        assertThat(e.trials()).isEqualTo(10);
        int first = e.probabilities()[0][0] > 0.4 ? 0 : 1;
        assertThat(e.probabilities()[first]).containsExactly(new double[] {0.7, 0.2, 0.1}, within(0.03));
        assertThat(e.probabilities()[1 - first]).containsExactly(new double[] {0.1, 0.3, 0.6}, within(0.03));
        CliTest.Run s = emkit("hmm", "sample", "--model", out.toString(), "--length", "4");
        assertThat(s.status()).as(s.err()).isZero();
        assertThat(s.out()).startsWith("a,b,c\n");
    }
}
