package io.emkit.cli.plot;

import io.emkit.data.Dataset;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.kmeans.KMeansModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.Color;
import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;

/** The k-means picture renders for 1, 2 and 5 columns to PNG and SVG of the asked size, in the clusters' colours. */
class KMeansPlotsTest {
    /** Centroids at the generating components' means: each cluster holds one component's rows. */
    static KMeansModel centroidsOf(GaussianMixtureModel m) {
        double[][] c = new double[m.components()][];
        for (int k = 0; k < c.length; k++) {
            c[k] = m.mean(k);
        }
        return KMeansModel.of(c).withFeatureNames(m.featureNames());
    }

    @ParameterizedTest(name = "{0} columns")
    @ValueSource(ints = {1, 2, 5})
    void rendersToPngAndSvgOfTheAskedSize(int d) throws Exception {
        GaussianMixtureModel truth = MixturePlotsTest.model(d);
        Dataset data = MixturePlotsTest.data(truth);
        KMeansModel km = centroidsOf(truth);
        Figure f = KMeansPlots.of(km, data, null, 700, 520);
        assertThat(f.width()).isEqualTo(700);
        assertThat(f.height()).isEqualTo(520);
        MixturePlotsTest.assertShowsComponents(MixturePlotsTest.png(f), 700, 520, MixturePlotsTest.K);
        MixturePlotsTest.assertSvg(f, 700, 520, MixturePlotsTest.K);
    }

    @ParameterizedTest(name = "{0} columns")
    @ValueSource(ints = {2, 5})
    void centroidsAreMarkedAndDimsChooseColumns(int d) throws Exception {
        GaussianMixtureModel truth = MixturePlotsTest.model(d);
        Dataset data = MixturePlotsTest.data(truth);
        KMeansModel km = centroidsOf(truth);
        BufferedImage pair = MixturePlotsTest.png(KMeansPlots.of(km, data, new int[] {d - 1, 0}, 640, 480));
        MixturePlotsTest.assertShowsComponents(pair, 640, 480, MixturePlotsTest.K);
        // The centroid diamonds are black; the rows and axes of a plain scatter hold almost none.
        assertThat(MixturePlotsTest.pixelsOf(pair, Color.BLACK)).as("black centroid marks").isGreaterThan(3 * 20);
        MixturePlotsTest.assertShowsComponents(MixturePlotsTest.png(KMeansPlots.of(km, data, new int[] {0}, 500, 400)),
                500, 400, MixturePlotsTest.K);
    }

    @ParameterizedTest(name = "{0} columns")
    @ValueSource(ints = {1, 2, 5})
    void modelPlotsDispatchesToTheSamePicture(int d) throws Exception {
        GaussianMixtureModel truth = MixturePlotsTest.model(d);
        Dataset data = MixturePlotsTest.data(truth);
        KMeansModel km = centroidsOf(truth);
        BufferedImage direct = MixturePlotsTest.png(KMeansPlots.of(km, data, null, 300, 200));
        BufferedImage viaModelPlots = MixturePlotsTest.png(ModelPlots.of(km, data, null, 300, 200));
        for (int y = 0; y < 200; y += 7) {
            for (int x = 0; x < 300; x += 7) {
                assertThat(viaModelPlots.getRGB(x, y)).isEqualTo(direct.getRGB(x, y));
            }
        }
    }
}
