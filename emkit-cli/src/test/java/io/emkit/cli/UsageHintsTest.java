package io.emkit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;

/** Mistyped options and commands get the closest names; scikit-learn's names get emkit's. */
class UsageHintsTest {
    private static String firstLine(CliTest.Run r) {
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        return r.err().lines().findFirst().orElse("");
    }

    @Test
    void aMistypedOptionGetsTheClosestName() {
        assertThat(firstLine(emkit("fit", "data.csv", "--componets", "2")))
                .isEqualTo("emkit: unknown option '--componets'; did you mean '--components'?");
        assertThat(firstLine(emkit("kmeans", "data.csv", "--clustres", "2"))).startsWith(
                "emkit: unknown option '--clustres'; did you mean '--clusters'");
        assertThat(firstLine(emkit("hmm", "fit", "data.csv", "--sates", "2")))
                .isEqualTo("emkit: unknown option '--sates'; did you mean '--states'?");
    }

    @Test
    void aMistypedCommandGetsTheClosestCommand() {
        assertThat(firstLine(emkit("fitt", "data.csv"))).startsWith("emkit: unknown command 'fitt'; did you mean 'fit'");
        assertThat(firstLine(emkit("hmm", "decod"))).startsWith("emkit: unknown command 'decod'; did you mean 'decode'");
    }

    @Test
    void scikitLearnsUnderscoredAndOtherNamesPointToEmkits() {
        assertThat(firstLine(emkit("fit", "data.csv", "-k", "2", "--n_init", "3")))
                .isEqualTo("emkit: unknown option '--n_init'; did you mean '--n-init'?");
        assertThat(firstLine(emkit("fit", "data.csv", "-k", "2", "--max_iter=5")))
                .isEqualTo("emkit: unknown option '--max_iter'; did you mean '--max-iter'?");
        assertThat(firstLine(emkit("fit", "data.csv", "-k", "2", "--random_state", "1")))
                .startsWith("emkit: unknown option '--random_state'; did you mean '--seed'");
        assertThat(firstLine(emkit("fit", "data.csv", "-k", "2", "--n-iter", "5")))
                .isEqualTo("emkit: unknown option '--n-iter'; did you mean '--max-iter'?");
    }

    @Test
    void scikitLearnsHyphenatedNamesGiveTheSameFitAsEmkits(@TempDir Path dir) throws IOException {
        String faithful = CliTest.copyExample(dir, "faithful.csv").toString();
        String ours = emkit("fit", faithful, "-k", "2", "--covariance", "diag", "--seed", "3", "--json").out();
        assertThat(ours).contains("\"log_likelihood\"");
        assertThat(emkit("fit", faithful, "--n-components", "2", "--covariance-type=diag", "--random-state", "3",
                "--json").out()).isEqualTo(ours);
        String clusters = emkit("kmeans", faithful, "-k", "3", "--json").out();
        assertThat(clusters).contains("\"inertia\"");
        assertThat(emkit("kmeans", faithful, "--n-clusters=3", "--json").out()).isEqualTo(clusters);
        assertThat(UsageHints.acceptLibraryNames(new String[] {"fit", "--", "--n-components"}))
                .containsExactly("fit", "--", "--n-components");
    }

    @Test
    void editDistanceCountsInsertionsDeletionsSubstitutionsAndSwaps() {
        assertThat(UsageHints.editDistance("--componets", "--components")).isEqualTo(1);
        assertThat(UsageHints.editDistance("fitt", "fit")).isEqualTo(1);
        assertThat(UsageHints.editDistance("--clustres", "--clusters")).isEqualTo(1);   // a swap
        assertThat(UsageHints.editDistance("kitten", "sitting")).isEqualTo(3);
        assertThat(UsageHints.editDistance("", "abc")).isEqualTo(3);
    }

    @Test
    void aWordFarFromEveryNameGetsNoGuess() {
        assertThat(firstLine(emkit("fit", "data.csv", "-k", "2", "--xyzzy"))).isEqualTo("emkit: unknown option '--xyzzy'");
    }

    @Test
    void oneNameForTheNumberOfComponentsInEveryCommand() {
        for (String[] cmd : new String[][] {{"fit"}, {"select"}, {"kmeans"}, {"hmm", "fit"}}) {
            String[] args = CliTest.concat(cmd, new String[] {"--help"});
            assertThat(emkit(args).out()).as(String.join(" ", cmd)).containsPattern("-k, .*--components=");
        }
        assertThat(emkit("kmeans", "--help").out()).contains("--clusters");
        assertThat(emkit("hmm", "fit", "--help").out()).contains("--states");
    }
}
