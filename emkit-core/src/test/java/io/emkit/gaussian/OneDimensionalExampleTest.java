package io.emkit.gaussian;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 1-D example of the references: 300 points from N(0.6, 0.003) and 300 from N(0.02, 0.03) (variances).
 * Every structure that makes sense in one dimension must recover weights, means and variances within
 * four standard errors of the truth, the standard errors computed from the sample sizes.
 */
class OneDimensionalExampleTest {
    private static final int N_EACH = 300;
    private static final double MU_A = 0.6;
    private static final double VAR_A = 0.003;
    private static final double MU_B = 0.02;
    private static final double VAR_B = 0.03;
    private static final double Z = 4.0;

    private static Dataset data() {
        SplittableRandom r = new SplittableRandom(20240601L);
        double[] x = new double[2 * N_EACH];
        for (int i = 0; i < N_EACH; i++) {
            x[i] = MU_A + Math.sqrt(VAR_A) * r.nextGaussian();
            x[N_EACH + i] = MU_B + Math.sqrt(VAR_B) * r.nextGaussian();
        }
        // Shuffle so that the order of rows carries no information.
        for (int i = x.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
        return Dataset.ofColumn(x);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = CovarianceType.class, names = {"FULL", "DIAG", "SPHERICAL"})
    void recoversBothComponentsWithinFourStandardErrors(CovarianceType type) {
        Dataset data = data();
        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(2).covarianceType(type)
                .tolerance(1e-10).maxIterations(1000).seed(1).threads(1).fit(data);
        assertThat(fit.converged()).as("converged").isTrue();
        GaussianMixtureModel m = fit.params();
        int a = Math.abs(m.mean(0)[0] - MU_A) < Math.abs(m.mean(1)[0] - MU_A) ? 0 : 1;
        int b = 1 - a;
        double n = 2 * N_EACH;

        double seMeanA = Math.sqrt(VAR_A / N_EACH);
        double seMeanB = Math.sqrt(VAR_B / N_EACH);
        double seVarA = VAR_A * Math.sqrt(2.0 / N_EACH);
        double seVarB = VAR_B * Math.sqrt(2.0 / N_EACH);
        double seWeight = Math.sqrt(0.5 * 0.5 / n);

        assertThat(m.mean(a)[0]).as("mean of the narrow component").isBetween(MU_A - Z * seMeanA, MU_A + Z * seMeanA);
        assertThat(m.mean(b)[0]).as("mean of the wide component").isBetween(MU_B - Z * seMeanB, MU_B + Z * seMeanB);
        assertThat(m.covariance(a)[0][0]).as("variance of the narrow component")
                .isBetween(VAR_A - Z * seVarA, VAR_A + Z * seVarA);
        assertThat(m.covariance(b)[0][0]).as("variance of the wide component")
                .isBetween(VAR_B - Z * seVarB, VAR_B + Z * seVarB);
        assertThat(m.weights()[a]).as("weight of the narrow component").isBetween(0.5 - Z * seWeight, 0.5 + Z * seWeight);
        assertThat(m.weights()[a] + m.weights()[b]).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
    }
}
