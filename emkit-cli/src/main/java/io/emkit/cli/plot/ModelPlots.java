package io.emkit.cli.plot;

import io.emkit.data.Dataset;
import io.emkit.mixture.ClusteringModel;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.kmeans.KMeansModel;
import io.emkit.families.ProductMixtureModel;

import java.util.List;

/** The picture of any fitted clustering model over its data: the one entry point for commands and reports. */
public final class ModelPlots {
    private ModelPlots() {
    }

    /**
     * Draws a model over data as its kind asks: {@link MixturePlots} for a Gaussian mixture, {@link KMeansPlots}
     * for k-means, {@link ProductMixturePlots} for a mixture of independent columns.
     *
     * @param model  the fitted model
     * @param data   rows with the model's features, in its order
     * @param dims   the columns to show (from 0; one or two), or {@code null} for the default
     * @param width  width in pixels
     * @param height height in pixels
     * @return the figure
     * @throws IllegalArgumentException for a kind of model with no picture
     */
    public static Figure of(ClusteringModel model, Dataset data, int[] dims, int width, int height) {
        return of(model, data, dims, PlotKind.CLASSIFICATION, width, height);
    }

    /**
     * Draws one kind of picture of a model over data.
     *
     * @param model  the fitted model
     * @param data   rows with the model's features, in its order
     * @param dims   the columns to show (from 0; one or two), or {@code null} for the default
     * @param kind   which picture: every model has its classification; a Gaussian mixture also its uncertainty
     *               and density
     * @param width  width in pixels
     * @param height height in pixels
     * @return the figure
     * @throws io.emkit.EmkitException for an uncertainty or density picture of another kind of model
     */
    public static Figure of(ClusteringModel model, Dataset data, int[] dims, PlotKind kind, int width, int height) {
        return of(model, data, dims, kind, null, width, height);
    }

    /**
     * Draws one kind of picture of a model over data, each component named with its class where the model has
     * classes (a fit with a labels column, or classify): "component 1 (setosa)", as the report's tables name it.
     *
     * @param model   the fitted model
     * @param data    rows with the model's features, in its order
     * @param dims    the columns to show (from 0; one or two), or {@code null} for the default
     * @param kind    which picture (see {@link #of(ClusteringModel, Dataset, int[], PlotKind, int, int)})
     * @param classes each component's class (as many as the model's components), or {@code null} for none
     * @param width   width in pixels
     * @param height  height in pixels
     * @return the figure
     * @throws io.emkit.EmkitException for an uncertainty or density picture of another kind of model
     * @throws IllegalArgumentException for classes not one per component
     */
    public static Figure of(ClusteringModel model, Dataset data, int[] dims, PlotKind kind, List<String> classes,
                            int width, int height) {
        requireKind(model, kind);
        if (classes != null && classes.size() != model.components()) {
            throw new IllegalArgumentException(classes.size() + " component classes for " + model.components()
                    + " components");
        }
        if (model instanceof GaussianMixtureModel g) {
            return MixturePlots.of(g, data, dims, kind, classes, width, height);
        }
        if (model instanceof KMeansModel k) {
            return KMeansPlots.of(k, data, dims, width, height);
        }
        if (model instanceof ProductMixtureModel p) {
            return ProductMixturePlots.of(p, data, dims, classes, width, height);
        }
        throw new IllegalArgumentException("no picture for a " + model.getClass().getSimpleName());
    }

    /**
     * Refuses, in one line, a model the pictures do not draw yet.
     *
     * @param model the model to draw
     * @throws IllegalArgumentException for a t mixture or a mixture with a noise component
     */
    public static void requireDrawable(ClusteringModel model) {
        String what = model instanceof io.emkit.student.StudentMixtureModel ? "t mixtures"
                : model instanceof io.emkit.noise.NoiseMixtureModel ? "mixtures with a noise component" : null;
        if (what != null) {
            throw new IllegalArgumentException(what + " have no pictures yet (plot and report draw Gaussian"
                    + " mixtures, k-means models and mixtures of independent columns)");
        }
    }

    /**
     * Refuses, in one line, a picture the model has not.
     *
     * @param model the model to draw
     * @param kind  the picture asked for
     * @throws io.emkit.EmkitException for an uncertainty or density picture of anything but a Gaussian mixture
     */
    public static void requireKind(ClusteringModel model, PlotKind kind) {
        requireDrawable(model);
        if (kind != PlotKind.CLASSIFICATION && !(model instanceof GaussianMixtureModel)) {
            throw new io.emkit.EmkitException("the " + kind.label() + " picture is drawn for Gaussian mixtures only;"
                    + " this model has its classification picture (the default)");
        }
    }

    /**
     * @param model a fitted model
     * @return how many of its columns the default picture shows at most
     */
    public static int defaultColumns(ClusteringModel model) {
        return model instanceof ProductMixtureModel ? ProductMixturePlots.MAX_PANELS : MixturePlots.MAX_MATRIX_COLUMNS;
    }
}
