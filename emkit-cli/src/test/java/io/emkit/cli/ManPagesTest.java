package io.emkit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The troff man pages: one per command, each with its sections, every option, and nothing troff would misread. */
class ManPagesTest {
    @TempDir
    Path dir;

    @Test
    void everyCommandHasAPageListingEveryOption() throws Exception {
        ManPages.main(new String[] {dir.toString(), "9.9"});
        List<CommandLine> commands = ManPages.commands(Emkit.withAllCommands());
        assertThat(commands).hasSizeGreaterThan(15);
        for (CommandLine c : commands) {
            Path page = dir.resolve(c.getCommandSpec().qualifiedName("-") + ".1");
            assertThat(page).exists();
            String text = Files.readString(page);
            assertThat(text).startsWith(".TH \"" + c.getCommandSpec().qualifiedName("-").toUpperCase(java.util.Locale.ROOT)
                    + "\" 1 \"\" \"emkit 9.9\"").contains("\n.SH NAME\n").contains("\n.SH SYNOPSIS\n")
                    .contains("\n.SH DESCRIPTION\n").doesNotContain("${").doesNotContain("%n");
            for (OptionSpec o : c.getCommandSpec().options()) {
                if (!o.hidden()) {
                    assertThat(text).as("%s in %s", o.longestName(), page.getFileName())
                            .contains("\\fB" + o.longestName().replace("-", "\\-") + "\\fR");
                }
            }
            // A line of text never begins with a dot or an apostrophe (troff would take it for a request).
            for (String line : text.split("\n")) {
                if (line.startsWith(".")) {
                    assertThat(line).matches("\\.(TH|SH|TP|PP|B) ?.*");
                }
                assertThat(line).doesNotStartWith("'");
            }
        }
        assertThat(Files.readString(dir.resolve("emkit-fit.1"))).contains("\\fB\\-\\-components\\fR=\\fIK\\fR");
    }
}
