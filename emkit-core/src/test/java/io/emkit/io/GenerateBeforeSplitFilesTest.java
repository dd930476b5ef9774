package io.emkit.io;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.families.ColumnFamily;
import io.emkit.families.ProductMixture;
import io.emkit.families.ProductMixtureModel;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.hmm.CategoricalEmission;
import io.emkit.hmm.GaussianEmission;
import io.emkit.hmm.HiddenMarkov;
import io.emkit.hmm.HiddenMarkovModel;
import io.emkit.hmm.PoissonEmission;
import io.emkit.hmm.Sequences;
import io.emkit.kmeans.KMeans;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** TEMPORARY: writes model files of every kind with the code before the codec split. */
class GenerateBeforeSplitFilesTest {
    @Test
    void generate() throws Exception {
        Path out = Path.of("src/test/resources/model-files/v-before-split");
        Files.createDirectories(out);
        Dataset iris = TestData.iris();
        for (CovarianceType type : CovarianceType.values()) {
            ModelFiles.write(GaussianMixture.withComponents(3).covarianceType(type).seed(3).fit(iris).params(),
                    out.resolve("gaussian-mixture-" + type.label() + ".json"));
        }
        ModelFiles.write(KMeans.withClusters(3).seed(2).fit(iris).params(), out.resolve("kmeans.json"));

        List<ColumnFamily> families = List.of(ColumnFamily.GAUSSIAN, ColumnFamily.POISSON, ColumnFamily.BERNOULLI,
                ColumnFamily.CATEGORICAL, ColumnFamily.EXPONENTIAL);
        List<List<String>> cats = Arrays.asList(null, null, null, List.of("red", "green", "yellow"), null);
        ProductMixtureModel truth = ProductMixtureModel.of(new double[] {0.3, 0.7}, families,
                new double[][][] {{{0.0, 1.0}, {3.0, 2.0}}, {{2.0}, {7.0}}, {{0.2}, {0.7}},
                        {{0.6, 0.3, 0.1}, {0.1, 0.3, 0.6}}, {{1.0}, {0.2}}},
                cats, List.of("height", "visits", "member", "colour", "wait"));
        ModelFiles.write(ProductMixture.withComponents(2).families(families).categoryNames(cats).seed(1)
                .fit(truth.sample(500, 11).data()).params(), out.resolve("product-mixture.json"));

        HiddenMarkovModel gaussTruth = HiddenMarkovModel.of(new double[] {0.6, 0.3, 0.1},
                new double[][] {{0.90, 0.07, 0.03}, {0.05, 0.85, 0.10}, {0.10, 0.10, 0.80}},
                GaussianEmission.full(new double[][] {{0, 0}, {4, 1}, {-2, 4}},
                        new double[][][] {{{1.0, 0.3}, {0.3, 0.8}}, {{0.6, -0.2}, {-0.2, 1.1}},
                                {{1.2, 0.0}, {0.0, 0.5}}}));
        Sequences seqs = gaussTruth.sample(3, 100, 1).observations().withFeatureNames(List.of("x", "y"));
        for (CovarianceType type : List.of(CovarianceType.FULL, CovarianceType.DIAG, CovarianceType.SPHERICAL,
                CovarianceType.TIED, CovarianceType.VEV)) {
            ModelFiles.writeHmm(HiddenMarkov.gaussian(3, type).maxIterations(5).seed(1).fit(seqs).params(),
                    out.resolve("hmm-gaussian-" + type.label() + ".json"));
            ModelFiles.writeHmm(HiddenMarkov.gaussianMixture(2, 2, type).maxIterations(5).seed(1).fit(seqs).params(),
                    out.resolve("hmm-gmm-" + type.label() + ".json"));
        }
        HiddenMarkovModel cat = HiddenMarkovModel.of(new double[] {0.3, 0.7}, new double[][] {{0.9, 0.1}, {0.2, 0.8}},
                CategoricalEmission.of(new double[][] {{0.1, 0.2, 0.7}, {0.5, 0.3, 0.2}}));
        ModelFiles.writeHmm(HiddenMarkov.categorical(2).maxIterations(5).seed(1)
                .fit(cat.sample(3, 80, 1).observations()).params(), out.resolve("hmm-categorical.json"));
        HiddenMarkovModel poi = HiddenMarkovModel.of(new double[] {0.5, 0.5}, new double[][] {{0.8, 0.2}, {0.25, 0.75}},
                PoissonEmission.of(new double[][] {{0.5, 3.0}, {6.0, 1.0}}));
        ModelFiles.writeHmm(HiddenMarkov.poisson(2).maxIterations(5).seed(1)
                .fit(poi.sample(3, 80, 1).observations().withFeatureNames(List.of("calls", "mails"))).params(),
                out.resolve("hmm-poisson.json"));
    }
}
