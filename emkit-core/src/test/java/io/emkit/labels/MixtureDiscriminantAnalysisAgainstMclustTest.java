package io.emkit.labels;

import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.select.Candidate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * MclustDA (a mixture per class) against mclust 6.0.0's {@code MclustDA(iris[, 1:4], iris$Species)}
 * ({@code reference/mclust/make-mclustda-fixtures.R}): the model chosen for each class, the classes' BIC tables,
 * the whole model's log-likelihood, df and BIC, the training classes, 10-fold cross-validation on mclust's own
 * folds, and {@code predict(fit, prop = c(0.2, 0.3, 0.5))}.
 */
class MixtureDiscriminantAnalysisAgainstMclustTest {
    private static MixtureDiscriminantAnalysis.Result fit;

    @BeforeAll
    static void fitIris() {
        fit = MixtureDiscriminantAnalysis.mclustDA().regCovar(0).fit(TestData.iris(), species());
    }

    private static ClassLabels species() {
        List<String[]> rows = SemiSupervisedAgainstMclustTest.csv("iris-ssc-classes.csv");
        String[] cells = new String[150];
        for (int i = 0; i < 150; i++) {
            cells[i] = rows.get(i + 1)[1];
        }
        return ClassLabels.of(cells);
    }

    @Test
    void eachClassGetsMclustsModelAndTheWholeModelMclustsBic() {
        List<String[]> expected = SemiSupervisedAgainstMclustTest.csv("iris-mclustda.csv");
        for (int g = 0; g < 3; g++) {
            String[] row = expected.get(g + 1);
            MixtureDiscriminantAnalysis.ClassModel c = fit.classes().get(g);
            assertThat(c.name()).isEqualTo(row[0]);
            Candidate chosen = c.chosen();
            assertThat(chosen.components()).as("G of %s", row[0]).isEqualTo(Integer.parseInt(row[2]));
            // At G = 1 mclust names the model by its shape (XXX: full); the parameter count tells the shape.
            if (!row[1].startsWith("X")) {
                assertThat(chosen.covariance().mclustName()).as("model of %s", row[0]).isEqualTo(row[1]);
            }
            assertThat(chosen.parameterCount()).as("df of %s", row[0]).isEqualTo(Integer.parseInt(row[4]));
            assertThat(chosen.bic()).as("BIC of %s", row[0]).isCloseTo(-Double.parseDouble(row[5]), within(0.1));
        }
        String[] all = expected.get(4);
        assertThat(fit.parameters()).isEqualTo(Integer.parseInt(all[4]));
        assertThat(fit.logLikelihood()).isCloseTo(Double.parseDouble(all[3]), within(0.05));
        assertThat(fit.bic()).isCloseTo(-Double.parseDouble(all[5]), within(0.1));
    }

    /**
     * Every cell mclust fits properly, emkit fits at least as well. mclust's fits of 11 cells sit on rows recorded
     * alike (iris is recorded to 0.1 cm; in those a component's variance in some column is below the 0.1²/12 that
     * rounding adds, by make-mclustda-rounding.R, mclust's own parameters): 9 of setosa's (VEI, VEE and VEV with 3–5
     * components) and virginica's VEV with 4 and 5. emkit ranks such fits as spurious (GaussianMixtureModel's
     * recording-step rules: the same script finds no other cell whose variance along some direction is below an
     * eighth of the rounding's), so its cells there are proper fits or failures, below mclust's spikes; they are
     * counted apart.
     */
    @Test
    void everyCellOfTheClassesBicTablesIsMclustsToATenthOrBetter() {
        java.util.Set<String> tied = new java.util.HashSet<>();
        for (String[] row : SemiSupervisedAgainstMclustTest.csv("iris-mclustda-rounding.csv").subList(1, 3 * 70 + 1)) {
            if (!row[4].equals("NA") && (Double.parseDouble(row[4]) < 1 || Double.parseDouble(row[5]) < 0.125)) {
                tied.add(row[0] + "," + row[1] + "," + row[2]);
            }
        }
        assertThat(tied).hasSize(11);
        List<String> worse = new ArrayList<>();
        int cells = 0;
        int same = 0;
        int onTies = 0;
        for (String[] row : SemiSupervisedAgainstMclustTest.csv("iris-mclustda-bic.csv").subList(1, 3 * 70 + 1)) {
            if (row[3].equals("NA")) {
                continue;
            }
            if (tied.contains(row[0] + "," + row[1] + "," + row[2])) {
                onTies++;
                continue;
            }
            MixtureDiscriminantAnalysis.ClassModel c = fit.classes().stream().filter(m -> m.name().equals(row[0]))
                    .findFirst().orElseThrow();
            Candidate mine = c.candidates().stream().filter(x -> x.covariance().mclustName().equals(row[1])
                    && x.components() == Integer.parseInt(row[2])).findFirst().orElseThrow();
            double theirs = -Double.parseDouble(row[3]);
            cells++;
            if (!mine.succeeded() || mine.bic() > theirs + 0.1) {
                worse.add(String.join(",", row) + ": emkit " + (mine.succeeded() ? mine.bic() : mine.failure()));
            } else if (Math.abs(mine.bic() - theirs) <= 0.1) {
                same++;
            }
        }
        // 174 cells, 11 of them on ties; of the 163 others 135 the same, 27 better (most raised by the selection's
        // starts from neighbouring cells) and one worse: versicolor's VVE with 4 components, whose M-step's inner
        // iteration (which mclust stops earlier, see SemiSupervisedAgainstMclustTest) leads to another local optimum.
        assertThat(worse).hasSizeLessThanOrEqualTo(1).allMatch(w -> w.contains(",VVE,"));
        assertThat(cells + onTies).isEqualTo(174);
        assertThat(onTies).isEqualTo(11);
        assertThat(same).isGreaterThanOrEqualTo(130);
    }

    @Test
    void theResultIsTheSameBitsForAnyThreadCount() {
        MixtureDiscriminantAnalysis.Result[] runs = new MixtureDiscriminantAnalysis.Result[2];
        int[] threads = {1, 3};
        for (int t = 0; t < 2; t++) {
            runs[t] = MixtureDiscriminantAnalysis.mclustDA().regCovar(0).options(io.emkit.em.EmOptions.defaults()
                    .withAcceleration(io.emkit.em.Acceleration.NONE).withThreads(threads[t]))
                    .fit(TestData.iris(), species());
        }
        assertThat(runs[1].bic()).isEqualTo(runs[0].bic());
        assertThat(runs[1].model().mixture().weights()).isEqualTo(runs[0].model().mixture().weights());
        assertThat(runs[1].model().mixture().means()).isDeepEqualTo(runs[0].model().mixture().means());
        assertThat(runs[0].bic()).isEqualTo(fit.bic());
    }

    @Test
    void trainingClassesAndClassPriorsAreMclusts() {
        List<String[]> expected = SemiSupervisedAgainstMclustTest.csv("iris-mclustda-predict.csv");
        Dataset iris = TestData.iris();
        int[] predicted = fit.model().predictClasses(iris);
        LabelledGaussianMixture skewed = fit.model().withClassPriors(new double[] {0.2, 0.3, 0.5});
        double[][] p = skewed.classProbabilities(iris);
        int[] skewedClasses = skewed.predictClasses(iris);
        for (int i = 0; i < 150; i++) {
            String[] row = expected.get(i + 1);
            assertThat(fit.model().classNames().get(predicted[i])).as("row %d", i + 1).isEqualTo(row[1]);
            assertThat(skewed.classNames().get(skewedClasses[i])).as("row %d, priors", i + 1).isEqualTo(row[2]);
            for (int g = 0; g < 3; g++) {
                assertThat(p[i][g]).as("row %d class %d", i + 1, g).isCloseTo(Double.parseDouble(row[3 + g]), within(1e-6));
            }
        }
        assertThat(skewed.classPriors()).containsExactly(new double[] {0.2, 0.3, 0.5}, within(1e-12));
    }

    @Test
    void tenFoldCrossValidationOnMclustsFoldsGivesMclustsErrorAndBrierScore() {
        List<String[]> folds = SemiSupervisedAgainstMclustTest.csv("iris-mclustda-folds.csv");
        int[] foldOfRow = new int[150];
        for (int i = 0; i < 150; i++) {
            foldOfRow[i] = Integer.parseInt(folds.get(i + 1)[1]) - 1;
        }
        String[] cv = SemiSupervisedAgainstMclustTest.csv("iris-mclustda-cv.csv").get(1);
        ClassLabels labels = species();
        DiscriminantAnalysis.CrossValidation result = MixtureDiscriminantAnalysis.mclustDA().regCovar(0).crossValidate(
                TestData.iris(), labels, fit.classes().stream().map(MixtureDiscriminantAnalysis.ClassModel::chosen).toList(),
                MixtureDiscriminantAnalysis.classPriors(TestData.iris(), labels), foldOfRow);
        assertThat(result.error()).isCloseTo(Double.parseDouble(cv[1]), within(1e-12));
        assertThat(result.brier()).isCloseTo(Double.parseDouble(cv[2]), within(1e-6));
        for (int i = 0; i < 150; i++) {
            assertThat(labels.names().get(result.predicted()[i])).as("row %d", i + 1).isEqualTo(folds.get(i + 1)[2]);
        }
    }
}
