package io.emkit.cli.fitting;

import io.emkit.em.IterationEvent;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fit's status, driven with a fake terminal (a writer) and a fake clock: every phase is named, the time runs
 * from the command's start, and once an initialisation has finished the rest is estimated.
 */
class FitStatusTest {
    private static final long S = 1_000_000_000L;

    /** A clock the test moves. */
    private static final class Clock {
        long now;
    }

    private static IterationEvent at(int init, int inits, int iteration) {
        return new IterationEvent(init, inits, iteration, -10.0 + iteration, 0.01, 0L);
    }

    @Test
    void aTerminalSeesEveryPhaseOnOneLineWithTheCommandsTimeAndAnEstimate() {
        StringWriter out = new StringWriter();
        Clock clock = new Clock();
        FitStatus s = new FitStatus(new PrintWriter(out), FitStatus.Mode.LINE, () -> clock.now, "log-likelihood",
                "change/row", 1);
        s.ticking = false;
        io.emkit.cli.DataOptions data = new io.emkit.cli.DataOptions();
        try (FitStatus.Reading r = s.reading("big.csv", data)) {
            assertThat(data.options().rowCounter()).as("the reader counts into the status").isSameAs(r.counter());
            r.counter().add(4096);
            clock.now = S / 2;
            r.tick();                                // under a second into the command: nothing shown
            assertThat(out.toString()).isEmpty();
            r.counter().add(8192);
            clock.now = 3 * S / 2;
            r.tick();
            assertThat(out.toString()).isEqualTo("\rreading big.csv: 12288 rows so far  0:01 elapsed");
            clock.now = 3 * S;
        }
        assertThat(data.options().rowCounter()).as("no counting after the reading").isNull();
        assertThat(out.toString()).as("the line is cleared when the file is read").matches("\\r.*elapsed\\r +\\r");
        out.getBuffer().setLength(0);
        s.seeding(2);                                // reading took 3 s: the time runs from the command's start
        assertThat(out.toString()).isEqualTo("\rinit 1/2: seeding  0:03 elapsed");
        clock.now = 4 * S;
        s.onIteration(at(0, 2, 1));
        assertThat(out.toString()).endsWith("\rinit 1/2  iteration 1  log-likelihood -9  change/row 0.01  0:04 elapsed");
        clock.now = 4 * S + S / 10;                  // within 0.2 s of the last: not shown
        int before = out.toString().length();
        s.onIteration(at(0, 2, 2));
        assertThat(out.toString()).hasSize(before);
        clock.now = 7 * S;                           // the first initialisation took 4 s: one more left
        s.onRunFinished(0, -8, true);
        assertThat(out.toString()).contains("\rinit 2/2: seeding  0:07 elapsed, about 0:04 left");
        clock.now = 9 * S;
        s.onIteration(at(1, 2, 1));
        assertThat(out.toString()).endsWith("  0:09 elapsed, about 0:06 left");
        assertThat(out.toString()).doesNotContain("\n");
        s.onRunFinished(1, -7, true);
        s.done();
        assertThat(out.toString()).endsWith("\r");
        String last = out.toString().substring(out.toString().lastIndexOf("left") + 4);
        assertThat(last).matches(" *\r *\r");
    }

    @Test
    void aShortFitShowsNoIterationsAndTheLineIsClearedAtTheEnd() {
        StringWriter out = new StringWriter();
        Clock clock = new Clock();
        FitStatus s = new FitStatus(new PrintWriter(out), FitStatus.Mode.LINE, () -> clock.now, "log-likelihood",
                "change/row", 1);
        s.seeding(0);
        assertThat(out.toString()).isEqualTo("\rseeding  0:00 elapsed");
        clock.now = S / 2;
        s.onIteration(at(0, 1, 1));                  // under a second into the command: not shown
        assertThat(out.toString()).isEqualTo("\rseeding  0:00 elapsed");
        s.done();
        assertThat(out.toString()).matches("\rseeding  0:00 elapsed\r +\r");
    }

    @Test
    void aSearchIsNotEstimated() {
        StringWriter out = new StringWriter();
        Clock clock = new Clock();
        FitStatus s = new FitStatus(new PrintWriter(out), FitStatus.Mode.LINES, () -> clock.now, "log-likelihood",
                "change/row", 1);
        s.seeding(0);
        clock.now = 2 * S;
        s.onIteration(at(0, 40, 1));
        s.onRunFinished(0, -9, true);
        assertThat(out.toString().lines().toList()).containsExactly("seeding  0:00 elapsed",
                "init 1/40  iteration 1  log-likelihood -9  change/row 0.01  0:02 elapsed",
                "init 2/40: seeding  0:02 elapsed");
    }

    @Test
    void verboseWritesALinePerPhaseAndQuietNothing() {
        StringWriter out = new StringWriter();
        Clock clock = new Clock();
        FitStatus v = new FitStatus(new PrintWriter(out), FitStatus.Mode.LINES, () -> clock.now, "log-likelihood",
                "change/row", 1);
        v.ticking = false;
        try (FitStatus.Reading r = v.reading("big.csv", new io.emkit.cli.DataOptions())) {
            r.counter().add(4096);
            clock.now = S / 2;
            r.tick();                                // a line a second at most
            clock.now = 3 * S / 2;
            r.tick();
            r.rows(5000);
        }
        clock.now = 2 * S;
        v.seeding(2);
        v.onIteration(at(0, 2, 1));
        v.onRunFinished(0, -9, true);
        v.onIteration(at(1, 2, 1));
        v.done();
        assertThat(out.toString().lines().toList()).containsExactly(
                "reading big.csv  0:00 elapsed",
                "reading big.csv: 4096 rows so far  0:01 elapsed",
                "read big.csv: 5000 rows  0:01 elapsed",
                "init 1/2: seeding  0:02 elapsed",
                "init 1/2  iteration 1  log-likelihood -9  change/row 0.01  0:02 elapsed",
                "init 2/2: seeding  0:02 elapsed, about 0:00 left",
                "init 2/2  iteration 1  log-likelihood -9  change/row 0.01  0:02 elapsed, about 0:00 left");
        StringWriter none = new StringWriter();
        FitStatus q = new FitStatus(new PrintWriter(none), FitStatus.Mode.NONE, () -> clock.now, "log-likelihood",
                "change/row", 1);
        io.emkit.cli.DataOptions quietData = new io.emkit.cli.DataOptions();
        try (FitStatus.Reading r = q.reading("big.csv", quietData)) {
            assertThat(quietData.options().rowCounter()).as("nothing counted when nothing is shown").isNull();
            r.tick();
        }
        q.seeding(2);
        q.onIteration(at(0, 2, 1));
        q.onRunFinished(0, -9, true);
        q.done();
        assertThat(none.toString()).isEmpty();
    }

    /**
     * Shown nowhere, an iteration costs nothing: a search sends thousands, and building each line (formatted numbers,
     * regular expressions) cost about 0.4 CPU-s of a 2.5-second fit. It does not even read the clock.
     */
    @Test
    void anIterationShownNowhereDoesNoWork() {
        long[] reads = {0};
        FitStatus q = new FitStatus(new PrintWriter(new StringWriter()), FitStatus.Mode.NONE, () -> {
            reads[0]++;
            return 0L;
        }, "log-likelihood", "change/row", 1);
        long atStart = reads[0];
        for (int i = 0; i < 1000; i++) {
            q.onIteration(at(i % 5, 5, i));
            if (i % 200 == 199) {
                q.onRunFinished(i / 200, -9, false);
            }
        }
        assertThat(reads[0]).isEqualTo(atStart);
    }
}
