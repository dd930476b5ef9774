package io.emkit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.emkit.cli.CliTest.emkit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The HTML report in a real headless browser (Debian's chromium): it loads without console messages and
 * its DOM holds the parameter table and the pictures. Skipped, saying so, where no chromium is installed;
 * on CI (CI=true), where .ci/run installs it, a missing chromium fails instead.
 */
class ReportBrowserTest {
    @TempDir
    Path dir;

    /** What the browser printed: the DOM on standard output, its log on standard error. */
    record Load(String dom, String log) {
        List<String> consoleLines() {
            List<String> out = new ArrayList<>();
            for (String line : log.split("\n")) {
                if (line.contains(":CONSOLE") || line.contains("Uncaught")) {
                    out.add(line);
                }
            }
            return out;
        }
    }

    static Path chromium() {
        String override = System.getenv("EMKIT_CHROMIUM");
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            return Files.isExecutable(p) ? p : null;
        }
        String path = System.getenv("PATH");
        for (String d : path == null ? new String[0] : path.split(File.pathSeparator)) {
            for (String name : new String[] {"chromium", "chromium-browser"}) {
                Path p = Path.of(d, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    Load open(Path browser, Path page) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "profile");
        Path out = dir.resolve(page.getFileName() + ".dom");
        Path err = dir.resolve(page.getFileName() + ".log");
        Process p = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--dump-dom", page.toUri().toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish loading " + page + " in 120 s");
        }
        return new Load(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void reportLoadsInHeadlessChromiumWithoutConsoleMessages() throws Exception {
        Path browser = chromium();
        if (browser == null && "true".equals(System.getenv("CI"))) {
            fail("no chromium on PATH on CI: .ci/run must install Debian's chromium package");
        }
        String why = "SKIPPED: the report's browser test needs headless Chromium;"
                + " install Debian's chromium package (apt-get install chromium) or set EMKIT_CHROMIUM to its path";
        if (browser == null) {
            System.err.println("ReportBrowserTest " + why);
        }
        assumeTrue(browser != null, why);

        // The detector works: a page with a console error and a script error is caught.
        Path bad = Files.writeString(dir.resolve("bad.html"), "<!DOCTYPE html><html><body><p>bad</p>"
                + "<script>console.error('emkit-console-check'); notAFunction();</script></body></html>");
        Load badLoad = open(browser, bad);
        assertThat(badLoad.consoleLines()).as("the console messages of a page that makes them").isNotEmpty();
        assertThat(String.join("\n", badLoad.consoleLines())).contains("emkit-console-check");

        Path faithful = dir.resolve("faithful.csv");
        try (InputStream in = ReportBrowserTest.class.getResourceAsStream("faithful.csv")) {
            Files.copy(in, faithful);
        }
        Path report = dir.resolve("report.html");
        CliTest.Run r = emkit("fit", faithful.toString(), "-k", "2", "--n-init", "2", "--report", report.toString(), "-q");
        assertThat(r.status()).as(r.err()).isZero();

        Load load = open(browser, report);
        assertThat(load.consoleLines()).as("console messages while loading the report").isEmpty();
        String dom = load.dom();
        assertThat(dom).contains("<table id=\"parameter-table\">", "id=\"plot-data\"", "id=\"plot-convergence\"",
                "id=\"cluster-sizes\"", "id=\"criteria\"", "mean eruptions", "mean waiting");
        int svgs = dom.split("<svg", -1).length - 1;
        assertThat(svgs).as("inline SVG pictures in the DOM").isGreaterThanOrEqualTo(2);

        // The other kinds of model: k-means and a mixture of independent columns.
        Path beans = dir.resolve("jelly-beans.csv");
        try (InputStream in = ReportBrowserTest.class.getResourceAsStream("jelly-beans.csv")) {
            Files.copy(in, beans);
        }
        Path kmeans = dir.resolve("kmeans.html");
        assertThat(emkit("kmeans", faithful.toString(), "--clusters", "2", "--report", kmeans.toString(), "-q").status()).isZero();
        Path family = dir.resolve("family.html");
        assertThat(emkit("fit", beans.toString(), "-k", "2", "--family", "auto", "--report", family.toString(), "-q").status())
                .isZero();
        for (Path page : List.of(kmeans, family)) {
            Load l = open(browser, page);
            assertThat(l.consoleLines()).as("console messages while loading " + page).isEmpty();
            assertThat(l.dom()).contains("<table id=\"parameter-table\">", "id=\"plot-data\"", "id=\"plot-convergence\"",
                    "id=\"cluster-sizes\"");
            assertThat(l.dom().split("<svg", -1).length - 1).as("inline SVG pictures in " + page).isGreaterThanOrEqualTo(2);
        }
    }
}
