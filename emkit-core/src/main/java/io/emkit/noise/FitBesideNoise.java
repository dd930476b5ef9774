package io.emkit.noise;

import io.emkit.data.Dataset;
import io.emkit.em.DistributedFit;
import io.emkit.em.EmResult;
import io.emkit.em.SufficientStatistics;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;

import java.util.List;
import java.util.Objects;

/**
 * What the fits of a mixture beside the noise (t components, factor analysers) configure and run the same way: the
 * noise's configuration ({@link NoiseMixture}: the Gaussian settings and the noise guess), a warm start, and the fit
 * by {@link NoiseMixture#fitBeside} or, on another engine, {@link NoiseMixture#distributedBeside}. A subclass adds
 * its mixture's own settings, steps and starts. Immutable; each setter returns a changed copy.
 *
 * @param <N> the model with the noise
 * @param <S> the statistics of the mixture beside the noise
 * @param <F> the subclass, which the setters return
 */
abstract class FitBesideNoise<N extends MixtureBesideNoise<?>, S extends SufficientStatistics<S>,
        F extends FitBesideNoise<N, S, F>> {
    /** The noise's configuration, with the Gaussian one the fit takes its settings and starts from. */
    final NoiseMixture noise;
    /** The warm start, or {@code null} for the guess and the search. */
    final N initialModel;

    FitBesideNoise(NoiseMixture noise, N initialModel) {
        this.noise = Objects.requireNonNull(noise, "noise");
        this.initialModel = initialModel;
    }

    /** The subclass's copy with this noise configuration and warm start, its own settings unchanged. */
    abstract F with(NoiseMixture noise, N initialModel);

    /**
     * @return the E- and M-step of this configuration
     */
    public abstract StepsBesideNoise<?, S, N> steps();

    /** A Gaussian start of the rows not guessed noise as a start of this model, the noise at {@code share}. */
    abstract N start(GaussianMixtureModel gaussian, double share, NoiseRegion region);

    /**
     * The model named after the data's columns. Every model beside the noise is a final class whose
     * {@link MixtureBesideNoise#withFeatureNames} returns its own class, so the cast holds.
     */
    @SuppressWarnings("unchecked")
    private N named(N model, List<String> names) {
        return (N) model.withFeatureNames(names);
    }

    /** Refuses data the mixture beside the noise cannot fit, beyond the noise's own checks; none by default. */
    void checkData(Dataset data) {
    }

    /**
     * @param k the neighbour whose distance the noise guess uses (at least 1)
     * @return a changed copy
     */
    public F neighbours(int k) {
        return with(noise.neighbours(k), initialModel);
    }

    /**
     * @param flags one per row of the data {@link #fit} will get, true for the rows to start as noise; {@code null}
     *              to guess them
     * @return a changed copy
     */
    public F initialNoise(boolean[] flags) {
        return with(noise.initialNoise(flags), initialModel);
    }

    /**
     * @param model start EM from these parameters (one run) instead of the guess and the search; {@code null} for
     *              the guess
     * @return a changed copy
     */
    public F initialModel(N model) {
        return with(noise, model);
    }

    /** @return the Gaussian configuration the fit takes its settings and starts from */
    public GaussianMixture gaussian() {
        return noise.gaussian();
    }

    /**
     * Fits the mixture and the noise to the rows of {@code data}.
     *
     * @param data rows, weighted or not; missing values ({@code NaN}) allowed
     * @return the model (named after the data's columns) and how the fit went
     * @throws io.emkit.EmkitException if the data cannot be fitted, with a message saying why
     */
    public EmResult<N> fit(Dataset data) {
        checkData(data);
        return noise.fitBeside(data, initialModel, steps(), this::start, this::named);
    }

    /**
     * This fit with its E-steps run by another engine — Spark — through the same loop as {@link #fit(Dataset)}: the
     * noise region, the guess of the starting noise and the starts come from the sample the engine passes, as
     * {@link NoiseMixture#distributed()}'s do (all the rows, in order, when there are few enough: then the fit is
     * this machine's); every E-step visits all the rows, missing values included.
     *
     * @return the partition kernel and the loop around it
     */
    public DistributedFit<N, StatisticsBesideNoise<S>> distributed() {
        return noise.distributedBeside(initialModel, steps(), this::start, this::named, this::checkData);
    }
}
