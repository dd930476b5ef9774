package io.emkit;

import io.emkit.data.CsvDataReader;
import io.emkit.data.CsvOptions;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.io.ModelFiles;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The README's Java example, as written there, runs and gives mclust's fit. */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    @Test
    void readmeJavaExampleRuns() throws Exception {
        Path csv = dir.resolve("faithful.csv");
        try (InputStream in = TestData.class.getResourceAsStream("faithful.csv")) {
            Files.copy(in, csv);
        }
        // --- as in README.md, with the paths changed ---
        Dataset data = CsvDataReader.read(csv, CsvOptions.defaults()).dataset();

        EmResult<GaussianMixtureModel> fit = GaussianMixture.withComponents(2)
                .covarianceType(CovarianceType.FULL)   // or DIAG, SPHERICAL, TIED
                .initializations(5)                    // keep the best of 5 starts
                .seed(42)
                .fit(data);

        GaussianMixtureModel model = fit.params();
        int[] labels = model.predict(data);            // hard assignments
        double[][] resp = model.predictProba(data);    // responsibilities, rows sum to 1
        double[] logDensity = model.scoreSamples(data);
        ModelFiles.write(model, dir.resolve("faithful-model.json"));
        // --- end of the README's example ---

        assertThat(fit.logLikelihood()).isCloseTo(-1130.264, within(1e-3));
        assertThat(labels).hasSize(272);
        assertThat(resp[0][0] + resp[0][1]).isCloseTo(1.0, within(1e-12));
        assertThat(logDensity).hasSize(272);
        assertThat(ModelFiles.read(dir.resolve("faithful-model.json"))).isEqualTo(model);
    }
}
