package io.emkit.cli;

import io.emkit.data.Rows;
import io.emkit.em.EmResult;
import io.emkit.mixture.CovarianceType;
import io.emkit.mixture.GaussianMixture;
import io.emkit.mixture.GaussianMixtureModel;

import java.util.List;

/** The readable summary {@code emkit fit} prints. */
final class Summary {
    private Summary() {
    }

    static String of(String file, Rows data, GaussianMixture config, EmResult<GaussianMixtureModel> fit) {
        GaussianMixtureModel m = fit.params();
        StringBuilder s = new StringBuilder();
        List<String> names = m.featureNames();
        s.append("data         ").append(file).append(": ").append(data.rows()).append(" rows, ")
                .append(data.columns()).append(" columns (").append(String.join(", ", names)).append(")\n");
        s.append(CliSupport.missingLine(data.countMissing(), data));
        CovarianceType t = m.covarianceType();
        s.append("model        Gaussian mixture, ").append(m.components()).append(" component")
                .append(m.components() == 1 ? "" : "s").append(", ").append(t.label()).append(" covariance")
                .append(t.label().equals(t.mclustName()) ? " (" + structure(t) + ")" : " (mclust " + t.mclustName() + ")")
                .append("\n");
        s.append("fit          ");
        if (fit.converged()) {
            s.append("converged after ").append(fit.iterations()).append(" iteration").append(fit.iterations() == 1 ? "" : "s");
        } else if (config.options().tolerance() == 0) {
            s.append("ran ").append(fit.iterations()).append(" iterations (tolerance 0: a fixed number of iterations)");
        } else {
            s.append("DID NOT CONVERGE in ").append(fit.iterations()).append(" iterations");
        }
        if (config.options().tolerance() > 0) {
            s.append(" (tolerance ").append(Format.num(config.options().tolerance()))
                    .append(" on the mean log-likelihood)");
        }
        int nInit = config.options().initializations();
        s.append("; best of ").append(nInit).append(" initialisation").append(nInit == 1 ? "" : "s")
                .append(" (").append(config.initialModel() != null ? "warm start" : config.initialization().label())
                .append(", seed ").append(config.options().seed()).append(")\n\n");

        s.append("log-likelihood  ").append(Format.fixed(fit.logLikelihood(), 4))
                .append("   (per row ").append(Format.num(fit.meanLogLikelihood())).append(")\n");
        s.append("BIC             ").append(Format.fixed(fit.bic(), 4))
                .append("   (-2 logL + p ln n, lower is better; p = ").append(fit.parameterCount())
                .append(" free parameters, n = ").append(data.rows()).append(")\n");
        s.append("AIC             ").append(Format.fixed(fit.aic(), 4)).append("   (-2 logL + 2p, lower is better)\n\n");

        int width = 12;
        for (String n : names) {
            width = Math.max(width, n.length() + 2);
        }
        s.append(Format.pad("component", 11)).append(Format.padLeft("weight", 10));
        for (String n : names) {
            s.append(Format.padLeft("mean " + n, width + 5));
        }
        s.append('\n');
        double[] w = m.weights();
        for (int c = 0; c < m.components(); c++) {
            s.append(Format.pad(Integer.toString(c + 1), 11)).append(Format.padLeft(Format.fixed(w[c], 5), 10));
            for (double v : m.mean(c)) {
                s.append(Format.padLeft(Format.num(v), width + 5));
            }
            s.append('\n');
        }
        s.append('\n');
        switch (t) {
            case FULL, EII, EEI, VEI, EVI, VEE, EVE, VVE, EEV, VEV, EVV -> {
                for (int c = 0; c < m.components(); c++) {
                    s.append("covariance of component ").append(c + 1).append(":\n");
                    matrix(s, m.covariance(c), names, width);
                }
            }
            case TIED -> {
                s.append("covariance (shared by all components):\n");
                matrix(s, m.covariance(0), names, width);
            }
            case DIAG -> {
                s.append(Format.pad("variances", 21));
                for (String n : names) {
                    s.append(Format.padLeft(n, width + 5));
                }
                s.append('\n');
                for (int c = 0; c < m.components(); c++) {
                    s.append(Format.pad("component " + (c + 1), 21));
                    double[][] cov = m.covariance(c);
                    for (int j = 0; j < names.size(); j++) {
                        s.append(Format.padLeft(Format.num(cov[j][j]), width + 5));
                    }
                    s.append('\n');
                }
            }
            case SPHERICAL -> {
                s.append("variance (the same in every direction):\n");
                for (int c = 0; c < m.components(); c++) {
                    s.append("  component ").append(c + 1).append("  ").append(Format.num(m.covariance(c)[0][0])).append('\n');
                }
            }
            default -> throw new AssertionError(t);
        }
        return s.toString();
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
