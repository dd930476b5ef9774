package io.emkit.cli;

import io.emkit.em.IterationEvent;
import io.emkit.em.IterationListener;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The terminal status line: rewritten in place, throttled, cleared at the end of each run. */
class ProgressTest {
    @Test
    void statusLineRewritesInPlaceAndClearsAtTheEnd() {
        StringWriter out = new StringWriter();
        IterationListener l = CliSupport.statusLine(new PrintWriter(out), "log-likelihood", "change/row", 1,
                1_000L, 100L);
        l.onIteration(new IterationEvent(0, 2, 0, -10.0, Double.NaN, 500L));      // before 'after': silent
        assertThat(out.toString()).isEmpty();
        l.onIteration(new IterationEvent(0, 2, 3, -9.5, 0.01, 2_000L));
        l.onIteration(new IterationEvent(0, 2, 4, -9.4, 0.001, 2_050L));          // within 'every': skipped
        l.onIteration(new IterationEvent(0, 2, 5, -9.3, 0.0001, 2_200L));
        String shown = out.toString();
        assertThat(shown).startsWith("\rinit 1/2  iteration 3  log-likelihood -9.5  change/row 0.01")
                .contains("\rinit 1/2  iteration 5  log-likelihood -9.3")
                .doesNotContain("iteration 4").doesNotContain("\n");
        l.onRunFinished(0, -9.3, true);
        String after = out.toString().substring(shown.length());
        assertThat(after).matches("\r +\r");
        l.onRunFinished(1, -9.0, true);                                            // nothing shown: nothing to clear
        assertThat(out.toString()).hasSize(shown.length() + after.length());
    }

    @Test
    void quietShowsNothingAndVerboseWritesLines() {
        StringWriter out = new StringWriter();
        PrintWriter w = new PrintWriter(out);
        CliSupport.progress(w, true, true, "log-likelihood", "change/row", 1)
                .onIteration(new IterationEvent(0, 1, 1, -1.0, 0.5, 5_000_000_000L));
        assertThat(out.toString()).isEmpty();
        CliSupport.progress(w, false, true, "inertia", "relative change", -1)
                .onIteration(new IterationEvent(0, 1, 1, -7.0, -0.5, 5_000_000_000L));
        assertThat(out.toString()).startsWith("init 1/1  iteration 1  inertia 7  relative change 0.5").endsWith("\n");
    }
}
