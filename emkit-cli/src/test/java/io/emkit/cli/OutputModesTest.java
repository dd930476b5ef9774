package io.emkit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Outputs honour the umask (a JVM cannot set its own, so emkit runs in a child JVM started by a shell that
 * sets it) and a replaced file keeps its mode.
 */
class OutputModesTest {
    @TempDir
    Path dir;

    private static boolean posixWithShell(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix") && Files.isExecutable(Path.of("/bin/sh"));
    }

    /** Runs emkit in a child JVM under {@code umask}; returns its exit status. */
    private int emkitUnderUmask(String umask, String... args) throws IOException, InterruptedException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        StringBuilder script = new StringBuilder("umask " + umask + " && exec \"$0\" -cp \"$1\" io.emkit.cli.Emkit");
        for (int i = 0; i < args.length; i++) {
            script.append(" \"$").append(i + 2).append('"');
        }
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("/bin/sh", "-c", script.toString(),
                javaBin, System.getProperty("java.class.path")));
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile())
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void newOutputsHonourTheUmask() throws Exception {
        assumeTrue(posixWithShell(dir), "needs POSIX permissions and /bin/sh");
        Path faithful = CliTest.copyExample(dir, "faithful.csv");
        Path model = dir.resolve("model.json");
        assertThat(emkitUnderUmask("022", "fit", faithful.toString(), "-k", "1", "--model-out", model.toString()))
                .as(Files.readString(dir.resolve("child.log"), StandardCharsets.UTF_8)).isZero();
        assertThat(mode(model)).isEqualTo("rw-r--r--");
        Path labels = dir.resolve("labels.csv");
        assertThat(emkitUnderUmask("077", "predict", "--model", model.toString(), faithful.toString(), "--out",
                labels.toString())).as(Files.readString(dir.resolve("child.log"), StandardCharsets.UTF_8)).isZero();
        assertThat(mode(labels)).isEqualTo("rw-------");
    }

    @Test
    void aSharedFileKeepsItsModeWhenOverwritten() throws IOException {
        assumeTrue(posixWithShell(dir), "needs POSIX permissions");
        Path faithful = CliTest.copyExample(dir, "faithful.csv");
        Path model = Files.writeString(dir.resolve("shared.json"), "old");
        Files.setPosixFilePermissions(model, PosixFilePermissions.fromString("rw-rw-r--"));
        CliTest.Run r = CliTest.emkit("fit", faithful.toString(), "-k", "1", "--model-out", model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(Files.readString(model)).contains("emkit-model");
        assertThat(mode(model)).isEqualTo("rw-rw-r--");
    }
}
