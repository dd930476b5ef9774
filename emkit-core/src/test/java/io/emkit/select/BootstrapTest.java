package io.emkit.select;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.gaussian.GaussianReference;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The nonparametric bootstrap of a 1-D two-component mixture against the observed-information standard
 * errors, computed here independently: a central-difference Hessian of the test's own log-likelihood in the
 * unconstrained parameters (logit of the first weight, the means, the log-variances), inverted, and carried
 * to weights and variances by the delta method.
 */
class BootstrapTest {
    private static final int B = 400;

    private static final Dataset DATA = TestData.drawMixture(21, 500, new double[] {0.4, 0.6},
            new double[][] {{0}, {4}}, new double[][][] {{{1}}, {{2.25}}});

    @Test
    void standardErrorsAgreeWithTheObservedInformationWithinMonteCarloError() {
        GaussianMixture config = GaussianMixture.withComponents(2).tolerance(1e-10).maxIterations(2000)
                .initializations(3).threads(1);
        GaussianMixtureModel fit = config.fit(DATA).params();
        BootstrapResult r = Bootstrap.of(B).seed(3).threads(2).run(config, DATA, fit);
        assertThat(r.replicates() + r.failed()).isEqualTo(B);
        assertThat(r.failed()).isZero();

        double[] theta = {Math.log(fit.weights()[0] / fit.weights()[1]), fit.mean(0)[0], fit.mean(1)[0],
                Math.log(fit.covariance(0)[0][0]), Math.log(fit.covariance(1)[0][0])};
        double[][] cov = GaussianReference.inverse(negativeHessian(theta));
        double w = fit.weights()[0];
        double[] observed = {
                w * (1 - w) * Math.sqrt(cov[0][0]),                       // weight 1
                Math.sqrt(cov[1][1]),                                     // mean 1
                fit.covariance(0)[0][0] * Math.sqrt(cov[3][3]),           // variance 1
                w * (1 - w) * Math.sqrt(cov[0][0]),                       // weight 2 = 1 − weight 1
                Math.sqrt(cov[2][2]),                                     // mean 2
                fit.covariance(1)[0][0] * Math.sqrt(cov[4][4])};          // variance 2
        List<BootstrapResult.Parameter> ps = r.parameters();
        assertThat(ps).extracting(BootstrapResult.Parameter::name)
                .containsExactly("weight", "mean x1", "variance x1", "weight", "mean x1", "variance x1");
        // An SE estimated from B replicates has relative sd about 1/sqrt(2(B−1)) (3.5% here); allow 4 of
        // those plus 6% for the difference between the bootstrap and the large-sample approximation.
        double tolerance = 4 / Math.sqrt(2.0 * (B - 1)) + 0.06;
        for (int i = 0; i < ps.size(); i++) {
            BootstrapResult.Parameter p = ps.get(i);
            assertThat(p.standardError() / observed[i]).as("%s of component %d: bootstrap %s vs observed %s",
                    p.name(), p.component() + 1, p.standardError(), observed[i]).isCloseTo(1.0, within(tolerance));
            assertThat(p.lower()).isLessThan(p.estimate());
            assertThat(p.upper()).isGreaterThan(p.estimate());
            // A 95% percentile interval of a near-normal statistic spans about ±1.96 SE.
            assertThat((p.upper() - p.lower()) / (2 * 1.96 * p.standardError())).isCloseTo(1.0, within(0.2));
        }
    }

    @Test
    void theWeightedLikelihoodBootstrapAgreesWithTheObservedInformationToo() {
        GaussianMixture config = GaussianMixture.withComponents(2).tolerance(1e-10).maxIterations(2000)
                .initializations(3).threads(1);
        GaussianMixtureModel fit = config.fit(DATA).params();
        BootstrapResult r = Bootstrap.of(B).seed(4).threads(2).kind(Bootstrap.Kind.WEIGHTED).run(config, DATA, fit);
        assertThat(r.failed()).isZero();
        double[] theta = {Math.log(fit.weights()[0] / fit.weights()[1]), fit.mean(0)[0], fit.mean(1)[0],
                Math.log(fit.covariance(0)[0][0]), Math.log(fit.covariance(1)[0][0])};
        double[][] cov = GaussianReference.inverse(negativeHessian(theta));
        double w = fit.weights()[0];
        double[] observed = {w * (1 - w) * Math.sqrt(cov[0][0]), Math.sqrt(cov[1][1]),
                fit.covariance(0)[0][0] * Math.sqrt(cov[3][3]), w * (1 - w) * Math.sqrt(cov[0][0]),
                Math.sqrt(cov[2][2]), fit.covariance(1)[0][0] * Math.sqrt(cov[4][4])};
        double tolerance = 4 / Math.sqrt(2.0 * (B - 1)) + 0.06;
        List<BootstrapResult.Parameter> ps = r.parameters();
        for (int i = 0; i < ps.size(); i++) {
            BootstrapResult.Parameter p = ps.get(i);
            assertThat(p.standardError() / observed[i]).as("%s of component %d: weighted bootstrap %s vs observed %s",
                    p.name(), p.component() + 1, p.standardError(), observed[i]).isCloseTo(1.0, within(tolerance));
        }
    }

    @Test
    void weightedReplicatesKeepEveryRowWithDirichletWeightsSummingToN() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(8);
        Dataset rep = Bootstrap.of(2).kind(Bootstrap.Kind.WEIGHTED).replicate(DATA, random);
        assertThat(rep.rows()).isEqualTo(DATA.rows());
        assertThat(rep.rawValues()).isEqualTo(DATA.rawValues());
        double[] w = rep.rawWeights();
        double sum = 0;
        double sumSq = 0;
        for (double v : w) {
            assertThat(v).isPositive();
            sum += v;
            sumSq += v * v;
        }
        int n = w.length;
        assertThat(sum).isCloseTo(n, within(1e-9));
        // n times a flat Dirichlet: each weight has mean 1 and variance (n − 1)/(n + 1), about 1.
        double variance = sumSq / n - 1;
        assertThat(variance).isCloseTo((n - 1.0) / (n + 1.0), within(0.25));
    }

    @Test
    void onWeightedDataResamplingDrawsRowsInProportionToTheirWeights() {
        Dataset data = Dataset.of(new double[][] {{1}, {2}, {3}}).withWeights(0, 1, 3);
        java.util.SplittableRandom random = new java.util.SplittableRandom(9);
        int[] counts = new int[4];
        for (int b = 0; b < 2000; b++) {
            Dataset rep = Bootstrap.resample(data, random);
            assertThat(rep.rawWeights()).containsOnly(4.0 / 3);
            for (int i = 0; i < rep.rows(); i++) {
                counts[(int) rep.rawValues()[i]]++;
            }
        }
        assertThat(counts[1]).as("a row of weight 0 is never drawn").isZero();
        // 6000 draws, probability 1/4 for the second row: sd about 34.
        assertThat(counts[2]).isBetween(1500 - 170, 1500 + 170);
        Dataset reweighted = Bootstrap.of(2).kind(Bootstrap.Kind.WEIGHTED).replicate(data, random);
        assertThat(reweighted.rawWeights()[0]).isZero();
    }

    @Test
    void theSameSeedGivesTheSameResultForAnyThreadCount() {
        GaussianMixture config = GaussianMixture.withComponents(2).tolerance(1e-6).threads(1);
        GaussianMixtureModel fit = config.fit(DATA).params();
        BootstrapResult one = Bootstrap.of(20).seed(5).threads(1).run(config, DATA, fit);
        BootstrapResult four = Bootstrap.of(20).seed(5).threads(4).run(config, DATA, fit);
        assertThat(four).isEqualTo(one);
        BootstrapResult other = Bootstrap.of(20).seed(6).threads(1).run(config, DATA, fit);
        assertThat(other.parameters().get(1).standardError()).isNotEqualTo(one.parameters().get(1).standardError());
    }

    @Test
    void quantilesInterpolateBetweenOrderStatisticsAndBadSettingsAreRefused() {
        double[] sorted = {1, 2, 3, 4, 5};
        assertThat(Bootstrap.quantile(sorted, 0.0)).isEqualTo(1);
        assertThat(Bootstrap.quantile(sorted, 0.5)).isEqualTo(3);
        assertThat(Bootstrap.quantile(sorted, 0.1)).isCloseTo(1.4, within(1e-12));
        assertThat(Bootstrap.quantile(sorted, 1.0)).isEqualTo(5);
        assertThatThrownBy(() -> Bootstrap.of(1)).hasMessageContaining("at least 2 replicates");
        assertThatThrownBy(() -> Bootstrap.of(10).level(1.0)).hasMessageContaining("strictly between 0 and 1");
    }

    /** The test's own log-likelihood of DATA at θ = (logit w1, μ1, μ2, ln v1, ln v2). */
    private static double logLikelihood(double[] t) {
        double w1 = 1 / (1 + Math.exp(-t[0]));
        double s = 0;
        for (int i = 0; i < DATA.rows(); i++) {
            double x = DATA.row(i)[0];
            double a = Math.log(w1) + logNormal(x, t[1], Math.exp(t[3]));
            double b = Math.log(1 - w1) + logNormal(x, t[2], Math.exp(t[4]));
            double m = Math.max(a, b);
            s += m + Math.log(Math.exp(a - m) + Math.exp(b - m));
        }
        return s;
    }

    private static double logNormal(double x, double mu, double v) {
        return -0.5 * Math.log(2 * Math.PI * v) - 0.5 * (x - mu) * (x - mu) / v;
    }

    private static double[][] negativeHessian(double[] t) {
        int p = t.length;
        double h = 1e-4;
        double[][] out = new double[p][p];
        for (int a = 0; a < p; a++) {
            for (int b = a; b < p; b++) {
                double[] pp = t.clone();
                double[] pm = t.clone();
                double[] mp = t.clone();
                double[] mm = t.clone();
                pp[a] += h;
                pp[b] += h;
                pm[a] += h;
                pm[b] -= h;
                mp[a] -= h;
                mp[b] += h;
                mm[a] -= h;
                mm[b] -= h;
                double v = (logLikelihood(pp) - logLikelihood(pm) - logLikelihood(mp) + logLikelihood(mm)) / (4 * h * h);
                out[a][b] = -v;
                out[b][a] = -v;
            }
        }
        return out;
    }
}
