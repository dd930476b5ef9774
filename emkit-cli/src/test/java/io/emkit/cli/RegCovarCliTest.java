package io.emkit.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --reg-covar} is declared and checked once (a mixin) for every command that takes it: each refuses a
 * negative or infinite value as a usage error, and each keeps its own wording of the option.
 */
class RegCovarCliTest {
    @TempDir
    Path dir;
    Path faithful;
    Path iris;

    @BeforeEach
    void copyExamples() throws IOException {
        faithful = CliTest.copyExample(dir, "faithful.csv");
        iris = CliTest.copyExample(dir, "iris.csv");
    }

    /** The commands that take {@code --reg-covar}, each with what it needs besides. */
    private List<String[]> commands() {
        return List.of(
                new String[] {"fit", faithful.toString(), "-k", "2"},
                new String[] {"fit", iris.toString(), "--labels-column", "species"},
                new String[] {"select", faithful.toString()},
                new String[] {"classify", iris.toString(), "--labels-column", "species"},
                new String[] {"hmm", "fit", faithful.toString(), "-k", "2"});
    }

    @Test
    void everyCommandRefusesANegativeOrInfiniteValue() {
        for (String[] command : commands()) {
            for (String bad : new String[] {"-1", "Infinity", "NaN"}) {
                CliTest.Run r = emkit(CliTest.concat(command, new String[] {"--reg-covar", bad}));
                String what = String.join(" ", command) + " --reg-covar " + bad;
                assertThat(r.status()).as(what + ": " + r.err()).isEqualTo(2);
                assertThat(r.err()).as(what).contains("--reg-covar must be a finite number >= 0")
                        .contains("got " + Double.parseDouble(bad));
            }
        }
    }

    @Test
    void zeroIsAllowed() {
        CliTest.Run r = emkit("fit", faithful.toString(), "-k", "2", "--reg-covar", "0", "--quiet");
        assertThat(r.status()).as(r.err()).isZero();
    }

    @Test
    void eachCommandWordsItsOwnHelp() {
        assertThat(emkit("fit", "--help").out()).contains("--reg-covar=X          Added to covariance diagonals.");
        assertThat(emkit("hmm", "fit", "--help").out())
                .contains("--reg-covar=X          Added to Gaussian covariance diagonals.");
    }
}
