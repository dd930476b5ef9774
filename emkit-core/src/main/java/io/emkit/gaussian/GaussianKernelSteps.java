package io.emkit.gaussian;

import io.emkit.em.PartitionSteps;

/**
 * Partition steps that run the Gaussian mixture's E-step kernel with something around it (a check of the rows, a
 * restriction of labelled rows to their class's components): their empty statistics are the kernel's. Shared by
 * the variational and the semi-supervised Gaussian fits, whose partition steps differ only in what they do around
 * the kernel.
 */
public interface GaussianKernelSteps extends PartitionSteps<GaussianMixtureModel, GaussianStatistics> {
    /** @return the Gaussian mixture's steps run on each partition */
    GaussianMixtureSteps kernel();

    @Override
    default GaussianStatistics emptyStatistics(GaussianMixtureModel params) {
        return kernel().emptyStatistics(params);
    }
}
