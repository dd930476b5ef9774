package io.emkit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SyntheticDataTest {

    @Test
    void casesParseAndPrintBack() {
        assertThat(BenchCase.parse("100k-16-16")).isEqualTo(new BenchCase(100_000, 16, 16, false));
        assertThat(BenchCase.parse("1M-2-4-diag")).isEqualTo(new BenchCase(1_000_000, 2, 4, true));
        assertThat(BenchCase.parse("1m-2-4-diag").id()).isEqualTo("1m-2-4-diag");
        assertThat(BenchCase.parseList(BenchCase.DEFAULT_CASES)).hasSize(6);
        assertThatThrownBy(() -> BenchCase.parse("100k-16")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void flopCountAtOneMillionBySixteenBySixteenIsAboutTenGflop() {
        assertThat(BenchCase.parse("1m-16-16").flopsPerIteration()).isEqualTo(1e6 * 16 * (2 * 256 + 7 * 16));
    }

    @Test
    void dataAndStartAreDeterministic() {
        BenchCase c = BenchCase.parse("2000-3-4");
        SyntheticData a = SyntheticData.generate(c);
        SyntheticData b = SyntheticData.generate(c);
        assertThat(a.flat()).containsExactly(b.flat());
        assertThat(a.start().means()).isDeepEqualTo(b.start().means());
        assertThat(a.start().weights()).containsExactly(0.25, 0.25, 0.25, 0.25);
    }

    @Test
    void emkitAndElkiAgreeFromTheCommonStart() throws Exception {
        SyntheticData data = SyntheticData.generate(BenchCase.parse("3000-2-3"));
        Params start = data.start();
        io.emkit.data.Dataset ds = io.emkit.data.Dataset.of(data.rows());
        double emkit;
        double elki;
        try (Peer.Fit f = new EmkitPeer(1).prepare(data, start)) {
            emkit = f.run(5).toEmkit().logLikelihood(ds);
        }
        try (Peer.Fit f = new ElkiPeer().prepare(data, start)) {
            elki = f.run(5).toEmkit().logLikelihood(ds);
        }
        // emkit adds regCovar = 1e-6 to covariance diagonals, ELKI does not: close, not identical.
        assertThat(emkit).isCloseTo(elki, org.assertj.core.data.Offset.offset(1e-4 * Math.abs(elki)));
        assertThat(emkit).isGreaterThan(start.toEmkit().logLikelihood(ds));
    }
}
