package io.emkit.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The install archive as a user meets it: unpacked into an empty directory, {@code bin/emkit} runs with Java
 * alone (Maven is not on the PATH), directly and through a symlink from another directory, and prints no
 * JVM notice about incubating modules.
 */
class InstallArchiveTest {
    private static final String VERSION = System.getProperty("emkit.version");

    @TempDir
    Path dir;

    @Test
    void theUnpackedArchiveRunsAFitWithoutMavenAndThroughASymlink() throws Exception {
        Path emkit = unpacked();
        assertThat(Files.isExecutable(emkit)).isTrue();
        // A troff man page per command, beside the AsciiDoc.
        Path man = dir.resolve("emkit-" + VERSION).resolve("share/man/man1");
        for (String page : List.of("emkit.1", "emkit-fit.1", "emkit-hmm-fit.1", "emkit-select.1")) {
            assertThat(Files.readString(man.resolve(page))).as(page).startsWith(".TH ").contains("\n.SH OPTIONS\n");
        }
        Path faithful = Paths.get(System.getProperty("emkit.examples"), "faithful.csv").toAbsolutePath();
        // A PATH of the JVM and the few tools a POSIX launcher uses: no Maven.
        Path tools = Files.createDirectories(dir.resolve("tools"));
        for (String tool : List.of("readlink", "dirname", "cat")) {
            Path found = Paths.get("/usr/bin", tool);
            Files.createSymbolicLink(tools.resolve(tool), Files.exists(found) ? found : Paths.get("/bin", tool));
        }
        String path = Paths.get(System.getProperty("java.home"), "bin") + ":" + tools;

        Result version = run(List.of(emkit.toString(), "--version"), dir, path);
        assertThat(version.status).as(version.err).isZero();
        assertThat(version.out).startsWith("emkit " + VERSION + "\n");
        // The install runs the fast kernels (the Vector API's), not the portable ones.
        assertThat(version.out).contains("kernels: vector-");
        assertThat(version.err).isEmpty();

        Path elsewhere = Files.createDirectories(dir.resolve("home").resolve("bin"));
        Path link = Files.createSymbolicLink(elsewhere.resolve("emkit"), emkit);
        Result fit = run(List.of(link.toString(), "fit", faithful.toString(), "--components", "2"), elsewhere, path);
        assertThat(fit.status).as(fit.err).isZero();
        // Old Faithful, two full-covariance components: mclust's maximum is log-likelihood -1130.264.
        assertThat(fit.out).containsPattern("(?m)^log-likelihood +-1130\\.2640 ");
        assertThat(fit.err).doesNotContain("incubator").doesNotContain("WARNING");
    }

    @Test
    void theFirstRunMakesAClassDataArchiveInTheUsersCacheAndLaterRunsUseIt() throws Exception {
        Path emkit = unpacked();
        // A PATH of the JVM and the POSIX tools an installed system has.
        Path tools = Files.createDirectories(dir.resolve("tools"));
        for (String tool : List.of("readlink", "dirname", "cat", "cksum", "cut", "find", "head", "mkdir", "mv", "rm",
                "touch", "wc")) {
            Path found = Paths.get("/usr/bin", tool);
            Files.createSymbolicLink(tools.resolve(tool), Files.exists(found) ? found : Paths.get("/bin", tool));
        }
        String path = Paths.get(System.getProperty("java.home"), "bin") + ":" + tools;
        Path cache = dir.resolve("cache").resolve("emkit");
        Result first = run(List.of(emkit.toString(), "--version"), dir, path);
        assertThat(first.status).as(first.err).isZero();
        assertThat(first.err).isEmpty();
        List<Path> made;
        try (var files = Files.list(cache)) {
            made = files.toList();
        }
        assertThat(made).hasSize(1);
        assertThat(made.get(0).getFileName().toString()).startsWith("emkit-").endsWith(".jsa");
        long size = Files.size(made.get(0));
        assertThat(size).isGreaterThan(1_000_000);
        // The second run maps it (the JVM's own log, turned back on by the user's options, says so) and adds nothing.
        Result second = run(List.of(emkit.toString(), "--version"), dir, path, "-Xlog:cds=info", null);
        assertThat(second.status).as(second.err).isZero();
        assertThat(second.out).contains("Opened archive " + made.get(0)).contains("Mapped static");
        try (var files = Files.list(cache)) {
            assertThat(files.toList()).containsExactly(made.get(0));
        }
        // EMKIT_CDS=0 runs without it.
        Result off = run(List.of(emkit.toString(), "--version"), dir, path, "-Xlog:cds=info", "0");
        assertThat(off.status).as(off.err).isZero();
        assertThat(off.out).doesNotContain(made.get(0).toString());
    }

    /**
     * A launcher stopped while it makes the archive (SIGTERM, as {@code kill} sends; Ctrl-C's SIGINT takes the same
     * path) leaves nothing in the user's cache: neither its two temporary files nor a mark of failure, so the next
     * run makes the archive.
     */
    @Test
    void stoppedWhileItMakesTheArchiveItLeavesNothingInTheCache() throws Exception {
        Path emkit = unpacked();
        Path cache = dir.resolve("cache").resolve("emkit");
        ProcessBuilder pb = new ProcessBuilder(emkit.toString(), "--version").directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        pb.environment().remove("EMKIT_CDS");
        pb.environment().remove("EMKIT_JAVA_OPTS");
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean training = false;
        while (!training && p.isAlive() && System.nanoTime() < deadline) {
            if (Files.isDirectory(cache)) {
                try (var files = Files.list(cache)) {
                    training = files.anyMatch(f -> f.getFileName().toString().endsWith(".classes"));
                }
            }
            Thread.sleep(5);
        }
        assertThat(training).as("the training run's class list appeared").isTrue();
        p.destroy();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(143);
        try (var files = Files.list(cache)) {
            assertThat(files.toList()).isEmpty();
        }
        Result next = run(List.of(emkit.toString(), "--version"), dir, null);
        assertThat(next.status).as(next.err).isZero();
        try (var files = Files.list(cache)) {
            assertThat(files.toList()).singleElement().satisfies(f -> assertThat(f.toString()).endsWith(".jsa"));
        }
    }

    /**
     * Small data (every file argument under 64 KiB) run the client compiler alone and the portable kernels,
     * which {@code --version} shows when given the file; bigger data, {@code select} whatever the data, and a
     * user's own {@code emkit.kernels}, keep what the JVM would choose.
     */
    @Test
    void smallDataRunThePortableKernelsAndTheUsersChoiceWins() throws Exception {
        Path emkit = unpacked();
        Path tools = Files.createDirectories(dir.resolve("tools"));
        for (String tool : List.of("readlink", "dirname", "cat", "wc")) {
            Path found = Paths.get("/usr/bin", tool);
            Files.createSymbolicLink(tools.resolve(tool), Files.exists(found) ? found : Paths.get("/bin", tool));
        }
        String path = Paths.get(System.getProperty("java.home"), "bin") + ":" + tools;
        Path small = dir.resolve("small.csv");
        Files.writeString(small, "x\n" + "1.5\n".repeat(16_000));
        Path big = dir.resolve("big.csv");
        Files.writeString(big, "x\n" + "1.5\n".repeat(17_000));
        assertThat(Files.size(small)).isLessThan(65_536);
        assertThat(Files.size(big)).isGreaterThanOrEqualTo(65_536);

        String usual = kernels(run(List.of(emkit.toString(), "--version"), dir, path, null, "0"));
        assertThat(kernels(run(List.of(emkit.toString(), "--version", small.toString()), dir, path, null, "0")))
                .isEqualTo("scalar");
        assertThat(kernels(run(List.of(emkit.toString(), "--version", big.toString()), dir, path, null, "0")))
                .isEqualTo(usual);
        // A small file beside a big one (a model file and the data, say) does not make the data small.
        assertThat(kernels(run(List.of(emkit.toString(), "--version", small.toString(), big.toString()), dir, path,
                null, "0"))).isEqualTo(usual);
        assertThat(kernels(run(List.of(emkit.toString(), "--version", small.toString()), dir, path,
                "-Demkit.kernels=" + (usual.equals("scalar") ? "scalar" : "vector"), "0"))).isEqualTo(usual);
        // select, a hundred fits and more, keeps both compilers and takes the SIMD kernels on small data too.
        assertThat(kernels(run(List.of(emkit.toString(), "select", "--version", small.toString()), dir, path, null,
                "0"))).isEqualTo(usual);
    }

    /** The install archive unpacked into the test's folder: its {@code bin/emkit}. */
    private Path unpacked() throws IOException, InterruptedException {
        Path archive = Paths.get(System.getProperty("emkit.archive"));
        assertThat(archive).exists();
        Result untar = run(List.of("tar", "-xzf", archive.toString(), "-C", dir.toString()), dir, null);
        assertThat(untar.status).as(untar.err).isZero();
        return dir.resolve("emkit-" + VERSION).resolve("bin").resolve("emkit");
    }

    /** The kernels {@code emkit --version} names, e.g. {@code vector-256} or {@code scalar}. */
    private static String kernels(Result version) {
        assertThat(version.status).as(version.err).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("kernels: ([a-z0-9-]+)").matcher(version.out);
        assertThat(m.find()).as(version.out).isTrue();
        return m.group(1);
    }

    private record Result(int status, String out, String err) {
    }

    /** Runs a command, with this PATH if it is given (and no JAVA_HOME, Maven or emkit settings). */
    private static Result run(List<String> command, Path workDir, String path)
            throws IOException, InterruptedException {
        return run(command, workDir, path, null, null);
    }

    /**
     * Runs a command as {@link #run(List, Path, String)}, with the user's cache in {@code workDir/cache},
     * these JVM options ({@code EMKIT_JAVA_OPTS}) and {@code EMKIT_CDS} when given.
     */
    private static Result run(List<String> command, Path workDir, String path, String javaOptions, String cds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(workDir.toFile());
        Map<String, String> env = pb.environment();
        if (path != null) {
            env.put("PATH", path);
        }
        env.remove("JAVA_HOME");
        env.remove("MAVEN_HOME");
        env.remove("M2_HOME");
        env.remove("EMKIT_JAVA_OPTS");
        env.remove("EMKIT_CDS");
        env.put("XDG_CACHE_HOME", workDir.resolve("cache").toString());
        if (javaOptions != null) {
            env.put("EMKIT_JAVA_OPTS", javaOptions);
        }
        if (cds != null) {
            env.put("EMKIT_CDS", cds);
        }
        Path out = Files.createTempFile("emkit-out", ".txt");
        Path err = Files.createTempFile("emkit-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }
}
