package io.emkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emkit.io.ModelFiles;
import io.emkit.mixture.CovarianceType;
import io.emkit.mixture.GaussianMixtureModel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code emkit select}, every structure name on {@code fit --covariance}, and {@code predict --uncertainty}. */
class SelectCliTest {
    @TempDir
    Path dir;
    Path faithful;
    Path iris;

    @BeforeEach
    void copyExamples() throws IOException {
        faithful = copy("faithful.csv");
        iris = copy("iris.csv");
    }

    private Path copy(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = CliTest.class.getResourceAsStream(name)) {
            Files.copy(in, p);
        }
        return p;
    }

    @Test
    void tableSaysLowerIsBetterAndNamesTheChosenModel() {
        Path model = dir.resolve("best.json");
        CliTest.Run r = emkit("select", iris.toString(), "--components", "1-3", "--model-out", model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("lower is better").contains("best by BIC: VEV, 2 components")
                .contains("VEV").contains("EVV").contains("<- best");
        assertThat(r.out().lines().filter(l -> l.matches(" +[123]  [EV][EVI][EVI] .*")).count()).isEqualTo(3 * 14);
        GaussianMixtureModel m = (GaussianMixtureModel) ModelFiles.read(model);
        assertThat(m.covarianceType()).isEqualTo(CovarianceType.VEV);
        assertThat(m.components()).isEqualTo(2);
    }

    @Test
    void jsonHasTheDocumentedKeys() throws IOException {
        CliTest.Run r = emkit("select", faithful.toString(), "--components", "2,3", "--covariance", "EEE,VVV,vev",
                "--criterion", "icl", "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("results")).hasSize(6);
        for (JsonNode c : j.get("results")) {
            for (String key : List.of("components", "covariance", "log_likelihood", "n_parameters", "bic", "icl",
                    "aic")) {
                assertThat(c.has(key)).as(key).isTrue();
            }
            assertThat(c.get("icl").asDouble()).isGreaterThanOrEqualTo(c.get("bic").asDouble());
        }
        assertThat(j.get("results").get(0).get("covariance").asText()).isEqualTo("EEE");
        JsonNode best = j.get("best");
        assertThat(j.get("criterion").asText()).isEqualTo("icl");
        for (JsonNode c : j.get("results")) {
            assertThat(c.get("icl").asDouble()).isGreaterThanOrEqualTo(best.get("icl").asDouble());
        }
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertThat(emkit("select", iris.toString(), "--components", "3-1").status()).isEqualTo(2);
        CliTest.Run r = emkit("select", iris.toString(), "--covariance", "XYZ");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("VEV").doesNotContain("\tat ");
        assertThat(emkit("select", iris.toString(), "--criterion", "dic").status()).isEqualTo(2);
    }

    @Test
    void fitAcceptsEveryStructureNameAndPredictWritesUncertainty() throws IOException {
        for (CovarianceType t : CovarianceType.all()) {
            CliTest.Run r = emkit("fit", faithful.toString(), "-k", "2", "--covariance", t.mclustName(), "-q");
            assertThat(r.status()).as(t + ": " + r.err()).isZero();
        }
        Path model = dir.resolve("m.json");
        assertThat(emkit("fit", faithful.toString(), "-k", "2", "--covariance", "EVE", "--model-out",
                model.toString(), "-q").status()).isZero();
        CliTest.Run p = emkit("predict", "-m", model.toString(), faithful.toString(), "--proba", "--uncertainty");
        assertThat(p.status()).as(p.err()).isZero();
        List<String> lines = p.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("label,p0,p1,uncertainty");
        assertThat(lines).hasSize(273);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            double max = Math.max(Double.parseDouble(f[1]), Double.parseDouble(f[2]));
            assertThat(Double.parseDouble(f[3])).isCloseTo(1 - max, within(1e-15)).isBetween(0.0, 0.5);
        }
    }

    @Test
    void plotsTheCriterionPerStructureAndMarksTheChoice() throws java.io.IOException {
        Path png = dir.resolve("bic.png");
        CliTest.Run r = emkit("select", faithful.toString(), "--components", "1-4", "--covariance", "EEE,VVV,VII",
                "--plot", png.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("plot saved to " + png);
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(PictureSize.WIDTH);
        assertThat(image.getHeight()).isEqualTo(PictureSize.HEIGHT);
        // One line per structure, in the first three palette colours, and the chosen model's black marker.
        for (int series = 0; series < 3; series++) {
            assertThat(PlotCliTest.coloured(image, series)).as("series %d", series).isGreaterThan(20);
        }
        assertThat(io.emkit.cli.plot.MixturePlotsTestAccess.pixelsOf(image, java.awt.Color.BLACK)).isGreaterThan(20);
        Path svg = dir.resolve("bic.svg");
        assertThat(emkit("select", faithful.toString(), "--components", "1-2", "--covariance", "EEE",
                "--plot", svg.toString(), "--json").status()).isZero();
        assertThat(java.nio.file.Files.readString(svg)).contains("<svg", "rgb(31,119,180)", "rgb(0,0,0)");
    }
}
