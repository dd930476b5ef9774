package io.emkit.kernels;

import io.emkit.gaussian.GaussianMixture;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The kernels the fits of this JVM run are the ones asked for: the portable kernels under
 * {@code -Demkit.kernels=scalar} (the pom's {@code scalar-kernels} execution, whose fit tests would otherwise
 * silently run the SIMD kernels again), the SIMD kernels where the hardware has 256-bit vectors otherwise.
 */
class KernelsInUseTest {
    @Test
    void theFitsRunTheKernelsAskedFor() {
        String expected = BlockKernelsTest.vectorKernelsApply() ? "vector-256" : "scalar";
        assertEquals(expected, GaussianMixture.kernels(), "emkit.kernels=" + System.getProperty("emkit.kernels")
                + ", preferred double vector " + BlockKernelsTest.preferredDoubleVectorBits() + " bits");
        assertEquals(expected, BlockWorkspace.KERNELS.name());
    }
}
