package io.emkit.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs every (tool, case) in its own JVM, alternating between tools, and writes the table.
 *
 * <pre>
 * Launcher [--cases 100k-2-4,...] [--tools emkit,elki,...] [--repeats 3] [--iterations 20] [--warmup 2]
 *          [--xmx 8g] [--timeout 1800] [--peak-gflops 83] [--out DIR]
 * </pre>
 * For each case, repeat r runs the tools in the order rotated by r (so no tool always runs first or
 * right after the same other tool). A run that fails or times out is recorded and not counted.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>();
        opt.put("cases", BenchCase.DEFAULT_CASES);
        opt.put("tools", String.join(",", Peers.ALL));
        opt.put("repeats", "3");
        opt.put("iterations", "20");
        opt.put("warmup", "2");
        opt.put("xmx", "8g");
        opt.put("timeout", "1800");
        opt.put("peak-gflops", "83");
        opt.put("out", "emkit-bench/results/" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC).format(Instant.now()));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || !opt.containsKey(a.substring(2)) || i + 1 >= args.length) {
                System.err.println("unknown or incomplete option '" + a + "'; options: " + opt.keySet());
                System.exit(2);
            }
            opt.put(a.substring(2), args[++i]);
        }
        List<BenchCase> cases = BenchCase.parseList(opt.get("cases"));
        List<String> tools = Arrays.asList(opt.get("tools").split(","));
        for (String t : tools) {
            Peers.byName(t);
        }
        int repeats = Integer.parseInt(opt.get("repeats"));
        Path out = Path.of(opt.get("out"));
        Files.createDirectories(out);
        Path raw = out.resolve("raw.tsv");
        List<Map<String, String>> results = new ArrayList<>();
        try (PrintWriter rawOut = new PrintWriter(Files.newBufferedWriter(raw, StandardCharsets.UTF_8))) {
            for (BenchCase c : cases) {
                List<String> runnable = new ArrayList<>();
                for (String t : tools) {
                    if (Peers.byName(t).supports(c)) {
                        runnable.add(t);
                    }
                }
                for (int r = 0; r < repeats; r++) {
                    for (int i = 0; i < runnable.size(); i++) {
                        String tool = runnable.get((i + r) % runnable.size());
                        Map<String, String> res = runOne(tool, c, opt, out);
                        res.put("repeat", Integer.toString(r));
                        results.add(res);
                        rawOut.println(toLine(res));
                        rawOut.flush();
                        System.err.printf(Locale.ROOT, "%-14s %-16s repeat %d: %s s/iter, loglik %s, heap %s MB %s%n",
                                tool, c.id(), r, res.getOrDefault("sec_per_iter", "-"), res.getOrDefault("loglik", "-"),
                                res.getOrDefault("peak_heap_mb", "-"), res.getOrDefault("error", ""));
                    }
                }
            }
        }
        String table = Summary.markdown(results, cases, tools, Double.parseDouble(opt.get("peak-gflops")),
                Integer.parseInt(opt.get("iterations")));
        Files.writeString(out.resolve("summary.md"), table);
        System.out.println(table);
        System.err.println("raw results: " + raw + "; table: " + out.resolve("summary.md"));
    }

    private static Map<String, String> runOne(String tool, BenchCase c, Map<String, String> opt, Path out)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + opt.get("xmx"));
        // emkit's SIMD kernels need the incubating Vector API (the emkit command adds it too); the peers ignore it.
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        if (tool.equals("spark") || tool.equals("emkit-spark")) {
            // Spark 3.5 on Java 17 (what Spark's own launcher adds).
            for (String p : List.of("java.base/java.lang", "java.base/java.lang.invoke", "java.base/java.lang.reflect",
                    "java.base/java.io", "java.base/java.net", "java.base/java.nio", "java.base/java.util",
                    "java.base/java.util.concurrent", "java.base/java.util.concurrent.atomic", "java.base/sun.nio.ch",
                    "java.base/sun.nio.cs", "java.base/sun.security.action", "java.base/sun.util.calendar")) {
                cmd.add("--add-opens=" + p + "=ALL-UNNAMED");
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Runner.class.getName());
        cmd.add(tool);
        cmd.add(c.id());
        cmd.add(opt.get("iterations"));
        cmd.add(opt.get("warmup"));
        Path log = out.resolve("logs").resolve(c.id() + "_" + tool + "_" + System.nanoTime() + ".log");
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Map<String, String> res = new LinkedHashMap<>();
        res.put("tool", tool);
        res.put("case", c.id());
        if (!p.waitFor(Long.parseLong(opt.get("timeout")), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            res.put("error", "timeout after " + opt.get("timeout") + " s");
            return res;
        }
        String line = null;
        try (BufferedReader br = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            for (String l; (l = br.readLine()) != null; ) {
                if (l.startsWith("RESULT\t")) {
                    line = l;
                }
            }
        } catch (IOException e) {
            line = null;
        }
        if (line == null) {
            res.put("error", "exit " + p.exitValue() + ", no result; see " + log);
            return res;
        }
        for (String kv : line.substring("RESULT\t".length()).split("\t")) {
            int eq = kv.indexOf('=');
            res.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return res;
    }

    private static String toLine(Map<String, String> res) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : res.entrySet()) {
            if (sb.length() > 0) {
                sb.append('\t');
            }
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.toString();
    }

    /** Reads a raw.tsv back (to re-make a table from earlier runs). */
    static List<Map<String, String>> readRaw(Path raw) throws IOException {
        List<Map<String, String>> out = new ArrayList<>();
        try (BufferedReader br = new BufferedReader(new InputStreamReader(Files.newInputStream(raw), StandardCharsets.UTF_8))) {
            for (String l; (l = br.readLine()) != null; ) {
                Map<String, String> m = new LinkedHashMap<>();
                for (String kv : l.split("\t")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) {
                        m.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
                out.add(m);
            }
        }
        return out;
    }
}
