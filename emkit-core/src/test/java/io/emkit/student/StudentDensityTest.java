package io.emkit.student;

import io.emkit.EmkitException;
import io.emkit.data.Dataset;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The t density and its special functions against closed forms: the Cauchy density (ν = 1, d = 1),
 * Γ at integers and half-integers (Γ(5/2) = 3√π/4, Γ(3/2) = √π/2, Γ(4) = 6), the digamma function at 1 and ½
 * (−γ and −γ − 2 ln 2), the Gaussian as ν → ∞; and the parameter count BIC uses against its formula.
 */
class StudentDensityTest {
    private static final double EULER_GAMMA = 0.5772156649015329;
    private static final double SQRT_PI = Math.sqrt(Math.PI);

    @Test
    void specialFunctionsMatchClosedForms() {
        assertThat(DegreesOfFreedom.logMinusDigamma(1)).isCloseTo(EULER_GAMMA, within(1e-14));
        assertThat(DegreesOfFreedom.logMinusDigamma(0.5)).isCloseTo(Math.log(0.5) + EULER_GAMMA + 2 * Math.log(2),
                within(1e-14));
        // ψ(n) = −γ + Σ_{j<n} 1/j
        assertThat(DegreesOfFreedom.logMinusDigamma(4)).isCloseTo(Math.log(4) + EULER_GAMMA - (1 + 0.5 + 1.0 / 3),
                within(1e-14));
        assertThat(DegreesOfFreedom.logGammaRatio(1.5, 1)).isCloseTo(Math.log((3 * SQRT_PI / 4) / (SQRT_PI / 2)),
                within(1e-14));
        assertThat(DegreesOfFreedom.logGammaRatio(2.5, 1.5)).isCloseTo(Math.log(6 / (3 * SQRT_PI / 4)), within(1e-14));
        assertThat(DegreesOfFreedom.logGammaRatio(0.5, 0.5)).isCloseTo(-Math.log(SQRT_PI), within(1e-14));
        // Γ(a + ½)/Γ(a) → √a (1 − 1/(8a) + 1/(128a²)) for large a
        double a = 5e7;
        assertThat(DegreesOfFreedom.logGammaRatio(a, 0.5))
                .isCloseTo(0.5 * Math.log(a) + Math.log1p(-1 / (8 * a) + 1 / (128 * a * a)), within(1e-13));
    }

    @Test
    void theRootForTheDegreesOfFreedomSolvesItsEquation() {
        for (double nu : new double[] {0.5, 1, 3.7, 12, 250}) {
            double target = DegreesOfFreedom.logMinusDigamma(nu / 2);
            assertThat(DegreesOfFreedom.solve(target)).isCloseTo(nu, within(1e-9 * nu));
        }
        assertThat(DegreesOfFreedom.solve(1e-9)).isEqualTo(DegreesOfFreedom.MAX);
        assertThat(DegreesOfFreedom.solve(1e9)).isEqualTo(DegreesOfFreedom.MIN);
    }

    @Test
    void cauchyIsTheTWithOneDegreeOfFreedom() {
        double mu = 1.5;
        double sigma2 = 4;
        StudentMixtureModel m = new StudentMixtureModel(
                GaussianMixtureModel.spherical(new double[] {1}, new double[][] {{mu}}, new double[] {sigma2}),
                new double[] {1}, DegreesOfFreedom.Constraint.FIXED);
        double[] x = {-7, 0, 1.5, 2.25, 40};
        double[] got = m.scoreSamples(Dataset.ofColumn(x));
        for (int i = 0; i < x.length; i++) {
            double s = Math.sqrt(sigma2);
            double z = (x[i] - mu) / s;
            double cauchy = 1 / (Math.PI * s * (1 + z * z));
            assertThat(got[i]).as("x = %s", x[i]).isCloseTo(Math.log(cauchy), within(1e-13));
        }
    }

    @Test
    void aTwoComponentMixtureMatchesTheClosedFormDensity() {
        double[][] s1 = {{2, 0.6}, {0.6, 1}};
        double[][] s2 = {{0.5, -0.1}, {-0.1, 0.8}};
        double[] w = {0.3, 0.7};
        double[][] mu = {{0, 1}, {3, -1}};
        StudentMixtureModel m = new StudentMixtureModel(
                GaussianMixtureModel.full(w, mu, new double[][][] {s1, s2}), new double[] {3, 2},
                DegreesOfFreedom.Constraint.FREE);
        double[][] x = {{0, 0}, {1.5, -0.3}, {10, 10}, {3, -1}, {-4, 2}};
        double[] got = m.scoreSamples(Dataset.of(x));
        double[][] proba = m.predictProba(Dataset.of(x));
        for (int i = 0; i < x.length; i++) {
            // d = 2: ν = 3 gives Γ(5/2)/Γ(3/2) = 3/2, ν = 2 gives Γ(2)/Γ(1) = 1; the density is
            // Γ((ν+d)/2)/Γ(ν/2) / (νπ |Σ|^½) (1 + δ/ν)^(−(ν+2)/2).
            double p1 = 1.5 / (3 * Math.PI * Math.sqrt(det(s1))) * Math.pow(1 + mahalanobis(x[i], mu[0], s1) / 3, -2.5);
            double p2 = 1.0 / (2 * Math.PI * Math.sqrt(det(s2))) * Math.pow(1 + mahalanobis(x[i], mu[1], s2) / 2, -2);
            double mix = w[0] * p1 + w[1] * p2;
            assertThat(got[i]).as("row %d", i).isCloseTo(Math.log(mix), within(1e-12));
            assertThat(proba[i][0]).isCloseTo(w[0] * p1 / mix, within(1e-12));
        }
        assertThat(m.predict(Dataset.of(x))).containsExactly(
                java.util.stream.IntStream.range(0, x.length).map(i -> proba[i][0] > 0.5 ? 0 : 1).toArray());
    }

    @Test
    void withHugeDegreesOfFreedomTheDensityIsTheGaussians() {
        GaussianMixtureModel g = GaussianMixtureModel.full(new double[] {0.4, 0.6}, new double[][] {{0, 0}, {2, 1}},
                new double[][][] {{{1, 0.2}, {0.2, 0.5}}, {{0.7, 0}, {0, 2}}});
        StudentMixtureModel t = new StudentMixtureModel(g, new double[] {1e8, 1e8}, DegreesOfFreedom.Constraint.FIXED);
        Dataset x = Dataset.of(new double[][] {{0, 0}, {1, 1}, {-3, 2}, {5, 5}});
        double[] gaussian = g.scoreSamples(x);
        double[] student = t.scoreSamples(x);
        for (int i = 0; i < gaussian.length; i++) {
            assertThat(student[i]).isCloseTo(gaussian[i], within(1e-6 * Math.max(1, Math.abs(gaussian[i]))));
        }
        assertThat(DegreesOfFreedom.logConstant(1e12, 3)).isCloseTo(-1.5 * Math.log(2 * Math.PI), within(1e-11));
    }

    @Test
    void bicCountsTheDegreesOfFreedom() {
        int k = 3;
        int d = 4;
        // (K − 1) weights + K·d locations + the structure's scale parameters (mclust's nVarParams) + ν's.
        int[][] expected = {
                {CovarianceType.FULL.ordinal(), k * d * (d + 1) / 2},
                {CovarianceType.DIAG.ordinal(), k * d},
                {CovarianceType.SPHERICAL.ordinal(), k},
                {CovarianceType.TIED.ordinal(), d * (d + 1) / 2}};
        for (int[] e : expected) {
            CovarianceType type = CovarianceType.values()[e[0]];
            GaussianMixtureModel g = gaussianOf(type, k, d);
            for (DegreesOfFreedom.Constraint c : DegreesOfFreedom.Constraint.values()) {
                int df = c == DegreesOfFreedom.Constraint.FREE ? k : c == DegreesOfFreedom.Constraint.EQUAL ? 1 : 0;
                StudentMixtureModel t = new StudentMixtureModel(g, new double[] {4, 4, 4}, c);
                assertThat(t.parameterCount()).as("%s, %s", type, c).isEqualTo(k - 1 + k * d + e[1] + df);
            }
        }
    }

    @Test
    void degreesOfFreedomMustBePositiveAndFinite() {
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> DegreesOfFreedom.fixed(bad)).isInstanceOf(EmkitException.class)
                    .hasMessageContaining("degrees of freedom");
        }
        GaussianMixtureModel g = gaussianOf(CovarianceType.FULL, 2, 1);
        assertThatThrownBy(() -> new StudentMixtureModel(g, new double[] {3, 4}, DegreesOfFreedom.Constraint.EQUAL))
                .isInstanceOf(EmkitException.class).hasMessageContaining("same");
    }

    private static GaussianMixtureModel gaussianOf(CovarianceType type, int k, int d) {
        double[] w = new double[k];
        double[][] mu = new double[k][d];
        double[][][] cov = new double[k][d][d];
        for (int c = 0; c < k; c++) {
            w[c] = 1.0 / k;
            mu[c][0] = c;
            for (int j = 0; j < d; j++) {
                cov[c][j][j] = type == CovarianceType.TIED || type == CovarianceType.SPHERICAL ? 1 : 1 + j;
            }
        }
        return GaussianMixtureModel.of(type, w, mu, cov);
    }

    private static double det(double[][] s) {
        return s[0][0] * s[1][1] - s[0][1] * s[1][0];
    }

    private static double mahalanobis(double[] x, double[] mu, double[][] s) {
        double a = x[0] - mu[0];
        double b = x[1] - mu[1];
        return (s[1][1] * a * a - 2 * s[0][1] * a * b + s[0][0] * b * b) / det(s);
    }
}
