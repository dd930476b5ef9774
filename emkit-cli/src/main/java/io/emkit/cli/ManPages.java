package io.emkit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes emkit's man pages in troff (the {@code man} macros), one per command — {@code emkit.1},
 * {@code emkit-fit.1}, {@code emkit-hmm-fit.1}, ... — from the commands' own picocli descriptions, so that
 * {@code man emkit-fit} works where the install archive's {@code share/man} is on the manual path. The build
 * runs it for the install archive; it needs nothing but picocli.
 */
public final class ManPages {
    private ManPages() {
    }

    /**
     * @param args the folder to write the pages into, then the version to print in their footers
     * @throws IOException if a page cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ManPages OUTDIR VERSION");
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (CommandLine c : commands(Emkit.withAllCommands())) {
            String name = c.getCommandSpec().qualifiedName("-");
            Files.writeString(dir.resolve(name + ".1"), page(c.getCommandSpec(), args[1]), StandardCharsets.UTF_8);
        }
    }

    /** The command and all its subcommands, depth first. */
    static List<CommandLine> commands(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        all.add(root);
        for (CommandLine sub : root.getSubcommands().values()) {
            if (!all.contains(sub) && sub.getParent() == root) {
                all.addAll(commands(sub));
            }
        }
        return all;
    }

    /**
     * One command's page.
     *
     * @param spec    the command
     * @param version emkit's version, for the footer
     * @return the page in troff
     */
    static String page(CommandSpec spec, String version) {
        String name = spec.qualifiedName("-");
        StringBuilder s = new StringBuilder();
        s.append(".TH ").append(quoted(name.toUpperCase(Locale.ROOT))).append(" 1 \"\" ")
                .append(quoted("emkit " + version)).append(' ').append(quoted("emkit manual")).append('\n');
        s.append(".SH NAME\n").append(text(name)).append(" \\- ").append(text(firstSentence(spec))).append('\n');
        s.append(".SH SYNOPSIS\n.B ").append(text(spec.qualifiedName(" "))).append('\n');
        if (!spec.options().isEmpty()) {
            s.append("[\\fIOPTIONS\\fR]");
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            s.append(' ').append("\\fI").append(text(p.paramLabel())).append("\\fR");
        }
        if (!spec.subcommands().isEmpty()) {
            s.append(" \\fICOMMAND\\fR");
        }
        s.append('\n');
        s.append(".SH DESCRIPTION\n");
        for (String line : spec.usageMessage().description()) {
            s.append(paragraph(line));
        }
        if (!spec.positionalParameters().isEmpty()) {
            s.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : spec.positionalParameters()) {
                s.append(".TP\n\\fI").append(text(p.paramLabel())).append("\\fR\n")
                        .append(text(String.join(" ", p.description()))).append('\n');
            }
        }
        if (!spec.options().isEmpty()) {
            s.append(".SH OPTIONS\n");
            for (OptionSpec o : spec.options()) {
                if (o.hidden()) {
                    continue;
                }
                s.append(".TP\n");
                List<String> names = new ArrayList<>();
                for (String n : o.names()) {
                    names.add("\\fB" + text(n) + "\\fR");
                }
                s.append(String.join(", ", names));
                if (o.arity().max() > 0 && !o.paramLabel().isEmpty()) {
                    s.append("=\\fI").append(text(o.paramLabel())).append("\\fR");
                }
                s.append('\n').append(text(String.join(" ", o.description()).replace("${DEFAULT-VALUE}",
                        o.defaultValueString() == null ? "" : o.defaultValueString()))).append('\n');
            }
        }
        if (!spec.subcommands().isEmpty()) {
            s.append(".SH COMMANDS\n");
            spec.subcommands().forEach((sub, cl) -> {
                if (cl.getParent() == spec.commandLine() && sub.equals(cl.getCommandName())) {
                    s.append(".TP\n\\fB").append(text(sub)).append("\\fR\n").append(text(firstSentence(cl.getCommandSpec())))
                            .append(". See \\fB").append(text(cl.getCommandSpec().qualifiedName("-"))).append("\\fR(1).\n");
                }
            });
        }
        s.append(".SH SEE ALSO\n").append(spec.parent() == null ? "The README and docs/ of the emkit distribution."
                : "\\fB" + text(spec.parent().qualifiedName("-")) + "\\fR(1)").append('\n');
        return s.toString();
    }

    private static String firstSentence(CommandSpec spec) {
        String[] d = spec.usageMessage().description();
        String first = d.length == 0 ? spec.name() : d[0];
        int end = first.indexOf(". ");
        return end < 0 ? first.replaceAll("\\.$", "") : first.substring(0, end);
    }

    /** A paragraph: its text, after a {@code .PP} macro. */
    private static String paragraph(String line) {
        return ".PP\n" + text(line) + "\n";
    }

    /**
     * Text made safe for troff: backslashes and hyphens escaped, and a line that would begin with a dot or an
     * apostrophe (a control line) protected by a zero-width character.
     */
    static String text(String s) {
        String t = s.replace("\\", "\\e").replace("-", "\\-").replace("\n", " ");
        t = t.replace("%n", " ").replace("%%", "%");
        return t.startsWith(".") || t.startsWith("'") ? "\\&" + t : t;
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\"", "'") + "\"";
    }
}
