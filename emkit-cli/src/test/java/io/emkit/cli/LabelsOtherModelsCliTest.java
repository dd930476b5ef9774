package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Labels for mixtures of independent columns ({@code fit --family ... --labels-column}) and for hidden Markov models
 * ({@code hmm fit --labels-column}) end to end: the semi-supervised objective's trace never decreases, the model
 * file keeps the classes, {@code predict} and {@code hmm decode} write them, and bad input is one line with exit
 * code 2.
 */
class LabelsOtherModelsCliTest {
    @TempDir
    Path dir;
    Path categorical;
    Path sequences;
    List<String> kinds = new ArrayList<>();
    List<String> regimes = new ArrayList<>();

    @BeforeEach
    void writeData() throws IOException {
        SplittableRandom random = new SplittableRandom(8);
        List<String> lines = new ArrayList<>(List.of("colour,size,kind"));
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < 300; i++) {
            boolean a = random.nextDouble() < 0.4;
            double u = random.nextDouble();
            String colour = colours[a ? (u < 0.7 ? 0 : u < 0.9 ? 1 : 2) : (u < 0.1 ? 0 : u < 0.4 ? 1 : 2)];
            String size = random.nextDouble() < (a ? 0.8 : 0.3) ? "S" : "L";
            kinds.add(a ? "a" : "b");
            lines.add(colour + "," + size + "," + (i < 20 ? (a ? "a" : "b") : ""));
        }
        categorical = Files.write(dir.resolve("categorical.csv"), lines);

        List<String> steps = new ArrayList<>(List.of("seq,x,regime"));
        for (int q = 0; q < 3; q++) {
            int s = random.nextInt(2);
            for (int t = 0; t < 80; t++) {
                if (t > 0 && random.nextDouble() < 0.1) {
                    s = 1 - s;
                }
                String regime = s == 0 ? "calm" : "rough";
                regimes.add(regime);
                double x = (s == 0 ? -1.0 : 1.5) + random.nextGaussian();
                steps.add("s" + q + "," + x + "," + (t % 10 == 0 ? regime : ""));
            }
        }
        sequences = Files.write(dir.resolve("sequences.csv"), steps);
    }

    private static void assertNeverDecreases(JsonNode trace) {
        assertThat(trace.size()).isGreaterThan(2);
        for (int t = 1; t < trace.size(); t++) {
            double before = trace.get(t - 1).asDouble();
            assertThat(trace.get(t).asDouble()).as("iteration %d", t + 1)
                    .isGreaterThanOrEqualTo(before - 1e-9 * Math.abs(before));
        }
    }

    @Test
    void aCategoricalMixtureLearnsFromAFewLabelsAndPredictsClassNames() throws IOException {
        Path model = dir.resolve("cat.json");
        CliTest.Run r = emkit("fit", categorical.toString(), "--family", "categorical", "--labels-column", "kind",
                "--json", "--model-out", model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("objective").asText()).isEqualTo("semi_supervised_log_likelihood");
        assertThat(j.get("component_classes").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(j.get("labelled_rows").asInt()).isEqualTo(20);
        assertThat(j.get("n_features").asInt()).isEqualTo(2);
        assertNeverDecreases(j.get("log_likelihood_trace"));

        CliTest.Run p = emkit("predict", "--model", model.toString(), categorical.toString());
        assertThat(p.status()).as(p.err()).isZero();
        List<String> lines = p.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("class");
        int right = 0;
        for (int i = 0; i < 300; i++) {
            assertThat(lines.get(i + 1)).isIn("a", "b");
            right += lines.get(i + 1).equals(kinds.get(i)) ? 1 : 0;
        }
        assertThat(right).isGreaterThan(200);

        // Class priors by hand: P(g | x) ∝ p_g(x) · prior_g / weight_g, p_g the responsibility under the model.
        double[] w = {j.get("model").get("weights").get(0).asDouble(), j.get("model").get("weights").get(1).asDouble()};
        List<String> proba = emkit("predict", "--model", model.toString(), categorical.toString(), "--proba").out()
                .lines().toList();
        CliTest.Run skewed = emkit("predict", "--model", model.toString(), categorical.toString(), "--class-priors",
                "a=0.8,b=0.2");
        assertThat(skewed.status()).as(skewed.err()).isZero();
        List<String> skewedLines = skewed.out().lines().toList();
        int changed = 0;
        for (int i = 1; i <= 300; i++) {
            String[] f = proba.get(i).split(",");
            double a = Double.parseDouble(f[1]) * 0.8 / w[0];
            double b = Double.parseDouble(f[2]) * 0.2 / w[1];
            assertThat(skewedLines.get(i)).as("row %d", i).isEqualTo(a >= b ? "a" : "b");
            changed += skewedLines.get(i).equals(lines.get(i)) ? 0 : 1;
        }
        assertThat(changed).as("rows whose class the priors change").isPositive();

        CliTest.Run summary = emkit("fit", categorical.toString(), "--family", "categorical", "--labels-column", "kind");
        assertThat(summary.out()).contains("labels       column 'kind': 20 labelled rows in 2 classes")
                .contains("fit          semi-supervised EM, converged").contains("one start, from the labelled rows");
    }

    @Test
    void aCategoricalMixtureTakesSeveralComponentsPerClassAndPredictsClassNames() throws IOException {
        Path model = dir.resolve("cat2.json");
        CliTest.Run r = emkit("fit", categorical.toString(), "--family", "categorical", "--labels-column", "kind",
                "--components-per-class", "2", "--json", "--model-out", model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("component_classes").toString()).isEqualTo("[\"a\",\"a\",\"b\",\"b\"]");
        assertThat(j.get("model").get("weights").size()).isEqualTo(4);
        assertNeverDecreases(j.get("log_likelihood_trace"));
        CliTest.Run p = emkit("predict", "--model", model.toString(), categorical.toString());
        assertThat(p.status()).as(p.err()).isZero();
        List<String> lines = p.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("class");
        assertThat(lines.subList(1, lines.size())).hasSize(300).allSatisfy(c -> assertThat(c).isIn("a", "b"));
    }

    @Test
    void anHmmWithLabelledStepsKeepsThemInTheirClassesStates() throws IOException {
        Path model = dir.resolve("hmm.json");
        CliTest.Run r = emkit("hmm", "fit", sequences.toString(), "--sequence-column", "seq", "--labels-column",
                "regime", "-k", "2", "--json", "--model-out", model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("state_classes").toString()).isEqualTo("[\"calm\",\"rough\"]");
        assertThat(j.get("labelled_steps").asInt()).isEqualTo(24);
        assertNeverDecreases(j.get("log_likelihood_trace"));

        CliTest.Run d = emkit("hmm", "decode", "--model", model.toString(), sequences.toString(), "--sequence-column",
                "seq", "--algorithm", "map");
        assertThat(d.status()).as(d.err()).isZero();
        List<String> lines = d.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("sequence,class");
        int right = 0;
        for (int i = 0; i < regimes.size(); i++) {
            String cls = lines.get(i + 1).split(",")[1];
            right += cls.equals(regimes.get(i)) ? 1 : 0;
            if (i % 80 % 10 == 0) {
                // A labelled step is in its class's state, so its most probable state is its class.
                assertThat(cls).as("labelled step %d", i + 1).isEqualTo(regimes.get(i));
            }
        }
        assertThat(right).isGreaterThan(200);
    }

    @Test
    void anHmmTakesSeveralStatesPerClass() throws IOException {
        CliTest.Run r = emkit("hmm", "fit", sequences.toString(), "--sequence-column", "seq", "--labels-column",
                "regime", "-k", "4", "--states-per-class", "2", "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("state_classes").toString()).isEqualTo("[\"calm\",\"calm\",\"rough\",\"rough\"]");
        assertNeverDecreases(j.get("log_likelihood_trace"));
    }

    @Test
    void badInputIsOneLineWithExitCode2() {
        String[][] cases = {
                {"fit", categorical.toString(), "--family", "categorical", "--labels-column", "kind", "-k", "1"},
                {"fit", categorical.toString(), "--family", "categorical", "--labels-column", "kind", "--columns",
                        "colour,kind"},
                {"fit", categorical.toString(), "--family", "categorical", "--labels-column", "kind",
                        "--components-per-class", "2", "-k", "3"},
                {"hmm", "fit", sequences.toString(), "--sequence-column", "seq", "--labels-column", "regime", "-k", "1"},
                {"hmm", "fit", sequences.toString(), "--sequence-column", "seq", "--labels-column", "regime", "-k", "2",
                        "--columns", "x,regime"},
                {"hmm", "fit", sequences.toString(), "--sequence-column", "seq", "--labels-column", "seq", "-k", "2"},
                {"hmm", "fit", sequences.toString(), "--sequence-column", "seq", "--labels-column", "regime", "-k", "3",
                        "--states-per-class", "2"},
                {"hmm", "fit", sequences.toString(), "--sequence-column", "seq", "-k", "2", "--states-per-class", "2"},
        };
        String[] expected = {
                "emkit: class 'b' has labelled rows but no component to take it",
                "emkit: --labels-column 'kind' is also in --columns",
                "emkit: 3 components cannot be shared 2 per class",
                "emkit: class 'rough' has labelled steps but no state to take it",
                "emkit: --labels-column 'regime' is also in --columns",
                "emkit: --labels-column 'seq' is also the --sequence-column",
                "emkit: class 'rough' has labelled steps but no state to take it: 3 states at 2 per class",
                "emkit: --states-per-class goes with --labels-column",
        };
        for (int c = 0; c < cases.length; c++) {
            CliTest.Run r = emkit(cases[c]);
            assertThat(r.status()).as(String.join(" ", cases[c]) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).startsWith(expected[c]).doesNotContain("Exception");
            assertThat(r.err().lines().filter(l -> !l.startsWith("Try 'emkit"))).hasSize(1);
        }
    }
}
