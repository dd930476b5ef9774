package io.emkit.labels;

import io.emkit.EmkitException;
import io.emkit.TestData;
import io.emkit.data.Dataset;
import io.emkit.em.Acceleration;
import io.emkit.em.EmOptions;
import io.emkit.gaussian.covariance.CovarianceType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * EDDA against mclust 6.0.0's {@code MclustDA(modelType = "EDDA")} on iris ({@code reference/mclust/make-edda-fixtures.R}):
 * every structure's BIC, the choice, and 10-fold cross-validation on mclust's own folds.
 */
class DiscriminantAnalysisAgainstMclustTest {
    private static final DiscriminantAnalysis EDDA = DiscriminantAnalysis.edda().regCovar(0)
            .options(EmOptions.defaults().withTolerance(1e-13).withMaxIterations(100_000)
                    .withAcceleration(Acceleration.NONE));

    private static ClassLabels species() {
        List<String[]> rows = SemiSupervisedAgainstMclustTest.csv("iris-ssc-classes.csv");
        String[] cells = new String[150];
        for (int i = 0; i < 150; i++) {
            cells[i] = rows.get(i + 1)[1];
        }
        return ClassLabels.of(cells);
    }

    @Test
    void everyStructuresBicIsMclustsToATenthAndTheChoiceIsVev() {
        DiscriminantAnalysis.Result r = EDDA.fit(TestData.iris(), species());
        List<String[]> expected = SemiSupervisedAgainstMclustTest.csv("iris-edda.csv");
        List<String> worse = new ArrayList<>();
        int same = 0;
        for (String[] row : expected.subList(1, 15)) {
            CovarianceType type = CovarianceType.parse(row[0]);
            DiscriminantAnalysis.Candidate c = r.candidates().stream().filter(x -> x.type() == type).findFirst().orElseThrow();
            assertThat(c.parameters()).as("df of %s", row[0]).isEqualTo(Integer.parseInt(row[2]));
            // mclust's BIC is 2 logL - p ln n, emkit's -2 logL + p ln n.
            double mclustBic = -Double.parseDouble(row[3]);
            if (c.bic() > mclustBic + 0.1) {
                worse.add(row[0] + ": emkit " + c.bic() + ", mclust " + mclustBic);
            }
            same += Math.abs(c.bic() - mclustBic) <= 0.1 ? 1 : 0;
        }
        assertThat(worse).isEmpty();
        // VVE: mclust's M-step stops its inner iteration early (see SemiSupervisedAgainstMclustTest); the rest agree.
        assertThat(same).isGreaterThanOrEqualTo(13);
        assertThat(r.chosen().type()).isEqualTo(CovarianceType.VEV);
        assertThat(r.chosen().bic()).isCloseTo(555.8024, within(0.1));
        assertThat(r.chosen().logLikelihood()).isCloseTo(-187.7097, within(1e-3));
        int[] predicted = r.model().predictClasses(TestData.iris());
        int wrong = 0;
        ClassLabels labels = species();
        for (int i = 0; i < 150; i++) {
            wrong += labels.names().get(labels.classOf(i)).equals(r.model().classNames().get(predicted[i])) ? 0 : 1;
        }
        assertThat(wrong).as("training errors (mclust: 0.02 of 150)").isEqualTo(3);
    }

    @Test
    void tenFoldCrossValidationOnMclustsFoldsGivesMclustsErrorAndBrierScore() {
        List<String[]> folds = SemiSupervisedAgainstMclustTest.csv("iris-edda-folds.csv");
        int[] foldOfRow = new int[150];
        for (int i = 0; i < 150; i++) {
            foldOfRow[i] = Integer.parseInt(folds.get(i + 1)[1]) - 1;
        }
        String[] cv = SemiSupervisedAgainstMclustTest.csv("iris-edda-cv.csv").get(1);
        ClassLabels labels = species();
        DiscriminantAnalysis.CrossValidation result = EDDA.crossValidate(TestData.iris(), labels, CovarianceType.VEV,
                foldOfRow);
        assertThat(result.error()).isCloseTo(Double.parseDouble(cv[2]), within(1e-12));
        assertThat(result.brier()).isCloseTo(Double.parseDouble(cv[3]), within(1e-5));
        for (int i = 0; i < 150; i++) {
            assertThat(labels.names().get(result.predicted()[i])).as("row %d", i + 1).isEqualTo(folds.get(i + 1)[2]);
        }
    }

    @Test
    void balancedFoldsSpreadEachClassAndRefuseMoreFoldsThanAClassHasRows() {
        ClassLabels labels = species();
        int[] folds = DiscriminantAnalysis.balancedFolds(labels, 10, 3);
        int[][] count = new int[10][3];
        for (int i = 0; i < 150; i++) {
            count[folds[i]][labels.classOf(i)]++;
        }
        for (int[] f : count) {
            assertThat(f).containsExactly(5, 5, 5);
        }
        assertThat(DiscriminantAnalysis.balancedFolds(labels, 10, 3)).isEqualTo(folds);
        assertThatThrownBy(() -> DiscriminantAnalysis.balancedFolds(labels, 51, 0)).isInstanceOf(EmkitException.class)
                .hasMessageStartingWith("--cv 51 is larger than class 'setosa', which has 50 rows");
        assertThatThrownBy(() -> EDDA.fit(TestData.iris(), ClassLabels.of(new String[149]))).isInstanceOf(EmkitException.class);
        String[] one = new String[150];
        one[0] = "a";
        Dataset iris = TestData.iris();
        assertThatThrownBy(() -> EDDA.fit(iris, ClassLabels.of(one))).hasMessageStartingWith("row 2 has no class");
    }
}
