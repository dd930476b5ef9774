package io.emkit.data;

import io.emkit.EmkitException;

/**
 * A problem with a data file: it cannot be read, or its content is not the table of numbers emkit
 * needs. The message is one line, {@code file: line L, column C ('name'): what is wrong}, with the
 * parts that do not apply left out, for example
 * {@code faithful.csv: line 12, column 2 ('waiting'): 'abc' is not a number} or
 * {@code nope.csv: no such file}.
 *
 * <p>The parts are also available on their own, for callers that want to add to the message or
 * point at the cell in some other way.
 */
public class InvalidDataException extends EmkitException {
    private static final long serialVersionUID = 1L;

    /** Longest cell text quoted in a message; a whole line of junk would bury the point. */
    private static final int MAX_QUOTED = 40;

    /** The file name as the user gave it, or null. */
    private final String file;
    /** 1-based line, 0 if none. */
    private final long line;
    /** 1-based column number, 0 if none. */
    private final int column;
    /** The column's name, or null. */
    private final String columnName;
    /** What is wrong, without the location. */
    private final String detail;

    /**
     * @param file       the file name as the user gave it, or {@code null}
     * @param line       1-based line in the file, or 0 if the problem is not about one line
     * @param column     1-based column number in the file, or 0 if the problem is not about one column
     * @param columnName the column's name, or {@code null}
     * @param detail     what is wrong, e.g. {@code "'abc' is not a number"}
     */
    public InvalidDataException(String file, long line, int column, String columnName, String detail) {
        this(file, line, column, columnName, detail, null);
    }

    /**
     * @param file       the file name as the user gave it, or {@code null}
     * @param line       1-based line in the file, or 0 if the problem is not about one line
     * @param column     1-based column number in the file, or 0 if the problem is not about one column
     * @param columnName the column's name, or {@code null}
     * @param detail     what is wrong
     * @param cause      the underlying failure, kept for debugging, or {@code null}
     */
    public InvalidDataException(String file, long line, int column, String columnName, String detail,
                                Throwable cause) {
        super(format(file, line, column, columnName, detail), cause);
        this.file = file;
        this.line = Math.max(0, line);
        this.column = Math.max(0, column);
        this.columnName = columnName;
        this.detail = detail;
    }

    /**
     * A problem with the file as a whole, e.g. {@code empty.csv: the file is empty}.
     *
     * @param file   the file name, or {@code null}
     * @param detail what is wrong
     * @return the exception
     */
    public static InvalidDataException ofFile(String file, String detail) {
        return new InvalidDataException(file, 0, 0, null, detail);
    }

    /**
     * A problem with one line, e.g. {@code data.csv: line 7: 3 fields, expected 2 (as in line 1)}.
     *
     * @param file   the file name, or {@code null}
     * @param line   1-based line
     * @param detail what is wrong
     * @return the exception
     */
    public static InvalidDataException atLine(String file, long line, String detail) {
        return new InvalidDataException(file, line, 0, null, detail);
    }

    /**
     * A problem with one column as a whole, e.g. {@code data.csv: column 2 ('waiting'): selected twice}.
     *
     * @param file       the file name, or {@code null}
     * @param column     1-based column number, or 0
     * @param columnName the column's name, or {@code null}
     * @param detail     what is wrong
     * @return the exception
     */
    public static InvalidDataException atColumn(String file, int column, String columnName, String detail) {
        return new InvalidDataException(file, 0, column, columnName, detail);
    }

    /**
     * A problem with one cell, e.g. {@code data.csv: line 5, column 1 ('x'): infinite value 'inf'}.
     *
     * @param file       the file name, or {@code null}
     * @param line       1-based line
     * @param column     1-based column number
     * @param columnName the column's name, or {@code null}
     * @param detail     what is wrong
     * @return the exception
     */
    public static InvalidDataException atCell(String file, long line, int column, String columnName,
                                              String detail) {
        return new InvalidDataException(file, line, column, columnName, detail);
    }

    /** @return the file name as the user gave it, or {@code null} */
    public String file() {
        return file;
    }

    /** @return the 1-based line in the file, or 0 if the problem is not about one line */
    public long line() {
        return line;
    }

    /** @return the 1-based column number in the file, or 0 if the problem is not about one column */
    public int column() {
        return column;
    }

    /** @return the column's name, or {@code null} */
    public String columnName() {
        return columnName;
    }

    /** @return what is wrong, without the file and location that start the message */
    public String detail() {
        return detail;
    }

    /**
     * Builds the one-line message from its parts.
     *
     * @param file       the file name, or {@code null}
     * @param line       1-based line, or 0
     * @param column     1-based column number, or 0
     * @param columnName the column's name, or {@code null}
     * @param detail     what is wrong
     * @return {@code file: line L, column C ('name'): detail}, without the parts that do not apply
     */
    public static String format(String file, long line, int column, String columnName, String detail) {
        StringBuilder location = new StringBuilder();
        if (line > 0) {
            location.append("line ").append(line);
        }
        if (column > 0 || columnName != null) {
            if (location.length() > 0) {
                location.append(", ");
            }
            location.append("column");
            if (column > 0) {
                location.append(' ').append(column);
                if (columnName != null) {
                    location.append(" (").append(quote(columnName)).append(')');
                }
            } else {
                location.append(' ').append(quote(columnName));
            }
        }
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file);
        }
        if (location.length() > 0) {
            if (sb.length() > 0) {
                sb.append(": ");
            }
            sb.append(location);
        }
        if (detail != null && !detail.isEmpty()) {
            if (sb.length() > 0) {
                sb.append(": ");
            }
            sb.append(detail);
        }
        return oneLine(sb);
    }

    /**
     * Quotes text from a file for a message: in single quotes, shortened if long, control characters
     * escaped so the message stays on one line.
     *
     * @param text the text
     * @return e.g. {@code 'abc'}
     */
    public static String quote(CharSequence text) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_QUOTED) + 5).append('\'');
        if (text.length() > MAX_QUOTED) {
            sb.append(text, 0, MAX_QUOTED).append("...");
        } else {
            sb.append(text);
        }
        return sb.append('\'').toString();
    }

    /** Quoted cells can hold line breaks, and the command line prints messages as one line. */
    private static String oneLine(CharSequence s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < ' ') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
