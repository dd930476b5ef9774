package io.emkit.kernels;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** ln Γ and ψ against closed forms: factorials, half-integers, the Euler–Mascheroni constant, the recurrences. */
class SpecialFunctionsTest {
    private static final double EULER_GAMMA = 0.57721566490153286061;

    @Test
    void digammaMatchesItsClosedFormsAndRecurrence() {
        assertThat(SpecialFunctions.digamma(1)).isCloseTo(-EULER_GAMMA, within(1e-13));
        assertThat(SpecialFunctions.digamma(0.5)).isCloseTo(-EULER_GAMMA - 2 * Math.log(2), within(1e-13));
        // ψ(n) = H_{n−1} − γ
        double harmonic = 0;
        for (int n = 2; n <= 40; n++) {
            harmonic += 1.0 / (n - 1);
            assertThat(SpecialFunctions.digamma(n)).as("ψ(%d)", n).isCloseTo(harmonic - EULER_GAMMA, within(1e-13));
        }
        for (double x : new double[] {1e-3, 0.37, 2.9, 9.99, 10.01, 123.4, 1e6}) {
            assertThat(SpecialFunctions.digamma(x + 1) - SpecialFunctions.digamma(x)).as("x=%s", x)
                    .isCloseTo(1 / x, within(1e-12 * Math.max(1, 1 / x)));
        }
    }

    @Test
    void logGammaMatchesFactorialsAndRecurrence() {
        assertThat(SpecialFunctions.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-13));
        double logFactorial = 0;
        for (int n = 2; n <= 60; n++) {
            logFactorial += Math.log(n - 1);
            assertThat(SpecialFunctions.logGamma(n)).isCloseTo(logFactorial, within(1e-12 * Math.max(1, logFactorial)));
        }
        for (double x : new double[] {0.01, 0.7, 3.3, 9.5, 55.5}) {
            assertThat(SpecialFunctions.logGamma(x + 1) - SpecialFunctions.logGamma(x)).isCloseTo(Math.log(x), within(1e-12));
        }
    }
}
