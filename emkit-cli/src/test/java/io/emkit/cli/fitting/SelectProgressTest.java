package io.emkit.cli.fitting;

import io.emkit.cli.StatusLine;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.select.Candidate;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** select's progress, on a clock the test sets: the status line, its estimate, and the lines of --verbose. */
class SelectProgressTest {
    private static final long SECOND = 1_000_000_000L;
    private long now;

    private static Candidate done(int k, CovarianceType t, double bic) {
        return new Candidate(k, t, -1, -1, 5, bic, bic, bic, null, null, List.of());
    }

    @Test
    void theStatusLineNamesTheFitTheElapsedTimeAndAnEstimate() {
        StringWriter out = new StringWriter();
        SelectProgress p = new SelectProgress(new PrintWriter(out), () -> now, false, SECOND, SECOND / 5);
        p.onFitStarted(1, 4, 1, CovarianceType.parse("VVV"));           // before a second: nothing shown
        assertThat(out.toString()).isEmpty();
        now = 30 * SECOND;
        p.onFitFinished(1, 4, done(1, CovarianceType.parse("VVV"), 10));
        now = 72 * SECOND;
        p.onFitStarted(2, 4, 3, CovarianceType.parse("VEV"));
        // One fit of 4 took 30 s so far: about 72 / 1 * 3 = 216 s left.
        assertThat(out.toString()).endsWith("\rfit 2/4: K=3 VEV, 1:12 elapsed, about 3:36 left");
        assertThat(out.toString()).doesNotContain("\n");
        p.onFitFinished(2, 4, done(3, CovarianceType.parse("VEV"), 9));
        p.onFitFinished(3, 4, done(1, CovarianceType.parse("EII"), 9));
        int before = out.toString().length();
        p.onFitFinished(4, 4, done(3, CovarianceType.parse("EII"), 9));  // the last: the line is cleared
        assertThat(out.toString().substring(before)).matches("\r +\r");
    }

    @Test
    void theLineRunsWhileTheFirstFitsRunAndStopsWhenTheCommandEnds() {
        StringWriter out = new StringWriter();
        SelectProgress p = new SelectProgress(new PrintWriter(out), () -> now, false, SECOND, SECOND / 5);
        now = SECOND / 10;
        // Both fits start at once, before the line may show: without the ticks the terminal stayed blank until
        // a fit ended, however long it took.
        p.onFitStarted(1, 2, 1, CovarianceType.parse("VVV"));
        p.onFitStarted(2, 2, 2, CovarianceType.parse("VVV"));
        p.tick();
        assertThat(out.toString()).isEmpty();
        now = 9 * SECOND;
        p.tick();
        assertThat(out.toString()).isEqualTo("\rfit 2/2: K=2 VVV, 0:09 elapsed");
        now = 95 * SECOND;
        p.tick();
        assertThat(out.toString()).endsWith("\rfit 2/2: K=2 VVV, 1:35 elapsed");
        // The command fails (or ends): the line is cleared, and a tick after that shows nothing.
        p.close();
        String closed = out.toString();
        assertThat(closed).endsWith("\r" + " ".repeat("fit 2/2: K=2 VVV, 1:35 elapsed".length()) + "\r");
        now = 100 * SECOND;
        p.tick();
        assertThat(out.toString()).isEqualTo(closed);
    }

    @Test
    void verboseWritesALinePerFinishedFit() {
        StringWriter out = new StringWriter();
        SelectProgress p = new SelectProgress(new PrintWriter(out), () -> now, true, 0, 0);
        p.onFitStarted(1, 2, 2, CovarianceType.parse("EEE"));
        now = 5 * SECOND;
        p.onFitFinished(1, 2, done(2, CovarianceType.parse("EEE"), 1234.5));
        now = 9 * SECOND;
        p.onFitFinished(2, 2, new Candidate(3, CovarianceType.parse("EEE"), Double.NaN, Double.NaN, 5, Double.NaN, Double.NaN,
                Double.NaN, "singular", null, List.of()));
        assertThat(out.toString()).isEqualTo("fit 1/2: K=2 EEE, BIC 1234.5, 0:05 elapsed, about 0:05 left\n"
                + "fit 2/2: K=3 EEE, failed, 0:09 elapsed\n");
    }

    @Test
    void clockTimes() {
        assertThat(StatusLine.clock(7 * SECOND)).isEqualTo("0:07");
        assertThat(StatusLine.clock(72 * SECOND + SECOND / 2)).isEqualTo("1:12");
        assertThat(StatusLine.clock(3723 * SECOND)).isEqualTo("1:02:03");
    }
}
