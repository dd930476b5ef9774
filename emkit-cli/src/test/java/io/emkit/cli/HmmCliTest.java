package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.io.ModelFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code emkit hmm} end to end, in process: fit, decode, score, sample, and bad input (exit 2). */
class HmmCliTest {
    private static final String TRUTH = """
            {"format": "emkit-model", "format_version": 1, "kind": "hidden_markov_model",
             "n_states": 2, "n_features": 2, "feature_names": ["x", "y"],
             "start_probabilities": [0.5, 0.5], "transitions": [[0.9, 0.1], [0.2, 0.8]],
             "emission": {"kind": "gaussian", "covariance_type": "diag",
                          "means": [[0, 0], [3, 3]], "covariances": [[1, 1], [0.5, 0.5]]}}
            """;

    @TempDir
    Path dir;
    Path truth;
    Path sampled;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @BeforeEach
    void sampleFromAKnownModel() throws IOException {
        truth = write("truth.json", TRUTH);
        sampled = dir.resolve("sampled.csv");
        CliTest.Run r = emkit("hmm", "sample", "--model", truth.toString(), "--length", "150", "--sequences", "4",
                "--seed", "3", "--labels", "--out", sampled.toString());
        assertThat(r.status()).as(r.err()).isZero();
    }

    @Test
    void sampleWritesSequenceFeaturesAndState() throws IOException {
        List<String> lines = Files.readAllLines(sampled);
        assertThat(lines).hasSize(1 + 4 * 150);
        assertThat(lines.get(0)).isEqualTo("sequence,x,y,state");
        assertThat(lines.get(1)).startsWith("1,");
        assertThat(lines.get(600)).startsWith("4,");
    }

    @Test
    void theReadmeExamplePrintsWhatTheReadmeShows() throws IOException {
        Path model = dir.resolve("hmm-two-regimes.json");
        try (java.io.InputStream in = HmmCliTest.class.getResourceAsStream("hmm-two-regimes.json")) {
            Files.copy(in, model);
        }
        Path walk = dir.resolve("walk.csv");
        CliTest.Run s = emkit("hmm", "sample", "--model", model.toString(), "--length", "500", "--sequences", "3",
                "--seed", "1", "--out", walk.toString());
        assertThat(s.status()).as(s.err()).isZero();
        CliTest.Run f = emkit("hmm", "fit", walk.toString(), "--states", "2", "--sequence-column", "sequence",
                "--covariance", "diag", "--model-out", dir.resolve("walk-model.json").toString());
        assertThat(f.status()).as(f.err()).isZero();
        assertThat(f.out()).contains("walk.csv: 3 sequences, 1500 steps, 2 columns (x, y)")
                .contains("converged after 14 iterations")
                .contains("log-likelihood  -4598.6359   (per step -3.06576)")
                .contains("BIC             9277.7173   (p = 11 free parameters, n = 1500 steps; lower is better)")
                .contains("2           0.173288    0.603707     18.3956    0.054361    0.945639")
                .contains("1                2.96689        0.872612");
    }

    @Test
    void withoutLabelsTheSampleCanBeFittedWithoutChoosingColumns() {
        Path plain = dir.resolve("plain.csv");
        CliTest.Run r = emkit("hmm", "sample", "--model", truth.toString(), "--length", "50", "--sequences", "2",
                "--out", plain.toString());
        assertThat(r.status()).as(r.err()).isZero();
        CliTest.Run f = emkit("hmm", "fit", plain.toString(), "--states", "2", "--sequence-column", "sequence");
        assertThat(f.status()).as(f.err()).isZero();
        assertThat(f.out()).contains("2 sequences, 100 steps, 2 columns (x, y)");
        assertThat(f.err()).contains("note: modelling 2 columns x, y, not the sequence column 'sequence' (choose"
                + " columns with --columns)");
    }

    @Test
    void withoutColumnsTheFitLeavesOutTheSequenceAndTimeColumnsAndSaysWhatItModels() throws IOException {
        List<String> lines = Files.readAllLines(sampled);
        StringBuilder b = new StringBuilder("t,sequence,x,y\n");
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            b.append(1000 - i).append(',').append(f[0]).append(',').append(f[1]).append(',').append(f[2]).append('\n');
        }
        Path timed = write("timed.csv", b.toString());
        CliTest.Run f = emkit("hmm", "fit", timed.toString(), "--states", "2", "--sequence-column", "sequence",
                "--time-column", "t", "--n-init", "1", "--max-iter", "3");
        assertThat(f.status()).as(f.err()).isZero();
        assertThat(f.out()).contains("4 sequences, 600 steps, 2 columns (x, y)");
        assertThat(f.err()).contains("note: modelling 2 columns x, y, not the sequence column 'sequence' or the time"
                + " column 't'");
        CliTest.Run quiet = emkit("hmm", "fit", timed.toString(), "--states", "2", "--sequence-column", "sequence",
                "--time-column", "t", "--n-init", "1", "--max-iter", "3", "--quiet");
        assertThat(quiet.err()).doesNotContain("note:");
        CliTest.Run chosen = emkit("hmm", "fit", timed.toString(), "--states", "2", "--sequence-column", "sequence",
                "--time-column", "t", "--columns", "x", "--n-init", "1", "--max-iter", "3");
        assertThat(chosen.status()).as(chosen.err()).isZero();
        assertThat(chosen.err()).doesNotContain("note: modelling");
    }

    @Test
    void fitPrintsASummaryAndSavesAModelThatRoundTrips() throws IOException {
        Path model = dir.resolve("fit.json");
        CliTest.Run r = emkit("hmm", "fit", sampled.toString(), "--states", "2", "--sequence-column", "sequence",
                "--columns", "x,y", "--covariance", "diag", "--model-out", model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("4 sequences, 600 steps, 2 columns (x, y)").contains("hidden Markov model, 2 states")
                .contains("converged after").contains("BIC").contains("mean x");
        HiddenMarkovModel m = ModelFiles.readHmm(model);
        assertThat(m.states()).isEqualTo(2);
        assertThat(m.featureNames()).containsExactly("x", "y");
        // The states are recovered: one mean near (0, 0), the other near (3, 3).
        double[][] means = ((io.emkit.hmm.GaussianEmission) m.emission()).gaussians().means();
        double lo = Math.min(means[0][0], means[1][0]);
        double hi = Math.max(means[0][0], means[1][0]);
        assertThat(lo).isCloseTo(0, within(0.3));
        assertThat(hi).isCloseTo(3, within(0.3));
    }

    /**
     * The summary and JSON describe every state: the stationary distribution against the two-state closed form
     * π = (a21, a12) / (a12 + a21) of the fitted transitions, durations 1 / (1 − a_ii), and the covariances.
     */
    @Test
    void theSummaryAndJsonShowWhatDefinesEachState() throws IOException {
        CliTest.Run r = emkit("hmm", "fit", sampled.toString(), "--states", "2", "--sequence-column", "sequence",
                "--columns", "x,y", "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        JsonNode a = j.get("model").get("transitions");
        double a12 = a.get(0).get(1).asDouble();
        double a21 = a.get(1).get(0).asDouble();
        assertThat(j.get("stationary").get(0).asDouble()).isCloseTo(a21 / (a12 + a21), within(1e-12));
        assertThat(j.get("stationary").get(1).asDouble()).isCloseTo(a12 / (a12 + a21), within(1e-12));
        assertThat(j.get("expected_durations").get(0).asDouble()).isCloseTo(1 / a12, within(1e-9));
        assertThat(j.get("expected_durations").get(1).asDouble()).isCloseTo(1 / a21, within(1e-9));

        CliTest.Run full = emkit("hmm", "fit", sampled.toString(), "--states", "2", "--sequence-column", "sequence",
                "--columns", "x,y");
        assertThat(full.out()).contains("stationary", "duration", "1/(1 - a_ii)", "covariance of state 1:",
                "covariance of state 2:");
        CliTest.Run diag = emkit("hmm", "fit", sampled.toString(), "--states", "2", "--sequence-column", "sequence",
                "--columns", "x,y", "--covariance", "diag");
        assertThat(diag.out()).containsPattern("variances +x +y\n+state 1 +[0-9.]+ +[0-9.]+\n+state 2 ");
        CliTest.Run gmm = emkit("hmm", "fit", sampled.toString(), "--states", "2", "--sequence-column", "sequence",
                "--columns", "x,y", "--emission", "gmm", "--covariance", "tied");
        assertThat(gmm.out()).contains("covariance (shared by every Gaussian of every state):");
    }

    @Test
    void fitHelpListsEveryCovarianceNameFitAcceptsAndAnMclustNameFits() throws IOException {
        CliTest.Run help = emkit("hmm", "fit", "--help");
        assertThat(help.status()).as(help.err()).isZero();
        String flat = help.out().replaceAll("\\s+", " ");
        for (io.emkit.gaussian.covariance.CovarianceType t : io.emkit.gaussian.covariance.CovarianceType.all()) {
            assertThat(flat).as(t.mclustName()).contains(t.mclustName());
        }
        assertThat(flat).contains("full").contains("diag").contains("spherical").contains("tied");

        // The truth's diagonal covariances (1, 1) and (0.5, 0.5) vary in volume and share their (round) shape: VEI.
        CliTest.Run r = emkit("hmm", "fit", sampled.toString(), "--states", "2", "--sequence-column", "sequence",
                "--columns", "x,y", "--covariance", "VEI", "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        // start 1 + transitions 2 + means 4 + a volume per state 2 + one shared shape 1
        assertThat(j.get("n_parameters").asInt()).isEqualTo(10);
        assertThat(j.get("model").get("emission").get("covariance_type").asText()).isEqualTo("VEI");
    }

    @Test
    void fitJsonHasTheDocumentedKeysAndScoreAgrees() throws IOException {
        Path model = dir.resolve("fit.json");
        CliTest.Run r = emkit("hmm", "fit", sampled.toString(), "--states", "2", "--sequence-column", "sequence",
                "--columns", "x,y", "--json", "--model-out", model.toString(), "--n-init", "2", "--seed", "5");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        for (String key : List.of("log_likelihood", "bic", "aic", "n_parameters", "n_iter", "converged", "model",
                "n_sequences", "n_steps")) {
            assertThat(j.has(key)).as(key).isTrue();
        }
        assertThat(j.get("n_steps").asInt()).isEqualTo(600);
        // full covariance: start 1 + transitions 2 + means 4 + covariances 6
        assertThat(j.get("n_parameters").asInt()).isEqualTo(13);
        assertThat(j.get("model").get("kind").asText()).isEqualTo("hidden_markov_model");
        double ll = j.get("log_likelihood").asDouble();
        assertThat(j.get("bic").asDouble()).isCloseTo(-2 * ll + 13 * Math.log(600), within(1e-6));

        CliTest.Run s = emkit("hmm", "score", "--model", model.toString(), sampled.toString(), "--sequence-column",
                "sequence", "--json");
        assertThat(s.status()).as(s.err()).isZero();
        JsonNode sj = new ObjectMapper().readTree(s.out());
        // Scoring sums the same terms in another order than the fit's last E-step: equal to rounding.
        assertThat(sj.get("log_likelihood").asDouble()).isCloseTo(ll, within(1e-12 * Math.abs(ll)));
        assertThat(sj.get("n_sequences").asInt()).isEqualTo(4);
    }

    @Test
    void textSequenceIdsAndATimeColumnReorderShuffledRows() throws IOException {
        List<String> lines = Files.readAllLines(sampled);
        List<String> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            rows.add("subject " + (char) ('a' + Integer.parseInt(f[0]) - 1) + "," + i + "," + f[1] + "," + f[2]);
        }
        Collections.shuffle(rows, new Random(1));
        Path shuffled = write("shuffled.csv", "id,t,x,y\n" + String.join("\n", rows) + "\n");
        String model = dir.resolve("m.json").toString();
        CliTest.Run a = emkit("hmm", "fit", sampled.toString(), "--states", "2", "--sequence-column", "sequence",
                "--columns", "x,y", "--json", "--model-out", model);
        CliTest.Run b = emkit("hmm", "fit", shuffled.toString(), "--states", "2", "--sequence-column", "id",
                "--time-column", "t", "--json");
        assertThat(b.status()).as(b.err()).isZero();
        assertThat(new ObjectMapper().readTree(b.out()).get("log_likelihood").asDouble())
                .isEqualTo(new ObjectMapper().readTree(a.out()).get("log_likelihood").asDouble());

        CliTest.Run d = emkit("hmm", "decode", "--model", model, shuffled.toString(), "--sequence-column", "id",
                "--time-column", "t", "--posterior");
        assertThat(d.status()).as(d.err()).isZero();
        String[] out = d.out().split("\n");
        assertThat(out[0]).isEqualTo("sequence,state,p0,p1");
        assertThat(out).hasSize(601);
        // Row i of the output belongs to row i of the input, in the file's order.
        assertThat(out[1]).startsWith(rows.get(0).substring(0, rows.get(0).indexOf(',')) + ",");
    }

    /**
     * {@code decode --json} against brute force over all 2⁴ state paths of each of two 4-step sequences, with the
     * Gaussian densities written out here: the best path, its log joint probability (per sequence and summed),
     * the log-likelihood, and, for {@code --algorithm map}, each step's state of largest posterior.
     */
    @Test
    void decodeJsonAgreesWithEnumeratingEveryPath() throws IOException {
        Path tiny = write("tiny.json", """
                {"format": "emkit-model", "format_version": 1, "kind": "hidden_markov_model",
                 "n_states": 2, "n_features": 1, "feature_names": ["x"],
                 "start_probabilities": [0.6, 0.4], "transitions": [[0.7, 0.3], [0.4, 0.6]],
                 "emission": {"kind": "gaussian", "covariance_type": "diag",
                              "means": [[0], [2]], "covariances": [[1], [0.5]]}}
                """);
        double[][] x = {{0.1, 1.9, 1.2, -0.3}, {2.5, 0.9, 1.1, 2.2}};
        StringBuilder csv = new StringBuilder("id,x\n");
        for (int q = 0; q < 2; q++) {
            for (double v : x[q]) {
                csv.append(q == 0 ? "a" : "b").append(',').append(v).append('\n');
            }
        }
        Path data = write("tiny.csv", csv.toString());
        double[] pi = {0.6, 0.4};
        double[][] a = {{0.7, 0.3}, {0.4, 0.6}};
        double[] mean = {0, 2};
        double[] variance = {1, 0.5};
        CliTest.Run v = emkit("hmm", "decode", "--model", tiny.toString(), data.toString(), "--sequence-column", "id",
                "--json", "--posterior");
        CliTest.Run map = emkit("hmm", "decode", "--model", tiny.toString(), data.toString(), "--sequence-column",
                "id", "--json", "--algorithm", "MAP");
        assertThat(v.status()).as(v.err()).isZero();
        assertThat(map.status()).as(map.err()).isZero();
        JsonNode vj = new ObjectMapper().readTree(v.out());
        JsonNode mj = new ObjectMapper().readTree(map.out());
        assertThat(vj.get("algorithm").asText()).isEqualTo("viterbi");
        assertThat(mj.get("algorithm").asText()).isEqualTo("map");
        double totalBest = 0;
        double totalLikelihood = 0;
        for (int q = 0; q < 2; q++) {
            double best = Double.NEGATIVE_INFINITY;
            int bestCode = -1;
            double likelihood = 0;
            double[][] posterior = new double[4][2];
            double[] joints = new double[16];
            for (int code = 0; code < 16; code++) {
                double lp = 0;
                for (int t = 0; t < 4; t++) {
                    int state = (code >> t) & 1;
                    double z = x[q][t] - mean[state];
                    lp += (t == 0 ? Math.log(pi[state]) : Math.log(a[(code >> (t - 1)) & 1][state]))
                            - 0.5 * Math.log(2 * Math.PI * variance[state]) - 0.5 * z * z / variance[state];
                }
                joints[code] = lp;
                likelihood += Math.exp(lp);
                if (lp > best) {
                    best = lp;
                    bestCode = code;
                }
            }
            for (int code = 0; code < 16; code++) {
                for (int t = 0; t < 4; t++) {
                    posterior[t][(code >> t) & 1] += Math.exp(joints[code]) / likelihood;
                }
            }
            JsonNode seq = vj.get("sequences").get(q);
            assertThat(seq.get("id").asText()).isEqualTo(q == 0 ? "a" : "b");
            assertThat(seq.get("viterbi_log_probability").asDouble()).isCloseTo(best, within(1e-12));
            assertThat(seq.get("path_log_probability").asDouble()).isCloseTo(best, within(1e-12));
            assertThat(seq.get("log_likelihood").asDouble()).isCloseTo(Math.log(likelihood), within(1e-12));
            JsonNode mapSeq = mj.get("sequences").get(q);
            assertThat(mapSeq.get("viterbi_log_probability").asDouble()).isCloseTo(best, within(1e-12));
            for (int t = 0; t < 4; t++) {
                assertThat(seq.get("states").get(t).asInt()).as("Viterbi q=%d t=%d", q, t)
                        .isEqualTo((bestCode >> t) & 1);
                assertThat(mapSeq.get("states").get(t).asInt()).as("MAP q=%d t=%d", q, t)
                        .isEqualTo(posterior[t][1] > posterior[t][0] ? 1 : 0);
                assertThat(seq.get("posteriors").get(t).get(1).asDouble()).isCloseTo(posterior[t][1], within(1e-12));
            }
            totalBest += best;
            totalLikelihood += Math.log(likelihood);
        }
        assertThat(vj.get("viterbi_log_probability").isNumber()).isTrue();
        assertThat(vj.get("viterbi_log_probability").asDouble()).isCloseTo(totalBest, within(1e-12));
        assertThat(vj.get("log_likelihood").asDouble()).isCloseTo(totalLikelihood, within(1e-12));
        assertThat(vj.get("n_steps").asInt()).isEqualTo(8);

        CliTest.Run bad = emkit("hmm", "decode", "--model", tiny.toString(), data.toString(), "--algorithm", "best");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--algorithm 'best': expected viterbi or map").doesNotContain("Exception");
    }

    @Test
    void sampleCanBeginInAGivenState() throws IOException {
        CliTest.Run r = emkit("hmm", "sample", "--model", truth.toString(), "--length", "3", "--sequences", "40",
                "--start-state", "1", "--labels", "--seed", "2");
        assertThat(r.status()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        for (int q = 0; q < 40; q++) {
            assertThat(lines[1 + 3 * q]).as("first step of sequence %d", q + 1).endsWith(",1");
        }
        CliTest.Run bad = emkit("hmm", "sample", "--model", truth.toString(), "--length", "3", "--start-state", "2");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("emkit: --start-state 2: the model in " + truth + " has states 0..1");
    }

    @Test
    void decodeLabelsEveryRowWithTheViterbiState() throws IOException {
        Path out = dir.resolve("states.csv");
        CliTest.Run r = emkit("hmm", "decode", "--model", truth.toString(), sampled.toString(), "--sequence-column",
                "sequence", "--columns", "x,y", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        List<String> decoded = Files.readAllLines(out);
        List<String> lines = Files.readAllLines(sampled);
        int agree = 0;
        for (int i = 1; i < lines.size(); i++) {
            String trueState = lines.get(i).substring(lines.get(i).lastIndexOf(',') + 1);
            if (decoded.get(i).endsWith("," + trueState)) {
                agree++;
            }
        }
        assertThat(agree).as("Viterbi states agreeing with the true ones").isGreaterThan(560);
    }

    @Test
    void aGaussianMixturePerStateFitsAndRoundTrips() throws IOException {
        Path model = dir.resolve("gmm.json");
        CliTest.Run r = emkit("hmm", "fit", sampled.toString(), "--states", "2", "--emission", "gmm", "--mix", "2",
                "--covariance", "diag", "--sequence-column", "sequence", "--columns", "x,y", "--model-out",
                model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("gmm emissions (2 Gaussians per state, diag covariance)").contains("weight");
        HiddenMarkovModel m = ModelFiles.readHmm(model);
        assertThat(m.emission()).isInstanceOf(io.emkit.hmm.GaussianMixtureEmission.class);
        CliTest.Run s = emkit("hmm", "sample", "--model", model.toString(), "--length", "5");
        assertThat(s.status()).as(s.err()).isZero();
        assertThat(s.out().split("\n")).hasSize(6);
        // One sequence: no id column, so the output fits again as it is.
        assertThat(s.out().split("\n")[0]).isEqualTo("x,y");
        assertThat(s.out().split("\n")[1].split(",")).hasSize(2);
    }

    @Test
    void categoricalAndPoissonFitsRun() throws IOException {
        Path counts = write("counts.csv", "n\n0\n1\n0\n7\n9\n8\n1\n0\n10\n8\n0\n1\n");
        CliTest.Run p = emkit("hmm", "fit", counts.toString(), "--states", "2", "--emission", "poisson", "--json");
        assertThat(p.status()).as(p.err()).isZero();
        assertThat(new ObjectMapper().readTree(p.out()).get("n_parameters").asInt()).isEqualTo(1 + 2 + 2);
        Path symbols = write("symbols.csv", "s\n0\n1\n2\n2\n2\n0\n1\n0\n2\n2\n");
        CliTest.Run c = emkit("hmm", "fit", symbols.toString(), "--states", "2", "--emission", "categorical", "--json");
        assertThat(c.status()).as(c.err()).isZero();
        assertThat(new ObjectMapper().readTree(c.out()).get("model").get("emission").get("n_symbols").asInt())
                .isEqualTo(3);
    }

    @Test
    void badInputIsOneLineWithFileLineAndColumnAndExitTwo() throws IOException {
        Path negative = write("neg.csv", "a,c\n1,1\n1,2\n2,-3\n");
        CliTest.Run r = emkit("hmm", "fit", negative.toString(), "--states", "2", "--emission", "poisson",
                "--sequence-column", "a");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("emkit: neg.csv: line 4, column 2 ('c'): -3.0 is not a count"
                .replace("neg.csv", negative.toString()) + " (a whole number >= 0), outside the support of poisson emissions");

        Path symbols = write("sym.csv", "s\n0\n1.5\n");
        r = emkit("hmm", "fit", symbols.toString(), "--states", "2", "--emission", "categorical");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("line 3, column 1 ('s'): 1.5 is not a category");

        r = emkit("hmm", "fit", sampled.toString(), "--states", "0");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--components must be at least 1, got 0");

        Path emptyId = write("emptyid.csv", "id,x\na,1\n,2\n");
        r = emkit("hmm", "fit", emptyId.toString(), "--states", "1", "--sequence-column", "id");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("line 3, column 1 ('id'): empty sequence id");

        Path dup = write("dup.csv", "id,t,x\na,1,1\na,1,2\n");
        r = emkit("hmm", "fit", dup.toString(), "--states", "1", "--sequence-column", "id", "--time-column", "t");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("line 3, column 2 ('t'): time 1.0 appears twice in sequence 'a'");

        Path headerOnly = write("empty.csv", "x\n");
        r = emkit("hmm", "fit", headerOnly.toString(), "--states", "1");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("no data rows");

        r = emkit("hmm", "fit", sampled.toString(), "--states", "2", "--sequence-column", "nope");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--sequence-column 'nope': no such column");

        r = emkit("predict", "--model", truth.toString(), sampled.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("holds a hidden Markov model");

        r = emkit("hmm", "sample", "--model", truth.toString(), "--length", "0");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--length must be at least 1, got 0");
    }

    /** The same sequences in the file in another order (sequence 4 first, 1 last) give the same fit, bit for bit. */
    @Test
    void theOrderOfTheSequencesInTheFileDoesNotChangeTheFit() throws IOException {
        List<String> lines = Files.readAllLines(sampled);
        List<String> reversed = new ArrayList<>();
        reversed.add(lines.get(0));
        for (int q = 3; q >= 0; q--) {
            reversed.addAll(lines.subList(1 + 150 * q, 1 + 150 * (q + 1)));
        }
        Path other = write("reversed.csv", String.join("\n", reversed) + "\n");
        CliTest.Run a = emkit("hmm", "fit", sampled.toString(), "--states", "2", "--sequence-column", "sequence",
                "--columns", "x,y", "--emission", "gmm", "--covariance", "tied", "--json", "--seed", "4");
        CliTest.Run b = emkit("hmm", "fit", other.toString(), "--states", "2", "--sequence-column", "sequence",
                "--columns", "x,y", "--emission", "gmm", "--covariance", "tied", "--json", "--seed", "4");
        assertThat(a.status()).as(a.err()).isZero();
        assertThat(b.status()).as(b.err()).isZero();
        JsonNode ja = new ObjectMapper().readTree(a.out());
        JsonNode jb = new ObjectMapper().readTree(b.out());
        assertThat(jb.get("log_likelihood_trace")).isEqualTo(ja.get("log_likelihood_trace"));
        assertThat(jb.get("model").get("emission")).isEqualTo(ja.get("model").get("emission"));
        assertThat(jb.get("model").get("transitions")).isEqualTo(ja.get("model").get("transitions"));
    }

    @Test
    void theSameSeedGivesTheSameFitForAnyThreadCount() {
        CliTest.Run one = emkit("hmm", "fit", sampled.toString(), "--states", "3", "--sequence-column", "sequence",
                "--columns", "x,y", "--json", "--threads", "1", "--seed", "9", "--tol", "0", "--max-iter", "10");
        CliTest.Run three = emkit("hmm", "fit", sampled.toString(), "--states", "3", "--sequence-column", "sequence",
                "--columns", "x,y", "--json", "--threads", "3", "--seed", "9", "--tol", "0", "--max-iter", "10");
        assertThat(one.status()).as(one.err()).isZero();
        assertThat(three.out()).isEqualTo(one.out());
    }

    @Test
    void fixTransitionsKeepsTheNamedEntriesOfTheStartingModel() throws IOException {
        Path model = dir.resolve("fixed.json");
        CliTest.Run r = emkit("hmm", "fit", sampled.toString(), "--sequence-column", "sequence", "--columns", "x,y",
                "--init-model", truth.toString(), "--fix-transitions", "1:2,2:2", "--tol", "0", "--max-iter", "20",
                "--model-out", model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("2 states, gaussian emissions (diag covariance)");
        HiddenMarkovModel m = ModelFiles.readHmm(model);
        double[][] a = m.transitionMatrix();
        assertThat(a[0][1]).isEqualTo(0.1);
        assertThat(a[1][1]).isEqualTo(0.8);
        assertThat(a[0][0]).isEqualTo(1 - 0.1, within(1e-12));
        assertThat(a[1][0]).isEqualTo(1 - 0.8, within(1e-12));
        // The emissions were re-estimated.
        assertThat(m.emission()).isNotEqualTo(ModelFiles.readHmm(truth).emission());

        CliTest.Run all = emkit("hmm", "fit", sampled.toString(), "--sequence-column", "sequence", "--columns", "x,y",
                "--init-model", truth.toString(), "--fix-transitions", "all", "--json");
        assertThat(all.status()).as(all.err()).isZero();
        // No transition is free: 1 start probability and 2 × (2 means + 2 variances).
        assertThat(all.out()).contains("\"transitions\" : [ [ 0.9, 0.1 ], [ 0.2, 0.8 ] ]", "\"n_parameters\" : 9");
    }

    @Test
    void fixKeepsWholePartsOfTheStartingModelBitForBit() throws IOException {
        Path model = dir.resolve("fixed-parts.json");
        CliTest.Run r = emkit("hmm", "fit", sampled.toString(), "--sequence-column", "sequence", "--columns", "x,y",
                "--init-model", truth.toString(), "--fix", "start,means", "--tol", "0", "--max-iter", "15",
                "--model-out", model.toString(), "--json");
        assertThat(r.status()).as(r.err()).isZero();
        HiddenMarkovModel before = ModelFiles.readHmm(truth);
        HiddenMarkovModel after = ModelFiles.readHmm(model);
        assertThat(after.startProbabilities()).containsExactly(before.startProbabilities());
        io.emkit.gaussian.GaussianMixtureModel g0 = ((io.emkit.hmm.GaussianEmission) before.emission()).gaussians();
        io.emkit.gaussian.GaussianMixtureModel g1 = ((io.emkit.hmm.GaussianEmission) after.emission()).gaussians();
        assertThat(g1.means()).isDeepEqualTo(g0.means());
        assertThat(g1.covariance(0)).isNotEqualTo(g0.covariance(0));
        JsonNode trace = new ObjectMapper().readTree(r.out()).get("log_likelihood_trace");
        for (int i = 1; i < trace.size(); i++) {
            assertThat(trace.get(i).asDouble()).as("iteration %d", i)
                    .isGreaterThanOrEqualTo(trace.get(i - 1).asDouble() - 1e-9 * Math.abs(trace.get(i - 1).asDouble()));
        }
        // Free: 2 transitions + 2 × 2 variances.
        assertThat(new ObjectMapper().readTree(r.out()).get("n_parameters").asInt()).isEqualTo(6);

        CliTest.Run absent = emkit("hmm", "fit", sampled.toString(), "--sequence-column", "sequence", "--columns", "x,y",
                "--init-model", truth.toString(), "--fix", "rates");
        assertThat(absent.status()).isEqualTo(2);
        assertThat(absent.err().strip()).isEqualTo("emkit: --fix rates: the model in " + truth + " has gaussian"
                + " emissions, which have no rates; its parts are start, transitions, means, covariances");
        CliTest.Run unknown = emkit("hmm", "fit", sampled.toString(), "--sequence-column", "sequence", "--columns",
                "x,y", "--init-model", truth.toString(), "--fix", "covars");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err().strip()).startsWith("emkit: --fix: unknown HMM part 'covars'; expected one of: start, transitions").doesNotContain("\n");
        CliTest.Run noModel = emkit("hmm", "fit", sampled.toString(), "--states", "2", "--fix", "means");
        assertThat(noModel.status()).isEqualTo(2);
        assertThat(noModel.err()).contains("--fix", "--init-model").doesNotContain("Exception");
    }

    @Test
    void aFixedPartMissingFromTheStartingModelIsOneLineAndExitTwo() throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (String[] c : new String[][]{{"means", "emission", "means"}, {"covariances", "emission", "covariances"},
                {"start", null, "start_probabilities"}, {"transitions", null, "transitions"}}) {
            com.fasterxml.jackson.databind.node.ObjectNode model =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(TRUTH);
            com.fasterxml.jackson.databind.node.ObjectNode holder = c[1] == null ? model
                    : (com.fasterxml.jackson.databind.node.ObjectNode) model.get(c[1]);
            assertThat(holder.remove(c[2])).as("the starting model has %s", c[2]).isNotNull();
            Path without = write("without-" + c[0] + ".json", json.writeValueAsString(model));
            CliTest.Run r = emkit("hmm", "fit", sampled.toString(), "--sequence-column", "sequence", "--columns",
                    "x,y", "--init-model", without.toString(), "--fix", c[0]);
            assertThat(r.status()).as(c[0]).isEqualTo(2);
            String key = c[1] == null ? c[2] : c[1] + "." + c[2];
            assertThat(r.err().strip()).as(c[0])
                    .isEqualTo("emkit: " + without + ": missing key \"" + key + "\"");
        }
        CliTest.Run entries = emkit("hmm", "fit", sampled.toString(), "--sequence-column", "sequence", "--columns",
                "x,y", "--init-model", dir.resolve("without-transitions.json").toString(), "--fix-transitions", "1:2");
        assertThat(entries.status()).isEqualTo(2);
        assertThat(entries.err().strip()).endsWith(": missing key \"transitions\"").doesNotContain("\n");
    }

    @Test
    void fixTransitionsRefusesWhatItCannotDo() {
        CliTest.Run noModel = emkit("hmm", "fit", sampled.toString(), "--states", "2", "--fix-transitions", "1:2");
        assertThat(noModel.status()).isEqualTo(2);
        assertThat(noModel.err()).contains("--fix-transitions", "--init-model").doesNotContain("Exception");
        CliTest.Run outOfRange = emkit("hmm", "fit", sampled.toString(), "--sequence-column", "sequence", "--columns", "x,y",
                "--init-model", truth.toString(), "--fix-transitions", "1:3");
        assertThat(outOfRange.status()).isEqualTo(2);
        assertThat(outOfRange.err()).contains("'1:3'", "from 1 to 2");
        CliTest.Run states = emkit("hmm", "fit", sampled.toString(), "--sequence-column", "sequence", "--columns", "x,y",
                "--init-model", truth.toString(), "--states", "3");
        assertThat(states.status()).isEqualTo(2);
        assertThat(states.err()).contains("--components 3", "has 2 states");
        CliTest.Run missing = emkit("hmm", "fit", sampled.toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("--components");
    }
}
