package io.emkit.spark.cli;

import io.emkit.EmkitException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The jars a cluster's executors need to run emkit's E-steps: the ones this JVM loaded emkit's classes and
 * emkit-core's libraries from. Run as {@code emkit-spark.jar} (the shaded jar, what {@code ./emkit} and
 * {@code spark-submit} run) that is that one jar; run from a class path of Maven jars and class folders (an IDE,
 * the tests), each jar once, and each class folder packed into a temporary jar (Spark ships files, not folders).
 * Spark itself and Jackson are the cluster's.
 */
final class ExecutorJars {
    /** One class from each thing the executors must load: emkit's modules, then emkit-core's libraries. */
    private static final List<String> NEEDED = List.of(
            "io.emkit.EmkitException",
            "io.emkit.spark.SparkData",
            "io.emkit.cli.Emkit",
            "io.emkit.spark.cli.SparkEngine",
            "org.ejml.data.DMatrixRMaj",
            "org.ejml.dense.row.factory.DecompositionFactory_DDRM",
            "de.siegmar.fastcsv.reader.CsvReader",
            "ch.randelshofer.fastdoubleparser.JavaDoubleParser");

    private ExecutorJars() {
    }

    /**
     * @return the paths of the jars to ship, each once, in {@link #NEEDED}'s order
     * @throws EmkitException if a class folder cannot be packed
     */
    static List<String> paths() {
        Set<Path> sources = new LinkedHashSet<>();
        for (String name : NEEDED) {
            Path source = codeSource(name);
            if (source != null) {
                sources.add(source);
            }
        }
        List<String> jars = new ArrayList<>();
        for (Path source : sources) {
            jars.add((Files.isDirectory(source) ? packed(source) : source).toString());
        }
        return jars;
    }

    /** Where {@code className} was loaded from, or null when it is not there or its source is unknown. */
    private static Path codeSource(String className) {
        try {
            CodeSource source = Class.forName(className, false, ExecutorJars.class.getClassLoader())
                    .getProtectionDomain().getCodeSource();
            return source == null || source.getLocation() == null ? null
                    : Path.of(source.getLocation().toURI()).toAbsolutePath();
        } catch (ClassNotFoundException | URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** A temporary jar (deleted when this JVM exits) holding the files of the class folder {@code folder}. */
    private static Path packed(Path folder) {
        try {
            Path jar = Files.createTempFile("emkit-classes-", ".jar");
            jar.toFile().deleteOnExit();
            try (OutputStream file = Files.newOutputStream(jar);
                 JarOutputStream out = new JarOutputStream(file);
                 Stream<Path> files = Files.walk(folder)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    out.putNextEntry(new JarEntry(folder.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException | UncheckedIOException e) {
            throw new EmkitException("cannot pack " + folder + " into a jar for Spark's executors: " + e.getMessage());
        }
    }

    /** {@code configured} (spark.jars as set, comma-separated) with the jars of {@link #paths()} not in it. */
    static String addedTo(String configured) {
        Set<String> jars = new LinkedHashSet<>();
        Set<String> names = new HashSet<>();
        for (String jar : configured.split(",")) {
            if (!jar.isBlank()) {
                jars.add(jar.trim());
                names.add(localPath(jar.trim()));
            }
        }
        for (String jar : paths()) {
            if (!names.contains(jar)) {
                jars.add(jar);
            }
        }
        return String.join(",", jars);
    }

    /** The file a spark.jars entry names ({@code /a/b.jar}, {@code file:/a/b.jar}), to compare with ours. */
    private static String localPath(String jar) {
        try {
            return jar.startsWith("file:") ? Path.of(URI.create(jar)).toString() : jar;
        } catch (IllegalArgumentException e) {
            return jar;
        }
    }
}
