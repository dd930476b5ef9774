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
                "-k", "1", "--model-out", model.toString());
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
                "-k", "1", "--threads", "1");
        assertThat(new ObjectMapper().readTree(again.out()).get("error").asDouble()).isEqualTo(j.get("error").asDouble());
        assertThat(new ObjectMapper().readTree(again.out()).get("brier").asDouble()).isEqualTo(j.get("brier").asDouble());
    }

    @Test
    void theSummaryListsTheStructuresAndTheConfusionMatrix() {
        CliTest.Run r = emkit("classify", iris.toString(), "--labels-column", "species", "--covariance", "EEE,VVV",
                "--components", "1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("chosen by BIC: VVV").contains("training error  0.0200 (3 of 150 rows)")
                .contains("confusion matrix").doesNotContain("VEV");
    }

    /**
     * The default, MclustDA: mclust 6.0.0's {@code MclustDA(iris[, 1:4], iris$Species)} gives setosa EEE with 2
     * components, versicolor and virginica one full Gaussian (XXX), log-likelihood -172.8135, df 47, BIC -581.1269
     * (emkit's sign: 581.1269), training error 0.02, and {@code predict(fit, prop = c(0.2, 0.3, 0.5))}
     * ({@code reference/mclust/iris-mclustda*.csv}).
     */
    @Test
    void byDefaultEachClassGetsItsOwnMixtureAndPriorsChangeThePrediction() throws IOException {
        Path model = dir.resolve("mda.json");
        CliTest.Run r = emkit("classify", iris.toString(), "--labels-column", "species", "--json", "--model-out",
                model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("method").asText()).isEqualTo("MclustDA");
        assertThat(j.get("n_parameters").asInt()).isEqualTo(47);
        assertThat(j.get("bic").asDouble()).isCloseTo(581.1269, within(0.1));
        assertThat(j.get("log_likelihood").asDouble()).isCloseTo(-172.8135, within(0.05));
        JsonNode setosa = j.get("class_models").get(0);
        assertThat(setosa.get("covariance").asText() + setosa.get("components").asInt()).isEqualTo("EEE2");
        assertThat(j.get("class_models").get(1).get("components").asInt()).isEqualTo(1);
        assertThat(j.get("class_models").get(1).get("n_parameters").asInt()).isEqualTo(14);
        assertThat(j.get("training_error").asDouble()).isCloseTo(0.02, within(1e-12));
        assertThat(j.get("confusion").toString()).isEqualTo("[[50,0,0],[0,48,2],[0,1,49]]");

        List<String[]> mclust = Files.readAllLines(Path.of("..", "emkit-core", "src",
                "test", "resources", "reference", "mclust", "iris-mclustda-predict.csv")).stream().skip(1)
                .map(l -> l.split(",")).toList();
        CliTest.Run p = emkit("predict", "--model", model.toString(), iris.toString(), "--class-priors",
                "setosa=0.2,versicolor=0.3,virginica=0.5");
        assertThat(p.status()).as(p.err()).isZero();
        List<String> lines = p.out().lines().skip(1).toList();
        CliTest.Run plain = emkit("predict", "--model", model.toString(), iris.toString());
        List<String> plainLines = plain.out().lines().skip(1).toList();
        for (int i = 0; i < 150; i++) {
            assertThat(lines.get(i)).as("row %d with priors", i + 1).isEqualTo(mclust.get(i)[2]);
            assertThat(plainLines.get(i)).as("row %d", i + 1).isEqualTo(mclust.get(i)[1]);
        }
        CliTest.Run withPriors = emkit("classify", iris.toString(), "--labels-column", "species", "--json",
                "--class-priors", "0.2,0.3,0.5");
        JsonNode k = new ObjectMapper().readTree(withPriors.out());
        assertThat(k.get("class_priors").toString()).isEqualTo("[0.2,0.3,0.5]");
        long wrong = 0;
        for (String[] row : mclust) {
            wrong += row[2].equals(speciesOf(Integer.parseInt(row[0]))) ? 0 : 1;
        }
        assertThat(k.get("training_error").asDouble()).isCloseTo(wrong / 150.0, within(1e-12));
    }

    private static String speciesOf(int row) {
        return row <= 50 ? "setosa" : row <= 100 ? "versicolor" : "virginica";
    }

    @Test
    void badInputIsOneLineWithExitCode2() throws IOException {
        List<String> lines = Files.readAllLines(iris);
        lines.set(6, lines.get(6).substring(0, lines.get(6).lastIndexOf(',') + 1));
        Path unlabelled = dir.resolve("unlabelled.csv");
        Files.write(unlabelled, lines);
        List<String> rare = new java.util.ArrayList<>(Files.readAllLines(iris).subList(0, 61));
        rare.add("5.0,3.0,1.5,0.2,rare");
        Path oneRow = dir.resolve("rare.csv");
        Files.write(oneRow, rare);
        String[][] cases = {
                {iris.toString(), "--cv", "51"},
                {unlabelled.toString()},
                {iris.toString(), "-k", "0"},
                {iris.toString(), "--class-priors", "setosa=1,versicolor=2"},
                {oneRow.toString()},
                {iris.toString(), "--columns", "sepal_length,species"},
        };
        String[] expected = {
                "emkit: --cv 51 is larger than class 'setosa', which has 50 rows",
                "emkit: " + unlabelled + ": line 7, column 5 ('species'): no class",
                "emkit: --components must be at least 1, got 0",
                "emkit: --class-priors: class 'virginica' has no prior",
                "emkit: class 'rare': no mixture could be fitted to its 1 row (too few for every candidate)",
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
