package io.emkit.em;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The search's short starts made ahead on the threads: while the search waits for a start that is slow to make (a
 * Gaussian mixture's hierarchical start builds a tree first), the threads it leaves idle make the starts after it,
 * and the answer is the one the search gives making each start when it takes it.
 */
class SearchLookaheadTest {

    /** How many other starts the slow one waits for: more than a window of one start per thread would ever make. */
    private static final int OTHERS_AWAITED = 4;

    private static double[] data() {
        SplittableRandom r = new SplittableRandom(7);
        double[] x = new double[300];
        for (int i = 0; i < x.length; i++) {
            x[i] = 3 + r.nextGaussian();
        }
        return x;
    }

    /**
     * A fit whose first start made waits until {@link #OTHERS_AWAITED} other starts have been made, at most 30 s
     * ({@code slow} false: no start waits); {@code waitedOut} is set if it waited that long.
     */
    private static EmResult<Double> fit(int threads, boolean slow, AtomicBoolean waitedOut) {
        ExpectationMaximizationEngineTest.MeanSteps steps = new ExpectationMaximizationEngineTest.MeanSteps();
        double[] x = data();
        steps.lastN = x.length;
        AtomicBoolean firstTaken = new AtomicBoolean();
        CountDownLatch others = new CountDownLatch(OTHERS_AWAITED);
        AtomicInteger made = new AtomicInteger();
        SearchSpace<Double> space = SearchSpace.of("start", random -> {
            double start = 3 + 10 * (random.nextDouble() - 0.5);
            made.incrementAndGet();
            if (slow && firstTaken.compareAndSet(false, true)) {
                try {
                    waitedOut.set(!others.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                others.countDown();
            }
            return start;
        }, x.length, true);
        EmResult<Double> fit = ExpectationMaximization.fit(steps, x, space,
                EmOptions.defaults().withThreads(threads).withBlockSize(64).withSeed(3));
        assertThat(made.get()).as("starts made").isGreaterThan(OTHERS_AWAITED);
        return fit;
    }

    @Test
    void theIdleThreadsMakeTheStartsAfterASlowOneAndTheAnswerIsTheSame() {
        AtomicBoolean waitedOut = new AtomicBoolean();
        EmResult<Double> ahead = fit(2, true, waitedOut);
        // With one start per thread made ahead, the slow start would wait for starts nobody makes until it is done.
        assertThat(waitedOut).as("the slow start waited 30 s for the others").isFalse();
        EmResult<Double> oneByOne = fit(1, false, new AtomicBoolean());
        assertThat(Double.doubleToRawLongBits(ahead.params())).isEqualTo(Double.doubleToRawLongBits(oneByOne.params()));
        assertThat(ahead.logLikelihood()).isEqualTo(oneByOne.logLikelihood());
        assertThat(ahead.trace()).isEqualTo(oneByOne.trace());
        assertThat(ahead.search().summary()).isEqualTo(oneByOne.search().summary());
    }
}
