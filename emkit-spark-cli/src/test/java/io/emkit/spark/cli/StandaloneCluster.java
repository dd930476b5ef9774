package io.emkit.spark.cli;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Spark standalone cluster on loopback for the tests: a master and workers, each a separate JVM started from
 * the Spark jars on the test class path, and drivers (the emkit command) as separate JVMs too. Stopping it kills
 * every process it started, with their children (the executors the workers launched).
 *
 * <p>A worker launches its executors with the class path of {@code $SPARK_HOME/jars}; that folder holds links to
 * the test class path's jars but none of emkit's or of emkit's libraries, as in a Spark distribution: what emkit
 * needs on the executors, the driver must ship.
 */
final class StandaloneCluster implements AutoCloseable {
    /** The class path folders of emkit's modules and the libraries emkit-core needs, none of them Spark's. */
    private static final List<String> NOT_SPARKS = List.of("/io/emkit/", "/org/ejml/", "/de/siegmar/",
            "/ch/randelshofer/", "/info/picocli/", "/org/knowm/");

    /**
     * For every JVM of the cluster: the JIT's quick tier only and the serial collector. They run seconds of small
     * jobs on a machine of two cores, where the optimising compiler's and the parallel collector's threads would
     * compete with the work.
     */
    private static final String QUICK_START = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    /** The folder of the project's modules (the tests run in a module's folder). */
    private static final Path CHECKOUT = Path.of("").toAbsolutePath().getParent();

    private final Path dir;
    private final Path sparkHome;
    private final List<String> classPath;
    private final List<Process> started = new ArrayList<>();
    private final int masterPort;
    private final List<Process> workers = new ArrayList<>();

    /**
     * Starts a master and {@code workers} workers (one core, 512 MB each) and waits until all have registered.
     *
     * @param dir     where the processes' logs and work folders go
     * @param workers how many workers
     * @throws IOException if a process cannot start or the cluster is not up in time
     */
    StandaloneCluster(Path dir, int workers) throws IOException {
        this.dir = dir;
        this.sparkHome = dir.resolve("spark-home");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        this.classPath = List.of(cp.split(File.pathSeparator));
        Files.createDirectories(sparkHome.resolve("jars"));
        for (String entry : classPath) {
            Path p = Path.of(entry);
            String slashed = p.toAbsolutePath().toString().replace('\\', '/');
            // The checkout's own jars too (a reactor build puts emkit's modules' target/*.jar on the class path):
            // an emkit jar in the executors' own class path without its libraries would fail to link.
            if (entry.endsWith(".jar") && NOT_SPARKS.stream().noneMatch(slashed::contains)
                    && !p.toAbsolutePath().normalize().startsWith(CHECKOUT)
                    && !Files.exists(sparkHome.resolve("jars").resolve(p.getFileName()))) {
                Files.createSymbolicLink(sparkHome.resolve("jars").resolve(p.getFileName()), p.toAbsolutePath());
            }
        }
        this.masterPort = freePort();
        try {
            Path masterLog = dir.resolve("master.log");
            start(masterLog, List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(freePort())));
            for (int i = 1; i <= workers; i++) {
                this.workers.add(start(dir.resolve("worker" + i + ".log"), List.of("org.apache.spark.deploy.worker.Worker",
                        "--host", "127.0.0.1", "--port", "0", "--webui-port", String.valueOf(freePort()),
                        "--cores", "1", "--memory", "512m", "--work-dir", dir.resolve("work" + i).toString(),
                        masterUrl())));
            }
            int wanted = workers;
            awaitLog(masterLog, text -> text.split("Registering worker", -1).length - 1 >= wanted,
                    Duration.ofSeconds(120), "the workers to register");
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** @return {@code spark://127.0.0.1:PORT} */
    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /**
     * Kills worker {@code i} (from 0) and what it launched, as when its machine dies.
     *
     * @param i the worker
     */
    void killWorker(int i) {
        kill(workers.get(i));
    }

    /**
     * Starts the emkit command as a driver JVM: the test class path, Spark's logging as {@code ./emkit} sets
     * it, executors of 512 MB (what a worker offers).
     *
     * @param out      where its standard output goes
     * @param err      where its standard error goes
     * @param sparkLog where Spark logs
     * @param conf     Spark settings for the driver ({@code -Dspark.x=y}), beyond the executors' memory
     * @param args     the command line
     * @return the process
     * @throws IOException if it cannot start
     */
    Process emkit(Path out, Path err, Path sparkLog, List<String> conf, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("-Dspark.executor.memory=512m",
                "-Dspark.executor.extraJavaOptions=" + QUICK_START, "-Demkit.spark.log=" + sparkLog,
                "-Dlog4j2.configurationFile=" + Path.of("src/main/config/log4j2.properties").toAbsolutePath()));
        command.addAll(conf);
        command.add("io.emkit.cli.Emkit");
        command.addAll(args);
        Process p = builder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        started.add(p);
        return p;
    }

    private Process start(Path log, List<String> mainAndArgs) throws IOException {
        Process p = builder(new ArrayList<>(mainAndArgs)).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        started.add(p);
        return p;
    }

    private ProcessBuilder builder(List<String> jvmArgsMainAndArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(List.of(QUICK_START.split(" ")));
        // The --add-opens flags Spark needs on Java 17: the ones this JVM got from the build.
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("--add-modules")) {
                command.add(a);
            }
        }
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath));
        command.addAll(jvmArgsMainAndArgs);
        ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = b.environment();
        env.keySet().removeIf(k -> k.startsWith("SPARK_"));
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", "2.12");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        return b;
    }

    /**
     * Waits until the file {@code log} satisfies {@code done}.
     *
     * @param log     the file
     * @param done    the condition on its text
     * @param timeout how long to wait
     * @param what    what is awaited, for the message
     * @throws IOException if it does not happen in time
     */
    static void awaitLog(Path log, Predicate<String> done, Duration timeout, String what) throws IOException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(log) && done.test(Files.readString(log))) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IOException("timed out waiting for " + what + "; " + log + ":\n"
                + (Files.exists(log) ? Files.readString(log) : "(none)"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills every process started, the last started first, and waits for each. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            kill(started.get(i));
        }
    }
}
