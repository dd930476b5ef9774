package io.emkit.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One benchmark case: n rows, d features, k components, full or diagonal covariance.
 * Written {@code N-D-K} or {@code N-D-K-diag}, N with an optional {@code k} or {@code m} suffix:
 * {@code 100k-16-16}, {@code 1m-2-4}, {@code 100k-16-16-diag}.
 */
public record BenchCase(int n, int d, int k, boolean diag) {

    /** The cases of issue 3, in the order a full run measures them (cheapest first). */
    public static final String DEFAULT_CASES =
            "100k-2-4,100k-16-16,100k-64-8,100k-16-16-diag,1m-2-4,1m-16-16";

    public static BenchCase parse(String spec) {
        String[] p = spec.trim().toLowerCase(Locale.ROOT).split("-");
        if (p.length < 3 || p.length > 4 || (p.length == 4 && !p[3].equals("diag") && !p[3].equals("full"))) {
            throw new IllegalArgumentException("case '" + spec + "': expected N-D-K or N-D-K-diag, e.g. 100k-16-16");
        }
        return new BenchCase(count(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]),
                p.length == 4 && p[3].equals("diag"));
    }

    public static List<BenchCase> parseList(String specs) {
        List<BenchCase> out = new ArrayList<>();
        for (String s : specs.split(",")) {
            if (!s.isBlank()) {
                out.add(parse(s));
            }
        }
        return out;
    }

    private static int count(String s) {
        if (s.endsWith("k")) {
            return Integer.parseInt(s.substring(0, s.length() - 1)) * 1_000;
        }
        if (s.endsWith("m")) {
            return Integer.parseInt(s.substring(0, s.length() - 1)) * 1_000_000;
        }
        return Integer.parseInt(s);
    }

    /** The case's name, as parsed. */
    public String id() {
        String rows = n % 1_000_000 == 0 ? n / 1_000_000 + "m" : n % 1_000 == 0 ? n / 1_000 + "k" : Integer.toString(n);
        return rows + "-" + d + "-" + k + (diag ? "-diag" : "");
    }

    /**
     * Floating-point operations of one EM iteration (one E-step and one M-step) of a straightforward
     * kernel, not counting exp/log: see BENCHMARKS.md for the derivation.
     * Full: n·K·(2D² + 7D). Diagonal: n·K·7D.
     */
    public double flopsPerIteration() {
        double perRowComponent = diag ? 7.0 * d : 2.0 * d * d + 7.0 * d;
        return (double) n * k * perRowComponent;
    }

    @Override
    public String toString() {
        return id();
    }
}
