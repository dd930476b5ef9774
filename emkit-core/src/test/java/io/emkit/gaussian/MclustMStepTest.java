package io.emkit.gaussian;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.gaussian.covariance.CovarianceType;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * emkit's M-step against mclust's {@code mstep} for the same fixed responsibilities, on faithful (K = 2) and
 * iris (K = 3), for all 14 structures (fixtures and the R script that makes them in
 * {@code src/test/resources/reference/mclust-mstep}). Weights and means are closed forms in both, and so are
 * the covariances of EII, VII, EEI, EVI, VVI, EEE, EEV, EVV and VVV: those are compared entry by entry, and
 * the log-likelihood at the parameters with mclust's {@code estep}. The other five (VEI, VEE, EVE, VVE, VEV)
 * are iterative in both libraries, each stopping at its own inner tolerance (mclust's tightened to 1e-13 in
 * the script), so for them the test compares the objective the M-step maximises,
 * {@code Q = −½ Σk [nk log|Σk| + tr(Wk Σk⁻¹)]}, computed here with EJML from the data and the
 * responsibilities: emkit's may not be below mclust's, and the two agree to 1e-9 (their covariances to 1e-4),
 * except for VVE, where mclust stops short (see {@link #MCLUST_BELOW_OPTIMUM}).
 */
class MclustMStepTest {
    private static final List<String> ITERATIVE = List.of("VEI", "VEE", "EVE", "VVE", "VEV");
    /**
     * mclust 6.0.0's VVE M-step stops below the optimum even with its inner tolerance at 1e-13: its Q is lower
     * than emkit's by 0.0023 on faithful and 0.0097 on iris (emkit's is a stationary maximum,
     * ConstrainedMStepStationarityTest). For it the test asserts only that emkit's Q is not below mclust's.
     */
    private static final List<String> MCLUST_BELOW_OPTIMUM = List.of("VVE");

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String data : new String[] {"faithful", "iris"}) {
            for (CovarianceType t : CovarianceType.all()) {
                out.add(Arguments.of(data, t));
            }
        }
        return out.stream();
    }

    private static List<String[]> csv(String name) throws IOException {
        try (InputStream in = MclustMStepTest.class.getResourceAsStream("/reference/mclust-mstep/" + name)) {
            assertThat(in).as(name).isNotNull();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            r.readLine();
            List<String[]> rows = new ArrayList<>();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    rows.add(line.split(","));
                }
            }
            return rows;
        }
    }

    /** Q of the covariances for the data and responsibilities, with the weighted means; written out with EJML. */
    private static double q(double[][] x, double[][] z, double[][][] sigma) {
        int d = x[0].length;
        double total = 0;
        for (int c = 0; c < z[0].length; c++) {
            double n = 0;
            double[] mean = new double[d];
            for (int i = 0; i < x.length; i++) {
                n += z[i][c];
                for (int j = 0; j < d; j++) {
                    mean[j] += z[i][c] * x[i][j];
                }
            }
            DMatrixRMaj w = new DMatrixRMaj(d, d);
            DMatrixRMaj e = new DMatrixRMaj(d, 1);
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < d; j++) {
                    e.set(j, 0, x[i][j] - mean[j] / n);
                }
                CommonOps_DDRM.multAddTransB(z[i][c], e, e, w);
            }
            DMatrixRMaj s = new DMatrixRMaj(sigma[c]);
            DMatrixRMaj inv = new DMatrixRMaj(d, d);
            assertThat(CommonOps_DDRM.invert(s, inv)).isTrue();
            DMatrixRMaj wInv = new DMatrixRMaj(d, d);
            CommonOps_DDRM.mult(w, inv, wInv);
            total += n * Math.log(CommonOps_DDRM.det(s)) + CommonOps_DDRM.trace(wInv);
        }
        return -0.5 * total;
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void theMStepMatchesMclustForTheSameResponsibilities(String data, CovarianceType type) throws IOException {
        Dataset dataset = data.equals("iris") ? TestData.iris() : TestData.faithful();
        double[][] x = dataset.toArray();
        int n = x.length;
        int d = x[0].length;
        List<String[]> zRows = csv(data + "-z.csv");
        assertThat(zRows).hasSize(n);
        int k = zRows.get(0).length;
        double[][] z = new double[n][k];
        double[] flatZ = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                z[i][c] = Double.parseDouble(zRows.get(i)[c]);
                flatZ[i * k + c] = z[i][c];
            }
        }
        String model = type.mclustName();
        Map<String, Double> ref = new HashMap<>();
        for (String[] r : csv(data + "-mstep.csv")) {
            if (r[0].equals(model)) {
                ref.put(r[1] + "," + r[2] + "," + r[3] + "," + r[4], Double.parseDouble(r[5]));
            }
        }
        double[] pro = new double[k];
        double[][] mu = new double[k][d];
        double[][][] sigma = new double[k][d][d];
        for (int c = 0; c < k; c++) {
            pro[c] = ref.get("pro," + (c + 1) + ",0,0");
            for (int i = 0; i < d; i++) {
                mu[c][i] = ref.get("mean," + (c + 1) + "," + (i + 1) + ",0");
                for (int j = 0; j < d; j++) {
                    sigma[c][i][j] = ref.get("sigma," + (c + 1) + "," + (i + 1) + "," + (j + 1));
                }
            }
        }
        // The Q written out here is mclust's Q (computed in R) at mclust's parameters: the two Q's are one function.
        double refQ = ref.get("Q,0,0,0");
        assertThat(Math.abs(q(x, z, sigma) - refQ)).as("Q at mclust's parameters, here and in R")
                .isLessThan(1e-10 * Math.abs(refQ));

        // emkit's M-step for the same responsibilities, with no regularisation, from a start of the structure.
        double[] uniform = new double[k];
        double[][] centre = new double[k][d];
        double[][][] identity = new double[k][d][d];
        for (int c = 0; c < k; c++) {
            uniform[c] = 1.0 / k;
            for (int j = 0; j < d; j++) {
                identity[c][j][j] = 1;
                for (double[] row : x) {
                    centre[c][j] += row[j] / n;
                }
            }
        }
        GaussianMixtureModel start = GaussianMixtureModel.of(type, uniform, centre, identity);
        GaussianMixtureSteps steps = new GaussianMixtureSteps(type, 0.0);
        GaussianStatistics stats = steps.emptyStatistics(start);
        double[] flatX = new double[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x[i], 0, flatX, i * d, d);
        }
        stats.addWeighted(flatX, 0, n, flatZ);
        List<String> warnings = new ArrayList<>();
        GaussianMixtureModel m = steps.maximize(stats, start, warnings::add);
        assertThat(warnings).isEmpty();
        assertThat(m.covarianceType()).isEqualTo(type);

        double[][][] got = new double[k][][];
        double[][] gotMeans = new double[k][];
        for (int c = 0; c < k; c++) {
            assertThat(Math.abs(m.weights()[c] - pro[c])).as("%s pro %d", model, c).isLessThan(1e-12 * pro[c]);
            gotMeans[c] = m.mean(c);
            for (int j = 0; j < d; j++) {
                double scale = Math.sqrt(sigma[c][j][j]);
                assertThat(Math.abs(gotMeans[c][j] - mu[c][j])).as("%s mean %d[%d]", model, c, j)
                        .isLessThan(1e-12 * (Math.abs(mu[c][j]) + scale));
            }
            got[c] = m.covariance(c);
        }
        boolean iterative = ITERATIVE.contains(model);
        double qEmkit = q(x, z, got);
        // Closed forms: the same numbers to rounding. Iterative: never worse than mclust, and equal to 1e-9.
        assertThat(qEmkit - refQ).as("%s: Q emkit %s, mclust %s", model, qEmkit, refQ)
                .isGreaterThan(-(iterative ? 1e-11 : 1e-12) * Math.abs(refQ));
        if (MCLUST_BELOW_OPTIMUM.contains(model)) {
            return;
        }
        assertThat(qEmkit - refQ).as("%s: Q emkit %s, mclust %s", model, qEmkit, refQ)
                .isLessThan((iterative ? 1e-9 : 1e-12) * Math.abs(refQ));
        double covTol = iterative ? 1e-4 : 1e-10;
        for (int c = 0; c < k; c++) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    double scale = Math.sqrt(sigma[c][a][a] * sigma[c][b][b]);
                    assertThat(Math.abs(got[c][a][b] - sigma[c][a][b])).as("%s sigma %d[%d][%d]: %s vs mclust %s",
                            model, c, a, b, got[c][a][b], sigma[c][a][b]).isLessThan(covTol * scale);
                }
            }
        }
        double ll = GaussianReference.logLikelihood(dataset, m.weights(), gotMeans, got);
        double refLl = ref.get("loglik,0,0,0");
        assertThat(Math.abs(ll - refLl)).as("%s: log-likelihood at the M-step, emkit %s, mclust estep %s", model,
                ll, refLl).isLessThan((iterative ? 1e-6 : 1e-10) * Math.abs(refLl));
    }
}
