package io.emkit.cli.plot;

import io.emkit.data.Dataset;
import io.emkit.families.ColumnFamily;
import io.emkit.families.ProductMixtureModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The picture of a mixture of independent columns renders for 1, 2 and 5 columns (every family) to PNG and SVG of
 * the asked size, in the components' colours.
 */
class ProductMixturePlotsTest {
    static final int K = 3;
    static final ColumnFamily[] ORDER = {
        ColumnFamily.GAUSSIAN, ColumnFamily.CATEGORICAL, ColumnFamily.POISSON, ColumnFamily.BERNOULLI, ColumnFamily.EXPONENTIAL,
    };

    static double[] parameters(ColumnFamily f, int c) {
        return switch (f) {
            case GAUSSIAN -> new double[] {5.0 * c, 1.0 + c};
            case CATEGORICAL -> c == 0 ? new double[] {0.7, 0.2, 0.1, 0.0} : c == 1 ? new double[] {0.1, 0.6, 0.2, 0.1}
                    : new double[] {0.05, 0.05, 0.2, 0.7};
            case POISSON -> new double[] {2.0 + 8.0 * c};
            case BERNOULLI -> new double[] {0.15 + 0.35 * c};
            case EXPONENTIAL -> new double[] {1.0 / (1.0 + 3.0 * c)};
        };
    }

    static ProductMixtureModel model(List<ColumnFamily> families) {
        double[][][] p = new double[families.size()][K][];
        List<String> names = new ArrayList<>();
        List<List<String>> cats = new ArrayList<>();
        for (int j = 0; j < families.size(); j++) {
            for (int c = 0; c < K; c++) {
                p[j][c] = parameters(families.get(j), c);
            }
            names.add(families.get(j).label() + (j + 1));
            cats.add(families.get(j) == ColumnFamily.CATEGORICAL ? List.of("red", "green", "blue", "other") : null);
        }
        return ProductMixtureModel.of(new double[] {0.5, 0.3, 0.2}, families, p, cats, names);
    }

    static void assertRenders(ProductMixtureModel m, int[] dims, int width, int height) throws Exception {
        Dataset data = m.sample(800, 11).data();
        Figure f = ProductMixturePlots.of(m, data, dims, width, height);
        assertThat(f.width()).isEqualTo(width);
        assertThat(f.height()).isEqualTo(height);
        MixturePlotsTest.assertShowsComponents(MixturePlotsTest.png(f), width, height, K);
        MixturePlotsTest.assertSvg(f, width, height, K);
    }

    @ParameterizedTest(name = "one {0} column")
    @EnumSource(ColumnFamily.class)
    void oneColumnOfEachFamilyRenders(ColumnFamily family) throws Exception {
        assertRenders(model(List.of(family)), null, 640, 480);
    }

    @ParameterizedTest(name = "{0} columns")
    @ValueSource(ints = {2, 5})
    void severalColumnsRenderAPanelEach(int d) throws Exception {
        assertRenders(model(List.of(ORDER).subList(0, d)), null, 900, 650);
    }

    @Test
    void dimsChooseThePanels() throws Exception {
        ProductMixtureModel m = model(List.of(ORDER));
        assertRenders(m, new int[] {4}, 500, 400);
        assertRenders(m, new int[] {2, 1}, 800, 400);
    }

    @Test
    void componentCurvesIntegrateToTheirWeights() {
        // The drawn densities are the model's: on a fine grid, each weighted Gaussian density integrates to its
        // weight, and each weighted Poisson mass sums to its weight over whole numbers.
        ProductMixtureModel m = model(List.of(ColumnFamily.GAUSSIAN, ColumnFamily.POISSON));
        double[] grid = new double[20001];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = -20 + 60.0 * i / (grid.length - 1);
        }
        double[][] g = ProductMixturePlots.weightedDensities(m, 0, grid);
        double[] counts = new double[200];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = i;
        }
        double[][] pois = ProductMixturePlots.weightedDensities(m, 1, counts);
        double[] w = m.weights();
        for (int c = 0; c < K; c++) {
            double area = 0;
            for (int i = 1; i < grid.length; i++) {
                area += 0.5 * (g[c][i] + g[c][i - 1]) * (grid[i] - grid[i - 1]);
            }
            assertThat(area).isCloseTo(w[c], org.assertj.core.data.Offset.offset(1e-6));
            double mass = 0;
            for (double v : pois[c]) {
                mass += v;
            }
            assertThat(mass).isCloseTo(w[c], org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void pointsOutsideTheSupportHaveNoDensity() {
        ProductMixtureModel m = model(List.of(ColumnFamily.EXPONENTIAL));
        double[][] d = ProductMixturePlots.weightedDensities(m, 0, new double[] {-1, 0.5});
        for (int c = 0; c < K; c++) {
            assertThat(d[c][0]).isZero();
            double rate = parameters(ColumnFamily.EXPONENTIAL, c)[0];
            assertThat(d[c][1]).isCloseTo(m.weights()[c] * rate * Math.exp(-rate * 0.5), org.assertj.core.data.Offset.offset(1e-12));
        }
        BufferedImage image = ProductMixturePlots.of(m, m.sample(300, 1).data(), null, 400, 300).toImage();
        assertThat(image.getWidth()).isEqualTo(400);
    }
}
