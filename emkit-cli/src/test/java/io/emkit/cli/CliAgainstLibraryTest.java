package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emkit.data.CsvOptions;
import io.emkit.data.DataFiles;
import io.emkit.data.Dataset;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import io.emkit.em.Search;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.data.Sequences;
import io.emkit.io.ModelFiles;
import io.emkit.select.Candidate;
import io.emkit.select.ModelSelection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the commands print against what the library computes for the same request: a covariance name on the
 * command line fits that structure (its form checked here, its log-likelihood and covariances those of the
 * library's fit of the structure), {@code select}'s table is the library's, {@code hmm decode} is the library's
 * Viterbi path and posteriors, and every command answers {@code --help}.
 */
class CliAgainstLibraryTest {
    @TempDir
    Path dir;

    /** What the commands run by default: the library's defaults with the default search. */
    private static final EmOptions CLI_DEFAULTS = EmOptions.defaults().withSearch(Search.Level.DEFAULT);

    private static Dataset read(Path csv) {
        return DataFiles.read(csv, CsvOptions.defaults()).dataset();
    }

    /**
     * Every name {@code --covariance} takes (the 14 mclust names, scikit-learn's four, either case) on faithful,
     * K = 2: the saved model has the named structure, its covariances have that form (checked entry by entry
     * here), and the log-likelihood and covariances are the library's fit of that structure, to the bit.
     */
    @ParameterizedTest
    @ValueSource(strings = {"EII", "VII", "EEI", "VEI", "EVI", "VVI", "EEE", "VEE", "EVE", "VVE", "EEV", "VEV", "EVV",
            "VVV", "full", "diag", "spherical", "tied", "vvi", "eee"})
    void everyCovarianceNameFitsThatStructure(String name) throws IOException {
        Path faithful = CliTest.copyExample(dir, "faithful.csv");
        Path saved = dir.resolve("m.json");
        CliTest.Run r = emkit("fit", faithful.toString(), "-k", "2", "--covariance", name, "--json", "--quiet",
                "--model-out", saved.toString());
        assertThat(r.status()).as(r.err()).isZero();
        CovarianceType type = CovarianceType.parse(name);
        GaussianMixtureModel cli = (GaussianMixtureModel) ModelFiles.read(saved);
        assertThat(cli.covarianceType()).isEqualTo(type);
        assertForm(type.mclustName(), cli.covariances());

        EmResult<GaussianMixtureModel> library = GaussianMixture.withComponents(2).covarianceType(type)
                .options(CLI_DEFAULTS).fit(read(faithful));
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("log_likelihood").asDouble()).isEqualTo(library.logLikelihood());
        assertThat(cli.covariances()).isDeepEqualTo(library.params().covariances());
    }

    /**
     * {@code --accelerate daarem} fits with the library's {@link io.emkit.em.Acceleration#DAAREM}: the same
     * log-likelihood and iteration count, to the bit, as the library's fit with it, and another path than SQUAREM's
     * (another iteration count); a name it does not know is a usage error that lists the three it does.
     */
    @Test
    void accelerateDaaremIsTheLibrarysDaarem() throws IOException {
        Path faithful = CliTest.copyExample(dir, "faithful.csv");
        CliTest.Run r = emkit("fit", faithful.toString(), "-k", "4", "--covariance", "EEE", "--n-init", "1",
                "--accelerate", "daarem", "--json", "--quiet");
        assertThat(r.status()).as(r.err()).isZero();
        EmOptions one = EmOptions.defaults().withInitializations(1);
        EmResult<GaussianMixtureModel> daarem = GaussianMixture.withComponents(4).covarianceType(CovarianceType.TIED)
                .options(one.withAcceleration(io.emkit.em.Acceleration.DAAREM)).fit(read(faithful));
        EmResult<GaussianMixtureModel> squarem = GaussianMixture.withComponents(4).covarianceType(CovarianceType.TIED)
                .options(one).fit(read(faithful));
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("log_likelihood").asDouble()).isEqualTo(daarem.logLikelihood());
        assertThat(j.get("n_iter").asInt()).isEqualTo(daarem.iterations()).isNotEqualTo(squarem.iterations());

        CliTest.Run bad = emkit("fit", faithful.toString(), "-k", "2", "--accelerate", "anderson");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--accelerate must be squarem, daarem or none, got 'anderson'");
    }

    /**
     * The form {@code Σk = λk Dk Ak Dkᵀ} the mclust name promises, in the terms that need no decomposition:
     * I orientation with I shape: a multiple of the identity; I orientation: diagonal; E in all three letters:
     * one matrix for all components; equal volumes: equal determinants; E shape and orientation (e.g. VEE):
     * proportional matrices. Faithful's covariances are far from these forms, so a wrongly parsed name fails.
     */
    private static void assertForm(String name, double[][][] cov) {
        char volume = name.charAt(0);
        char shape = name.charAt(1);
        char orientation = name.charAt(2);
        double scale = Math.abs(cov[0][0][0]) + Math.abs(cov[0][1][1]);
        double tol = 1e-9 * scale;
        for (double[][] c : cov) {
            if (orientation == 'I') {
                assertThat(Math.abs(c[0][1])).as("%s: diagonal", name).isLessThanOrEqualTo(tol);
                if (shape == 'I') {
                    assertThat(Math.abs(c[0][0] - c[1][1])).as("%s: spherical", name).isLessThanOrEqualTo(tol);
                }
            } else {
                assertThat(Math.abs(c[0][1])).as("%s: not diagonal", name).isGreaterThan(1e-3 * scale);
            }
        }
        double det0 = cov[0][0][0] * cov[0][1][1] - cov[0][0][1] * cov[0][1][0];
        double det1 = cov[1][0][0] * cov[1][1][1] - cov[1][0][1] * cov[1][1][0];
        if (volume == 'E') {
            assertThat(det1).as("%s: equal volumes", name).isCloseTo(det0, org.assertj.core.data.Offset.offset(1e-9 * det0));
        } else {
            assertThat(Math.abs(det1 - det0)).as("%s: volumes vary", name).isGreaterThan(1e-3 * det0);
        }
        if (shape == 'E' && orientation == 'E') {
            // Equal shape and orientation: Σ2 = (λ2/λ1) Σ1, the ratio being that of the volumes.
            double ratio = Math.sqrt(det1 / det0);
            for (int a = 0; a < 2; a++) {
                for (int b = 0; b < 2; b++) {
                    assertThat(Math.abs(cov[1][a][b] - ratio * cov[0][a][b])).as("%s: proportional (%d,%d)", name, a, b)
                            .isLessThanOrEqualTo(tol);
                }
            }
        }
    }

    /** {@code select} over K = 1, 2 and the 14 structures: each row of its JSON table is the library's candidate. */
    @Test
    void selectsTableIsTheLibrarysSelection() throws IOException {
        Path iris = CliTest.copyExample(dir, "iris.csv");
        CliTest.Run r = emkit("select", iris.toString(), "--components", "1-2", "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode results = new ObjectMapper().readTree(r.out()).get("results");
        List<Candidate> library = ModelSelection.of(List.of(1, 2), CovarianceType.all())
                .fitting(GaussianMixture.withComponents(1).options(CLI_DEFAULTS)).run(read(iris)).candidates();
        assertThat(results).hasSize(2 * 14);
        Map<String, Candidate> byName = new LinkedHashMap<>();
        for (Candidate c : library) {
            byName.put(c.components() + " " + c.covariance().mclustName(), c);
        }
        for (JsonNode row : results) {
            Candidate c = byName.get(row.get("components").asInt() + " " + row.get("covariance").asText());
            assertThat(c).as("%s", row).isNotNull();
            assertThat(row.get("log_likelihood").asDouble()).as("%s", c.name()).isEqualTo(c.logLikelihood());
            assertThat(row.get("bic").asDouble()).as("%s", c.name()).isEqualTo(c.bic());
            assertThat(row.get("icl").asDouble()).as("%s", c.name()).isEqualTo(c.icl());
            assertThat(row.get("n_parameters").asInt()).as("%s", c.name()).isEqualTo(c.parameterCount());
        }
    }

    /** Every command and subcommand answers {@code --help} with exit 0 and a usage line naming itself. */
    @Test
    void helpOnEveryCommandAndSubcommand() {
        List<String> names = new ArrayList<>();
        collect(Emkit.withAllCommands(), names);
        assertThat(names).contains("emkit fit", "emkit select", "emkit hmm decode", "emkit hmm fit");
        for (String qualified : names) {
            String[] words = qualified.substring("emkit ".length()).split(" ");
            String[] args = CliTest.concat(words, new String[] {"--help"});
            CliTest.Run r = emkit(args);
            assertThat(r.status()).as(qualified + ": " + r.err()).isZero();
            assertThat(r.out()).as(qualified).contains("Usage: " + qualified + " ");
        }
    }

    private static void collect(CommandLine cl, List<String> out) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            String name = sub.getCommandSpec().qualifiedName();
            if (sub.getCommand() instanceof CommandLine.HelpCommand || out.contains(name)) {
                continue;
            }
            out.add(name);
            collect(sub, out);
        }
    }

    /**
     * {@code hmm decode} on sampled sequences: the states are the library's Viterbi path and, with
     * {@code --posterior}, the probabilities are the library's posteriors, exactly (the CLI prints every digit).
     */
    @Test
    void hmmDecodeIsTheLibrarysViterbiAndPosteriors() throws IOException {
        Path truth = Files.writeString(dir.resolve("truth.json"), """
                {"format": "emkit-model", "format_version": 1, "kind": "hidden_markov_model",
                 "n_states": 2, "n_features": 2, "feature_names": ["x", "y"],
                 "start_probabilities": [0.5, 0.5], "transitions": [[0.9, 0.1], [0.2, 0.8]],
                 "emission": {"kind": "gaussian", "covariance_type": "diag",
                              "means": [[0, 0], [1.5, 1.5]], "covariances": [[1, 1], [0.5, 0.5]]}}
                """);
        Path sampled = dir.resolve("sampled.csv");
        assertThat(emkit("hmm", "sample", "--model", truth.toString(), "--length", "120", "--sequences", "3",
                "--seed", "5", "--out", sampled.toString()).status()).isZero();
        List<String> lines = Files.readAllLines(sampled);
        assertThat(lines.get(0)).isEqualTo("sequence,x,y");
        Map<String, List<double[]>> bySequence = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            bySequence.computeIfAbsent(f[0], s -> new ArrayList<>())
                    .add(new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2])});
        }
        List<double[][]> sequences = new ArrayList<>();
        for (List<double[]> rows : bySequence.values()) {
            sequences.add(rows.toArray(new double[0][]));
        }
        HiddenMarkovModel model = ModelFiles.readHmm(truth);
        Sequences data = Sequences.of(sequences);
        int[][] viterbi = model.viterbi(data);
        double[][][] posteriors = model.posteriors(data);

        CliTest.Run r = emkit("hmm", "decode", "--model", truth.toString(), sampled.toString(), "--sequence-column",
                "sequence", "--posterior");
        assertThat(r.status()).as(r.err()).isZero();
        List<String> out = r.out().lines().toList();
        assertThat(out.get(0)).isEqualTo("sequence,state,p0,p1");
        assertThat(out).hasSize(1 + 3 * 120);
        int row = 1;
        int uncertain = 0;
        for (int s = 0; s < viterbi.length; s++) {
            for (int t = 0; t < viterbi[s].length; t++, row++) {
                String[] f = out.get(row).split(",");
                assertThat(Integer.parseInt(f[1])).as("state at row %d", row).isEqualTo(viterbi[s][t]);
                assertThat(Double.parseDouble(f[2])).as("p0 at row %d", row).isEqualTo(posteriors[s][t][0]);
                assertThat(Double.parseDouble(f[3])).as("p1 at row %d", row).isEqualTo(posteriors[s][t][1]);
                if (Math.min(posteriors[s][t][0], posteriors[s][t][1]) > 0.05) {
                    uncertain++;
                }
            }
        }
        assertThat(uncertain).as("steps where the posteriors are far from 0 and 1").isGreaterThan(20);
    }
}
