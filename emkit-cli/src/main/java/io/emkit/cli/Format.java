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
     * A total as people write it: from 100000 on in full, without an exponent, and whole numbers without
     * decimals (n = 2000000, total weight 4001739.5), else as {@link #num}.
     *
     * @param v a count, a total weight or another sum that may be large
     * @return it in plain decimal notation, with at most one decimal from 100000 on
     */
    public static String amount(double v) {
        if (Double.isFinite(v) && Math.abs(v) >= 1e5 && Math.abs(v) < 1e15) {
            return new java.math.BigDecimal(v).setScale(1, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros()
                    .toPlainString();
        }
        return num(v);
    }

    /**
     * @param n    how many
     * @param noun what, in the singular, made plural by an s
     * @return e.g. "1 column", "3 columns"
     */
    public static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /**
     * A setting as a person would type it: 0.0001, 1e-8, 0.001 (where {@link #num} writes 1.00000e-08).
     *
     * @param v a finite number given as an option
     * @return it in the shortest decimal or scientific form that reads back to the same value
     */
    public static String setting(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toString().toLowerCase(Locale.ROOT).replace("e+", "e");
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
            s.append(csvField(n));
        }
        return s.toString();
    }

    /**
     * @param file a data file as the user named it
     * @return its name in a summary: as named, or "standard input" for {@code -}
     */
    public static String dataName(String file) {
        return io.emkit.data.DataFiles.STANDARD_INPUT.equals(file) ? "standard input" : file;
    }

    /**
     * @param text a cell's text
     * @return it as a CSV field: quoted when it holds a comma, quote or line break, else as it is
     */
    public static String csvField(String text) {
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
