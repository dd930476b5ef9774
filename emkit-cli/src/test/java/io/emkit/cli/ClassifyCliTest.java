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

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code emkit classify} (EDDA) end to end on iris. mclust 6.0.0's {@code MclustDA(modelType = "EDDA")} chooses VEV
 * with BIC -555.8024 (emkit's sign: 555.8024), training error 0.02, and a 10-fold cross-validated error of 0.0267
 * on its folds ({@code emkit-core/src/test/resources/reference/mclust/iris-edda*.csv}).
 */
class ClassifyCliTest {
    @TempDir
    Path dir;
    Path iris;

    @BeforeEach
    void copyExample() throws IOException {
        iris = CliTest.copyExample(dir, "iris.csv");
    }

    @Test
    void irisChoosesMclustsStructureAndTheModelFilePredictsClasses() throws IOException {
        Path model = dir.resolve("edda.json");
        CliTest.Run r = emkit("classify", iris.toString(), "--labels-column", "species", "--cv", "10", "--json",
                "--model-out", model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("covariance").asText()).isEqualTo("VEV");
        assertThat(j.get("bic").asDouble()).isCloseTo(555.8024, within(0.1));
        assertThat(j.get("n_parameters").asInt()).isEqualTo(36);
        assertThat(j.get("results")).hasSize(14);
        assertThat(j.get("training_error").asDouble()).isCloseTo(0.02, within(1e-12));
        assertThat(j.get("confusion").toString()).isEqualTo("[[50,0,0],[0,47,3],[0,0,50]]");
        // Other folds than mclust's, so not its figure to the digit: about it.
        assertThat(j.get("error").asDouble()).isBetween(0.0, 0.06);
        assertThat(j.get("brier").asDouble()).isBetween(0.0, 0.05);
        assertThat(j.get("cv_folds").asInt()).isEqualTo(10);

        CliTest.Run p = emkit("predict", "--model", model.toString(), iris.toString(), "--keep", "species");
        assertThat(p.status()).as(p.err()).isZero();
        List<String> lines = p.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("species,class");
        long wrong = lines.stream().skip(1).filter(l -> !l.split(",")[0].equals(l.split(",")[1])).count();
        assertThat(wrong).isEqualTo(3);

        CliTest.Run again = emkit("classify", iris.toString(), "--labels-column", "species", "--cv", "10", "--json",
                "--threads", "1");
        assertThat(new ObjectMapper().readTree(again.out()).get("error").asDouble()).isEqualTo(j.get("error").asDouble());
        assertThat(new ObjectMapper().readTree(again.out()).get("brier").asDouble()).isEqualTo(j.get("brier").asDouble());
    }

    @Test
    void theSummaryListsTheStructuresAndTheConfusionMatrix() {
        CliTest.Run r = emkit("classify", iris.toString(), "--labels-column", "species", "--covariance", "EEE,VVV");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("chosen by BIC: VVV").contains("training error  0.0200 (3 of 150 rows)")
                .contains("confusion matrix").doesNotContain("VEV");
    }

    @Test
    void badInputIsOneLineWithExitCode2() throws IOException {
        List<String> lines = Files.readAllLines(iris);
        lines.set(6, lines.get(6).substring(0, lines.get(6).lastIndexOf(',') + 1));
        Path unlabelled = dir.resolve("unlabelled.csv");
        Files.write(unlabelled, lines);
        String[][] cases = {
                {iris.toString(), "--cv", "51"},
                {unlabelled.toString()},
                {iris.toString(), "-k", "2"},
                {iris.toString(), "--columns", "sepal_length,species"},
        };
        String[] expected = {
                "emkit: --cv 51 is larger than class 'setosa', which has 50 rows",
                "emkit: " + unlabelled + ": line 7, column 5 ('species'): no class",
                "emkit: --components 2: only 1 Gaussian per class (EDDA) for now",
                "emkit: --labels-column 'species' is also in --columns",
        };
        for (int c = 0; c < cases.length; c++) {
            String[] args = new String[cases[c].length + 3];
            args[0] = "classify";
            System.arraycopy(cases[c], 0, args, 1, cases[c].length);
            args[args.length - 2] = "--labels-column";
            args[args.length - 1] = "species";
            CliTest.Run r = emkit(args);
            assertThat(r.status()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).startsWith(expected[c]).doesNotContain("Exception");
            assertThat(r.err().lines().filter(l -> !l.startsWith("Try 'emkit"))).hasSize(1);
        }
    }
}
