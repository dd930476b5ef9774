package io.emkit.spark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emkit.cli.Emkit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The emkit command on a real Spark standalone cluster: a master and two workers, each its own JVM on loopback
 * ({@link StandaloneCluster}), and the command as a driver JVM with {@code --engine spark --master spark://...},
 * as a user runs it. The executors have Spark's jars only: the fits work only if the command ships emkit's.
 * The answers are the local engine's, run in this JVM.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterTest {
    /** A guard against a hung driver, not a measure of speed: the machine may be shared and slow. */
    private static final Duration DRIVER_LIMIT = Duration.ofMinutes(5);

    @TempDir
    static Path dir;
    static StandaloneCluster cluster;

    @BeforeAll
    static void startCluster() throws IOException {
        cluster = new StandaloneCluster(dir, 2);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** What a driver printed, and the file its Spark logged into. */
    record Driver(int status, String out, String err, Path sparkLog) {
        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(out);
        }
    }

    /** Runs the command on the cluster; {@code whileRunning} gets the driver's stderr file once it started. */
    private static Driver onCluster(String name, List<String> conf, List<String> args, DuringFit whileRunning)
            throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--engine", "spark", "--master", cluster.masterUrl()));
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Path sparkLog = dir.resolve(name + "-spark.log");
        Process p = cluster.emkit(out, err, sparkLog, conf, all);
        try {
            whileRunning.accept(err);
            assertThat(p.waitFor(DRIVER_LIMIT.toSeconds(), TimeUnit.SECONDS)).as("the driver finished").isTrue();
        } finally {
            p.destroyForcibly();
        }
        return new Driver(p.exitValue(), Files.readString(out), Files.readString(err), sparkLog);
    }

    interface DuringFit {
        void accept(Path driverStderr) throws IOException;
    }

    private static JsonNode local(String... args) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Emkit.run(args, new PrintWriter(out), new PrintWriter(err));
        assertThat(status).as(err.toString()).isZero();
        return new ObjectMapper().readTree(out.toString());
    }

    /** Nothing on the driver's terminal but emkit's own lines (the JVM's note on the Vector API aside). */
    private static void noStackTrace(Driver d) {
        assertThat(d.err()).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("ERROR");
    }

    @Test
    @Order(1)
    void aFitOnTheClusterIsTheLocalEngines() throws Exception {
        Path faithful = dir.resolve("faithful.csv");
        try (InputStream in = StandaloneClusterTest.class.getResourceAsStream("faithful.csv")) {
            Files.copy(in, faithful);
        }
        List<String> args = List.of("fit", faithful.toString(), "--components", "2", "--n-init", "1", "--json");
        Driver d = onCluster("faithful", List.of(), args, err -> { });
        assertThat(d.status()).as(d.err()).isZero();
        noStackTrace(d);
        JsonNode local = local(args.toArray(new String[0]));
        double ll = d.json().get("log_likelihood").asDouble();
        // mclust's and scikit-learn's optimum for Old Faithful, K = 2, full covariances: -1130.264.
        assertThat(ll).isCloseTo(-1130.264, within(1130.264 * 1e-6));
        assertThat(ll).isCloseTo(local.get("log_likelihood").asDouble(), within(1130.264 * 1e-9));
        assertThat(d.json().get("n_iter").asInt()).isEqualTo(local.get("n_iter").asInt());
        // The executors were the cluster's: the driver's Spark saw its two workers' executors.
        assertThat(Files.readString(d.sparkLog())).doesNotContain("ClassCastException");
    }

    @Test
    @Order(2)
    void aWorkerKilledInTheMiddleOfAFitChangesNothing() throws Exception {
        Path data = dir.resolve("blobs.csv");
        writeBlobs(data, 40_000);
        Path start = dir.resolve("start.json");
        local("fit", data.toString(), "-k", "3", "--max-iter", "0", "--model-out", start.toString(), "--quiet");
        List<String> args = List.of("fit", data.toString(), "-k", "3", "--init-model", start.toString(), "--tol", "0",
                "--max-iter", "12", "--json");
        JsonNode local = local(args.toArray(new String[0]));

        List<String> verbose = new ArrayList<>(args);
        verbose.add("--verbose");
        // Partitions of 128 kB (about 10, where Spark would read this 1.2 MB file as one): both executors cache
        // some, so the dead worker's are lost and must be recomputed from the file.
        Driver d = onCluster("killed-worker", List.of("-Dspark.sql.files.maxPartitionBytes=131072"), verbose, err -> {
            StandaloneCluster.awaitLog(err, text -> text.contains("iteration 2 "), DRIVER_LIMIT, "iteration 2");
            cluster.killWorker(0);
        });
        assertThat(d.status()).as(d.err()).isZero();
        // The worker's death reached the driver mid-fit: its executor was lost while iterations remained.
        assertThat(Files.readString(d.sparkLog())).contains("Lost executor");
        assertThat(d.err()).contains("iteration 12 ");
        assertThat(d.json().get("n_iter").asInt()).isEqualTo(local.get("n_iter").asInt());
        double ll = local.get("log_likelihood").asDouble();
        assertThat(d.json().get("log_likelihood").asDouble()).isCloseTo(ll, within(Math.abs(ll) * 1e-9));
    }

    /** Three round blobs in 3-D, rows with six decimals; a fixed seed. */
    private static void writeBlobs(Path file, int rows) throws IOException {
        Random random = new Random(20261202L);
        double[][] centres = {{0, 0, 0}, {4, 1, -2}, {-3, 5, 2}};
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("a,b,c\n");
            for (int i = 0; i < rows; i++) {
                double[] c = centres[random.nextInt(3)];
                w.write(String.format(Locale.ROOT, "%.6f,%.6f,%.6f%n", c[0] + random.nextGaussian(),
                        c[1] + random.nextGaussian(), c[2] + random.nextGaussian()));
            }
        }
    }
}
