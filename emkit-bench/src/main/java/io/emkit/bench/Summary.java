package io.emkit.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Makes the Markdown table from raw results. Also a main: {@code Summary RAW.tsv [PEAK_GFLOPS]}
 * re-makes the table of one or several earlier runs (arguments are raw.tsv files; the last may be the peak).
 */
public final class Summary {

    private Summary() {
    }

    public static void main(String[] args) throws Exception {
        List<Map<String, String>> all = new ArrayList<>();
        double peak = 83;
        for (String a : args) {
            if (a.endsWith(".tsv")) {
                all.addAll(Launcher.readRaw(Path.of(a)));
            } else {
                peak = Double.parseDouble(a);
            }
        }
        Set<String> caseIds = new LinkedHashSet<>();
        Set<String> tools = new LinkedHashSet<>();
        int iterations = 20;
        for (Map<String, String> r : all) {
            caseIds.add(r.get("case"));
            tools.add(r.get("tool"));
            if (r.containsKey("iterations")) {
                iterations = Integer.parseInt(r.get("iterations"));
            }
        }
        List<BenchCase> cases = new ArrayList<>();
        for (String id : caseIds) {
            cases.add(BenchCase.parse(id));
        }
        System.out.print(markdown(all, cases, new ArrayList<>(tools), peak, iterations));
    }

    static String markdown(List<Map<String, String>> results, List<BenchCase> cases, List<String> tools,
            double peakGflops, int iterations) {
        StringBuilder sb = new StringBuilder();
        sb.append("| case (n-d-k) | tool | s/iter (median) | min … max | runs | s/iter incl. per-call cost | ")
                .append("log-likelihood after ").append(iterations).append(" it. | peak heap MB | GFLOP/s (% of peak) |\n");
        sb.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (BenchCase c : cases) {
            for (String tool : tools) {
                List<Map<String, String>> ok = new ArrayList<>();
                List<String> errors = new ArrayList<>();
                for (Map<String, String> r : results) {
                    if (c.id().equals(r.get("case")) && tool.equals(r.get("tool"))) {
                        if (r.containsKey("sec_per_iter") && r.getOrDefault("error", "").isEmpty()) {
                            ok.add(r);
                        } else {
                            errors.add(r.getOrDefault("error", "failed"));
                        }
                    }
                }
                if (ok.isEmpty() && errors.isEmpty()) {
                    continue;
                }
                sb.append("| ").append(c.id()).append(" | ").append(tool);
                if (tool.equals("weka")) {
                    sb.append(" (own start)");
                }
                sb.append(" | ");
                if (ok.isEmpty()) {
                    sb.append("failed: ").append(errors.get(0).replace('|', '/')).append(" | | ").append(errors.size())
                            .append(" failed | | | | |\n");
                    continue;
                }
                double[] s = values(ok, "sec_per_iter");
                double med = median(s);
                sb.append(String.format(Locale.ROOT, "%.4g | %.4g … %.4g | %d%s | %.4g | %s | %s | ", med, s[0],
                        s[s.length - 1], ok.size(), errors.isEmpty() ? "" : " (+" + errors.size() + " failed)",
                        median(values(ok, "sec_per_iter_call")), lls(ok, iterations), String.format(Locale.ROOT, "%.0f",
                                median(values(ok, "peak_heap_mb")))));
                if (tool.startsWith("emkit")) {
                    double g = c.flopsPerIteration() / med / 1e9;
                    sb.append(String.format(Locale.ROOT, "%.2f (%.1f%%)", g, 100 * g / peakGflops));
                }
                sb.append(" |\n");
            }
        }
        return sb.toString();
    }

    private static String lls(List<Map<String, String>> ok, int iterations) {
        Set<String> distinct = new LinkedHashSet<>();
        for (Map<String, String> r : ok) {
            double v = Double.parseDouble(r.get("loglik"));
            String it = r.getOrDefault("iterations", Integer.toString(iterations));
            distinct.add((Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.4f", v))
                    + (it.equals(Integer.toString(iterations)) ? "" : " (after " + it + " it.)"));
        }
        return String.join(" / ", distinct);
    }

    private static double[] values(List<Map<String, String>> rs, String key) {
        double[] v = new double[rs.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = Double.parseDouble(rs.get(i).get(key));
        }
        Arrays.sort(v);
        return v;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
