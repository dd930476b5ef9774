package io.emkit.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --keep} carries the user's other columns (ids, labels, text) to the output of predict, impute and
 * hmm decode, in the input's order and as the input has them; impute writes observed cells as written.
 */
class KeepColumnsCliTest {
    @TempDir
    Path dir;
    Path faithful;
    Path model;
    /** faithful with an id before and a quoted text column after the numbers. */
    Path withIds;
    List<String> ids = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        faithful = CliTest.copyExample(dir, "faithful.csv");
        model = dir.resolve("model.json");
        assertThat(emkit("fit", faithful.toString(), "-k", "2", "--n-init", "2", "--model-out", model.toString(),
                "--quiet").status()).isZero();
        List<String> lines = Files.readAllLines(faithful);
        StringBuilder sb = new StringBuilder("id," + lines.get(0) + ",note\n");
        for (int i = 1; i < lines.size(); i++) {
            String id = "e-" + (1000 + i);
            ids.add(id);
            sb.append(id).append(',').append(lines.get(i)).append(i % 3 == 0 ? ",\"long, then short\"\n" : ",x\n");
        }
        withIds = Files.writeString(dir.resolve("ids.csv"), sb);
    }

    /** The CSV records of an output, split into fields (quotes removed). */
    private static List<List<String>> records(String csv) {
        List<List<String>> out = new ArrayList<>();
        for (String line : csv.lines().toList()) {
            List<String> fields = new ArrayList<>();
            StringBuilder f = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == ',' && !quoted) {
                    fields.add(f.toString());
                    f.setLength(0);
                } else {
                    f.append(c);
                }
            }
            fields.add(f.toString());
            out.add(fields);
        }
        return out;
    }

    @Test
    void predictCarriesIdsAndText() {
        CliTest.Run plain = emkit("predict", "--model", model.toString(), faithful.toString());
        // Given out of order: the input's order wins.
        CliTest.Run r = emkit("predict", "--model", model.toString(), withIds.toString(), "--keep", "note,id");
        assertThat(r.status()).as(r.err()).isZero();
        List<List<String>> out = records(r.out());
        List<List<String>> labels = records(plain.out());
        assertThat(out.get(0)).containsExactly("id", "note", "label");
        assertThat(out).hasSize(ids.size() + 1);
        for (int i = 1; i < out.size(); i++) {
            assertThat(out.get(i).get(0)).isEqualTo(ids.get(i - 1));
            assertThat(out.get(i).get(1)).isEqualTo(i % 3 == 0 ? "long, then short" : "x");
            assertThat(out.get(i).get(2)).isEqualTo(labels.get(i).get(0));
        }
        // The text column is written quoted again where it holds a comma.
        assertThat(r.out().lines().skip(3).findFirst().orElseThrow()).isEqualTo("e-1003,\"long, then short\","
                + labels.get(3).get(0));
    }

    @Test
    void keepAllCarriesEveryColumnAlsoFromStandardInput() throws IOException {
        InputStream original = System.in;
        CliTest.Run r;
        try {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(withIds)));
            r = emkit("predict", "--model", model.toString(), "-", "--keep", "all", "--uncertainty");
        } finally {
            System.setIn(original);
        }
        assertThat(r.status()).as(r.err()).isZero();
        List<String> input = Files.readAllLines(withIds);
        List<String> output = r.out().lines().toList();
        assertThat(output.get(0)).isEqualTo(input.get(0) + ",label,uncertainty");
        for (int i = 1; i < input.size(); i++) {
            assertThat(output.get(i)).startsWith(input.get(i) + ",");
        }
    }

    @Test
    void aKeptColumnNamedAsAnOutputColumnIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path labelled = Files.writeString(dir.resolve("labelled.csv"),
                Files.readString(withIds).replaceFirst("^id,", "label,"));
        Path out = dir.resolve("out.csv");
        Files.writeString(out, "kept\n");
        CliTest.Run r = emkit("predict", "--model", model.toString(), labelled.toString(), "--keep", "label",
                "-o", out.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("emkit: --keep: the input's column 'label' has the name of a column"
                + " emkit writes; rename it in the input, or leave it out of --keep");
        assertThat(Files.readString(out)).isEqualTo("kept\n");
        CliTest.Run p = emkit("predict", "--model", model.toString(), labelled.toString(), "--keep", "note",
                "--proba");
        assertThat(p.status()).as(p.err()).isZero();
        assertThat(p.out().lines().findFirst().orElseThrow()).isEqualTo("note,label,p0,p1");
    }

    @Test
    void hmmDecodeCarriesIds() throws IOException {
        Path hmm = dir.resolve("hmm.json");
        assertThat(emkit("hmm", "fit", faithful.toString(), "-k", "2", "--model-out", hmm.toString(), "--quiet")
                .status()).isZero();
        CliTest.Run plain = emkit("hmm", "decode", "--model", hmm.toString(), faithful.toString());
        CliTest.Run r = emkit("hmm", "decode", "--model", hmm.toString(), withIds.toString(), "--keep", "1");
        assertThat(r.status()).as(r.err()).isZero();
        List<String> states = plain.out().lines().toList();
        List<String> out = r.out().lines().toList();
        assertThat(out.get(0)).isEqualTo("id,state");
        for (int i = 1; i < out.size(); i++) {
            assertThat(out.get(i)).isEqualTo(ids.get(i - 1) + "," + states.get(i));
        }
    }

    @Test
    void imputeWritesObservedCellsAsTheInputHasThem() throws IOException {
        // Numbers written in ways a re-printed double would change: trailing zeros, exponents, a plus sign.
        String data = "id,eruptions,waiting,group\n"
                + "a,3.600,79,g1\n"
                + "b,,54.0,g2\n"
                + "c,3.333e0,NA,\"g, 3\"\n"
                + "d,+2.2830,0062,g4\n"
                + "e,NaN,,g5\n";
        Path gaps = Files.writeString(dir.resolve("gaps.csv"), data);
        CliTest.Run r = emkit("impute", "--model", model.toString(), gaps.toString(), "--keep", "id,group", "--mark");
        assertThat(r.status()).as(r.err()).isZero();
        List<String> out = r.out().lines().toList();
        assertThat(out.get(0)).isEqualTo("id,eruptions,waiting,group,filled");
        assertThat(out.get(1)).isEqualTo("a,3.600,79,g1,");
        assertThat(out.get(4)).isEqualTo("d,+2.2830,0062,g4,");
        List<List<String>> rec = records(r.out());
        assertThat(rec.get(2)).startsWith("b").contains("54.0", "g2").endsWith("eruptions");
        assertThat(Double.parseDouble(rec.get(2).get(1))).isBetween(1.0, 6.0);
        assertThat(rec.get(3).subList(0, 2)).containsExactly("c", "3.333e0");
        assertThat(Double.parseDouble(rec.get(3).get(2))).isBetween(40.0, 100.0);
        assertThat(rec.get(3).subList(3, 5)).containsExactly("g, 3", "waiting");
        assertThat(rec.get(5).get(4)).isEqualTo("eruptions;waiting");
        // Without --keep: the model's features only, observed cells still as written.
        CliTest.Run features = emkit("impute", "--model", model.toString(), gaps.toString());
        assertThat(features.out().lines().toList()).element(1).isEqualTo("3.600,79");
    }

    @Test
    void anUnknownKeptColumnIsAUserError() {
        CliTest.assertUserError(emkit("predict", "--model", model.toString(), withIds.toString(), "--keep", "nope"),
                "ids.csv", "no column 'nope'", "id, eruptions, waiting, note");
    }
}
