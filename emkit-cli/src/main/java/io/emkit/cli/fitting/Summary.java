package io.emkit.cli.fitting;

import io.emkit.cli.CliSupport;
import io.emkit.cli.ClusterEngine;
import io.emkit.cli.Format;
import io.emkit.cli.WeightsColumn;
import io.emkit.data.Rows;
import io.emkit.em.EmResult;
import io.emkit.mixture.Assignment;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.em.MiniBatch;
import io.emkit.init.Initialization;
import io.emkit.student.DegreesOfFreedom;
import io.emkit.student.StudentMixture;
import io.emkit.student.StudentMixtureModel;
import io.emkit.noise.NoiseMixtureModel;

import java.util.List;

/** The readable summary {@code emkit fit} prints. */
final class Summary {
    private Summary() {
    }

    /** How a mini-batch fit ran, in a phrase: batches, passes, the step-size schedule, the order. */
    static String miniBatchRun(MiniBatch m, int rows) {
        int batches = m.batchesPerPass(rows);
        return "mini-batch EM: " + m.passes() + (m.passes() == 1 ? " pass" : " passes") + " of " + batches
                + (batches == 1 ? " batch" : " batches") + " of at most " + m.batchSize() + " rows ("
                + (long) batches * m.passes() + " updates, step size (t + 2)^-" + Format.num(m.stepExponent())
                + ", rows " + (m.shuffled() ? "shuffled" : "in file order") + ")";
    }

    /**
     * @param rows          the rows fitted
     * @param data          those rows, or {@code null} when another engine held them
     * @param logLikelihood the mixture log-likelihood of the fitted parameters: the fit's own, or for a hard
     *                      fit (whose objective is the classification log-likelihood) computed apart
     * @param counted       what the other engine counted of the rows it held, when {@code data} is {@code null}
     */
    static String of(String file, long rows, Rows data, GaussianMixture config, EmResult<GaussianMixtureModel> fit,
                     double logLikelihood, ClusterEngine.Counts counted) {
        GaussianMixtureModel m = fit.params();
        StringBuilder s = new StringBuilder();
        dataLines(s, file, rows, data, m, counted);
        s.append("model        Gaussian mixture, ").append(modelShape(m, "covariance")).append("\n");
        boolean isHard = config.assignment() == Assignment.HARD;
        s.append("fit          ");
        if (isHard) {
            s.append("classification EM (hard assignments), ");
        }
        if (config.miniBatch() != null) {
            s.append(miniBatchRun(config.miniBatch(), (int) rows));
        } else {
            howItEnded(s, fit, config.options().tolerance());
        }
        if (config.options().tolerance() > 0 && config.miniBatch() == null) {
            s.append(" (tolerance ").append(Format.setting(config.options().tolerance()))
                    .append(config.prior() != null ? " on the mean log posterior)"
                            : isHard ? " on the mean classification log-likelihood)" : " on the mean log-likelihood)");
        }
        // A warm start and hierarchical clustering are deterministic: one run, whatever --n-init says.
        boolean single = config.initialModel() != null
                || config.initialization() == Initialization.HIERARCHICAL && fit.search() == null;
        s.append("; ").append(single ? "best of 1 initialisation" : CliSupport.runsText(fit, config.options()))
                .append(" (").append(config.initialModel() != null ? "warm start"
                        : fit.search() != null ? "first start " + config.initialization().label()
                        : config.initialization().label())
                .append(", seed ").append(config.options().seed()).append(")\n\n");

        if (isHard) {
            s.append("classification  ").append(Format.fixed(fit.logLikelihood(), 4))
                    .append("   (log-likelihood with each row in its most probable component: what hard EM"
                            + " maximises)\n");
        }
        if (config.prior() != null) {
            s.append("log posterior   ").append(Format.fixed(fit.objective(), 4))
                    .append("   (log-likelihood + log prior density; the objective MAP-EM maximised; the"
                            + " log-likelihood below is at the posterior mode)\n");
        }
        criteria(s, logLikelihood, fit, weighted(data, counted));
        clusteringTable(s, clusterSizes(m, data, counted), -1, weighted(data, counted));
        parameters(s, m, null);
        return s.toString();
    }

    /** "converged after N iterations", "ran N iterations (tolerance 0 ...)" or "DID NOT CONVERGE in N iterations". */
    private static void howItEnded(StringBuilder s, EmResult<?> fit, double tolerance) {
        if (fit.converged()) {
            s.append("converged after ").append(fit.iterations()).append(" iteration").append(fit.iterations() == 1 ? "" : "s");
        } else if (tolerance == 0) {
            s.append("ran ").append(fit.iterations()).append(" iterations (tolerance 0: a fixed number of iterations)");
        } else {
            s.append("DID NOT CONVERGE in ").append(Format.count(fit.iterations(), "iteration"));
        }
    }

    /**
     * @param data    the rows at hand, or null
     * @param counted what another engine counted of its rows, or null
     * @return whether the rows fitted were weighted
     */
    static boolean weighted(Rows data, ClusterEngine.Counts counted) {
        return data != null ? data.isWeighted() : counted != null && counted.weighted();
    }

    /**
     * @param data    the rows at hand, or null
     * @param counted what another engine counted of its rows, or null
     * @return what the data line adds for weighted rows ({@link WeightsColumn#describe(double)}), or nothing
     */
    static String weightsNote(Rows data, ClusterEngine.Counts counted) {
        return data != null ? WeightsColumn.describe(data) : counted != null && counted.weighted()
                ? WeightsColumn.describe(counted.totalWeight()) : "";
    }

    /** The data line, and the missing values' line (of the rows at hand, or as another engine counted them). */
    private static void dataLines(StringBuilder s, String file, long rows, Rows data, GaussianMixtureModel m,
                                  ClusterEngine.Counts counted) {
        s.append(dataLine(file, rows, m.featureNames())).append(weightsNote(data, counted))
                .append("\n");
        s.append(missingLine(rows, data, m.dimension(), counted));
    }

    /**
     * The missing values' line of the rows fitted: of {@code data} when at hand, else as another engine counted
     * them; nothing when neither.
     */
    static String missingLine(long rows, Rows data, int columns, ClusterEngine.Counts counted) {
        return data != null ? CliSupport.missingLine(data.countMissing(), data)
                : counted != null ? CliSupport.missingLine(counted.missing(), rows, columns) : "";
    }

    /** What is missing in the rows fitted: of {@code data} when at hand, else as another engine counted it. */
    static Rows.MissingCounts missing(Rows data, ClusterEngine.Counts counted) {
        return data != null ? data.countMissing() : counted != null ? counted.missing() : new Rows.MissingCounts(0, 0);
    }

    /**
     * As {@link #clusterSizes(io.emkit.mixture.ClusteringModel, Rows)}, or as another engine counted them when the
     * rows are not at hand.
     */
    static long[] clusterSizes(io.emkit.mixture.ClusteringModel model, Rows data, ClusterEngine.Counts counted) {
        return data != null ? clusterSizes(model, data) : counted == null ? null : counted.clusterSizes();
    }

    /**
     * A summary's first line, without its end: "data         FILE: N rows, d columns (a, b)".
     *
     * @param file  the data as the user named them
     * @param rows  the rows fitted
     * @param names the columns fitted
     */
    static String dataLine(String file, long rows, List<String> names) {
        return "data         " + Format.dataName(file) + ": " + Format.count(rows, "row") + ", "
                + Format.count(names.size(), "column") + " (" + io.emkit.EmkitException.list(names) + ")";
    }

    /** How a t fit treats its degrees of freedom, for the "model" line. */
    static String degreesOfFreedom(DegreesOfFreedom dof) {
        return switch (dof.constraint()) {
            case FREE -> "free (one per component)";
            case EQUAL -> "equal (one for all components)";
            case FIXED -> "fixed at " + Format.num(dof.value());
        };
    }

    /**
     * E.g. "3 components, full covariance (mclust VVV)", or for one column mclust's univariate models: "2
     * components, unequal variances (mclust V, univariate)"; {@code matrix} names what the structure constrains.
     */
    private static String modelShape(GaussianMixtureModel m, String matrix) {
        CovarianceType t = m.covarianceType();
        String components = Format.count(m.components(), "component") + ", ";
        if (m.dimension() == 1) {
            String spread = matrix.equals("covariance") ? "variance" : "scale";
            String name = modelName(t, m.components(), 1);
            return components + switch (name) {
                case "X" -> "one " + spread + " (mclust X, univariate)";
                case "E" -> "equal " + spread + " (mclust E, univariate)";
                default -> "unequal " + spread + "s (mclust V, univariate)";
            };
        }
        return components + t.label() + " " + matrix
                + (t.label().equals(t.mclustName()) ? " (" + structure(t) + ")" : " (mclust " + t.mclustName() + ")");
    }

    /**
     * mclust's name of a model, where structures coincide under it: X for one component in one column, E
     * (equal variance) or V (unequal variances) for more, by the structure's volume, the only thing it
     * constrains in one column; XII, XXI or XXX for one component in more columns (spherical, diagonal,
     * ellipsoidal), where volume, shape and orientation have nothing to be equal to; else the structure's own name.
     *
     * @param t          the structure fitted
     * @param components the number of components
     * @param dimension  the number of columns
     * @return the name
     */
    static String modelName(CovarianceType t, int components, int dimension) {
        String n = t.mclustName();
        if (components == 1) {
            return dimension == 1 ? "X" : n.charAt(1) == 'I' ? "XII" : n.charAt(2) == 'I' ? "XXI" : "XXX";
        }
        return dimension == 1 ? n.substring(0, 1) : n;
    }

    /**
     * How many rows each component holds, each row in its most probable component (mclust's "clustering table");
     * a noise component's rows ({@code -1}) are not counted.
     *
     * @param model the fitted model
     * @param data  the rows fitted
     * @return the counts, or {@code null} when another engine held the rows
     */
    static long[] clusterSizes(io.emkit.mixture.ClusteringModel model, Rows data) {
        if (data == null) {
            return null;
        }
        long[] sizes = new long[model.components()];
        if (data instanceof io.emkit.data.Dataset rows) {
            count(model.predict(rows), sizes);
            return sizes;
        }
        // Rows read from disk (out of core): a block at a time, never all of them in memory.
        int d = data.columns();
        int block = Math.max(1, (1 << 20) / d);
        double[] buffer = new double[block * d];
        for (int from = 0; from < data.rows(); from += block) {
            int to = Math.min(data.rows(), from + block);
            data.copyRows(from, to, buffer);
            double[] rows = to - from == block ? buffer : java.util.Arrays.copyOf(buffer, (to - from) * d);
            count(model.predict(io.emkit.data.Dataset.wrap(rows, to - from, d, data.columnNames())), sizes);
        }
        return sizes;
    }

    private static void count(int[] labels, long[] sizes) {
        for (int label : labels) {
            if (label >= 0) {
                sizes[label]++;
            }
        }
    }

    /**
     * The clustering table: the rows in each component (and the noise's, unless {@code noiseRows} is negative),
     * ten components a line; nothing when {@code sizes} is {@code null}.
     *
     * @param weighted whether the rows carry weights (the table counts rows all the same)
     */
    static void clusteringTable(StringBuilder s, long[] sizes, long noiseRows, boolean weighted) {
        if (sizes == null) {
            return;
        }
        s.append("clustering table (").append(weighted ? "counts of rows, not of weight, " : "rows ")
                .append("by their most probable component):\n");
        List<String> heads = new java.util.ArrayList<>();
        List<String> cells = new java.util.ArrayList<>();
        for (int c = 0; c < sizes.length; c++) {
            heads.add(Integer.toString(c + 1));
            cells.add(Long.toString(sizes[c]));
        }
        if (noiseRows >= 0) {
            heads.add("noise");
            cells.add(Long.toString(noiseRows));
        }
        int width = 8;
        for (String c : cells) {
            width = Math.max(width, c.length() + 2);
        }
        for (int from = 0; from < heads.size(); from += 10) {
            int to = Math.min(heads.size(), from + 10);
            s.append(Format.pad("component", 11));
            for (int i = from; i < to; i++) {
                s.append(Format.padLeft(heads.get(i), width));
            }
            s.append('\n').append(Format.pad("rows", 11));
            for (int i = from; i < to; i++) {
                s.append(Format.padLeft(cells.get(i), width));
            }
            s.append('\n');
        }
        s.append('\n');
    }

    /**
     * The rows and the model in a fit's JSON, in the order every fit writes them: {@code n_samples},
     * {@code total_weight} (weighted rows only), {@code n_features}, {@code cluster_sizes} (when known), the missing
     * cells (when counted) and the model.
     *
     * @param o        the fit's JSON
     * @param rows     the rows fitted
     * @param data     the rows, or null when another engine holds them
     * @param features the model's features
     * @param sizes    the rows per component, or null
     * @param missing  what the data miss, or null
     * @param model    the model's JSON tree
     */
    static void putRowsAndModel(com.fasterxml.jackson.databind.node.ObjectNode o, long rows, Rows data, int features,
                                long[] sizes, Rows.MissingCounts missing, com.fasterxml.jackson.databind.JsonNode model) {
        putRowsAndModel(o, rows, data, null, features, sizes, missing, model);
    }

    /**
     * As {@link #putRowsAndModel(com.fasterxml.jackson.databind.node.ObjectNode, long, Rows, int, long[],
     * Rows.MissingCounts, com.fasterxml.jackson.databind.JsonNode)}, with {@code total_weight} of rows another
     * engine weighed and counted.
     */
    static void putRowsAndModel(com.fasterxml.jackson.databind.node.ObjectNode o, long rows, Rows data,
                                ClusterEngine.Counts counted, int features, long[] sizes, Rows.MissingCounts missing,
                                com.fasterxml.jackson.databind.JsonNode model) {
        o.put("n_samples", rows);
        if (data != null && data.isWeighted()) {
            o.put("total_weight", data.totalWeight());
        } else if (counted != null && counted.weighted()) {
            o.put("total_weight", counted.totalWeight());
        }
        o.put("n_features", features);
        putClusterSizes(o, sizes);
        if (missing != null) {
            io.emkit.cli.CliSupport.putMissing(o, missing);
        }
        o.set("model", model);
    }

    /**
     * Adds {@code cluster_sizes} to a fit's JSON, where the rows are at hand.
     *
     * @param sizes {@link #clusterSizes}
     */
    static void putClusterSizes(com.fasterxml.jackson.databind.node.ObjectNode o, long[] sizes) {
        if (sizes != null) {
            com.fasterxml.jackson.databind.node.ArrayNode a = o.putArray("cluster_sizes");
            for (long n : sizes) {
                a.add(n);
            }
        }
    }

    /**
     * The summary of a t mixture's fit: as a Gaussian mixture's, with each component's degrees of freedom
     * beside its weight and the scale matrices where a Gaussian has covariances.
     *
     * @param file          the data as the user named them
     * @param rows          the rows fitted
     * @param data          those rows, or {@code null} when another engine held them
     * @param config        the fit's configuration
     * @param fit           the fit
     * @param counted       what the other engine counted of the rows it held, when {@code data} is {@code null}
     */
    static String ofStudent(String file, long rows, Rows data, StudentMixture config, EmResult<StudentMixtureModel> fit,
                            ClusterEngine.Counts counted) {
        StudentMixtureModel t = fit.params();
        GaussianMixtureModel m = t.scales();
        GaussianMixture g = config.gaussian();
        StringBuilder s = new StringBuilder();
        dataLines(s, file, rows, data, m, counted);
        DegreesOfFreedom dof = config.degreesOfFreedom();
        s.append("model        t mixture, ").append(modelShape(m, "scale matrix")).append(", degrees of freedom ")
                .append(degreesOfFreedom(dof)).append("\n");
        s.append("fit          ECM ");
        howItEnded(s, fit, g.options().tolerance());
        if (g.options().tolerance() > 0) {
            s.append(" (tolerance ").append(Format.setting(g.options().tolerance())).append(g.prior() != null
                    ? " on the mean log posterior)" : " on the mean log-likelihood)");
        }
        boolean warm = config.initialModel() != null || g.initialModel() != null;
        boolean single = warm || g.initialization() == Initialization.HIERARCHICAL && fit.search() == null;
        s.append("; ").append(single ? "best of 1 initialisation" : CliSupport.runsText(fit, g.options()))
                .append(" (").append(warm ? "warm start" : fit.search() != null ? "Gaussian starts, first "
                        + g.initialization().label() : g.initialization().label())
                .append(", seed ").append(g.options().seed()).append(")\n\n");
        if (g.prior() != null) {
            s.append("log posterior   ").append(Format.fixed(fit.objective(), 4))
                    .append("   (log-likelihood + log prior density of the weights, locations and scale matrices; the"
                            + " objective MAP-EM maximised; the log-likelihood below is at the posterior mode)\n");
        }
        criteria(s, fit.logLikelihood(), fit, weighted(data, counted));
        clusteringTable(s, clusterSizes(t, data, counted), -1, weighted(data, counted));
        parameters(s, m, t.degreesOfFreedom());
        return s.toString();
    }

    static String ofNoise(String file, long rows, Rows data, GaussianMixture g, EmResult<NoiseMixtureModel> fit,
                          long noiseRows, ClusterEngine.Counts counted) {
        NoiseMixtureModel n = fit.params();
        GaussianMixtureModel m = n.gaussian();
        StringBuilder s = new StringBuilder();
        dataLines(s, file, rows, data, m, counted);
        s.append("model        Gaussian mixture with a uniform noise component, ").append(modelShape(m, "covariance"))
                .append("\n");
        s.append("fit          EM ");
        howItEnded(s, fit, g.options().tolerance());
        if (g.options().tolerance() > 0) {
            s.append(" (tolerance ").append(Format.setting(g.options().tolerance())).append(g.prior() != null
                    ? " on the mean log posterior)" : " on the mean log-likelihood)");
        }
        s.append("; ").append(fit.search() != null ? "search (" + fit.search().level() + "): " + fit.search().summary()
                : CliSupport.runsText(fit, g.options())).append(" (Gaussian starts on the rows not guessed noise, seed ")
                .append(g.options().seed()).append(")\n");
        s.append(NoiseFit.noiseLine(n.noiseWeight(), n.region(), rows, noiseRows)).append('\n');
        if (g.prior() != null) {
            s.append("log posterior   ").append(Format.fixed(fit.objective(), 4))
                    .append("   (log-likelihood + the Gaussian components' log prior density; the objective MAP-EM"
                            + " maximised; the log-likelihood below is at the posterior mode)\n");
        }
        criteria(s, fit.logLikelihood(), fit, weighted(data, counted));
        clusteringTable(s, clusterSizes(n, data, counted), noiseRows, weighted(data, counted));
        s.append("component weights are shares of all rows; with the noise's they sum to 1\n");
        parameters(s, m, null, n.weights());
        return s.toString();
    }

    /** The summary of a t mixture with a noise component: a noise fit's, with the degrees of freedom. */
    static String ofNoiseStudent(String file, long rows, Rows data, io.emkit.noise.NoiseStudentMixture config,
                                 EmResult<io.emkit.noise.NoiseStudentMixtureModel> fit, long noiseRows,
                                 ClusterEngine.Counts counted) {
        io.emkit.noise.NoiseStudentMixtureModel n = fit.params();
        GaussianMixtureModel m = n.student().scales();
        GaussianMixture g = config.gaussian();
        DegreesOfFreedom dof = config.degreesOfFreedom();
        StringBuilder s = new StringBuilder();
        dataLines(s, file, rows, data, m, counted);
        s.append("model        t mixture with a uniform noise component, ").append(modelShape(m, "scale matrix"))
                .append(", degrees of freedom ").append(degreesOfFreedom(dof)).append("\n");
        s.append("fit          ECM ");
        howItEnded(s, fit, g.options().tolerance());
        if (g.options().tolerance() > 0) {
            s.append(" (tolerance ").append(Format.setting(g.options().tolerance())).append(" on the mean log-likelihood)");
        }
        s.append("; ").append(fit.search() != null ? "search (" + fit.search().level() + "): " + fit.search().summary()
                : CliSupport.runsText(fit, g.options())).append(" (Gaussian starts on the rows not guessed noise, seed ")
                .append(g.options().seed()).append(")\n");
        s.append(NoiseFit.noiseLine(n.noiseWeight(), n.region(), rows, noiseRows)).append('\n');
        criteria(s, fit.logLikelihood(), fit, weighted(data, counted));
        clusteringTable(s, clusterSizes(n, data, counted), noiseRows, weighted(data, counted));
        s.append("component weights are shares of all rows; with the noise's they sum to 1\n");
        parameters(s, m, n.student().degreesOfFreedom(), n.weights());
        return s.toString();
    }

    /**
     * The parameters' part of a summary: a row per component (weight, degrees of freedom for a t mixture,
     * means), then the covariance matrices (a t mixture's scale matrices) in the structure's form.
     *
     * @param dof the degrees of freedom of a t mixture's components, or {@code null} for a Gaussian mixture
     */
    static void parameters(StringBuilder s, GaussianMixtureModel m, double[] dof) {
        parameters(s, m, dof, m.weights());
    }

    /** As {@link #parameters(StringBuilder, GaussianMixtureModel, double[])}, with the weights to show. */
    static void parameters(StringBuilder s, GaussianMixtureModel m, double[] dof, double[] w) {
        List<String> names = m.featureNames();
        int width = columnWidth(names);
        s.append(Format.pad("component", 11)).append(Format.padLeft("weight", 10));
        if (dof != null) {
            s.append(Format.padLeft("df", 12));
        }
        for (String n : names) {
            s.append(Format.padLeft("mean " + n, width + 5));
        }
        s.append('\n');
        for (int c = 0; c < m.components(); c++) {
            s.append(Format.pad(Integer.toString(c + 1), 11)).append(Format.padLeft(Format.fixed(w[c], 5), 10));
            if (dof != null) {
                s.append(Format.padLeft(Format.num(dof[c]), 12));
            }
            for (double v : m.mean(c)) {
                s.append(Format.padLeft(Format.num(v), width + 5));
            }
            s.append('\n');
        }
        s.append('\n');
        covariances(s, m, names, width, c -> "component " + (c + 1), "all components", dof == null ? "" : "scale ");
    }

    /** The width of a summary's columns of numbers: 12, or wider for long feature names. */
    static int columnWidth(List<String> names) {
        int width = 12;
        for (String n : names) {
            width = Math.max(width, n.length() + 2);
        }
        return width;
    }

    /**
     * The covariance section of a summary: a matrix per Gaussian, one shared matrix, a table of variances or one
     * variance per Gaussian, as the covariance type has them.
     *
     * @param label    names Gaussian c, e.g. "component 2" or "state 1, gaussian 2"
     * @param everyOne what a shared covariance is shared by, e.g. "all components"
     */
    static void covariances(StringBuilder s, GaussianMixtureModel m, List<String> names, int width,
                            java.util.function.IntFunction<String> label, String everyOne) {
        covariances(s, m, names, width, label, everyOne, "");
    }

    /**
     * The covariance section with a word before what it shows: {@code "scale "} for a t mixture, whose matrices
     * are scale matrices ("scale matrix of component 1", "scale variances"), {@code ""} for covariances.
     */
    private static void covariances(StringBuilder s, GaussianMixtureModel m, List<String> names, int width,
                                    java.util.function.IntFunction<String> label, String everyOne, String scale) {
        CovarianceType t = m.covarianceType();
        String matrix = scale.isEmpty() ? "covariance" : "scale matrix";
        int labelWidth = Math.max(21, label.apply(m.components() - 1).length() + 2);
        if (names.size() == 1) {
            // One column: every structure is a variance per Gaussian (V) or one for all (E), as mclust shows them.
            String what = (scale.isEmpty() ? "variance" : "scale variance") + " of " + names.get(0);
            if (t.equalVolume() && m.components() > 1) {
                s.append(what).append(" (shared by ").append(everyOne).append(")  ")
                        .append(Format.num(m.covariance(0)[0][0])).append('\n');
                return;
            }
            s.append(what).append(":\n");
            for (int c = 0; c < m.components(); c++) {
                s.append(Format.pad("  " + label.apply(c), labelWidth)).append(Format.num(m.covariance(c)[0][0]))
                        .append('\n');
            }
            return;
        }
        switch (t) {
            case FULL, EII, EEI, VEI, EVI, VEE, EVE, VVE, EEV, VEV, EVV -> {
                for (int c = 0; c < m.components(); c++) {
                    s.append(matrix).append(" of ").append(label.apply(c)).append(":\n");
                    matrix(s, m.covariance(c), names, width);
                }
            }
            case TIED -> {
                s.append(matrix).append(" (shared by ").append(everyOne).append("):\n");
                matrix(s, m.covariance(0), names, width);
            }
            case DIAG -> {
                s.append(Format.pad(scale + "variances", labelWidth));
                for (String n : names) {
                    s.append(Format.padLeft(n, width + 5));
                }
                s.append('\n');
                for (int c = 0; c < m.components(); c++) {
                    s.append(Format.pad(label.apply(c), labelWidth));
                    double[][] cov = m.covariance(c);
                    for (int j = 0; j < names.size(); j++) {
                        s.append(Format.padLeft(Format.num(cov[j][j]), width + 5));
                    }
                    s.append('\n');
                }
            }
            case SPHERICAL -> {
                s.append(scale).append("variance (the same in every direction):\n");
                for (int c = 0; c < m.components(); c++) {
                    s.append("  ").append(label.apply(c)).append("  ").append(Format.num(m.covariance(c)[0][0])).append('\n');
                }
            }
            default -> throw new AssertionError(t);
        }
    }

    /**
     * The log-likelihood, BIC and AIC lines of a likelihood fit's summary; n is the fit's number of rows or,
     * for weighted rows, their total weight.
     */
    static void criteria(StringBuilder s, double logLikelihood, EmResult<?> fit, boolean weighted) {
        double n = fit.sampleCount();
        int p = fit.parameterCount();
        s.append("log-likelihood  ").append(Format.fixed(logLikelihood, 4))
                .append("   (").append(weighted ? "per unit of weight " : "per row ")
                .append(Format.num(logLikelihood / n)).append(")\n");
        s.append("BIC             ").append(Format.fixed(-2 * logLikelihood + p * Math.log(n), 4))
                .append("   (-2 logL + p ln n, lower is better; p = ").append(p)
                .append(" free parameters, n = ").append(Format.amount(n))
                .append(weighted ? ", the total weight)\n" : ")\n");
        s.append("AIC             ").append(Format.fixed(-2 * logLikelihood + 2.0 * p, 4))
                .append("   (-2 logL + 2p, lower is better)\n\n");
    }

    private static void matrix(StringBuilder s, double[][] m, List<String> names, int width) {
        s.append(Format.pad("", width));
        for (String n : names) {
            s.append(Format.padLeft(n, width + 2));
        }
        s.append('\n');
        for (int i = 0; i < m.length; i++) {
            s.append(Format.pad("  " + names.get(i), width));
            for (double v : m[i]) {
                s.append(Format.padLeft(Format.num(v), width + 2));
            }
            s.append('\n');
        }
    }

    /** E.g. "varying volume, equal shape, varying orientation" for VEV. */
    private static String structure(CovarianceType t) {
        String n = t.mclustName();
        String volume = n.charAt(0) == 'E' ? "equal volume" : "varying volume";
        if (n.charAt(1) == 'I') {
            return volume + ", spherical";
        }
        String shape = n.charAt(1) == 'E' ? "equal shape" : "varying shape";
        String orientation = switch (n.charAt(2)) {
            case 'I' -> "axis-aligned";
            case 'E' -> "equal orientation";
            default -> "varying orientation";
        };
        return volume + ", " + shape + ", " + orientation;
    }
}
