package io.emkit.kernels;

import io.emkit.data.Dataset;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.em.EmResult;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thread's reusable workspace ({@link BlockWorkspace#reusable}): kept per thread for the same features, kernels and
 * precision only, holding no data once released, and nothing of one use reaching the next — a fit on a thread whose
 * workspace held other data gives the bits of the same fit on a fresh thread.
 */
class ReusableWorkspaceTest {
    @Test
    void aThreadGetsItsLastWorkspaceBackOnlyForTheSameFeaturesKernelsAndPrecision() throws Exception {
        BlockWorkspace first = BlockWorkspace.reusable(3, BlockKernels.PORTABLE, false);
        // Not released yet: a second use on the thread gets a workspace of its own.
        BlockWorkspace inner = BlockWorkspace.reusable(3, BlockKernels.PORTABLE, false);
        assertThat(inner).isNotSameAs(first);
        inner.release();
        first.release();
        assertThat(BlockWorkspace.reusable(3, BlockKernels.PORTABLE, false)).isSameAs(inner);
        inner.release();
        BlockWorkspace four = BlockWorkspace.reusable(4, BlockKernels.PORTABLE, false);
        four.release();
        assertThat(four).isNotSameAs(inner);
        assertThat(BlockWorkspace.reusable(4, BlockKernels.PORTABLE, true)).isNotSameAs(four);
        int wide = BlockWorkspace.REUSABLE_MAX_FEATURES + 1;
        assertThat(BlockWorkspace.reusable(wide, BlockKernels.PORTABLE, false))
                .isNotSameAs(BlockWorkspace.reusable(wide, BlockKernels.PORTABLE, false));
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            BlockWorkspace there = other.submit(() -> {
                BlockWorkspace ws = BlockWorkspace.reusable(3, BlockKernels.PORTABLE, false);
                ws.release();
                return ws;
            }).get();
            BlockWorkspace here = BlockWorkspace.reusable(3, BlockKernels.PORTABLE, false);
            here.release();
            assertThat(there).isNotSameAs(here);
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aReleasedWorkspaceHoldsNoRowsAndTheRowsPastALoadAreZero() {
        BlockWorkspace ws = BlockWorkspace.reusable(2, BlockKernels.PORTABLE, false);
        double[] huge = new double[BlockWorkspace.ROWS * 2];
        java.util.Arrays.fill(huge, 1e300);
        ws.load(huge, 0, BlockWorkspace.ROWS);
        ws.release();
        assertThat(ws.source).isNull();
        assertThat(ws.rows).isZero();
        ws.load(new double[] {1, 2, 3, 4, 5, 6}, 0, 3);
        int padded = BlockWorkspace.padded(3);
        assertThat(padded).isGreaterThan(3);
        for (int l = 0; l < 2; l++) {
            for (int i = 0; i < padded; i++) {
                double expected = i < 3 ? 1 + 2 * i + l : 0.0;
                assertThat(ws.xt[l * BlockWorkspace.ROWS + i]).as("feature %d, row %d", l, i).isEqualTo(expected);
            }
        }
    }

    @Test
    void aFitAfterOneOfOtherDataOnTheSameThreadIsTheFitOnAFreshThread() throws Exception {
        // 300 rows: a full block and a part block of 44 rows, padded; both fits have two features.
        Dataset other = Dataset.of(rows(700, 1e6, 2), java.util.List.of("x", "y"));
        assertTheFitOnAFreshThread(Dataset.of(rows(300, 1.0, 1), java.util.List.of("x", "y")), () -> fit(other));
    }

    @Test
    void rowsOfHugeValuesLeftInAWorkspaceDoNotReachTheNextFitOnTheThread() throws Exception {
        // 100 rows: one part block, whose padding rows the kernels compute on; the thread's workspace last held
        // values whose squares overflow.
        assertTheFitOnAFreshThread(Dataset.of(rows(100, 1.0, 3), java.util.List.of("x", "y")),
                () -> BlockWorkspace.withReusable(2, BlockKernels.PORTABLE, false, ws -> {
                    double[] huge = new double[BlockWorkspace.ROWS * 2];
                    java.util.Arrays.fill(huge, 1e300);
                    ws.load(huge, 0, BlockWorkspace.ROWS);
                    return 0;
                }));
    }

    /** {@code data}'s fit on a thread that first ran {@code before} is its fit on a fresh thread, to the bit. */
    private static void assertTheFitOnAFreshThread(Dataset data, Runnable before) throws Exception {
        ExecutorService fresh = Executors.newSingleThreadExecutor();
        ExecutorService used = Executors.newSingleThreadExecutor();
        try {
            EmResult<GaussianMixtureModel> alone = fresh.submit(() -> fit(data)).get();
            EmResult<GaussianMixtureModel> after = used.submit(() -> {
                before.run();
                return fit(data);
            }).get();
            assertThat(after.logLikelihood()).isEqualTo(alone.logLikelihood());
            assertThat(after.params().means()).isDeepEqualTo(alone.params().means());
            assertThat(after.params().weights()).isEqualTo(alone.params().weights());
        } finally {
            fresh.shutdownNow();
            used.shutdownNow();
        }
    }

    private static EmResult<GaussianMixtureModel> fit(Dataset data) {
        // On the calling thread; rows × components small enough for the portable kernels.
        return GaussianMixture.withComponents(3).seed(7).threads(1).fit(data);
    }

    /** Three clusters of two features, scaled by {@code scale}. */
    private static double[][] rows(int n, double scale, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[n][2];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            x[i][0] = scale * (4 * c + random.nextGaussian());
            x[i][1] = scale * (c == 1 ? 5 + random.nextGaussian() : random.nextGaussian());
        }
        return x;
    }
}
