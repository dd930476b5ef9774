package io.emkit.factor;

import io.emkit.gaussian.GaussianMixtureModel;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Mixtures of factor analysers started from Gaussian mixtures: each component's covariance {@code Σ} becomes the
 * probabilistic PCA closest to it (Tipping and Bishop 1999) — with eigenvalues {@code λ_1 ≥ … ≥ λ_D} and
 * eigenvectors {@code v_a}, {@code σ² = mean(λ_{Q+1}, …, λ_D)}, loadings {@code Λ = [v_a √(λ_a − σ²)]_{a ≤ Q}}
 * and uniquenesses the diagonal of {@code Σ − ΛΛᵀ} — deterministic for a given Gaussian start. With
 * {@code Q = D − 1} it reproduces {@code Σ} exactly.
 */
final class FactorStarts {
    private FactorStarts() {
    }

    /**
     * @param gaussian a Gaussian mixture of any covariance structure
     * @param q        factors per component, {@code 1 ≤ Q < D}
     * @return the mixture of factor analysers with the same weights and means and the PPCA covariances
     */
    static FactorAnalyserMixtureModel fromGaussian(GaussianMixtureModel gaussian, int q) {
        int k = gaussian.components();
        int d = gaussian.dimension();
        double[][][] loadings = new double[k][][];
        double[][] uniquenesses = new double[k][];
        for (int c = 0; c < k; c++) {
            double[][] sigma = gaussian.covariance(c);
            Eigen eigen = eigen(sigma);
            double rest = 0;
            for (int a = q; a < d; a++) {
                rest += Math.max(0.0, eigen.values[a]);
            }
            double sigma2 = rest / (d - q);
            loadings[c] = new double[d][q];
            uniquenesses[c] = new double[d];
            for (int a = 0; a < q; a++) {
                double scale = Math.sqrt(Math.max(0.0, eigen.values[a] - sigma2));
                for (int j = 0; j < d; j++) {
                    loadings[c][j][a] = eigen.vectors[a][j] * scale;
                }
            }
            for (int j = 0; j < d; j++) {
                double explained = 0;
                for (int a = 0; a < q; a++) {
                    explained += loadings[c][j][a] * loadings[c][j][a];
                }
                // Σ − ΛΛᵀ = σ²·V_Q V_Qᵀ + the rest of the spectrum: positive definite when σ² > 0; the floor is
                // for a start that rounding (or a singular Σ) left without any residual variance.
                uniquenesses[c][j] = Math.max(sigma[j][j] - explained, 1e-9 * Math.max(sigma[j][j], Double.MIN_NORMAL));
            }
        }
        return new FactorAnalyserMixtureModel(gaussian.weights(), gaussian.means(), loadings, uniquenesses,
                gaussian.featureNames());
    }

    /** Eigenvalues in decreasing order and their unit eigenvectors (one per row). */
    record Eigen(double[] values, double[][] vectors) {
    }

    static Eigen eigen(double[][] symmetric) {
        int d = symmetric.length;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(new DMatrixRMaj(symmetric))) {
            throw new io.emkit.EmkitException("the eigen-decomposition of a start's covariance failed");
        }
        double[] values = new double[d];
        double[][] vectors = new double[d][];
        for (int a = 0; a < d; a++) {
            values[a] = eig.getEigenvalue(a).getReal();
            vectors[a] = eig.getEigenVector(a).data.clone();
        }
        // Largest first; ties by position, so the order is the same on every run.
        List<Integer> order = IntStream.range(0, d).boxed()
                .sorted(Comparator.<Integer>comparingDouble(a -> -values[a]).thenComparingInt(a -> a)).toList();
        double[] sortedValues = new double[d];
        double[][] sortedVectors = new double[d][];
        for (int i = 0; i < d; i++) {
            sortedValues[i] = values[order.get(i)];
            sortedVectors[i] = Arrays.copyOf(vectors[order.get(i)], d);
        }
        return new Eigen(sortedValues, sortedVectors);
    }
}
