package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The files people have: the same data gzip-compressed, with semicolons, tabs or bars, or piped into
 * standard input, give the same fit as the plain CSV file; a Parquet file gets a message naming the way
 * that reads it.
 */
class InputFormatsCliTest {
    @TempDir
    Path dir;
    Path faithful;
    String plain;

    @BeforeEach
    void copyExample() throws IOException {
        faithful = CliTest.copyExample(dir, "faithful.csv");
        plain = Files.readString(faithful);
    }

    private static double logLikelihood(CliTest.Run r) throws IOException {
        assertThat(r.status()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out()).get("log_likelihood").asDouble();
    }

    private static String[] fit(String data, String... more) {
        return CliTest.concat(new String[] {"fit", data, "-k", "2", "--n-init", "2", "--json", "--quiet"}, more);
    }

    /** Runs emkit with {@code input} as standard input. */
    private static CliTest.Run withStandardInput(byte[] input, String... args) {
        InputStream original = System.in;
        try {
            System.setIn(new ByteArrayInputStream(input));
            return emkit(args);
        } finally {
            System.setIn(original);
        }
    }

    @Test
    void otherDelimitersAndGzipFitAsThePlainFile() throws IOException {
        // mclust's log-likelihood for the 2-component VVV fit of faithful.
        double expected = logLikelihood(emkit(fit(faithful.toString())));
        assertThat(expected).isCloseTo(-1130.264, within(1e-2));
        for (String delimiter : new String[] {";", "\t", "|"}) {
            Path other = Files.writeString(dir.resolve("other.txt"), plain.replace(",", delimiter));
            assertThat(logLikelihood(emkit(fit(other.toString())))).as(delimiter).isEqualTo(expected);
            String given = delimiter.equals("\t") ? "tab" : delimiter;
            assertThat(logLikelihood(emkit(fit(other.toString(), "--delimiter", given)))).isEqualTo(expected);
        }
        Path gz = dir.resolve("faithful.data");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(plain.replace(",", ";").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(logLikelihood(emkit(fit(gz.toString())))).isEqualTo(expected);
    }

    @Test
    void aGivenDelimiterWins() throws IOException {
        Path tabs = Files.writeString(dir.resolve("tabs.tsv"), plain.replace(",", "\t"));
        CliTest.assertUserError(emkit(fit(tabs.toString(), "--delimiter", ";")), "tabs.tsv", "no numeric columns");
        assertThat(logLikelihood(emkit(fit(tabs.toString(), "--delimiter", "\\t"))))
                .isEqualTo(logLikelihood(emkit(fit(faithful.toString()))));
        CliTest.assertUserError(emkit(fit(tabs.toString(), "--delimiter", ";;")), "--delimiter", "not one character");
    }

    @Test
    void aDashReadsStandardInput() throws IOException {
        double expected = logLikelihood(emkit(fit(faithful.toString())));
        byte[] semicolons = plain.replace(",", ";").getBytes(StandardCharsets.UTF_8);
        Path model = dir.resolve("model.json");
        CliTest.Run r = withStandardInput(semicolons, fit("-", "--model-out", model.toString()));
        assertThat(logLikelihood(r)).isEqualTo(expected);
        JsonNode provenance = new ObjectMapper().readTree(model.toFile()).get("provenance");
        assertThat(provenance.get("data_file").asText()).isEqualTo("-");
        assertThat(provenance.get("rows").asInt()).isEqualTo(272);
        // The summary names it in words.
        CliTest.Run summary = withStandardInput(semicolons, "fit", "-", "-k", "2", "--n-init", "2");
        assertThat(summary.out()).contains("data         standard input: 272 rows");
        // Applying a model and other fitting commands read it too.
        CliTest.Run labels = withStandardInput(semicolons, "predict", "--model", model.toString(), "-");
        assertThat(labels.status()).as(labels.err()).isZero();
        assertThat(labels.out()).isEqualTo(emkit("predict", "--model", model.toString(), faithful.toString()).out());
        CliTest.Run kmeans = withStandardInput(semicolons, "kmeans", "-", "-k", "2", "--json", "--quiet");
        assertThat(kmeans.out()).isEqualTo(emkit("kmeans", faithful.toString(), "-k", "2", "--json", "--quiet").out());
        CliTest.Run hmm = withStandardInput(semicolons, "hmm", "fit", "-", "-k", "2", "--json", "--quiet");
        assertThat(hmm.out()).isEqualTo(emkit("hmm", "fit", faithful.toString(), "-k", "2", "--json", "--quiet").out());
        // A problem in it is named as standard input.
        CliTest.Run bad = withStandardInput("x\n1\nbad\n2\n".getBytes(StandardCharsets.UTF_8), fit("-"));
        CliTest.assertUserError(bad, "standard input: line 3, column 1 ('x'): 'bad' is not a number");
    }

    @Test
    void aParquetFileSaysToUseSpark() throws IOException {
        byte[] parquetLike = "PAR1\u0015\u0000\u0015\u001c...PAR1".getBytes(StandardCharsets.ISO_8859_1);
        Path byContent = Files.write(dir.resolve("data.bin"), parquetLike);
        Path byName = Files.writeString(dir.resolve("data.parquet"), plain);
        for (Path p : new Path[] {byContent, byName}) {
            for (String[] args : new String[][] {fit(p.toString()), {"hmm", "fit", p.toString(), "-k", "2"},
                    {"kmeans", p.toString(), "-k", "2"}}) {
                CliTest.Run r = emkit(args);
                CliTest.assertUserError(r, p + ": is a Parquet file, which the local engine does not read;"
                        + " use --engine spark");
                assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
            }
        }
    }

    @Test
    void sparkIsToldNeitherADelimiterNorStandardInput() {
        CliTest.assertUserError(emkit("fit", faithful.toString(), "-k", "2", "--engine", "spark", "--delimiter", ";"),
                "--delimiter cannot be combined with --engine spark");
        CliTest.Run r = withStandardInput(plain.getBytes(StandardCharsets.UTF_8), "kmeans", "-", "-k", "2",
                "--engine", "spark");
        CliTest.assertUserError(r, "--engine spark reads a path, not standard input ('-')");
    }
}
