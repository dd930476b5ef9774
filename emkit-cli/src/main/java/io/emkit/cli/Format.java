package io.emkit.cli;

import java.util.Locale;

/** Number formats for human-readable output (JSON and CSV outputs keep every digit instead). */
public final class Format {
    private Format() {
    }

    /**
     * @param v a number
     * @return it with six significant digits, no exponent for ordinary magnitudes
     */
    public static String num(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e9) {
            String s = String.format(Locale.ROOT, "%.6g", v);
            if (s.contains(".") && !s.contains("e")) {
                s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
            }
            return s;
        }
        return String.format(Locale.ROOT, "%.5e", v);
    }

    /**
     * @param v        a number
     * @param decimals how many decimals to show
     * @return it with that many decimals
     */
    public static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /**
     * @param s     a cell
     * @param width the column's width
     * @return the cell left-aligned in the column
     */
    public static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /**
     * @param s     a cell
     * @param width the column's width
     * @return the cell right-aligned in the column
     */
    public static String padLeft(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    /**
     * @param names the columns' names
     * @return a CSV header line's fields, quoted where a name holds a comma, quote or line break
     */
    public static String csvHeader(java.util.List<String> names) {
        StringBuilder s = new StringBuilder();
        for (String n : names) {
            if (s.length() > 0) {
                s.append(',');
            }
            if (n.contains(",") || n.contains("\"") || n.contains("\n") || n.contains("\r")) {
                s.append('"').append(n.replace("\"", "\"\"")).append('"');
            } else {
                s.append(n);
            }
        }
        return s.toString();
    }
}
