package io.emkit.cli.fitting;

import io.emkit.EmkitException;
import io.emkit.cli.CliSupport;
import io.emkit.hmm.EmissionKind;
import io.emkit.hmm.GaussianEmissionPrior;
import io.emkit.hmm.HiddenMarkov;
import io.emkit.hmm.Topology;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The options of {@code hmm fit} that shape the model beyond its family: the topology of the chain (a named one
 * or a mask from a file) and the priors of MAP-EM (Dirichlet on the start distribution, hmmlearn's priors on
 * Gaussian means and covariances).
 */
public final class HmmStructureOptions {
    @Option(names = "--topology", paramLabel = "NAME",
            description = "Which transitions are allowed: ergodic (all; the default), left-right (state i to i or i+1,"
                    + " starting in state 1) or left-right:J (i to i..i+J). Forbidden transitions stay 0.")
    String topology;

    @Option(names = "--transition-mask", paramLabel = "FILE",
            description = "Allowed transitions from a CSV file of S lines of S cells, 1 allowed, 0 forbidden (kept at"
                    + " 0). States no other state can enter are the only start states (if there are any).")
    Path transitionMask;

    @Option(names = "--start-prior", paramLabel = "ALPHA",
            description = "Dirichlet concentration (>= 1) on the start probabilities (hmmlearn's startprob_prior):"
                    + " MAP estimation. Default: 1 (none).")
    double startPrior = 1.0;

    @Option(names = "--means-prior", paramLabel = "MU0",
            description = "Prior mean of every feature of the Gaussian states (hmmlearn's means_prior). Default: 0.")
    double meansPrior = 0.0;

    @Option(names = "--means-weight", paramLabel = "W",
            description = "Weight (>= 0, in observations) of --means-prior (hmmlearn's means_weight). Default: 0"
                    + " (none).")
    double meansWeight = 0.0;

    @Option(names = "--covars-prior", paramLabel = "PSI",
            description = "Added (>= 0) to each Gaussian state's scatter in the covariance M-step (hmmlearn's"
                    + " covars_prior; to every entry for full and tied). Default: 0 (none).")
    double covarsPrior = 0.0;

    @Option(names = "--covars-weight", paramLabel = "NU",
            description = "Adds max(NU - D, 0) (max(NU - 1, 0) for diag and spherical) to the covariance M-step's"
                    + " denominator (hmmlearn's covars_weight). Default: 0 (none).")
    double covarsWeight = 0.0;

    /**
     * @param cl     the command, for errors
     * @param config the configuration so far
     * @param states the number of states
     * @param kind   the emission family
     * @return the configuration with the topology and priors set
     * @throws CommandLine.ParameterException for an out-of-range option
     * @throws EmkitException for a bad topology or mask file, or priors the emissions do not take
     */
    public HiddenMarkov apply(CommandLine cl, HiddenMarkov config, int states, EmissionKind kind) {
        if (topology != null && transitionMask != null) {
            throw new CommandLine.ParameterException(cl, "--topology and --transition-mask both say which transitions"
                    + " are allowed; give one");
        }
        CliSupport.requireFiniteAtLeast(cl, "--start-prior", startPrior, 1);
        HiddenMarkov out = config.startPrior(startPrior);
        if (topology != null) {
            out = out.topology(Topology.parse(topology, states));
        } else if (transitionMask != null) {
            out = out.topology(Topology.readMask(transitionMask, states));
        }
        boolean gaussianPrior = cl.getParseResult().hasMatchedOption("--means-prior")
                || cl.getParseResult().hasMatchedOption("--means-weight")
                || cl.getParseResult().hasMatchedOption("--covars-prior")
                || cl.getParseResult().hasMatchedOption("--covars-weight");
        if (gaussianPrior) {
            try {
                out = out.emissionPrior(new GaussianEmissionPrior(meansPrior, meansWeight, covarsPrior, covarsWeight));
            } catch (EmkitException e) {
                throw new EmkitException("--means-prior/--means-weight/--covars-prior/--covars-weight: "
                        + e.getMessage());
            }
        }
        return out;
    }
}
