package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code emkit fit --family} end to end, and its model files in predict, score and sample. */
class FamilyCliTest {
    @TempDir
    Path dir;
    Path beans;
    Path faithful;

    @BeforeEach
    void copyExamples() throws IOException {
        beans = CliTest.copyExample(dir, "jelly-beans.csv");
        faithful = CliTest.copyExample(dir, "faithful.csv");
    }

    @Test
    void aTextColumnLeftOutOfAGaussianFitPointsToFamilyAuto() {
        CliTest.Run gaussian = CliTest.emkit("fit", beans.toString(), "-k", "2", "--n-init", "1");
        assertThat(gaussian.status()).as(gaussian.err()).isZero();
        String note = gaussian.err().lines().filter(l -> l.startsWith("note: ignoring non-numeric column"))
                .findFirst().orElseThrow();
        assertThat(note).contains("add --family auto").doesNotContain("--columns");
        // And the hint, followed, fits the text column as categorical.
        CliTest.Run followed = CliTest.emkit("fit", beans.toString(), "-k", "2", "--n-init", "1", "--family", "auto");
        assertThat(followed.status()).as(followed.err()).isZero();
        assertThat(followed.err()).doesNotContain("note: ignoring non-numeric column");
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void autoFitsTextColumnsAsCategoricalAndNumbersAsGaussian() {
        CliTest.Run r = emkit("fit", beans.toString(), "-k", "2", "--family", "auto", "--family", "sugar_crystals=poisson");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("400 rows, 4 columns (colour, flavour, weight, sugar_crystals)")
                .contains("colour: categorical, flavour: categorical, weight: gaussian, sugar_crystals: poisson")
                // 1 weight + 2 × (3 − 1) + 2 × (4 − 1) + 2 × 2 + 2 × 1
                .contains("p = 17 free parameters, n = 400")
                .contains("colour P(green)").contains("flavour P(liquorice)").contains("sugar_crystals rate");
    }

    @Test
    void theReadmeExampleOutputIsWhatEmkitPrints() throws IOException {
        CliTest.Run r = emkit("fit", beans.toString(), "-k", "2", "--family", "auto", "--family", "sugar_crystals=poisson",
                "--n-init", "5");
        assertThat(r.status()).as(r.err()).isZero();
        String readme = Files.readString(Path.of("..", "README.md"));
        int from = r.out().indexOf("log-likelihood");
        assertThat(from).isPositive();
        assertThat(readme).contains(r.out().substring(from).strip());
    }

    @Test
    void jsonModelAndPredictScoreSampleWorkWithTheModelFile() throws IOException {
        Path model = dir.resolve("beans.json");
        CliTest.Run r = emkit("fit", beans.toString(), "-k", "2", "--family", "sugar_crystals=poisson",
                "--json", "--model-out", model.toString(), "--seed", "3");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        for (String key : List.of("log_likelihood", "mean_log_likelihood", "bic", "aic", "n_parameters", "n_iter",
                "converged", "n_samples", "n_features", "log_likelihood_trace", "warnings", "model")) {
            assertThat(j.has(key)).as(key).isTrue();
        }
        assertThat(j.get("model").get("kind").asText()).isEqualTo("product_mixture");
        assertThat(j.get("model").get("columns").get(0).get("categories").toString())
                .isEqualTo("[\"green\",\"red\",\"yellow\"]");
        JsonNode trace = j.get("log_likelihood_trace");
        for (int i = 1; i < trace.size(); i++) {
            assertThat(trace.get(i).asDouble()).isGreaterThanOrEqualTo(trace.get(i - 1).asDouble() - 1e-9);
        }
        CliTest.Run score = emkit("score", "--model", model.toString(), beans.toString(), "--json");
        assertThat(score.status()).as(score.err()).isZero();
        assertThat(new ObjectMapper().readTree(score.out()).get("log_likelihood").asDouble())
                .isCloseTo(j.get("log_likelihood").asDouble(), within(1e-9 * Math.abs(j.get("log_likelihood").asDouble())));
        CliTest.Run predict = emkit("predict", "--model", model.toString(), beans.toString(), "--proba");
        assertThat(predict.status()).as(predict.err()).isZero();
        assertThat(predict.out().lines().count()).isEqualTo(401);
        assertThat(predict.out().lines().findFirst()).hasValue("label,p0,p1");
        Path sample = dir.resolve("sample.csv");
        CliTest.Run s = emkit("sample", "--model", model.toString(), "--n", "50", "--seed", "2", "--out", sample.toString());
        assertThat(s.status()).as(s.err()).isZero();
        List<String> lines = Files.readAllLines(sample);
        assertThat(lines.get(0)).isEqualTo("colour,flavour,weight,sugar_crystals");
        assertThat(lines.get(1)).matches("(green|red|yellow),(cherry|lemon|lime|liquorice),[-0-9.E]+,[0-9]+");
        // the sample reads back under the model
        CliTest.Run again = emkit("score", "--model", model.toString(), sample.toString());
        assertThat(again.status()).as(again.err()).isZero();
    }

    @Test
    void everyFamilyOnItsOwnFromTheCommandLine() throws IOException {
        Path counts = write("counts.csv", "a,b\n0,3\n1,4\n2,9\n0,12\n1,10\n3,11\n0,2\n");
        for (String family : List.of("poisson", "categorical", "gaussian")) {
            CliTest.Run r = emkit("fit", counts.toString(), "-k", "2", "--family", family);
            assertThat(r.status()).as(family + ": " + r.err()).isZero();
            assertThat(r.out()).contains("a: " + family + ", b: " + family);
        }
        Path flags = write("flags.csv", "x,y,z\n0,1,1\n1,1,0\n0,0,0\n1,1,1\n0,0,1\n");
        CliTest.Run b = emkit("fit", flags.toString(), "-k", "2", "--family", "bernoulli");
        assertThat(b.status()).as(b.err()).isZero();
        // 1 weight + 2 × 3 probabilities
        assertThat(b.out()).contains("p = 7 free parameters");
        Path waits = write("waits.csv", "t\n0.5\n2.5\n0.1\n7\n3\n");
        CliTest.Run e = emkit("fit", waits.toString(), "-k", "2", "--family", "exponential");
        assertThat(e.status()).as(e.err()).isZero();
        assertThat(e.out()).contains("t mean (1/rate)");
    }

    @Test
    void columnsChooseWhatIsFittedAndPredictFindsThemByName() throws IOException {
        Path model = dir.resolve("two.json");
        CliTest.Run r = emkit("fit", beans.toString(), "-k", "2", "--columns", "sugar_crystals,colour",
                "--family", "sugar_crystals=poisson", "--model-out", model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        // 1 weight + 2 × 1 rate + 2 × (3 − 1)
        assertThat(r.out()).contains("2 columns (sugar_crystals, colour)").contains("sugar_crystals: poisson, colour: categorical")
                .contains("p = 7 free parameters");
        CliTest.Run p = emkit("predict", "--model", model.toString(), beans.toString());
        assertThat(p.status()).as(p.err()).isZero();
        assertThat(p.out().lines().count()).isEqualTo(401);
        CliTest.assertUserError(emkit("fit", beans.toString(), "-k", "2", "--columns", "colour", "--family", "weight=poisson"),
                "--family names column 'weight', which is not among the columns fitted");
    }

    @Test
    void valuesOutsideTheSupportNameFileLineAndColumn() throws IOException {
        String head = "n,flag,wait\n1,0,2.5\n2,1,1.0\n";
        Path neg = write("neg.csv", head + "-1,1,3\n4,0,2\n");
        CliTest.assertUserError(emkit("fit", neg.toString(), "-k", "2", "--family", "poisson", "--family", "flag=bernoulli",
                "--family", "wait=exponential"), "neg.csv: line 4, column 1 ('n'): Poisson counts must be whole numbers >= 0, got -1.0");
        Path frac = write("frac.csv", head + "1.5,1,3\n4,0,2\n");
        CliTest.assertUserError(emkit("fit", frac.toString(), "-k", "2", "--family", "poisson", "--family", "flag=bernoulli",
                "--family", "wait=exponential"), "frac.csv: line 4, column 1 ('n'): Poisson counts must be whole numbers >= 0, got 1.5");
        Path two = write("two.csv", head + "\n1,2,3\n4,0,2\n");
        CliTest.assertUserError(emkit("fit", two.toString(), "-k", "2", "--family", "poisson", "--family", "flag=bernoulli",
                "--family", "wait=exponential"), "two.csv: line 5, column 2 ('flag'): Bernoulli values must be 0 or 1, got 2.0");
        Path zero = write("zero.csv", head + "1,1,0\n4,0,2\n");
        CliTest.assertUserError(emkit("fit", zero.toString(), "-k", "2", "--family", "poisson", "--family", "flag=bernoulli",
                "--family", "wait=exponential"), "zero.csv: line 4, column 3 ('wait'): exponential values must be > 0, got 0.0");
        CliTest.assertUserError(emkit("fit", beans.toString(), "-k", "2", "--family", "weight=poisson"),
                "line 2, column 3 ('weight'): Poisson counts must be whole numbers >= 0");
        CliTest.assertUserError(emkit("fit", beans.toString(), "-k", "2", "--family", "colour=gaussian"),
                "line 2, column 1 ('colour'): 'yellow' is not a finite number");
        CliTest.assertUserError(emkit("fit", beans.toString(), "-k", "2", "--family", "gamma"), "unknown family 'gamma'");
        CliTest.assertUserError(emkit("fit", beans.toString(), "-k", "2", "--family", "auto", "--covariance", "diag"),
                "--covariance applies to Gaussian mixtures only");
    }

    @Test
    void predictRefusesACategoryTheModelDoesNotKnow() throws IOException {
        Path model = dir.resolve("m.json");
        assertThat(emkit("fit", beans.toString(), "-k", "2", "--family", "auto", "--model-out", model.toString(),
                "--quiet").status()).isZero();
        String text = Files.readString(beans).replaceFirst("\nyellow,", "\npurple,");
        Path other = write("other.csv", text);
        CliTest.assertUserError(emkit("predict", "--model", model.toString(), other.toString()),
                "other.csv: line 2, column 1 ('colour'): category 'purple' is not one of the 3 known: green, red, yellow");
    }

    @Test
    void withoutFamilyTheGaussianFitIsUnchanged() {
        CliTest.Run r = emkit("fit", faithful.toString(), "-k", "2");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("Gaussian mixture, 2 components, full covariance (mclust VVV)")
                // The converged optimum (mclust prints −1130.264; scikit-learn's best of 20 tight starts −1130.2640).
                .contains("log-likelihood  -1130.2640");
    }
}
