package io.emkit.cli.fitting;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.select.Candidate;
import io.emkit.select.Criterion;
import io.emkit.select.SelectionResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code select}'s table: its "top 3" names first the model that {@link SelectionResult#best} picks. */
class SelectTableTest {

    private static Candidate candidate(int k, CovarianceType type, double bic) {
        return new Candidate(k, type, -bic / 2, -bic / 2, 10, bic, bic, bic, null, null, List.of());
    }

    @Test
    void aModelLowerByRoundingOnlyIsListedAfterTheChosenOne() {
        // Two distinct models whose BICs differ in the last bits: best() keeps the first listed (a tie), and the
        // top-3 table must start with it rather than with the one lower by rounding.
        double bic = 1234.5678;
        Candidate first = candidate(2, CovarianceType.FULL, bic);
        Candidate rounding = candidate(3, CovarianceType.TIED, Math.nextDown(Math.nextDown(bic)));
        Candidate worse = candidate(4, CovarianceType.FULL, bic + 7.25);
        SelectionResult r = new SelectionResult(List.of(first, rounding, worse), Criterion.BIC, 100, 100);
        assertThat(r.best()).contains(first);

        String[] lines = SelectCommand.table(r, "x.csv", false, "", 2).split("\n");
        int at = java.util.Arrays.asList(lines).indexOf(
                java.util.Arrays.stream(lines).filter(l -> l.startsWith("top 3 by BIC")).findFirst().orElseThrow());
        assertThat(lines[at + 1].trim()).startsWith("VVV,2").endsWith(" 0");
        assertThat(lines[at + 2].trim()).startsWith("EEE,3").endsWith("-0.0000");
        assertThat(lines[at + 3].trim()).startsWith("VVV,4").endsWith("+7.2500");
        assertThat(String.join("\n", lines)).contains("best by BIC: VVV, 2 components");
    }
}
