package io.emkit;

import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.io.ModelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The README's Java example itself, not a copy: the {@code ```java} block is read from README.md, wrapped in a
 * method (its imports kept, {@code java.nio.file.Path} added), compiled with javax.tools against the library,
 * and run. Only its two file names are replaced, by paths in a temporary folder. It must give mclust's fit.
 */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    /** The lines of the first {@code ```java} block of the README at the repository root. */
    static List<String> readmeJavaBlock() throws Exception {
        Path readme = Path.of("..", "README.md");
        if (!Files.exists(readme)) {
            readme = Path.of("README.md");
        }
        List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
        int start = lines.indexOf("```java");
        assertThat(start).as("a ```java block in %s", readme.toAbsolutePath()).isNotNegative();
        int end = start + 1;
        while (!lines.get(end).equals("```")) {
            end++;
        }
        return lines.subList(start + 1, end);
    }

    @Test
    void readmeJavaExampleCompilesAndRuns() throws Exception {
        Path csv = dir.resolve("faithful.csv");
        try (InputStream in = TestData.class.getResourceAsStream("faithful.csv")) {
            Files.copy(in, csv);
        }
        Path modelFile = dir.resolve("faithful-model.json");
        List<String> block = readmeJavaBlock();
        StringBuilder imports = new StringBuilder("import java.nio.file.Path;\n");
        StringBuilder body = new StringBuilder();
        int replaced = 0;
        for (String line : block) {
            if (line.startsWith("import ")) {
                imports.append(line).append('\n');
                continue;
            }
            String changed = line.replace("\"examples/faithful.csv\"", literal(csv))
                    .replace("\"faithful-model.json\"", literal(modelFile));
            replaced += changed.equals(line) ? 0 : 1;
            body.append("        ").append(changed).append('\n');
        }
        assertThat(replaced).as("the example's two file names").isEqualTo(2);
        String source = imports + "\npublic class ReadmeExample {\n    public static Object[] run() throws Exception {\n"
                + body + "        return new Object[] {fit, labels, resp, logDensity, model};\n    }\n}\n";
        Path src = Files.createDirectories(dir.resolve("src")).resolve("ReadmeExample.java");
        Files.writeString(src, source);
        Path classes = Files.createDirectories(dir.resolve("classes"));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("the tests run on a JDK").isNotNull();
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        int status = javac.run(null, messages, messages, "-d", classes.toString(), "-classpath", classPath(),
                src.toString());
        assertThat(status).as("javac on the README's example:%n%s%n%s", messages, source).isZero();

        Object[] out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ReadmeExampleTest.class.getClassLoader())) {
            out = (Object[]) loader.loadClass("ReadmeExample").getMethod("run").invoke(null);
        }
        @SuppressWarnings("unchecked")
        EmResult<GaussianMixtureModel> fit = (EmResult<GaussianMixtureModel>) out[0];
        double[][] resp = (double[][]) out[2];
        assertThat(fit.logLikelihood()).isCloseTo(-1130.264, within(1e-3));
        assertThat((int[]) out[1]).hasSize(272);
        assertThat(resp[0][0] + resp[0][1]).isCloseTo(1.0, within(1e-12));
        assertThat((double[]) out[3]).hasSize(272);
        assertThat(ModelFiles.read(modelFile)).isEqualTo(out[4]);
    }

    private static String literal(Path p) {
        return "\"" + p.toAbsolutePath().toString().replace("\\", "\\\\") + "\"";
    }

    /** The test class path (surefire names it in a property when it runs tests from a manifest-only jar). */
    private static String classPath() throws Exception {
        String surefire = System.getProperty("surefire.test.class.path");
        if (surefire != null && !surefire.isBlank()) {
            return surefire;
        }
        List<String> parts = new ArrayList<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        parts.add(Path.of(GaussianMixture.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        return String.join(File.pathSeparator, parts);
    }
}
