package io.emkit.cli;

import picocli.CommandLine;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a usage error says about a word emkit did not recognise: "unknown option '--componets'; did you mean
 * '--components'?". The candidates come from picocli's similarity suggestions, from the word with
 * underscores read as dashes ({@code --max_iter}), and from the names scikit-learn and hmmlearn give to the
 * same settings ({@code --random-state} is {@code --seed}).
 */
final class UsageHints {
    /** scikit-learn's and hmmlearn's parameter names (dashed) and the emkit option that does the same. */
    private static final Map<String, String> LIBRARY_NAMES = Map.ofEntries(
            Map.entry("--init-params", "--init"),
            Map.entry("--n-iter", "--max-iter"),
            Map.entry("--max-iterations", "--max-iter"),
            Map.entry("--tolerance", "--tol"),
            Map.entry("--n-jobs", "--threads"),
            Map.entry("--n-states", "--components"));

    /**
     * scikit-learn's and hmmlearn's names that emkit accepts as they are, for the option of the same meaning; the
     * others (and every underscored spelling, {@code --n_init}) get a hint instead.
     */
    private static final Map<String, String> ACCEPTED = Map.of(
            "--n-components", "--components",
            "--n-clusters", "--components",
            "--random-state", "--seed",
            "--covariance-type", "--covariance");

    private UsageHints() {
    }

    /**
     * The arguments with scikit-learn's accepted names ({@link #ACCEPTED}) read as emkit's, before picocli sees
     * them: so help pages list emkit's names only and messages name the option as its help page does. Nothing
     * after {@code --} (the end of the options) is touched.
     *
     * @param args the command line
     * @return the same arguments, the accepted names replaced
     */
    static String[] acceptLibraryNames(String[] args) {
        String[] out = args.clone();
        for (int i = 0; i < out.length && !out[i].equals("--"); i++) {
            int eq = out[i].indexOf('=');
            String name = eq < 0 ? out[i] : out[i].substring(0, eq);
            String ours = ACCEPTED.get(name);
            if (ours != null) {
                out[i] = ours + (eq < 0 ? "" : out[i].substring(eq));
            }
        }
        return out;
    }

    /**
     * The message for a usage error: picocli's, or for an unrecognised option or command, one naming it
     * with the closest names the command has.
     *
     * @param ex the error
     * @return the message, without the "emkit: " prefix
     */
    static String message(CommandLine.ParameterException ex) {
        CommandLine cmd = ex.getCommandLine();
        List<String> unmatched = ex instanceof UnmatchedArgumentException u ? u.getUnmatched()
                : cmd.getUnmatchedArguments();
        if (unmatched.isEmpty()) {
            return ex.getMessage();
        }
        // picocli reports a missing required option before an unknown one; the unknown one is the cause:
        // "--componets 2" is why --components is missing.
        UnmatchedArgumentException u = ex instanceof UnmatchedArgumentException given ? given
                : new UnmatchedArgumentException(cmd, unmatched);
        String word = unmatched.get(0);
        boolean option = word.startsWith("-");
        String name = option && word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
        String kind = option ? "unknown option" : !cmd.getSubcommands().isEmpty() ? "unknown command"
                : "unexpected argument";
        List<String> candidates = option ? optionCandidates(cmd, name, u.getSuggestions())
                : !cmd.getSubcommands().isEmpty() ? commandCandidates(cmd, name, u.getSuggestions()) : List.of();
        return kind + " '" + name + "'" + (candidates.isEmpty() ? ""
                : "; did you mean '" + candidates.get(0) + "'?");
    }

    private static List<String> optionCandidates(CommandLine cmd, String name, List<String> suggested) {
        List<String> out = new ArrayList<>();
        CommandLine.Model.CommandSpec spec = cmd.getCommandSpec();
        String dashed = name.replace('_', '-').toLowerCase(Locale.ROOT);
        if (!dashed.startsWith("--") && dashed.startsWith("-") && dashed.length() > 2) {
            dashed = "-" + dashed;      // -n_components, as a single-dash long name
        }
        if (!dashed.equals(name) && spec.findOption(dashed) != null) {
            out.add(spec.findOption(dashed).longestName());
        }
        String library = LIBRARY_NAMES.getOrDefault(dashed, ACCEPTED.get(dashed));
        if (library != null && spec.findOption(library) != null && !out.contains(library)) {
            out.add(library);
        }
        if (out.isEmpty()) {
            closest(name, spec.options().stream().filter(o -> !o.hidden())
                    .flatMap(o -> java.util.Arrays.stream(o.names())).toList()).ifPresent(out::add);
        }
        for (String s : suggested) {
            // picocli suggests by similarity of the text, closest first; the closest is the one worth naming.
            if (out.isEmpty() && s.startsWith("-") && spec.findOption(s) != null) {
                out.add(s);
            }
        }
        return out;
    }

    private static List<String> commandCandidates(CommandLine cmd, String name, List<String> suggested) {
        List<String> out = new ArrayList<>();
        closest(name, List.copyOf(cmd.getSubcommands().keySet())).ifPresent(out::add);
        for (String s : suggested) {
            if (out.isEmpty() && cmd.getSubcommands().containsKey(s) && !out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The name nearest to {@code word} by edit distance, if it is near enough to be a typing slip. */
    private static java.util.Optional<String> closest(String word, List<String> names) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String n : names) {
            int d = editDistance(word.toLowerCase(Locale.ROOT), n.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = n;
                bestDistance = d;
            }
        }
        int allowed = Math.max(1, Math.min(3, (word.replaceFirst("^-+", "").length() + 1) / 3));
        return bestDistance <= allowed ? java.util.Optional.of(best) : java.util.Optional.empty();
    }

    /** Levenshtein distance, with a swap of two neighbouring letters counted as one edit. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
