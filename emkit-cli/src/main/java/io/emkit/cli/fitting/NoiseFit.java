package io.emkit.cli.fitting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.EmkitException;
import io.emkit.cli.CliSupport;
import io.emkit.cli.ClusterEngine;
import io.emkit.cli.Format;
import io.emkit.data.Dataset;
import io.emkit.data.Rows;
import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.io.ModelFiles;
import io.emkit.mixture.ClusteringModel;
import io.emkit.noise.MixtureBesideNoise;
import io.emkit.noise.NoiseMixture;
import io.emkit.noise.NoiseMixtureModel;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code emkit fit --noise}: a Gaussian mixture with a uniform noise component, fitted from the Gaussian
 * mixture the other options describe. Shares every option with the Gaussian fit but those a noise component does
 * not take yet; on another engine ({@code --engine spark}) by the fit's distributed plan, with the same output.
 */
final class NoiseFit {
    private NoiseFit() {
    }

    static int run(FitCommand cmd, GaussianMixture gaussian) {
        CommandLine cl = cmd.spec.commandLine();
        var parse = cl.getParseResult();
        CliSupport.refuseOptions(parse, List.of("--family", "--assignment", "--hard", "--mini-batch",
                "--bootstrap", "--plot", "--plot-trace", "--report", "--out-of-core"),
                o -> o + " is not available with a noise component yet; it cannot be combined with --noise");
        if (cmd.distribution.isT()) {
            return NoiseStudentFit.run(cmd, gaussian);
        }
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        NoiseMixture config = NoiseMixture.like(gaussian.initialModel(null)).neighbours(cmd.noise.neighbours);
        if (cmd.initModel != null) {
            config = config.initialModel(initialModel(cmd.initModel, NoiseMixtureModel.class,
                    "a model with a noise component (fit one with --noise --model-out)"));
        }
        Dataset dataset = null;
        EmResult<NoiseMixtureModel> fit;
        long rows;
        long noiseRows;
        ClusterEngine.Counts counted = null;
        if (!cmd.engine.isLocal()) {
            NoiseMixture plan = config;
            EngineFit<NoiseMixtureModel> onEngine = EngineFit.run(cmd, columns -> plan.distributed());
            fit = onEngine.fit();
            rows = onEngine.rows();
            counted = onEngine.counted();
            // Every row is labelled: those not in a component's count are the noise's.
            noiseRows = rows - java.util.Arrays.stream(counted.clusterSizes()).sum();
        } else {
            dataset = cmd.rowsInThisJvm("a noise component is fitted", "--noise", true);
            fit = config.fit(dataset);
            rows = dataset.rows();
            noiseRows = noiseRows(fit.params(), dataset);
        }
        if (cmd.output.modelOut != null) {
            ModelFiles.write(fit.params(), cmd.output.modelOut, CliSupport.provenance(cl, cmd.dataLabel(), rows,
                    fit.params().dimension(), cmd.em.seed, fit, fit.logLikelihood()));
        }
        Dataset fitted = dataset;
        ClusterEngine.Counts engineCounts = counted;
        long noise = noiseRows;
        cmd.output.print(out, err, () -> toJson(fit, rows, fitted, noise, gaussian.prior() != null, engineCounts),
                () -> Summary.ofNoise(cmd.dataLabel(), rows, fitted, gaussian, fit, noise, engineCounts),
                fit.warnings());
        return 0;
    }

    /**
     * How many rows of a fit the noise component explains best: counted here, or, on another engine, every row not
     * in a component's count (each row is labelled).
     */
    static long noiseRows(FactorFit.Fitted<? extends io.emkit.noise.MixtureBesideNoise<?>> done) {
        if (done.counted() != null) {
            return done.rows() - java.util.Arrays.stream(done.counted().clusterSizes()).sum();
        }
        return noiseRows(done.fit().params(), (Dataset) done.data());
    }

    /** How many rows the noise component explains best. */
    static int noiseRows(io.emkit.mixture.ClusteringModel model, Dataset data) {
        int count = 0;
        for (int label : model.predict(data)) {
            count += label == NoiseMixtureModel.NOISE ? 1 : 0;
        }
        return count;
    }

    /**
     * The JSON result: a Gaussian fit's keys (with {@code log_posterior} under a prior), then the noise's weight, rows
     * and region.
     */
    static String toJson(EmResult<NoiseMixtureModel> fit, long rows, Rows dataset, long noiseRows, boolean map,
                         ClusterEngine.Counts counted) {
        ObjectNode o = CliSupport.fitJson(fit);
        if (map) {
            o.put("log_posterior", fit.objective());
        }
        NoiseMixtureModel m = fit.params();
        putNoise(o, m, noiseRows);
        Summary.putRowsAndModel(o, rows, dataset, counted, m.dimension(), Summary.clusterSizes(m, dataset, counted),
                Summary.missing(dataset, counted), ModelFiles.toTree(m));
        return CliSupport.finishJson(o, fit, "log_likelihood_trace", 1);
    }

    /** The noise line of a summary. */
    static String noiseLine(double noiseWeight, io.emkit.noise.NoiseRegion region, long rows, long noiseRows) {
        return "noise        weight " + Format.fixed(noiseWeight, 5) + ", density " + Format.num(Math.exp(
                -region.logVolume())) + " over the data's " + (region.principal() ? "principal-axes" : "bounding")
                + " box (volume " + Format.num(Math.exp(region.logVolume())) + "); " + noiseRows + " of " + rows
                + " rows most probably noise\n";
    }

    /** Puts the noise's keys in a JSON result: its weight, its rows, its region's log volume and kind. */
    static void putNoise(ObjectNode o, MixtureBesideNoise<?> m, long noiseRows) {
        o.put("noise_weight", m.noiseWeight());
        o.put("noise_rows", noiseRows);
        o.put("noise_log_volume", m.region().logVolume());
        o.put("noise_region", m.region().principal() ? "principal" : "bounding");
    }

    /** The model of a warm start's file, refused (naming the file) when it is not {@code what}. */
    static <M extends ClusteringModel> M initialModel(java.nio.file.Path file, Class<M> type, String what) {
        ClusteringModel start = ModelFiles.read(file);
        if (!type.isInstance(start)) {
            throw new EmkitException(file + ": not " + what);
        }
        return type.cast(start);
    }
}
