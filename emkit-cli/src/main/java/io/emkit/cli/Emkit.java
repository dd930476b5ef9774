package io.emkit.cli;

import io.emkit.cli.applying.ImputeCommand;
import io.emkit.cli.applying.PredictCommand;
import io.emkit.cli.applying.SampleCommand;
import io.emkit.cli.applying.ScoreCommand;
import io.emkit.cli.fitting.FitCommand;
import io.emkit.cli.fitting.KMeansCommand;
import io.emkit.cli.fitting.SelectCommand;
import io.emkit.cli.pictures.PlotCommand;
import io.emkit.cli.pictures.ReportCommand;
import io.emkit.EmkitException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;

/**
 * The {@code emkit} command: fit latent-variable models by EM, and use the fitted models.
 *
 * <p>Exit status: 0 on success, 2 for a problem with the input (data, model file, options) with a
 * one-line message naming file, line and column where they apply, 1 for a bug in emkit.
 */
@Command(name = "emkit",
        mixinStandardHelpOptions = true,
        versionProvider = Emkit.Version.class,
        description = "Expectation-Maximization on the JVM: Gaussian mixtures, k-means and hidden Markov models.",
        footer = {"", "Run 'emkit COMMAND --help' for a command's options."})
public final class Emkit implements Runnable {
    /** Exit status for a problem with the user's input. */
    public static final int USAGE = 2;
    /** Exit status for a bug in emkit. */
    static final int INTERNAL = 1;

    /**
     * The subcommands, in the order help lists them. They are registered when the command line is built,
     * and only the one named on the command line when it names one: picocli reads every option of every
     * registered command by reflection, which cost most of a short command's start-up.
     */
    private static final List<Class<?>> COMMANDS = List.of(FitCommand.class, SelectCommand.class,
            KMeansCommand.class, io.emkit.cli.fitting.ClassifyCommand.class, PredictCommand.class, ScoreCommand.class, SampleCommand.class, ImputeCommand.class,
            ConvertCommand.class, PlotCommand.class, ReportCommand.class, HmmCommand.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a command is required (fit, select, kmeans, predict, score, sample, convert, plot, report, hmm)");
    }

    /**
     * Runs emkit and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int status;
        try {
            status = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        } catch (OutOfMemoryError e) {
            System.err.println("emkit: out of memory; give Java more heap, e.g. EMKIT_JAVA_OPTS=-Xmx8g");
            status = INTERNAL;
        }
        System.exit(status);
    }

    /**
     * Runs emkit with the given streams and returns the exit status, without exiting: for tests and embedding.
     *
     * @param args the command line
     * @param out  standard output
     * @param err  standard error
     * @return the exit status
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (isVersionQuery(args)) {
            // Answered without picocli: building even the bare command tree (reading its annotations, running
            // picocli's code cold) costs more than the rest of the JVM's start-up.
            for (String line : versionLines()) {
                out.println(line);
            }
            out.flush();
            return 0;
        }
        CommandLine cli = new CommandLine(new Emkit());
        for (Class<?> command : commandsNeeded(args)) {
            cli.addSubcommand(command);
        }
        shareVersion(cli);
        keepSynopsisWordsWhole(cli);
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((ex, cmdArgs) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("emkit: " + UsageHints.message(ex));
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            cmd.getErr().flush();
            return USAGE;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            PrintWriter e = cmd.getErr();
            if (ex instanceof EmkitException || ex instanceof IllegalArgumentException) {
                e.println("emkit: " + ex.getMessage());
                e.flush();
                return USAGE;
            }
            e.println("emkit: internal error: " + ex + " (this is a bug in emkit; set EMKIT_DEBUG=1 to see where)");
            if (System.getenv("EMKIT_DEBUG") != null) {
                ex.printStackTrace(e);
            }
            e.flush();
            return INTERNAL;
        });
        int status = cli.execute(UsageHints.acceptLibraryNames(args));
        out.flush();
        err.flush();
        return status;
    }

    /**
     * The whole command tree, every subcommand registered (what help lists); for tests and tools that walk it.
     *
     * @return the command line
     */
    static CommandLine withAllCommands() {
        CommandLine cli = new CommandLine(new Emkit());
        COMMANDS.forEach(cli::addSubcommand);
        keepSynopsisWordsWhole(cli);
        return cli;
    }

    /**
     * Makes every command's synopsis wrap between words only: picocli breaks a line inside a word after a dot
     * ("... DATA." then "csv" on a line of its own, in predict's and impute's). A word so split is moved whole to
     * the next line.
     */
    static void keepSynopsisWordsWhole(CommandLine cmd) {
        cmd.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS,
                help -> wholeWords(help.synopsis(help.synopsisHeadingLength())));
        cmd.getSubcommands().values().forEach(sub -> {
            if (sub != cmd) {
                sub.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS,
                        help -> wholeWords(help.synopsis(help.synopsisHeadingLength())));
                sub.getSubcommands().values().forEach(Emkit::keepSynopsisWordsWhole);
            }
        });
    }

    /**
     * The text with each word split over two lines (a line ending inside a word, the next holding only the
     * word's end) joined on the second line.
     */
    static String wholeWords(String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i + 1 < lines.length; i++) {
            String next = lines[i + 1].strip();
            String line = lines[i];
            int space = line.lastIndexOf(' ');
            if (!next.isEmpty() && !next.contains(" ") && Character.isLetterOrDigit(next.charAt(0))
                    && line.endsWith(".") && space > 0 && space < line.length() - 1
                    && !line.substring(0, space).isBlank()) {
                String indent = lines[i + 1].substring(0, lines[i + 1].indexOf(next));
                lines[i + 1] = indent + line.substring(space + 1) + next;
                lines[i] = line.substring(0, space);
            }
        }
        return String.join("\n", lines);
    }

    /**
     * The subcommands a command line needs: the one it names first (all for 'help'), and all of them otherwise
     * (for help, and for messages about a missing or mistyped command, which list them).
     */
    static List<Class<?>> commandsNeeded(String[] args) {
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                for (Class<?> command : COMMANDS) {
                    if (arg.equals(command.getAnnotation(Command.class).name())) {
                        // 'help COMMAND' needs the command it explains.
                        return command == CommandLine.HelpCommand.class ? COMMANDS : List.of(command);
                    }
                }
                return COMMANDS;
            }
        }
        return COMMANDS;
    }

    /**
     * Gives every command below {@code command} emkit's version: a command's own {@code --version} ({@code emkit
     * select --version}) printed nothing, picocli's commands having no version of their own.
     */
    private static void shareVersion(CommandLine command) {
        for (CommandLine sub : command.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(new Version());
            shareVersion(sub);
        }
    }

    /** Whether the command line asks only for the version ({@code -V} or {@code --version}, perhaps repeated). */
    static boolean isVersionQuery(String[] args) {
        boolean versionOnly = args.length > 0;
        for (String arg : args) {
            versionOnly &= arg.equals("-V") || arg.equals("--version");
        }
        return versionOnly;
    }

    /** What {@code emkit --version} prints: emkit's version, then the kernels and the Java that run it. */
    static String[] versionLines() {
        String v = Emkit.class.getPackage().getImplementationVersion();
        return new String[] {"emkit " + (v == null ? "(development build)" : v),
            "kernels: " + io.emkit.gaussian.GaussianMixture.kernels() + ", Java " + Runtime.version()};
    }

    /**
     * @return this emkit's version, from the jar's manifest, or "development build" when run from classes
     */
    public static String version() {
        String v = Emkit.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    /** The version for picocli's {@code --version} inside a command line that also names a command. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return versionLines();
        }
    }
}
