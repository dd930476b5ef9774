package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emkit.data.Dataset;
import io.emkit.data.Sequences;
import io.emkit.hmm.covariates.CovariateHmmModel;
import io.emkit.hmm.covariates.CovariateSequences;
import io.emkit.io.ModelFiles;
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

/**
 * {@code emkit hmm fit --transition-covariates}: input–output HMMs through the command line, checked against their
 * generating coefficients, the library, thread counts and the bad-input rules.
 */
class CovariateHmmCliTest {
    /** The log-odds of leaving each state: intercept, slope of u, slope of v. */
    private static final double[][] LEAVE = {{-2.0, 1.5, 0.0}, {-1.5, -1.0, 0.8}};
    private static final int SEQUENCES = 4;
    private static final int LENGTH = 800;

    @TempDir
    Path dir;
    private Path data;
    private double[] y;
    private double[] x;

    /** 4 sequences of 800 steps, rows shuffled between sequences (the time column orders them). */
    @BeforeEach
    void simulate() throws IOException {
        SplittableRandom r = new SplittableRandom(17);
        int n = SEQUENCES * LENGTH;
        y = new double[n];
        x = new double[2 * n];
        StringBuilder csv = new StringBuilder("id,t,u,obs,v\n");
        int state = 0;
        for (int row = 0; row < n; row++) {
            int t = row % LENGTH;
            double u = Math.round(r.nextGaussian() * 1e4) / 1e4;
            double v = Math.round(r.nextGaussian() * 1e4) / 1e4;
            if (t == 0) {
                state = r.nextInt(2);
            } else {
                double eta = LEAVE[state][0] + LEAVE[state][1] * u + LEAVE[state][2] * v;
                state = r.nextDouble() < 1 / (1 + Math.exp(-eta)) ? 1 - state : state;
            }
            y[row] = Math.round((4.0 * state + r.nextGaussian()) * 1e6) / 1e6;
            x[2 * row] = u;
            x[2 * row + 1] = v;
            csv.append(String.format(Locale.ROOT, "q%d,%d,%s,%s,%s%n", row / LENGTH, t, u, y[row], v));
        }
        data = dir.resolve("d.csv");
        Files.writeString(data, csv);
    }

    private String[] fit(String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("hmm", "fit", data.toString(), "--states", "2",
                "--sequence-column", "id", "--time-column", "t", "--transition-covariates", "u,v", "--seed", "4"));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    @Test
    void fitRecoversTheCoefficientsAndDecodeAndScoreUseTheCovariateColumns() throws IOException {
        Path model = dir.resolve("m.json");
        CliTest.Run f = emkit(fit("--model-out", model.toString()));
        assertThat(f.status()).as(f.err()).isZero();
        assertThat(f.out()).contains("hidden Markov model with transition covariates").contains("2 covariates (u, v)")
                .contains("intercept");
        assertThat(f.err()).contains("modelling column obs").contains("not the transition covariates");
        CovariateHmmModel m = ModelFiles.readCovariateHmm(model);
        assertThat(m.featureNames()).containsExactly("obs");
        assertThat(m.covariateNames()).containsExactly("u", "v");
        int low = ((io.emkit.hmm.GaussianEmission) m.emission()).gaussians().mean(0)[0] < 2 ? 0 : 1;
        // About 1600 steps per origin state, about 200 of them moves: the coefficients' standard errors are near
        // 0.1 (intercepts) to 0.15 (slopes); 0.6 is 4 of the largest.
        for (int i = 0; i < 2; i++) {
            int fi = i == 0 ? low : 1 - low;
            double[] c = m.transitions().coefficients(fi, 1 - fi);
            for (int k = 0; k < 3; k++) {
                assertThat(c[k]).as("state %d term %d", i, k).isCloseTo(LEAVE[i][k], within(0.6));
            }
        }

        CliTest.Run score = emkit("hmm", "score", "--model", model.toString(), data.toString(), "--sequence-column",
                "id", "--time-column", "t", "--json");
        assertThat(score.status()).as(score.err()).isZero();
        int[] lengths = new int[SEQUENCES];
        java.util.Arrays.fill(lengths, LENGTH);
        CovariateSequences lib = CovariateSequences.of(Sequences.of(Dataset.wrap(y, y.length, 1, List.of("obs")),
                lengths), x, List.of("u", "v"));
        double ll = new ObjectMapper().readTree(score.out()).get("log_likelihood").asDouble();
        assertThat(ll).isCloseTo(m.logLikelihood(lib), within(1e-9 * Math.abs(ll)));

        CliTest.Run decode = emkit("hmm", "decode", "--model", model.toString(), data.toString(),
                "--sequence-column", "id", "--time-column", "t", "--json");
        assertThat(decode.status()).as(decode.err()).isZero();
        JsonNode dj = new ObjectMapper().readTree(decode.out());
        assertThat(dj.get("viterbi_log_probability").asDouble()).isCloseTo(
                java.util.Arrays.stream(m.viterbiLogProbabilities(lib)).sum(), within(1e-6));

        CliTest.Run json = emkit(fit("--json"));
        assertThat(json.status()).as(json.err()).isZero();
        JsonNode rows = new ObjectMapper().readTree(json.out()).get("transition_coefficients_by_state");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("to").get(0).get("slopes").has("u")).isTrue();

        CliTest.Run sample = emkit("hmm", "sample", "--model", model.toString(), "--length", "10");
        assertThat(sample.status()).isEqualTo(2);
        assertThat(sample.err()).contains("depend on covariates (u, v)").contains("--covariates FILE");
    }

    @Test
    void sampleDrawsAlongACovariateFileAndItsOutputFitsBackToTheModel() throws IOException {
        Path truth = dir.resolve("truth.json");
        Files.writeString(truth, """
                {
                  "format": "emkit-model", "format_version": 1, "kind": "covariate_hidden_markov_model",
                  "n_states": 2, "n_features": 1, "feature_names": ["obs"],
                  "start_probabilities": [0.5, 0.5],
                  "n_covariates": 1, "covariate_names": ["u"], "transition_reference": "origin",
                  "transition_coefficients": [[[0, 0], [-2.0, 1.5]], [[-1.5, -1.0], [0, 0]]],
                  "emission": {"kind": "gaussian", "covariance_type": "spherical", "means": [[0], [4]],
                               "covariances": [1, 1]}
                }
                """);
        StringBuilder cov = new StringBuilder("u\n");
        SplittableRandom r = new SplittableRandom(5);
        for (int t = 0; t < 1500; t++) {
            cov.append(Math.round(r.nextGaussian() * 1e4) / 1e4).append('\n');
        }
        Path covFile = dir.resolve("u.csv");
        Files.writeString(covFile, cov);
        Path drawn = dir.resolve("drawn.csv");
        CliTest.Run s = emkit("hmm", "sample", "--model", truth.toString(), "--covariates", covFile.toString(),
                "--length", "1500", "--sequences", "2", "--seed", "1", "--out", drawn.toString());
        assertThat(s.status()).as(s.err()).isZero();
        List<String> lines = Files.readAllLines(drawn);
        assertThat(lines.get(0)).isEqualTo("sequence,obs,u");
        assertThat(lines).hasSize(3001);
        // Each sequence carries the file's covariates, row by row.
        List<String> us = Files.readAllLines(covFile);
        assertThat(lines.get(1500 + 7).split(",")[2]).isEqualTo(String.valueOf(Double.parseDouble(us.get(7))));

        Path refit = dir.resolve("refit.json");
        CliTest.Run f = emkit("hmm", "fit", drawn.toString(), "--states", "2", "--sequence-column", "sequence",
                "--transition-covariates", "u", "--seed", "2", "--model-out", refit.toString(), "-q");
        assertThat(f.status()).as(f.err()).isZero();
        CovariateHmmModel m = ModelFiles.readCovariateHmm(refit);
        int low = ((io.emkit.hmm.GaussianEmission) m.emission()).gaussians().mean(0)[0] < 2 ? 0 : 1;
        // 3000 steps: standard errors about 0.15 (intercepts) to 0.2 (slopes); 0.8 is 4 of the largest.
        assertThat(m.transitions().coefficients(low, 1 - low)[1]).isCloseTo(1.5, within(0.8));
        assertThat(m.transitions().coefficients(1 - low, low)[1]).isCloseTo(-1.0, within(0.8));
    }

    @Test
    void oneAndTwoThreadsGiveTheSameModel() {
        Path one = dir.resolve("one.json");
        Path two = dir.resolve("two.json");
        assertThat(emkit(fit("--threads", "1", "--model-out", one.toString(), "-q")).status()).isZero();
        assertThat(emkit(fit("--threads", "2", "--model-out", two.toString(), "-q")).status()).isZero();
        assertThat(ModelFiles.readCovariateHmm(two)).isEqualTo(ModelFiles.readCovariateHmm(one));
    }

    @Test
    void badInputIsOneLineWithExitCodeTwo() throws IOException {
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(data));
        // Line 10 of the file: the ninth data row; its v cell (column 5) emptied.
        String[] cells = lines.get(9).split(",", -1);
        cells[4] = "";
        lines.set(9, String.join(",", cells));
        Path missing = dir.resolve("missing.csv");
        Files.write(missing, lines);
        CliTest.Run m = emkit("hmm", "fit", missing.toString(), "--states", "2", "--sequence-column", "id",
                "--time-column", "t", "--transition-covariates", "u,v");
        assertThat(m.status()).isEqualTo(2);
        assertThat(m.err().strip()).doesNotContain("\n").contains("missing.csv").contains("line 10")
                .contains("column 5").contains("'v'");

        CliTest.Run unknown = emkit("hmm", "fit", data.toString(), "--states", "2", "--sequence-column", "id",
                "--transition-covariates", "u,w");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err().strip()).doesNotContain("\n").contains("d.csv").contains("'w'")
                .contains("no such column");

        CliTest.Run duration = emkit(fit("--duration", "poisson:20"));
        assertThat(duration.status()).isEqualTo(2);
        assertThat(duration.err().strip()).doesNotContain("\n").contains("--duration")
                .contains("--transition-covariates");

        Path model = dir.resolve("m.json");
        assertThat(emkit(fit("--model-out", model.toString(), "-q", "--max-iter", "5")).status()).isZero();
        List<String> noV = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(data)) {
            noV.add(line.substring(0, line.lastIndexOf(',')));
        }
        Path without = dir.resolve("without.csv");
        Files.write(without, noV);
        CliTest.Run score = emkit("hmm", "score", "--model", model.toString(), without.toString(),
                "--sequence-column", "id", "--time-column", "t");
        assertThat(score.status()).isEqualTo(2);
        assertThat(score.err().strip()).doesNotContain("\n").contains("without.csv").contains("'v'");

        // The same missing cell in the data of decode and score, and in the covariates sample moves along.
        for (String command : new String[]{"decode", "score"}) {
            CliTest.Run r = emkit("hmm", command, "--model", model.toString(), missing.toString(),
                    "--sequence-column", "id", "--time-column", "t");
            assertThat(r.status()).as(command).isEqualTo(2);
            assertThat(r.err().strip()).as(command).isEqualTo("emkit: " + missing + ": line 10, column 5 ('v'):"
                    + " missing covariate; the transitions need every step's covariates");
        }
        Path covariates = dir.resolve("uv.csv");
        Files.writeString(covariates, "u,v\n0.5,1\n-0.25,\n1,0\n");
        CliTest.Run sample = emkit("hmm", "sample", "--model", model.toString(), "--covariates",
                covariates.toString(), "--length", "3");
        assertThat(sample.status()).isEqualTo(2);
        assertThat(sample.err().strip()).doesNotContain("\n").startsWith("emkit: " + covariates + ": line 3, column 2")
                .contains("'v'").contains("missing");
    }
}
