package io.emkit.gaussian;

import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.em.IterationEvent;
import io.emkit.em.IterationListener;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.mixture.Assignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The search's short starts computed ahead on several threads (small data, where one E-step runs on one
 * thread) decide exactly as one at a time: the same fit, the same report and the same progress events in the
 * same order, also where the search stops early and drops starts computed ahead, and where starts repeat.
 */
class ConcurrentStartsTest {

    /** 6,000 rows in 3-D from six clusters, two pairs of them close: big enough for the early stop. */
    private static Dataset sixClusters() {
        SplittableRandom random = new SplittableRandom(11);
        double[][] centres = {{0, 0, 0}, {3, 0, 0}, {8, 8, 0}, {8, 11, 0}, {0, 10, 6}, {10, 0, 7}};
        double[][] rows = new double[6000][];
        for (int i = 0; i < rows.length; i++) {
            double[] c = centres[i % centres.length];
            rows[i] = new double[] {c[0] + random.nextGaussian(), c[1] + random.nextGaussian(),
                    c[2] + 0.7 * random.nextGaussian()};
        }
        return Dataset.of(rows);
    }

    /** What a listener saw, without the times. */
    private static final class Recorder implements IterationListener {
        final List<String> seen = new ArrayList<>();
        final String thread = Thread.currentThread().getName();
        boolean otherThread;

        @Override
        public void onIteration(IterationEvent e) {
            otherThread |= !Thread.currentThread().getName().equals(thread);
            seen.add(e.initialization() + "/" + e.initializations() + " " + e.iteration() + " "
                    + Double.doubleToLongBits(e.objective()) + " " + Double.doubleToLongBits(e.meanChange()));
        }

        @Override
        public void onRunFinished(int initialization, double objective, boolean converged) {
            otherThread |= !Thread.currentThread().getName().equals(thread);
            seen.add("end " + initialization + " " + Double.doubleToLongBits(objective) + " " + converged);
        }
    }

    @Test
    void startsComputedAheadGiveTheSameFitReportAndEventsAsOneAtATime() {
        Dataset data = sixClusters();
        for (CovarianceType type : new CovarianceType[] {CovarianceType.FULL, CovarianceType.SPHERICAL}) {
            Recorder oneRecorder = new Recorder();
            EmResult<GaussianMixtureModel> one = GaussianMixture.withComponents(6).covarianceType(type).seed(7)
                    .threads(1).listener(oneRecorder).fit(data);
            // The early stop is what drops starts computed ahead: make sure it happened (the level plans 50).
            assertThat(one.search().shortStarts()).as(type.toString()).isLessThan(50);
            for (int threads : new int[] {2, 3}) {
                Recorder recorder = new Recorder();
                EmResult<GaussianMixtureModel> other = GaussianMixture.withComponents(6).covarianceType(type).seed(7)
                        .threads(threads).listener(recorder).fit(data);
                assertThat(other.params()).as(type + ", %d threads", threads).isEqualTo(one.params());
                assertThat(other.objective()).isEqualTo(one.objective());
                assertThat(other.search()).isEqualTo(one.search());
                assertThat(recorder.seen).as(type + ", %d threads", threads).isEqualTo(oneRecorder.seen);
                assertThat(recorder.otherThread).as("events on the fit's thread only").isFalse();
            }
        }
    }

    /**
     * Every kind of Gaussian fit whose starts run at once on small data: the same bits on 1 and 3 threads with
     * row weights, missing values, hard assignments, a prior, and a structure fitted by an inner iteration.
     */
    @ParameterizedTest
    @ValueSource(strings = {"weights", "missing", "hard", "prior", "VEV"})
    void everyKindOfFitIsTheSameWithStartsComputedAhead(String kind) {
        Dataset data = sixClusters();
        GaussianMixture config = GaussianMixture.withComponents(6).seed(4);
        switch (kind) {
            case "weights" -> {
                double[] w = new double[data.rows()];
                for (int i = 0; i < w.length; i++) {
                    w[i] = 1 + i % 3;
                }
                data = data.withWeights(w);
            }
            case "missing" -> data = MissingValuesTest.removeCells(data, 0.05, 9);
            case "hard" -> config = config.assignment(Assignment.HARD);
            case "prior" -> config = config.prior(GaussianPrior.defaults());
            default -> config = config.covarianceType(CovarianceType.parse(kind));
        }
        EmResult<GaussianMixtureModel> one = config.threads(1).fit(data);
        EmResult<GaussianMixtureModel> three = config.threads(3).fit(data);
        assertThat(three.params()).as(kind).isEqualTo(one.params());
        assertThat(three.objective()).isEqualTo(one.objective());
        assertThat(three.search()).isEqualTo(one.search());
    }

    @Test
    void repeatedStartsAreRecognisedWhenComputedAhead() {
        // Well-separated clusters: greedy k-means++ and converged Lloyd land on the same partition again and
        // again, and a start computed ahead must still count as a repeat, not as a run.
        SplittableRandom random = new SplittableRandom(2);
        double[][] rows = new double[400][];
        for (int i = 0; i < rows.length; i++) {
            int g = i % 4;
            rows[i] = new double[] {10 * g + random.nextGaussian(), (g % 2) * 10 + random.nextGaussian()};
        }
        Dataset data = Dataset.of(rows);
        EmResult<GaussianMixtureModel> one = GaussianMixture.withComponents(4).threads(1).fit(data);
        assertThat(one.search().repeatedStarts()).isPositive();
        EmResult<GaussianMixtureModel> three = GaussianMixture.withComponents(4).threads(3).fit(data);
        assertThat(three.search()).isEqualTo(one.search());
        assertThat(three.params()).isEqualTo(one.params());
    }
}
