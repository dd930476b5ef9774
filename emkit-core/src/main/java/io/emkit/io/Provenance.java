package io.emkit.io;

import java.util.Map;

/**
 * How a saved model was made, written as the model file's {@code "provenance"} object and ignored on load:
 * which emkit, which data, which options and seed, and how the fit ended.
 *
 * @param emkitVersion  the emkit version that fitted it
 * @param dataFile      the data file as the user named it
 * @param rows          the rows fitted
 * @param columns       the columns fitted
 * @param options       the options given on the command line (name to value, {@code "true"} for a flag), in
 *                      their order (kept as given: pass a map that will not change)
 * @param seed          the seed of every random choice
 * @param logLikelihood the fit's log-likelihood; not finite when the fit has none (k-means), written as null
 * @param bic           its BIC; not finite when it has none, written as null
 * @param converged     whether the fit converged; null when not known (written as null)
 * @param iterations    the iterations of the run kept; null when not known
 * @param date          when it was fitted, ISO 8601 (e.g. {@code 2026-12-02T03:11:29Z})
 */
public record Provenance(String emkitVersion, String dataFile, long rows, int columns, Map<String, String> options,
                         long seed, double logLikelihood, double bic, Boolean converged, Integer iterations, String date) {
}
