package io.emkit.gaussian;

import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.EmkitException;
import io.emkit.TestData;
import io.emkit.data.CsvOptions;
import io.emkit.data.Dataset;
import io.emkit.data.EmkFile;
import io.emkit.data.MappedRows;
import io.emkit.em.EmOptions;
import io.emkit.em.EmResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fitting rows streamed from a memory-mapped file gives exactly the in-memory fit. */
class OutOfCoreTest {
    @TempDir
    Path dir;

    private Path emk(Dataset d) throws IOException {
        Path p = dir.resolve("data.emk");
        try (OutputStream out = Files.newOutputStream(p)) {
            EmkFile.write(d, out);
        }
        return p;
    }

    private static Dataset synthetic() {
        return TestData.drawMixture(11, 30_000, new double[] {0.3, 0.3, 0.4},
                new double[][] {{0, 0, 0}, {4, 0, 1}, {0, 5, -2}},
                new double[][][] {
                    {{1, 0.2, 0}, {0.2, 1, 0}, {0, 0, 1}},
                    {{0.5, 0, 0}, {0, 2, 0.3}, {0, 0.3, 1}},
                    {{1, 0, 0.4}, {0, 1, 0}, {0.4, 0, 2}}});
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void streamedFitEqualsInMemoryFitBitForBit(CovarianceType type) throws IOException {
        Dataset data = synthetic();
        MappedRows mapped = EmkFile.map(emk(data), CsvOptions.defaults());
        GaussianMixture config = GaussianMixture.withComponents(3).covarianceType(type).tolerance(0).maxIterations(15)
                .options(EmOptions.defaults().withBlockSize(1000).withTolerance(0).withMaxIterations(15).withThreads(2));
        EmResult<GaussianMixtureModel> inMemory = config.fit(data);
        EmResult<GaussianMixtureModel> streamed = config.fit(mapped);
        assertThat(streamed.params()).isEqualTo(inMemory.params());
        assertThat(streamed.trace()).containsExactly(inMemory.trace());
        assertThat(streamed.logLikelihood()).isEqualTo(inMemory.logLikelihood());
    }

    @Test
    void columnSelectionAndSamplingOfMappedRows() throws IOException {
        Dataset data = synthetic();
        MappedRows two = EmkFile.map(emk(data), CsvOptions.defaults().withColumns("x3", "1"));
        assertThat(two.columnNames()).containsExactly("x3", "x1");
        double[] row = new double[2];
        two.copyRows(12_345, 12_346, row);
        assertThat(row).containsExactly(data.get(12_345, 2), data.get(12_345, 0));
        Dataset sample = two.sample(1000, 3);
        assertThat(sample.rows()).isBetween(1000, 1001);
        assertThat(sample.columns()).isEqualTo(2);
    }

    @Test
    void infiniteValuesInAStreamedFileAreNamed() throws IOException {
        double[][] rows = new double[50][2];
        for (int i = 0; i < 50; i++) {
            rows[i][0] = i;
            rows[i][1] = i % 7;
        }
        rows[41][1] = Double.NEGATIVE_INFINITY;
        MappedRows mapped = EmkFile.map(emk(Dataset.of(rows)), CsvOptions.defaults());
        assertThatThrownBy(() -> GaussianMixture.withComponents(2).fit(mapped))
                .isInstanceOf(EmkitException.class).hasMessageContaining("row 42").hasMessageContaining("column 2");
    }

    @Test
    void missingValuesStreamedFromAFileGiveTheInMemoryFit() throws IOException {
        double[][] rows = TestData.drawMixture(4, 3000, new double[] {0.5, 0.5}, new double[][] {{0, 0}, {4, 1}},
                new double[][][] {{{1, 0.3}, {0.3, 1}}, {{1, 0}, {0, 2}}}).toArray();
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (double[] r : rows) {
            for (int j = 0; j < 2; j++) {
                if (random.nextDouble() < 0.2) {
                    r[j] = Double.NaN;
                }
            }
        }
        Dataset data = Dataset.of(rows);
        MappedRows mapped = EmkFile.map(emk(data), CsvOptions.defaults());
        GaussianMixtureModel start = GaussianMixtureModel.full(new double[] {0.5, 0.5}, new double[][] {{1, 1}, {3, 0}},
                new double[][][] {{{1, 0}, {0, 1}}, {{1, 0}, {0, 1}}});
        GaussianMixture config = GaussianMixture.withComponents(2).initialModel(start).maxIterations(20);
        EmResult<GaussianMixtureModel> inMemory = config.fit(data);
        EmResult<GaussianMixtureModel> streamed = config.fit(mapped);
        assertThat(streamed.params().means()).isEqualTo(inMemory.params().means());
        assertThat(streamed.params().covariances()).isEqualTo(inMemory.params().covariances());
        assertThat(streamed.logLikelihood()).isEqualTo(inMemory.logLikelihood());
    }
}
