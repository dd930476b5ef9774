package io.emkit.cli.fitting;

import io.emkit.EmkitException;
import io.emkit.cli.CliSupport;
import io.emkit.variational.VariationalPrior;
import io.emkit.variational.WeightPrior;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.util.Locale;

/** How a Gaussian mixture is estimated ({@code fit --method}) and the variational prior: a picocli mixin. */
final class VariationalOptions {
    static final String EM = "em";
    static final String VB = "vb";

    @Option(names = "--method", paramLabel = "em|vb",
            description = "em: maximum likelihood (or MAP with --prior) by EM; vb: variational Bayes with a"
                    + " Dirichlet-process (or Dirichlet) prior on the weights and a Normal-Wishart prior on the"
                    + " components, as scikit-learn's BayesianGaussianMixture: -k is the most components, surplus ones"
                    + " end with negligible weight (full, diag, spherical, tied). Default: em.")
    String method = EM;

    @Option(names = "--weight-prior", paramLabel = "dirichlet-process|dirichlet",
            description = "With --method vb: the prior on the weights. Default: dirichlet-process.")
    String weightPrior;

    @Option(names = "--weight-concentration", paramLabel = "A",
            description = "With --method vb: the weights' concentration (> 0); smaller values favour fewer"
                    + " components. Default: 1/K.")
    Double concentration;

    boolean isVb() {
        return method.trim().equalsIgnoreCase(VB);
    }

    /** Checks the options together, as usage errors. */
    void check(CommandLine cl) {
        String m = method.trim().toLowerCase(Locale.ROOT);
        if (!m.equals(EM) && !m.equals(VB)) {
            throw new CommandLine.ParameterException(cl, "--method must be em or vb, got '" + method + "'");
        }
        if (!isVb() && (weightPrior != null || concentration != null)) {
            throw new CommandLine.ParameterException(cl, (weightPrior != null ? "--weight-prior"
                    : "--weight-concentration") + " goes with --method vb");
        }
        if (weightPrior != null) {
            try {
                WeightPrior.parse(weightPrior);
            } catch (EmkitException e) {
                throw new CommandLine.ParameterException(cl, "--weight-prior: " + e.getMessage());
            }
        }
        CliSupport.requireFinitePositive(cl, "--weight-concentration", concentration);
    }

    /** @return the prior these options describe */
    VariationalPrior prior() {
        VariationalPrior p = VariationalPrior.of(weightPrior == null ? WeightPrior.DIRICHLET_PROCESS
                : WeightPrior.parse(weightPrior));
        return concentration == null ? p : p.weightConcentration(concentration);
    }
}
