package io.emkit.cli.fitting;

import io.emkit.cli.Emkit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a terminal, every fitting command (hmm fit --duration and --transition-covariates among them) clears its
 * status line before the summary starts: standard output and standard error go to one fake terminal, and after
 * the first character of the summary nothing of the status line (no carriage return) follows.
 */
class StatusLineClearedCliTest {
    @TempDir
    Path dir;
    private Path data;
    private BooleanSupplier realTerminal;

    @BeforeEach
    void writeDataAndStandInATerminal() throws IOException {
        // Two states in runs of 25 steps; u a covariate of the transitions for the input-output fit.
        Random r = new Random(11);
        StringBuilder b = new StringBuilder("x,y,u\n");
        for (int i = 0; i < 1000; i++) {
            double shift = (i / 25) % 2 == 0 ? 0 : 5;
            b.append(shift + r.nextGaussian()).append(',').append(shift + r.nextGaussian()).append(',')
                    .append(r.nextGaussian()).append('\n');
        }
        data = dir.resolve("runs.csv");
        Files.writeString(data, b);
        realTerminal = FitStatus.terminal;
        FitStatus.terminal = () -> true;
    }

    @AfterEach
    void restoreTheTerminal() {
        FitStatus.terminal = realTerminal;
    }

    /** One screen: what both streams printed, in order, and where standard output began. */
    private static final class Screen {
        final StringBuilder text = new StringBuilder();
        int firstOut = -1;

        Writer stream(boolean standardOutput) {
            return new Writer() {
                @Override
                public void write(char[] buf, int off, int len) {
                    synchronized (Screen.this) {
                        if (standardOutput && firstOut < 0 && len > 0) {
                            firstOut = text.length();
                        }
                        text.append(buf, off, len);
                    }
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fit", "family", "kmeans", "hmm", "duration", "covariates"})
    void theStatusLineIsClearedBeforeTheSummary(String which) {
        String f = data.toString();
        List<String> args = new ArrayList<>(switch (which) {
            case "fit" -> List.of("fit", f, "-k", "2", "--columns", "x,y");
            case "family" -> List.of("fit", f, "-k", "2", "--family", "gaussian", "--columns", "x,y");
            case "kmeans" -> List.of("kmeans", f, "-k", "2", "--columns", "x,y");
            case "hmm" -> List.of("hmm", "fit", f, "-k", "2", "--columns", "x,y");
            case "duration" -> List.of("hmm", "fit", f, "-k", "2", "--columns", "x,y", "--duration", "poisson:40");
            case "covariates" -> List.of("hmm", "fit", f, "-k", "2", "--columns", "x,y",
                    "--transition-covariates", "u");
            default -> throw new IllegalArgumentException(which);
        });
        args.addAll(List.of("--n-init", "2", "--max-iter", "5", "--seed", "1"));
        Screen screen = new Screen();
        int status = Emkit.run(args.toArray(String[]::new), new PrintWriter(screen.stream(true), true),
                new PrintWriter(screen.stream(false), true));
        String text = screen.text.toString();
        assertThat(status).as(text).isZero();
        assertThat(text).as("the status line was shown").contains("\rinit 1/2: seeding");
        assertThat(screen.firstOut).as(text).isPositive();
        assertThat(text.substring(screen.firstOut)).as("nothing of the status line once the summary has begun")
                .doesNotContain("\r");
        int lastReturn = text.lastIndexOf('\r');
        assertThat(text.substring(lastReturn + 1, screen.firstOut)).as("the line was blanked").isBlank();
    }
}
