package io.emkit.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every help page of every command and subcommand renders without picocli's warnings (an unescaped
 * {@code %} makes picocli print "[picocli WARN] Could not format ..."), and no description is cut or broken
 * mid-sentence.
 */
class HelpPagesTest {
    /** Every command's path below {@code emkit}, e.g. [] for emkit itself and [hmm, fit]. */
    private static List<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        collect(Emkit.withAllCommands(), new ArrayList<>(), paths);
        return paths;
    }

    private static void collect(CommandLine cmd, List<String> path, List<List<String>> paths) {
        paths.add(List.copyOf(path));
        cmd.getSubcommands().forEach((name, sub) -> {
            // The help command is listed under its name only once; aliases would repeat a page.
            if (sub.getCommandName().equals(name)) {
                List<String> p = new ArrayList<>(path);
                p.add(name);
                collect(sub, p, paths);
            }
        });
    }

    @Test
    void everyHelpPageRendersWithoutPicocliWarnings() {
        List<List<String>> paths = commandPaths();
        assertThat(paths).hasSizeGreaterThan(12).contains(List.of("fit"), List.of("hmm", "fit"));
        PrintStream originalErr = System.err;
        ByteArrayOutputStream tracer = new ByteArrayOutputStream();
        try {
            // picocli's warnings go to System.err, not to the command's error writer.
            System.setErr(new PrintStream(tracer, true, StandardCharsets.UTF_8));
            for (List<String> path : paths) {
                List<String> args = new ArrayList<>(path);
                args.add("--help");
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int status = Emkit.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
                String page = String.join(" ", args);
                assertThat(status).as(page).isZero();
                assertThat(out.toString()).as(page).contains("Usage: emkit").doesNotContain("[picocli WARN]");
                assertThat(err.toString()).as(page).isEmpty();
                assertThat(tracer.toString(StandardCharsets.UTF_8)).as(page).doesNotContain("[picocli");
                // The synopsis wraps between words: no line holds only the end of a word the line above began
                // ("DATA." above "csv").
                List<String> lines = out.toString().lines().toList();
                for (int i = 1; i < lines.size() && !lines.get(i).isBlank() && lines.get(i).startsWith(" "); i++) {
                    assertThat(lines.get(i).strip()).as(page + ": synopsis line " + (i + 1))
                            .doesNotMatch("[a-z]+");
                }
            }
        } finally {
            System.setErr(originalErr);
        }
    }

    /** The check above would see a warning: a description with a bare '%' makes picocli print one. */
    @Test
    void theCaptureSeesPicocliWarnings() {
        @CommandLine.Command(name = "broken", description = "Keeps 95% of the rows.")
        final class Broken implements Runnable {
            @Override
            public void run() {
            }
        }
        PrintStream originalErr = System.err;
        ByteArrayOutputStream tracer = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(tracer, true, StandardCharsets.UTF_8));
            new CommandLine(new Broken()).getUsageMessage();
        } finally {
            System.setErr(originalErr);
        }
        assertThat(tracer.toString(StandardCharsets.UTF_8)).contains("[picocli WARN]");
    }

    @Test
    void noDescriptionIsCutMidSentence() {
        List<String> problems = new ArrayList<>();
        for (CommandLine cmd : allCommands(Emkit.withAllCommands(), new ArrayList<>())) {
            String name = cmd.getCommandSpec().qualifiedName();
            // Each line of a command's description is printed on a line of its own, and the first is all the
            // command list ('emkit --help') shows: each must end a sentence.
            for (String line : cmd.getCommandSpec().usageMessage().description()) {
                if (!endsSentence(line)) {
                    problems.add(name + ": description line '" + line + "'");
                }
            }
            for (CommandLine.Model.OptionSpec o : cmd.getCommandSpec().options()) {
                for (String line : o.description()) {
                    if (!endsSentence(line)) {
                        problems.add(name + " " + o.longestName() + ": '" + line + "'");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    private static List<CommandLine> allCommands(CommandLine cmd, List<CommandLine> into) {
        into.add(cmd);
        cmd.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandName().equals(name)) {
                allCommands(sub, into);
            }
        });
        return into;
    }

    private static boolean endsSentence(String line) {
        String t = line.replace("%n", "").strip();
        return t.isEmpty() || t.endsWith(".") || t.endsWith(":") || t.endsWith("?") || t.endsWith(".)");
    }
}
