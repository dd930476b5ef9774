package io.emkit.cli;

import io.emkit.data.CsvOptions;
import io.emkit.data.DataFiles;
import io.emkit.em.EmOptions;
import io.emkit.em.Search;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.select.LikelihoodRatioTest;
import io.emkit.cli.pictures.PictureSize;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emkit.io.ModelFiles;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixtureModel;
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
        faithful = CliTest.copyExample(dir, "faithful.csv");
        iris = CliTest.copyExample(dir, "iris.csv");
    }

    @Test
    void tableSaysLowerIsBetterAndNamesTheChosenModel() {
        Path model = dir.resolve("best.json");
        CliTest.Run r = emkit("select", iris.toString(), "--components", "1-3", "--model-out", model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("lower is better").contains("best by BIC: VEV, 2 components")
                .contains("VEV").contains("EVV").contains("<- best");
        // With one component the 14 structures are three models (XII, XXI, XXX): one row each.
        assertThat(r.out().lines().filter(l -> l.matches(" +[123]  [EV][EVI][EVI] .*")).count()).isEqualTo(2 * 14);
        assertThat(r.out().lines().filter(l -> l.matches(" +1  X(II|XI|XX) .*")).count()).isEqualTo(3);
        GaussianMixtureModel m = (GaussianMixtureModel) ModelFiles.read(model);
        assertThat(m.covarianceType()).isEqualTo(CovarianceType.VEV);
        assertThat(m.components()).isEqualTo(2);
    }

    @Test
    void priorDefaultFitsByMapAndReportsTheLogPosterior() throws IOException {
        CliTest.Run fit = emkit("fit", faithful.toString(), "-k", "3", "--covariance", "EEE", "--prior", "default",
                "--json", "--quiet");
        assertThat(fit.status()).as(fit.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(fit.out());
        double ll = j.get("log_likelihood").asDouble();
        double logPosterior = j.get("log_posterior").asDouble();
        assertThat(logPosterior).as("the default prior is a proper density well below 1 at the mode").isLessThan(ll);
        JsonNode trace = j.get("log_likelihood_trace");
        assertThat(trace.get(trace.size() - 1).asDouble()).as("the trace follows the objective").isEqualTo(logPosterior);
        assertThat(j.get("bic").asDouble()).as("BIC uses the log-likelihood at the mode")
                .isCloseTo(-2 * ll + j.get("n_parameters").asInt() * Math.log(272), within(1e-6));

        CliTest.Run text = emkit("fit", faithful.toString(), "-k", "3", "--covariance", "EEE", "--prior", "default");
        assertThat(text.status()).as(text.err()).isZero();
        assertThat(text.out()).contains("log posterior").contains("at the posterior mode")
                .contains("on the mean log posterior");

        CliTest.Run sel = emkit("select", faithful.toString(), "--components", "2,3", "--covariance", "EEE,VVV",
                "--prior", "default", "--json");
        assertThat(sel.status()).as(sel.err()).isZero();
        JsonNode s = new ObjectMapper().readTree(sel.out());
        assertThat(s.get("prior").asText()).isEqualTo("default");
        for (JsonNode c : s.get("results")) {
            assertThat(c.get("log_posterior").asDouble()).isLessThan(c.get("log_likelihood").asDouble());
        }
        CliTest.Run table = emkit("select", faithful.toString(), "--components", "3", "--covariance", "EEE",
                "--prior", "default");
        assertThat(table.out()).contains("log-post").contains("MAP-EM under the default prior");

        CliTest.Run bad = emkit("fit", faithful.toString(), "-k", "2", "--prior", "flat");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--prior").contains("expected default or none").doesNotContain("Exception");
    }

    @Test
    void initHcOnFitAndSelect() throws IOException {
        CliTest.Run sel = emkit("select", iris.toString(), "--components", "1-3", "--init", "hc", "--n-init", "1",
                "--json");
        assertThat(sel.status()).as(sel.err()).isZero();
        JsonNode best = new ObjectMapper().readTree(sel.out()).get("best");
        assertThat(best.get("covariance").asText()).isEqualTo("VEV");
        assertThat(best.get("components").asInt()).isEqualTo(2);

        CliTest.Run fit = emkit("fit", faithful.toString(), "-k", "3", "--covariance", "EEE", "--init", "hc", "--n-init",
                "1");
        assertThat(fit.status()).as(fit.err()).isZero();
        assertThat(fit.out()).contains("best of 1 initialisation (hc, seed 0)");
    }

    @Test
    void fitBootstrapPrintsATableAndJson() throws IOException {
        CliTest.Run r = emkit("fit", faithful.toString(), "-k", "2", "--bootstrap", "30", "--json", "--quiet");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode b = new ObjectMapper().readTree(r.out()).get("bootstrap");
        assertThat(b.get("replicates").asInt() + b.get("failed").asInt()).isEqualTo(30);
        assertThat(b.get("level").asDouble()).isEqualTo(0.95);
        // per component: a weight, 2 means, 3 covariance entries
        assertThat(b.get("parameters")).hasSize(12);
        for (JsonNode p : b.get("parameters")) {
            assertThat(p.get("std_error").asDouble()).as(p.toString()).isPositive();
            assertThat(p.get("lower").asDouble()).as(p.toString()).isLessThanOrEqualTo(p.get("upper").asDouble());
        }
        assertThat(b.get("parameters").get(0).get("parameter").asText()).isEqualTo("weight");
        assertThat(b.get("parameters").get(1).get("parameter").asText()).isEqualTo("mean eruptions");

        CliTest.Run text = emkit("fit", faithful.toString(), "-k", "2", "--bootstrap", "10");
        assertThat(text.status()).as(text.err()).isZero();
        assertThat(text.out()).contains("bootstrap    10 replicates").contains("95% interval")
                .contains("covariance eruptions,waiting");

        CliTest.Run bad = emkit("fit", faithful.toString(), "-k", "2", "--bootstrap", "1");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--bootstrap must be at least 2").doesNotContain("Exception");
    }

    @Test
    void fitWeightedLikelihoodBootstrapSaysSoAndGivesSimilarErrors() throws IOException {
        ObjectMapper json = new ObjectMapper();
        CliTest.Run np = emkit("fit", faithful.toString(), "-k", "2", "--bootstrap", "60", "--json", "--quiet");
        CliTest.Run wl = emkit("fit", faithful.toString(), "-k", "2", "--bootstrap", "60", "--bootstrap-kind",
                "weighted", "--json", "--quiet");
        assertThat(wl.status()).as(wl.err()).isZero();
        JsonNode a = json.readTree(np.out()).get("bootstrap");
        JsonNode b = json.readTree(wl.out()).get("bootstrap");
        assertThat(a.get("type").asText()).isEqualTo("nonparametric");
        assertThat(b.get("type").asText()).isEqualTo("weighted");
        // Both estimate the same sampling spread: with 60 replicates each SE is within about ±20%.
        for (int i = 0; i < a.get("parameters").size(); i++) {
            double sa = a.get("parameters").get(i).get("std_error").asDouble();
            double sb = b.get("parameters").get(i).get("std_error").asDouble();
            assertThat(sb / sa).as(a.get("parameters").get(i).toString()).isBetween(0.6, 1.6);
        }
        CliTest.Run text = emkit("fit", faithful.toString(), "-k", "2", "--bootstrap", "5", "--bootstrap-kind", "weighted");
        assertThat(text.out()).contains("weighted likelihood bootstrap");
        CliTest.Run bad = emkit("fit", faithful.toString(), "-k", "2", "--bootstrap-kind", "weighted");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--bootstrap-kind goes with --bootstrap").doesNotContain("Exception");
        CliTest.Run unknown = emkit("fit", faithful.toString(), "-k", "2", "--bootstrap", "5", "--bootstrap-kind", "x");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown bootstrap kind 'x'");
    }

    @Test
    void lrtAddsARowPerKUntilATestIsNotSignificant() throws IOException {
        // The wiring: the CLI's tests are the library's LikelihoodRatioTest with the same settings, field by field.
        // Whether its p-values mean anything: LikelihoodRatioTestTest (the calibration under a true null).
        CliTest.Run r = emkit("select", faithful.toString(), "--components", "1-3", "--covariance", "EEE", "--lrt",
                "--lrt-bootstrap", "9", "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode lrt = new ObjectMapper().readTree(r.out()).get("lrt");
        assertThat(lrt.get("covariance").asText()).isEqualTo("EEE");
        JsonNode tests = lrt.get("tests");
        List<LikelihoodRatioTest.Step> library = LikelihoodRatioTest.of(CovarianceType.TIED).replicates(9)
                .maxComponents(3).fitting(GaussianMixture.withComponents(1)
                        .options(EmOptions.defaults().withSearch(Search.Level.DEFAULT)))
                .run(DataFiles.read(faithful, CsvOptions.defaults()).dataset());
        assertThat(tests).hasSize(library.size());
        for (int i = 0; i < library.size(); i++) {
            JsonNode t = tests.get(i);
            LikelihoodRatioTest.Step step = library.get(i);
            assertThat(t.get("components").asInt()).isEqualTo(step.components());
            assertThat(t.get("log_likelihood").asDouble()).isEqualTo(step.logLikelihood());
            assertThat(t.get("log_likelihood_more").asDouble()).isEqualTo(step.logLikelihoodMore());
            assertThat(t.get("statistic").asDouble()).isEqualTo(step.statistic());
            assertThat(t.get("p_value").asDouble()).isEqualTo(step.pValue());
            assertThat(t.get("significant").asBoolean()).isEqualTo(step.significant());
        }

        CliTest.Run text = emkit("select", faithful.toString(), "--components", "1-3", "--covariance", "EEE", "--lrt",
                "--lrt-bootstrap", "9");
        assertThat(text.status()).as(text.err()).isZero();
        assertThat(text.out()).contains("Bootstrap likelihood-ratio test, EEE").contains("1 vs 2").contains("p-value");

        CliTest.Run bad = emkit("select", faithful.toString(), "--lrt", "--lrt-bootstrap", "0");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--lrt-bootstrap must be at least 1").doesNotContain("Exception");
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
    void predictWritesUncertainty() throws IOException {
        // That fit accepts every structure name and fits that structure: CliAgainstLibraryTest.
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
        // One line per structure, each in its colour (by its place in mclust's order), and the chosen model's black marker.
        for (String t : new String[] {"EEE", "VVV", "VII"}) {
            int at = io.emkit.gaussian.covariance.CovarianceType.all().indexOf(io.emkit.gaussian.covariance.CovarianceType.parse(t));
            assertThat(PlotCliTest.coloured(image, at)).as(t).isGreaterThan(20);
        }
        assertThat(io.emkit.cli.plot.MixturePlotsTestAccess.pixelsOf(image, java.awt.Color.BLACK)).isGreaterThan(20);
        Path svg = dir.resolve("bic.svg");
        assertThat(emkit("select", faithful.toString(), "--components", "1-2", "--covariance", "EEE",
                "--plot", svg.toString(), "--json").status()).isZero();
        assertThat(java.nio.file.Files.readString(svg)).contains("<svg", "rgb(227,119,194)", "rgb(0,0,0)"); // EEE, 7th of 14
    }

    @Test
    void verboseShowsALinePerFitAndQuietNothing() {
        CliTest.Run v = emkit("select", faithful.toString(), "--components", "1-2", "--covariance", "VVV,EII",
                "--verbose");
        assertThat(v.status()).as(v.err()).isZero();
        assertThat(v.err().lines().filter(l -> l.startsWith("fit ")).toList()).hasSize(4)
                .allMatch(l -> l.matches("fit [1-4]/4: K=[12] (VVV|EII), BIC [0-9.]+, \\d+:\\d\\d elapsed.*"));
        CliTest.Run q = emkit("select", faithful.toString(), "--components", "1-2", "--covariance", "VVV,EII",
                "--quiet");
        assertThat(q.status()).as(q.err()).isZero();
        assertThat(q.err()).isEmpty();
        assertThat(q.out()).isEmpty();
        CliTest.Run plain = emkit("select", faithful.toString(), "--components", "1-2", "--covariance", "VVV,EII");
        assertThat(plain.err()).doesNotContain("fit 1/4");     // not a terminal: no status line
    }
}
