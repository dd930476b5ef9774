package io.emkit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library's rooms: every package of emkit-core uses only the packages its {@code package-info} allows, so
 * dependencies run one way, and no package grows past 16 classes. Read from the main sources, so a new
 * import that breaks the layering fails here.
 */
class PackageDependenciesTest {
    /** Each package and the emkit packages it may use (besides io.emkit itself). */
    private static final Map<String, Set<String>> ALLOWED = new TreeMap<>(Map.ofEntries(
            Map.entry("io.emkit.data", Set.of()),
            Map.entry("io.emkit.em", Set.of("io.emkit.data")),
            Map.entry("io.emkit.kernels", Set.of("io.emkit.data")),
            Map.entry("io.emkit.mixture", Set.of("io.emkit.data")),
            Map.entry("io.emkit.init", Set.of("io.emkit.data", "io.emkit.kernels")),
            Map.entry("io.emkit.gaussian.covariance", Set.of()),
            Map.entry("io.emkit.kmeans", Set.of("io.emkit.data", "io.emkit.em", "io.emkit.kernels", "io.emkit.mixture",
                    "io.emkit.init")),
            Map.entry("io.emkit.gaussian", Set.of("io.emkit.data", "io.emkit.em", "io.emkit.kernels",
                    "io.emkit.mixture", "io.emkit.init", "io.emkit.kmeans", "io.emkit.gaussian.covariance")),
            Map.entry("io.emkit.student", Set.of("io.emkit.data", "io.emkit.em", "io.emkit.kernels",
                    "io.emkit.mixture", "io.emkit.init", "io.emkit.gaussian", "io.emkit.gaussian.covariance")),
            Map.entry("io.emkit.factor", Set.of("io.emkit.data", "io.emkit.em", "io.emkit.kernels", "io.emkit.kmeans",
                    "io.emkit.mixture", "io.emkit.init", "io.emkit.gaussian", "io.emkit.gaussian.covariance",
                    "io.emkit.student")),
            Map.entry("io.emkit.noise", Set.of("io.emkit.data", "io.emkit.em", "io.emkit.kernels",
                    "io.emkit.mixture", "io.emkit.gaussian", "io.emkit.gaussian.covariance", "io.emkit.student",
                    "io.emkit.factor")),
            Map.entry("io.emkit.variational", Set.of("io.emkit.data", "io.emkit.em", "io.emkit.kernels",
                    "io.emkit.mixture", "io.emkit.kmeans", "io.emkit.gaussian", "io.emkit.gaussian.covariance")),
            Map.entry("io.emkit.families", Set.of("io.emkit.data", "io.emkit.em", "io.emkit.mixture",
                    "io.emkit.init")),
            Map.entry("io.emkit.labels", Set.of("io.emkit.data", "io.emkit.em", "io.emkit.mixture",
                    "io.emkit.init", "io.emkit.gaussian", "io.emkit.gaussian.covariance", "io.emkit.select",
                    "io.emkit.families", "io.emkit.hmm")),
            Map.entry("io.emkit.hmm", Set.of("io.emkit.data", "io.emkit.em", "io.emkit.mixture", "io.emkit.gaussian",
                    "io.emkit.gaussian.covariance")),
            Map.entry("io.emkit.hmm.semimarkov", Set.of("io.emkit.data", "io.emkit.em", "io.emkit.kernels",
                    "io.emkit.hmm")),
            Map.entry("io.emkit.hmm.covariates", Set.of("io.emkit.data", "io.emkit.em", "io.emkit.hmm")),
            Map.entry("io.emkit.select", Set.of("io.emkit.data", "io.emkit.em", "io.emkit.init", "io.emkit.mixture",
                    "io.emkit.gaussian", "io.emkit.gaussian.covariance", "io.emkit.student", "io.emkit.noise",
                    "io.emkit.factor")),
            Map.entry("io.emkit.io", Set.of("io.emkit.data", "io.emkit.mixture", "io.emkit.kmeans",
                    "io.emkit.gaussian", "io.emkit.gaussian.covariance", "io.emkit.families", "io.emkit.hmm",
                    "io.emkit.hmm.semimarkov", "io.emkit.hmm.covariates", "io.emkit.student", "io.emkit.noise", "io.emkit.variational", "io.emkit.labels",
                    "io.emkit.factor"))));

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.emkit(?:\\.[a-z]\\w*)*)\\.[A-Z]");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    @Test
    void everyPackageUsesOnlyWhatItsRoomAllows() throws IOException {
        Map<String, Set<String>> used = new TreeMap<>();
        Map<String, Integer> classes = new TreeMap<>();
        for (Path file : mainSources()) {
            String text = Files.readString(file);
            Matcher pm = PACKAGE.matcher(text);
            assertThat(pm.find()).as("package line in %s", file).isTrue();
            String pkg = pm.group(1);
            if (!file.getFileName().toString().equals("package-info.java")) {
                classes.merge(pkg, 1, Integer::sum);
            }
            Matcher ref = REFERENCE.matcher(COMMENT.matcher(text).replaceAll(""));
            Set<String> targets = used.computeIfAbsent(pkg, p -> new TreeSet<>());
            while (ref.find()) {
                String target = ref.group(1);
                if (!target.equals(pkg) && !target.equals("io.emkit")) {
                    targets.add(target);
                }
            }
        }
        assertThat(used.keySet()).as("packages of emkit-core").containsAll(ALLOWED.keySet());
        List<String> violations = new ArrayList<>();
        used.forEach((pkg, targets) -> {
            if (pkg.equals("io.emkit")) {
                return;
            }
            Set<String> allowed = ALLOWED.get(pkg);
            if (allowed == null) {
                violations.add(pkg + " is not in the room map");
                return;
            }
            for (String target : targets) {
                if (!allowed.contains(target)) {
                    violations.add(pkg + " uses " + target);
                }
            }
        });
        assertThat(violations).isEmpty();
        assertThat(classes).allSatisfy((pkg, count) -> assertThat(count).as("classes in %s", pkg).isLessThanOrEqualTo(16));
    }

    @Test
    void theRoomMapHasNoCycle() {
        for (String start : ALLOWED.keySet()) {
            Set<String> seen = new TreeSet<>();
            List<String> frontier = new ArrayList<>(ALLOWED.get(start));
            while (!frontier.isEmpty()) {
                String next = frontier.remove(frontier.size() - 1);
                assertThat(next).as("a cycle through %s", start).isNotEqualTo(start);
                if (seen.add(next)) {
                    frontier.addAll(ALLOWED.getOrDefault(next, Set.of()));
                }
            }
        }
    }

    private static List<Path> mainSources() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String root : List.of("src/main/java", "src/main/java-vector")) {
            Path dir = Path.of(root);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
                }
            }
        }
        assertThat(files).as("main sources under %s", Path.of("").toAbsolutePath()).hasSizeGreaterThan(50);
        return files;
    }
}
