package io.emkit.kernels;

import io.emkit.gaussian.GaussianMixture;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The kernels the fits of this JVM run are the ones asked for: the portable kernels under
 * {@code -Demkit.kernels=scalar} (the pom's {@code scalar-kernels} execution, whose fit tests would otherwise
 * silently run the SIMD kernels again), the SIMD kernels where the hardware has 256-bit vectors otherwise, at
 * 512 bits where the JVM prefers them unless {@code -Demkit.vector.bits=256} (the pom's {@code vector-256}
 * execution, whose tests would otherwise run at 512 bits again).
 */
class KernelsInUseTest {
    @Test
    void theFitsRunTheKernelsAskedFor() {
        String expected = BlockKernelsTest.vectorKernelsApply() ? "vector-" + BlockKernelsTest.expectedVectorBits()
                : "scalar";
        assertEquals(expected, GaussianMixture.kernels(), "emkit.kernels=" + System.getProperty("emkit.kernels")
                + ", emkit.vector.bits=" + System.getProperty("emkit.vector.bits") + ", preferred double vector " + BlockKernelsTest.preferredDoubleVectorBits() + " bits");
        assertEquals(expected, BlockWorkspace.KERNELS.name());
    }

    /**
     * Small fits run the portable kernels (the SIMD ones would not be compiled before the fit ends), big ones
     * the fastest; the choice depends on the sizes only.
     */
    @Test
    void smallFitsRunThePortableKernelsAndBigOnesTheFastest() {
        assertEquals("scalar", BlockKernels.forSize(272, 3).name());
        assertEquals("scalar", BlockKernels.forSize(BlockKernels.SIMD_MIN_ROW_COMPONENTS / 4 - 1, 4).name());
        assertEquals(BlockWorkspace.KERNELS.name(), BlockKernels.forSize(BlockKernels.SIMD_MIN_ROW_COMPONENTS / 4, 4)
                .name());
        assertEquals(BlockWorkspace.KERNELS.name(), BlockKernels.forSize(100_000, 16).name());
    }
}
