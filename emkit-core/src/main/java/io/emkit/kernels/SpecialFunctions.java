package io.emkit.kernels;

/**
 * The special functions the models' M-steps and bounds need: {@code ln Γ} and the digamma function
 * {@code ψ = (ln Γ)'}, for positive arguments, to about 1e-13.
 */
public final class SpecialFunctions {
    private SpecialFunctions() {
    }

    /**
     * {@code ln Γ(x)}: shifted up to at least 10 by the recurrence Γ(x+1) = xΓ(x), then Stirling's series to the
     * x⁻⁹ term (error below 1e-14 there).
     *
     * @param x a positive number
     * @return {@code ln Γ(x)}
     */
    public static double logGamma(double x) {
        double shift = 0;
        while (x < 10) {
            shift -= Math.log(x);
            x += 1;
        }
        double inv = 1 / x;
        double inv2 = inv * inv;
        double series = inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680 - inv2 / 1188))));
        return shift + (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series;
    }

    /**
     * The digamma function {@code ψ(x)}: shifted up to at least 10 by ψ(x) = ψ(x+1) − 1/x, then its asymptotic
     * series to the x⁻¹⁰ term.
     *
     * @param x a positive number
     * @return {@code ψ(x)}
     */
    public static double digamma(double x) {
        double shift = 0;
        while (x < 10) {
            shift -= 1 / x;
            x += 1;
        }
        double inv2 = 1 / (x * x);
        double series = inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 / 132))));
        return shift + Math.log(x) - 0.5 / x - series;
    }
}
