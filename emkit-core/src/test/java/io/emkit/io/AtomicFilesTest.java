package io.emkit.io;

import io.emkit.EmkitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Atomic writes: a recognisable temporary file beside the target, gone after any failure or a stop; modes kept. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    @Test
    void theTemporaryFileLiesBesideTheTargetWithARecognisableName() {
        Path target = dir.resolve("out.csv");
        assertThat(AtomicFiles.temporaryFor(target)).isEqualTo(
                dir.toAbsolutePath().resolve(".out.csv.emkit-tmp-" + ProcessHandle.current().pid()));
    }

    @Test
    void aWriteThatThrowsMidwayLeavesNoFile() throws IOException {
        Path target = dir.resolve("samples.csv");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("x,y\n1,2\n".getBytes(StandardCharsets.UTF_8));
            assertThat(AtomicFiles.temporaryFor(target)).exists();      // the write was under way
            throw new IOException("disk full");
        })).isInstanceOf(EmkitException.class).hasMessageContaining("samples.csv").hasMessageContaining("disk full");
        assertThat(names()).isEmpty();
    }

    @Test
    void aStopDuringTheWriteRemovesTheTemporaryFile() throws IOException {
        Path target = dir.resolve("decoded.csv");
        // What the shutdown hook does on Ctrl-C, run while the content is being written.
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("state\n0\n".getBytes(StandardCharsets.UTF_8));
            AtomicFiles.removeUnfinished();
            out.write("1\n".getBytes(StandardCharsets.UTF_8));
        })).isInstanceOf(EmkitException.class).hasMessageContaining("decoded.csv");
        assertThat(names()).isEmpty();
    }

    @Test
    void aStaleTemporaryFileNeverTripsALaterWrite() throws IOException {
        Path target = dir.resolve("model.json");
        Files.writeString(AtomicFiles.temporaryFor(target), "left by a run that was killed");
        Files.writeString(dir.resolve(".model.json.emkit-tmp-1"), "left by another process");
        AtomicFiles.write(target, out -> out.write("{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(Files.readString(target)).isEqualTo("{}");
        assertThat(names()).containsExactly(".model.json.emkit-tmp-1", "model.json");
    }

    @Test
    void aReplacedFileKeepsItsMode() throws IOException {
        assumeTrue(posix(dir), "no POSIX permissions here");
        Path target = Files.writeString(dir.resolve("shared.csv"), "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw-r--"));
        AtomicFiles.write(target, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-rw-r--");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        AtomicFiles.write(target, out -> out.write("newer".getBytes(StandardCharsets.UTF_8)));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
    }
}
