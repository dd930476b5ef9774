package io.emkit.cli;

import io.emkit.EmkitException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Files made to break a parser or exhaust memory get exit status 2 and one line naming the file, never a
 * parser's internals ("enable JsonReadFeature", "[Source: ...") nor an out-of-memory error.
 */
class HostileInputsTest {
    @TempDir
    Path dir;
    Path faithful;

    @BeforeEach
    void copyExample() throws IOException {
        faithful = CliTest.copyExample(dir, "faithful.csv");
    }

    /** Exit 2, exactly one line on stderr, containing the fragments, without a parser's internals. */
    private static void assertOneLine(CliTest.Run r, String... fragments) {
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("emkit: ").contains(fragments).doesNotContain("Exception")
                .doesNotContain("JsonReadFeature").doesNotContain("[Source").doesNotContain("internal error");
        assertThat(r.err().length()).as(r.err()).isLessThan(600);
    }

    @Test
    void aDeeplyNestedModelFile() throws IOException {
        Path model = Files.writeString(dir.resolve("nested.json"), "[".repeat(100_000) + "]".repeat(100_000));
        assertOneLine(emkit("predict", "--model", model.toString(), faithful.toString()),
                "nested.json", "nested more than 32 levels");
        // Within an object whose first keys are right: the limit applies wherever the nesting is.
        Path inObject = Files.writeString(dir.resolve("deep.json"), "{\"format\": \"emkit-model\", \"x\": "
                + "{\"a\": ".repeat(40) + "1" + "}".repeat(40) + "}");
        assertOneLine(emkit("score", "--model", inObject.toString(), faithful.toString()), "deep.json",
                "nested more than 32 levels");
    }

    @Test
    void aModelFileWithAHugeString() throws IOException {
        // Just above the limit the reader sets (a 200 MB string fails the same way, only later).
        Path model = Files.writeString(dir.resolve("long.json"),
                "{\"format\": \"emkit-model\", \"feature_names\": [\"" + "x".repeat(1_000_001) + "\"]}");
        assertOneLine(emkit("predict", "--model", model.toString(), faithful.toString()), "long.json",
                "a string longer than 1,000,000 characters");
    }

    @Test
    void aModelFileWithNonStandardJson() throws IOException {
        Path nan = Files.writeString(dir.resolve("nan.json"), "{\"format\": NaN}");
        assertOneLine(emkit("predict", "--model", nan.toString(), faithful.toString()), "nan.json",
                "not valid JSON (line 1, column");
        Path comment = Files.writeString(dir.resolve("comment.json"), "// a model\n{}");
        assertOneLine(emkit("predict", "--model", comment.toString(), faithful.toString()), "comment.json",
                "not valid JSON (line 1");
    }

    @Test
    void aModelFileWithoutEnd() {
        Path zero = Path.of("/dev/zero");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(zero), "no /dev/zero here");
        assertOneLine(emkit("predict", "--model", zero.toString(), faithful.toString()), "/dev/zero",
                "not valid JSON");
    }

    @Test
    void anEmkHeaderClaimingTwoBillionColumns() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put("EMKDATA1".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(Integer.MAX_VALUE).putLong(10);
        b.putInt(1).put((byte) 'x');
        Path emk = Files.write(dir.resolve("huge.emk"), b.array());
        assertOneLine(emkit("fit", emk.toString(), "-k", "2"), "huge.emk", "claims 2147483647 columns");
        assertOneLine(emkit("fit", emk.toString(), "-k", "2", "--out-of-core"), "huge.emk", "claims 2147483647 columns");
    }

    @Test
    void aCategoricalSymbolOfTwoBillion() throws IOException {
        Path symbols = Files.writeString(dir.resolve("symbols.csv"), "s\n0\n1\n2000000000\n1\n0\n");
        assertOneLine(emkit("hmm", "fit", symbols.toString(), "-k", "2", "--emission", "categorical"),
                "symbols.csv", "line 4", "2000000000 is not a category below 1000000", "recode the symbols as 0, 1, 2");
    }

    @Test
    void aMessageListingManyColumnsIsCut() throws IOException {
        int columns = 1_000;
        StringBuilder csv = new StringBuilder();
        csv.append(String.join(",", IntStream.range(0, columns).mapToObj(j -> "c" + j).toList())).append('\n');
        for (int r = 0; r < 3; r++) {
            csv.append(String.join(",", IntStream.range(0, columns).mapToObj(j -> "1").toList())).append('\n');
        }
        Path wide = Files.writeString(dir.resolve("wide.csv"), csv);
        Path model = dir.resolve("model.json");
        assertThat(emkit("fit", faithful.toString(), "-k", "2", "--model-out", model.toString()).status()).isZero();
        assertOneLine(emkit("predict", "--model", model.toString(), wide.toString()), "wide.csv",
                "c0, c1, c2, c3, c4, c5, c6, c7, c8, c9 ... and 990 more");
    }

    /** A header of {@code columns} names and a few distinct rows of numbers. */
    private Path wideFile(String name, int columns) throws IOException {
        StringBuilder csv = new StringBuilder();
        csv.append(String.join(",", IntStream.range(0, columns).mapToObj(j -> "c" + j).toList())).append('\n');
        for (int r = 0; r < 4; r++) {
            int row = r;
            csv.append(String.join(",", IntStream.range(0, columns).mapToObj(j -> Integer.toString((j * 7 + row * 3) % 10))
                    .toList())).append('\n');
        }
        return Files.writeString(dir.resolve(name), csv);
    }

    @Test
    void aFileOfOneHundredThousandColumns() throws IOException {
        Path wide = wideFile("wide.csv", 100_000);
        assertOneLine(emkit("fit", wide.toString(), "-k", "2"), "100,000 columns", "at most 46,340 columns");
        assertOneLine(emkit("hmm", "fit", wide.toString(), "-k", "2"), "100,000 columns", "at most 46,340 columns");
        // Read as text (categorical columns, sequence ids): the text reader's limit, in words.
        assertOneLine(emkit("fit", wide.toString(), "-k", "2", "--family", "auto"), "wide.csv",
                "record 1 has more than 16,384 fields");
        assertOneLine(emkit("hmm", "fit", wide.toString(), "-k", "2", "--sequence-column", "c0"), "wide.csv",
                "record 1 has more than 16,384 fields");
    }

    @Test
    void aTenMegabyteLineWithoutLineEnd() throws IOException {
        // Numbers: five million columns in one row, read in blocks of a few rows, not a gigabytes-large block.
        Path numbers = Files.writeString(dir.resolve("numbers.csv"), "1,".repeat(5_000_000));
        assertOneLine(emkit("fit", numbers.toString(), "-k", "2"), "5,000,001 columns");
        assertOneLine(emkit("hmm", "fit", numbers.toString(), "-k", "2"), "numbers.csv", "line 1");
        // Text: one cell of ten million characters after a header; the message shows its start only.
        Path text = Files.writeString(dir.resolve("text.csv"), "x,y\n1,2\n3,4\n" + "a".repeat(10_000_000));
        assertOneLine(emkit("fit", text.toString(), "-k", "2"), "text.csv", "line 4", "is not a number");
        assertOneLine(emkit("hmm", "fit", text.toString(), "-k", "2"), "text.csv", "line 4", "is not a number");
    }

    @Test
    void aTextReadersColumnListIsCut() throws IOException {
        Path wide = wideFile("wide.csv", 1_000);
        assertOneLine(emkit("fit", wide.toString(), "-k", "2", "--family", "auto", "--columns", "nope"), "wide.csv",
                "no column 'nope'", "c0, c1, c2, c3, c4, c5, c6, c7, c8, c9 ... and 990 more");
    }

    @Test
    void listsShowTheFirstTenNamesAndCountTheRest() {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < 100_000; j++) {
            names.add("column" + j);
        }
        assertThat(EmkitException.list(names)).endsWith("column9 ... and 99,990 more").hasSizeLessThan(120);
        assertThat(EmkitException.list(names.subList(0, 10))).isEqualTo(String.join(", ", names.subList(0, 10)));
        assertThat(EmkitException.list(List.of())).isEmpty();
    }

    @Test
    void absurdlyManyComponentsGetOneSummaryWarning() {
        CliTest.Run r = emkit("fit", faithful.toString(), "-k", "100", "--n-init", "1", "--max-iter", "20");
        assertThat(r.status()).as(r.err()).isZero();
        List<String> thin = r.err().lines().filter(l -> l.contains("rest")).toList();
        assertThat(thin).as(r.err()).hasSize(1);
        assertThat(thin.get(0)).containsPattern("\\d+ of 100 components rest on fewer than 2 rows \\(components ")
                .contains("BIC is not meaningful").hasSizeLessThan(400);
    }
}
