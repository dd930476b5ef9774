package io.emkit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every jqwik property of every module runs with a fixed seed, so that a failure on CI (or on any machine)
 * reproduces with the same generated samples; a property without one draws a new seed each run.
 */
class PropertySeedsTest {
    private static final Pattern PROPERTY = Pattern.compile("(?m)^\\s*@Property\\b(\\s*\\(([^)]*)\\))?");

    @Test
    void everyPropertyHasAFixedSeed() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("pom.xml")).as("the build's root, parent of emkit-core").exists();
        List<String> unseeded = new ArrayList<>();
        int properties = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/test/java/"))
                    .toList()) {
                Matcher m = PROPERTY.matcher(Files.readString(f));
                while (m.find()) {
                    properties++;
                    String args = m.group(2);
                    if (args == null || !args.matches("(?s).*\\bseed\\s*=\\s*\"-?\\d+\".*")) {
                        unseeded.add(root.relativize(f) + ": " + m.group().strip());
                    }
                }
            }
        }
        assertThat(properties).as("jqwik properties found (core and CLI)").isGreaterThanOrEqualTo(2);
        assertThat(unseeded).as("properties without a fixed seed").isEmpty();
    }
}
