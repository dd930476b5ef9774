package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;

/** The search for the global optimum on the command line: the fit line, the JSON, --search and --n-init. */
class SearchCliTest {
    @TempDir
    Path dir;
    Path iris;

    @BeforeEach
    void copyExamples() throws IOException {
        iris = CliTest.copyExample(dir, "iris.csv");
    }

    @Test
    void theFitLineSaysWhatTheSearchDid() {
        CliTest.Run r = emkit("fit", iris.toString(), "-k", "3");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("fit +converged after \\d+ iterations .*; search \\(default\\): \\d+ short"
                + " starts \\(kmeans\\+\\+ \\d+, random-points \\d+, plain kmeans\\+\\+ \\d+, random \\d+, hc 1\\), \\d+ of them"
                + " repeats, not run, \\d continued.*;"
                + " best from ");
    }

    @Test
    void theJsonRecordsTheSearchAndNInitTurnsItOff() throws IOException {
        CliTest.Run r = emkit("fit", iris.toString(), "-k", "4", "--json", "--search", "quick");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode s = new ObjectMapper().readTree(r.out()).get("search");
        assertThat(s.get("level").asText()).isEqualTo("quick");
        int byKind = 0;
        for (JsonNode n : s.get("starts_by_kind")) {
            byKind += n.asInt();
        }
        assertThat(byKind).isEqualTo(s.get("short_starts").asInt()).isPositive();
        assertThat(s.get("repeated_starts").asInt()).isBetween(0, byKind - 1);
        assertThat(s.get("continued").asInt()).isEqualTo(1);
        assertThat(s.has("moves_tried")).isTrue();
        assertThat(s.has("moves_accepted")).isTrue();
        assertThat(s.get("repairs_accepted").asInt()).isBetween(0, s.get("repairs_tried").asInt());
        assertThat(s.get("best_from").asText()).isNotEmpty();

        CliTest.Run plain = emkit("fit", iris.toString(), "-k", "4", "--json", "--n-init", "2");
        assertThat(plain.status()).as(plain.err()).isZero();
        assertThat(new ObjectMapper().readTree(plain.out()).has("search")).isFalse();
        CliTest.Run text = emkit("fit", iris.toString(), "-k", "4", "--n-init", "2");
        assertThat(text.out()).contains("best of 2 initialisations (kmeans++, seed 0)");
    }

    @Test
    void kmeansSearchesToo() throws IOException {
        CliTest.Run k = emkit("kmeans", iris.toString(), "-k", "3", "--json");
        assertThat(k.status()).as(k.err()).isZero();
        JsonNode s = new ObjectMapper().readTree(k.out()).get("search");
        assertThat(s.get("starts_by_kind").has("kmeans++")).isTrue();
        assertThat(s.get("starts_by_kind").has("random-points")).isTrue();
        // R: kmeans(iris[, 1:4], centers = 3, nstart = 25)$tot.withinss = 78.85144.
        assertThat(new ObjectMapper().readTree(k.out()).get("inertia").asDouble()).isBetween(78.8514, 78.8515);
    }

    /** {@code hmm fit} searches too, says so and records it; {@code --n-init} turns it off (reach: HmmSearchTest). */
    @Test
    void hmmFitSearchesToo() throws IOException {
        Path model = CliTest.copyExample(dir, "hmm-two-regimes.json");
        Path data = dir.resolve("regimes.csv");
        CliTest.Run sample = emkit("hmm", "sample", "-m", model.toString(), "-n", "300", "--sequences", "10", "-o",
                data.toString());
        assertThat(sample.status()).as(sample.err()).isZero();
        String[] fit = {"hmm", "fit", data.toString(), "-k", "2", "--sequence-column", "sequence"};
        CliTest.Run text = emkit(fit);
        assertThat(text.status()).as(text.err()).isZero();
        assertThat(text.out()).containsPattern("search \\(default\\): \\d+ short starts, \\d continued");
        CliTest.Run json = emkit(with(fit, "--json"));
        JsonNode s = new ObjectMapper().readTree(json.out()).get("search");
        assertThat(s.get("level").asText()).isEqualTo("default");
        assertThat(s.get("short_starts").asInt()).isGreaterThan(1);
        assertThat(s.get("starts_by_kind").get("seeded").asInt()).isEqualTo(s.get("short_starts").asInt());
        CliTest.Run plain = emkit(with(fit, "--json", "--n-init", "2"));
        assertThat(plain.status()).as(plain.err()).isZero();
        assertThat(new ObjectMapper().readTree(plain.out()).has("search")).isFalse();
        CliTest.Run unknown = emkit(with(fit, "--search", "exhaustive"));
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown search 'exhaustive'; expected one of: quick, default, thorough");
    }

    private static String[] with(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    @Test
    void anUnknownSearchNamesTheAllowedOnes() {
        for (String command : new String[] {"fit", "kmeans"}) {
            CliTest.Run r = emkit(command, iris.toString(), "-k", "3", "--search", "exhaustive");
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).contains("unknown search 'exhaustive'; expected one of: quick, default, thorough")
                    .doesNotContain("Exception");
        }
    }
}
