package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The emkit command end to end, in process: outputs, files and exit codes. */
class CliTest {
    @TempDir
    Path dir;
    Path faithful;
    Path iris;

    /** What one run printed and returned. */
    record Run(int status, String out, String err) {
    }

    /** The arguments of {@code a} followed by those of {@code b}. */
    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static Run emkit(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Emkit.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(status, out.toString(), err.toString());
    }

    @BeforeEach
    void copyExamples() throws IOException {
        faithful = copyExample(dir, "faithful.csv");
        iris = copyExample(dir, "iris.csv");
    }

    /** Copies the example {@code name} from the test resources into {@code dir}. */
    static Path copyExample(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = CliTest.class.getResourceAsStream(name)) {
            Files.copy(in, p);
        }
        return p;
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void fitPrintsReadableSummaryWithMclustsLogLikelihood() {
        Run r = emkit("fit", faithful.toString(), "--components", "2");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("log-likelihood  -1130.26").contains("converged after")
                .contains("BIC").contains("AIC").contains("lower is better")
                .contains("mean eruptions").contains("covariance of component 2");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void fitJsonHasTheDocumentedKeys() throws IOException {
        Run r = emkit("fit", faithful.toString(), "--components", "2", "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        for (String key : List.of("log_likelihood", "mean_log_likelihood", "bic", "aic", "n_parameters", "n_iter",
                "converged", "n_samples", "n_features", "model")) {
            assertThat(j.has(key)).as(key).isTrue();
        }
        assertThat(j.get("log_likelihood").asDouble()).isCloseTo(-1130.264, within(1e-3));
        assertThat(j.get("mean_log_likelihood").asDouble()).isCloseTo(-1130.264 / 272, within(1e-5));
        assertThat(j.get("n_parameters").asInt()).isEqualTo(11);
        assertThat(j.get("bic").asDouble()).isCloseTo(-2 * j.get("log_likelihood").asDouble() + 11 * Math.log(272), within(1e-9));
        assertThat(j.get("n_samples").asInt()).isEqualTo(272);
        assertThat(j.get("converged").asBoolean()).isTrue();
        JsonNode model = j.get("model");
        assertThat(model.get("kind").asText()).isEqualTo("gaussian_mixture");
        assertThat(model.get("covariance_type").asText()).isEqualTo("full");
        assertThat(model.get("feature_names").get(1).asText()).isEqualTo("waiting");
        assertThat(model.get("covariances").size()).isEqualTo(2);
        assertThat(model.get("covariances").get(0).size()).isEqualTo(2);
    }

    @Test
    void fitSaveThenPredictScoreAndSample() throws IOException {
        Path model = dir.resolve("model.json");
        Run fit = emkit("fit", faithful.toString(), "-k", "2", "--model-out", model.toString(), "--json");
        assertThat(fit.status()).as(fit.err()).isZero();
        double ll = new ObjectMapper().readTree(fit.out()).get("log_likelihood").asDouble();

        Run predict = emkit("predict", "--model", model.toString(), faithful.toString(), "--proba");
        assertThat(predict.status()).as(predict.err()).isZero();
        List<String> lines = predict.out().lines().toList();
        assertThat(lines).hasSize(273);
        assertThat(lines.get(0)).isEqualTo("label,p0,p1");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            double p0 = Double.parseDouble(f[1]);
            double p1 = Double.parseDouble(f[2]);
            assertThat(p0 + p1).isCloseTo(1.0, within(1e-12));
            assertThat(Integer.parseInt(f[0])).isEqualTo(p1 > p0 ? 1 : 0);
        }

        Path perSample = dir.resolve("ll.csv");
        Run score = emkit("score", "--model", model.toString(), faithful.toString(), "--json",
                "--per-sample", perSample.toString());
        assertThat(score.status()).as(score.err()).isZero();
        JsonNode s = new ObjectMapper().readTree(score.out());
        assertThat(s.get("log_likelihood").asDouble()).isCloseTo(ll, within(1e-9));
        assertThat(s.get("mean_log_likelihood").asDouble()).isCloseTo(ll / 272, within(1e-11));
        List<String> densities = Files.readAllLines(perSample);
        assertThat(densities.get(0)).isEqualTo("log_density");
        assertThat(densities.subList(1, densities.size()).stream().mapToDouble(Double::parseDouble).sum())
                .isCloseTo(ll, within(1e-9));

        Path sample = dir.resolve("sample.csv");
        Run draw = emkit("sample", "--model", model.toString(), "--n", "500", "--seed", "7", "--out", sample.toString());
        assertThat(draw.status()).as(draw.err()).isZero();
        List<String> drawn = Files.readAllLines(sample);
        assertThat(drawn).hasSize(501);
        assertThat(drawn.get(0)).isEqualTo("eruptions,waiting");
        Run again = emkit("sample", "--model", model.toString(), "--n", "500", "--seed", "7", "--labels");
        assertThat(again.out().lines().skip(1).map(l -> l.substring(0, l.lastIndexOf(','))).toList())
                .isEqualTo(drawn.subList(1, drawn.size()));
    }

    @Test
    void warmStartFromAModelFile() throws IOException {
        Path model = dir.resolve("start.json");
        Run first = emkit("fit", iris.toString(), "-k", "3", "--max-iter", "3", "--tol", "0", "--json",
                "--model-out", model.toString());
        assertThat(first.status()).as(first.err()).isZero();
        double before = new ObjectMapper().readTree(first.out()).get("log_likelihood").asDouble();
        Run next = emkit("fit", iris.toString(), "-k", "3", "--init-model", model.toString(), "--json");
        assertThat(next.status()).as(next.err()).isZero();
        JsonNode trace = new ObjectMapper().readTree(next.out()).get("log_likelihood_trace");
        assertThat(trace.get(0).asDouble()).isCloseTo(before, within(1e-9));
        assertThat(trace.get(trace.size() - 1).asDouble()).isGreaterThanOrEqualTo(before);
        assertThat(emkit("fit", iris.toString(), "-k", "3", "--init-model", model.toString()).out()).contains("warm start");
        assertUserError(emkit("fit", iris.toString(), "-k", "2", "--init-model", model.toString()), "starting model");
    }

    @Test
    void convertedBinaryDataFitsExactlyLikeTheCsv() throws IOException {
        Path emk = dir.resolve("faithful.emk");
        Run convert = emkit("convert", faithful.toString(), emk.toString());
        assertThat(convert.status()).as(convert.err()).isZero();
        assertThat(convert.out()).contains("272 rows x 2 columns");
        Run fromCsv = emkit("fit", faithful.toString(), "-k", "2", "--json");
        Run fromEmk = emkit("fit", emk.toString(), "-k", "2", "--json");
        assertThat(fromEmk.status()).as(fromEmk.err()).isZero();
        assertThat(fromEmk.out()).isEqualTo(fromCsv.out());
        Path model = dir.resolve("m.json");
        assertThat(emkit("fit", emk.toString(), "-k", "2", "-q", "--model-out", model.toString()).status()).isZero();
        assertThat(emkit("predict", "-m", model.toString(), emk.toString()).out())
                .isEqualTo(emkit("predict", "-m", model.toString(), faithful.toString()).out());
        assertUserError(emkit("convert", faithful.toString(), faithful.toString()), "input");
        Run streamed = emkit("fit", emk.toString(), "-k", "2", "--json", "--out-of-core");
        assertThat(streamed.status()).as(streamed.err()).isZero();
        assertThat(streamed.out()).isEqualTo(fromCsv.out());
        assertUserError(emkit("fit", faithful.toString(), "-k", "2", "--out-of-core"), "emkit convert");
    }

    @Test
    void convertStreamsTheCsvAndRefusesBadInputWithoutTouchingTheOutput() throws IOException {
        Path emk = dir.resolve("iris.emk");
        Run convert = emkit("convert", iris.toString(), emk.toString());
        assertThat(convert.status()).as(convert.err()).isZero();
        assertThat(convert.err()).contains("ignoring non-numeric column 'species'");
        assertThat(convert.out()).contains("150 rows x 4 columns");
        Run fromCsv = emkit("fit", iris.toString(), "-k", "3", "--json");
        assertThat(emkit("fit", emk.toString(), "-k", "3", "--json").out()).isEqualTo(fromCsv.out());

        Path bad = write("bad.csv", "a,b\n1,2\n3,x\n");
        Path kept = write("kept.emk", "old");
        assertUserError(emkit("convert", bad.toString(), kept.toString()), "bad.csv", "line 3", "column 2");
        assertThat(Files.readString(kept)).isEqualTo("old");
    }

    @Test
    void predictPicksTheModelsColumnsByName() throws IOException {
        Path model = dir.resolve("iris.json");
        assertThat(emkit("fit", iris.toString(), "-k", "3", "--model-out", model.toString(), "--quiet").status()).isZero();
        Path reordered = write("reordered.csv", "species,petal_width,petal_length,sepal_width,sepal_length,extra\n"
                + "setosa,0.2,1.4,3.5,5.1,9\nvirginica,2.5,6.0,3.3,6.3,9\n");
        Run a = emkit("predict", "-m", model.toString(), reordered.toString());
        Path plain = write("plain.csv", "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.3,3.3,6.0,2.5\n");
        Run b = emkit("predict", "-m", model.toString(), plain.toString());
        assertThat(a.status()).as(a.err()).isZero();
        assertThat(a.out()).isEqualTo(b.out());
        assertThat(a.out().lines().skip(1).distinct().count()).isEqualTo(2);
    }

    @Test
    void helpOnEveryCommand() {
        for (String cmd : List.of("fit", "predict", "score", "sample")) {
            Run r = emkit(cmd, "--help");
            assertThat(r.status()).isZero();
            assertThat(r.out()).contains("Usage: emkit " + cmd);
        }
        assertThat(emkit("--help").out()).contains("fit").contains("predict").contains("score").contains("sample");
        assertThat(emkit("--version").out()).startsWith("emkit ");
    }

    @Test
    void theVersionIsAnsweredWithoutTheCommandTreeAndSaysSoEverywhere() {
        assertThat(Emkit.isVersionQuery(new String[] {"--version"})).isTrue();
        assertThat(Emkit.isVersionQuery(new String[] {"-V", "--version"})).isTrue();
        assertThat(Emkit.isVersionQuery(new String[] {"fit", "--version"})).isFalse();
        assertThat(Emkit.isVersionQuery(new String[0])).isFalse();
        Run alone = emkit("--version");
        assertThat(alone.status()).isZero();
        assertThat(alone.out().lines()).hasSize(2);
        assertThat(alone.out().lines().skip(1).findFirst().orElseThrow()).startsWith("kernels: ").contains(", Java ");
        // Through picocli (the version option after a command's name) the same two lines.
        Run inCommand = emkit("-V", "fit");
        assertThat(inCommand.out()).isEqualTo(alone.out());
        // A command's own version option, at either level, as well.
        for (String[] own : List.of(new String[] {"select", "--version"}, new String[] {"fit", "-V"},
                new String[] {"hmm", "fit", "--version"})) {
            Run r = emkit(own);
            assertThat(r.status()).isZero();
            assertThat(r.out()).as(String.join(" ", own)).isEqualTo(alone.out());
        }
    }

    @Test
    void onlyTheNamedCommandIsBuiltYetHelpAndMistakesSeeThemAll() {
        assertThat(Emkit.commandsNeeded(new String[] {"fit", "data.csv", "-k", "2"}))
                .containsExactly(io.emkit.cli.fitting.FitCommand.class);
        assertThat(Emkit.commandsNeeded(new String[] {"help", "fit"})).hasSize(13);
        assertThat(Emkit.commandsNeeded(new String[] {"fitt"})).hasSize(13);

        Run help = emkit("help", "kmeans");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("Usage: emkit kmeans");
        Run typo = emkit("fitt", "data.csv");
        assertThat(typo.status()).isEqualTo(2);
        assertThat(typo.err()).contains("unknown command 'fitt'; did you mean 'fit'?");
        Run hmm = emkit("hmm", "decode", "--help");
        assertThat(hmm.status()).isZero();
        assertThat(hmm.out()).contains("Usage: emkit hmm decode");
    }

    // ------------------------------------------------------------------------------------------ bad input

    static void assertUserError(Run r, String... fragments) {
        assertThat(r.status()).as("exit status; stderr: " + r.err()).isEqualTo(2);
        assertThat(r.err().lines().filter(l -> l.startsWith("emkit: ")).count()).as(r.err()).isEqualTo(1);
        for (String f : fragments) {
            assertThat(r.err()).contains(f);
        }
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void missingFile() {
        assertUserError(emkit("fit", dir.resolve("nope.csv").toString(), "-k", "2"), "nope.csv", "no such file");
    }

    @Test
    void emptyFile() throws IOException {
        assertUserError(emkit("fit", write("empty.csv", "").toString(), "-k", "2"), "empty.csv", "empty");
    }

    @Test
    void raggedRow() throws IOException {
        Path p = write("ragged.csv", "a,b\n1,2\n3,4\n5\n6,7\n");
        assertUserError(emkit("fit", p.toString(), "-k", "1"), "ragged.csv", "line 4");
    }

    @Test
    void nonNumericCell() throws IOException {
        Path p = write("text.csv", "a,b\n1,2\n3,4\n5,oops\n6,7\n");
        assertUserError(emkit("fit", p.toString(), "-k", "1"), "text.csv", "line 4", "column 2", "'b'", "oops");
    }

    @Test
    void infiniteValue() throws IOException {
        Path p = write("inf.csv", "a,b\n1,2\n3,Infinity\n5,6\n");
        assertUserError(emkit("fit", p.toString(), "-k", "1"), "inf.csv", "line 3", "column 2", "infinite");
    }

    @Test
    void missingValueWhenClusteringByKMeans() throws IOException {
        Path p = write("gap.csv", "a,b\n1,2\n3,\n5,6\n7,8\n");
        assertUserError(emkit("kmeans", p.toString(), "-k", "1"), "gap.csv", "line 3", "column 2", "missing");
    }

    @Test
    void moreComponentsThanDistinctRows() throws IOException {
        Path p = write("dups.csv", "a,b\n1,2\n1,2\n3,4\n3,4\n");
        assertUserError(emkit("fit", p.toString(), "-k", "3"), "3 components", "2 distinct rows");
    }

    @Test
    void componentsBelowOne() {
        assertUserError(emkit("fit", faithful.toString(), "-k", "0"), "--components", "at least 1");
    }

    @Test
    void unknownOptionValues() {
        assertUserError(emkit("fit", faithful.toString(), "-k", "2", "--covariance", "banana"), "banana", "full");
        assertUserError(emkit("fit", faithful.toString(), "-k", "2", "--init", "magic"), "magic", "kmeans++");
        assertUserError(emkit("fit", faithful.toString(), "-k", "2", "--frobnicate"), "--frobnicate");
        assertUserError(emkit("fit", faithful.toString(), "-k", "two"), "two");
        assertUserError(emkit("fit", faithful.toString(), "-k", "2", "--tol", "-1"), "--tol");
        assertUserError(emkit("fit", faithful.toString(), "-k", "2", "--threads", "0"), "--threads");
        assertUserError(emkit("fit", faithful.toString(), "-k", "2", "--columns", "nope"), "nope");
        assertUserError(emkit("frobnicate"), "frobnicate");
    }

    @Test
    void badModelFiles() throws IOException {
        Path notJson = write("bad.json", "{ this is not json");
        assertUserError(emkit("predict", "-m", notJson.toString(), faithful.toString()), "bad.json", "JSON");
        Path otherKind = write("kind.json", "{\"format\":\"emkit-model\",\"format_version\":1,\"kind\":\"teapot\"}");
        assertUserError(emkit("score", "-m", otherKind.toString(), faithful.toString()), "kind.json", "teapot");
        assertUserError(emkit("sample", "-m", dir.resolve("absent.json").toString(), "-n", "3"), "absent.json", "no such file");
    }

    @Test
    void modelAndDataDisagreeOnColumns() throws IOException {
        Path model = dir.resolve("m.json");
        assertThat(emkit("fit", faithful.toString(), "-k", "2", "--model-out", model.toString(), "-q").status()).isZero();
        Path three = write("three.csv", "1,2,3\n4,5,6\n");
        assertUserError(emkit("predict", "-m", model.toString(), three.toString()), "2 features", "3 numeric columns");
    }

    @Test
    void failedFitLeavesAnExistingModelFileUntouched() throws IOException {
        Path model = write("keep.json", "precious");
        Path p = write("dups.csv", "a,b\n1,2\n1,2\n");
        assertUserError(emkit("fit", p.toString(), "-k", "2", "--model-out", model.toString()));
        assertThat(Files.readString(model)).isEqualTo("precious");
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp") || n.contains(".emkit-tmp-"));
        }
    }

    @Test
    void refusesToWriteOverItsInput() throws IOException {
        String before = Files.readString(faithful);
        assertUserError(emkit("fit", faithful.toString(), "-k", "2", "--model-out", faithful.toString()), "input");
        assertThat(Files.readString(faithful)).isEqualTo(before);
    }

    @Test
    void ignoresNonNumericColumnsByDefaultWithANote() {
        Run r = emkit("fit", iris.toString(), "-k", "3");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("species");
        assertThat(r.out()).contains("150 rows, 4 columns");
    }

    @Test
    void nonConvergenceIsSaid() throws IOException {
        Run r = emkit("fit", iris.toString(), "-k", "3", "--max-iter", "2", "--tol", "1e-12", "--json");
        assertThat(r.status()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("converged").asBoolean()).isFalse();
        assertThat(r.err()).contains("did not converge");
        Run text = emkit("fit", iris.toString(), "-k", "3", "--max-iter", "2", "--tol", "1e-12");
        assertThat(text.out()).contains("DID NOT CONVERGE");
    }

    @Test
    void theSparkEngineIsOnlyInTheSparkBuildAndMasterNeedsIt() {
        Run spark = emkit("fit", faithful.toString(), "-k", "2", "--engine", "spark");
        assertThat(spark.status()).isEqualTo(2);
        assertThat(spark.err()).contains("no Spark engine").contains("./emkit").hasLineCount(1);
        Run master = emkit("fit", faithful.toString(), "-k", "2", "--master", "local[2]");
        assertThat(master.status()).isEqualTo(2);
        assertThat(master.err()).contains("--master applies to --engine spark only");
        Run unknown = emkit("fit", faithful.toString(), "-k", "2", "--engine", "flink");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("--engine must be local or spark");
    }
}
