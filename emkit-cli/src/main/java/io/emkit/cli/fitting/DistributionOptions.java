package io.emkit.cli.fitting;

import io.emkit.cli.CliSupport;
import io.emkit.cli.WordedMixin;
import io.emkit.student.DegreesOfFreedom;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.util.Locale;

/**
 * The components' distribution (fit, select): {@code --distribution}, {@code --df}, {@code --df-constraint}, a
 * picocli mixin. Declared and checked here once; each command says what the options mean for it.
 */
final class DistributionOptions extends WordedMixin {
    @Option(names = "--distribution", paramLabel = "gaussian|t",
            description = "The components' distribution: gaussian, or t (multivariate Student-t: heavier tails, so"
                    + " outliers neither take a component nor drag a mean; fitted from the Gaussian fit, with"
                    + " --covariance shaping the scale matrices; missing cells are fitted on each row's observed"
                    + " values). Default: gaussian.")
    String distribution = StudentFit.GAUSSIAN;

    @Option(names = "--df", paramLabel = "V",
            description = "With --distribution t: hold every component's degrees of freedom at V (> 0) instead of"
                    + " fitting them.")
    Double df;

    @Option(names = "--df-constraint", paramLabel = "free|equal",
            description = "With --distribution t: free fits one degrees of freedom per component, equal one shared by"
                    + " all. Default: free.")
    String dfConstraint;

    /**
     * @param distributionHelp how this command describes {@code --distribution}
     * @param dfHelp           {@code --df}
     * @param constraintHelp   {@code --df-constraint}
     * @return this mixin
     */
    DistributionOptions help(String distributionHelp, String dfHelp, String constraintHelp) {
        wording.put("--distribution", distributionHelp).put("--df", dfHelp).put("--df-constraint", constraintHelp);
        return this;
    }

    /** Checks {@code --distribution}, {@code --df} and {@code --df-constraint} together, as usage errors. */
    void check(CommandLine cl) {
        String d = distribution.trim().toLowerCase(Locale.ROOT);
        if (!d.equals(StudentFit.GAUSSIAN) && !d.equals(StudentFit.T)) {
            throw new CommandLine.ParameterException(cl, "--distribution must be gaussian or t, got '" + distribution + "'");
        }
        if (d.equals(StudentFit.GAUSSIAN) && (df != null || dfConstraint != null)) {
            throw new CommandLine.ParameterException(cl, (df != null ? "--df" : "--df-constraint")
                    + " goes with --distribution t");
        }
        CliSupport.requireFinitePositive(cl, "--df", df);
        if (dfConstraint != null) {
            String c = dfConstraint.trim().toLowerCase(Locale.ROOT);
            if (!c.equals("free") && !c.equals("equal")) {
                throw new CommandLine.ParameterException(cl, "--df-constraint must be free or equal, got '" + dfConstraint
                        + "'" + (c.equals("fixed") ? " (fix the degrees of freedom with --df V)" : ""));
            }
            if (df != null) {
                throw new CommandLine.ParameterException(cl, "--df fixes the degrees of freedom; it cannot be combined"
                        + " with --df-constraint");
            }
        }
    }

    /** @return how {@code --df} and {@code --df-constraint} ask the degrees of freedom to be fitted */
    DegreesOfFreedom degreesOfFreedom() {
        if (df != null) {
            return DegreesOfFreedom.fixed(df);
        }
        return dfConstraint != null && dfConstraint.trim().equalsIgnoreCase("equal") ? DegreesOfFreedom.equal()
                : DegreesOfFreedom.free();
    }

    /** @return whether {@code --distribution} asks for t mixtures */
    boolean isT() {
        return distribution.trim().equalsIgnoreCase(StudentFit.T);
    }
}
