package io.emkit.cli;

import io.emkit.EmkitException;
import io.emkit.data.CsvData;
import io.emkit.data.CsvDataReader;
import io.emkit.data.DataFiles;
import io.emkit.data.Dataset;
import io.emkit.data.TextTable;
import io.emkit.data.InvalidDataException;
import io.emkit.hmm.EmissionKind;
import io.emkit.data.Sequences;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a CSV file of time steps into sequences: one row per step, a sequence-id column (text or
 * numbers; default: the whole file is one sequence), an optional numeric time column that orders the
 * steps of each sequence (default: file order), and observation columns. Sequences are numbered in the
 * order their first row appears. Remembers which data row each step came from, for messages and output.
 */
public final class HmmData {
    /** The options of every hmm command that reads a data file. */
    public static final class Options {
        @Option(names = "--sequence-column", paramLabel = "COL",
                description = "Column holding each row's sequence id (text or numbers), by name or number from 1."
                        + " Default: the whole file is one sequence.")
        String sequenceColumn;

        /** @return how to read the file */
        public DataOptions dataOptions() {
            return data;
        }

        /** @return {@code --sequence-column}, or null when the whole file is one sequence */
        public String sequenceColumn() {
            return sequenceColumn;
        }

        /** @return {@code --time-column}, or null when the steps are in the file's order */
        public String timeColumn() {
            return timeColumn;
        }

        @Option(names = "--time-column", paramLabel = "COL",
                description = "Numeric column ordering the steps of each sequence. Default: the file's order.")
        String timeColumn;

        @Mixin
        DataOptions data = new DataOptions();
    }

    /** The sequences read. */
    public final Sequences sequences;
    /** For each step (global row of {@link #sequences}), the data row it came from. */
    public final int[] rowOf;
    /** Each sequence's id as written in the file ("1" without a sequence column). */
    public final List<String> ids;
    /**
     * The covariates of every step (global row of {@link #sequences}), row-major in the order of
     * {@link #covariateNames}; empty unless read for a model with transition covariates.
     */
    public final double[] covariates;
    /** The covariate columns read, in the order asked for. */
    public final List<String> covariateNames;
    final CsvData csv;
    final Path file;

    /**
     * @param row a data row, from 0 (see {@link #rowOf})
     * @return the file line it was read from
     */
    public long lineOf(int row) {
        return csv.lineOf(row);
    }

    private HmmData(Sequences sequences, int[] rowOf, List<String> ids, CsvData csv, Path file, double[] covariates,
                    List<String> covariateNames) {
        this.covariates = covariates;
        this.covariateNames = List.copyOf(covariateNames);
        this.sequences = sequences;
        this.rowOf = rowOf;
        this.ids = ids;
        this.csv = csv;
        this.file = file;
    }

    /**
     * @param file     the data file
     * @param o        the options
     * @param features the model's features to pick by name when the file's header has them all, or null
     * @param kind     the emission family whose support every observation must lie in
     * @param notes    where notes on columns left out go, or null for none
     * @return the sequences read
     */
    public static HmmData read(Path file, Options o, List<String> features, EmissionKind kind, PrintWriter notes) {
        return read(file, o, features, kind, notes, null);
    }

    /**
     * As {@link #read(Path, Options, List, EmissionKind, PrintWriter)}, with a labels column that is never an
     * observation column.
     *
     * @param file         the data file
     * @param o            the options
     * @param features     the model's features to pick by name when the file's header has them all, or null
     * @param kind         the emission family whose support every observation must lie in
     * @param notes        where notes on columns left out go, or null for none
     * @param labelsColumn the --labels-column (by name or number from 1), or null
     * @return the sequences read
     */
    public static HmmData read(Path file, Options o, List<String> features, EmissionKind kind, PrintWriter notes,
                               String labelsColumn) {
        return read(file, o, features, kind, notes, labelsColumn, List.of());
    }

    /**
     * As {@link #read(Path, Options, List, EmissionKind, PrintWriter, String)}, with covariate columns that are
     * never observation columns, read into {@link #covariates} (every cell a number).
     *
     * @param file         the data file
     * @param o            the options
     * @param features     the model's features to pick by name when the file's header has them all, or null
     * @param kind         the emission family whose support every observation must lie in
     * @param notes        where notes on columns left out go, or null for none
     * @param labelsColumn the --labels-column (by name or number from 1), or null
     * @param covariateColumns the covariate columns (by name or number from 1); empty for none
     * @return the sequences read
     */
    public static HmmData read(Path file, Options o, List<String> features, EmissionKind kind, PrintWriter notes,
                               String labelsColumn, List<String> covariateColumns) {
        DataOptions opts = o.data;
        if (labelsColumn != null) {
            opts.refuseInColumns("--labels-column", labelsColumn.trim(), "the labels are not an observation column");
        }
        List<String> wanted = new ArrayList<>(opts.columns);
        if (!wanted.isEmpty() && o.timeColumn != null) {
            wanted.add(o.timeColumn);
        }
        if (!wanted.isEmpty()) {
            for (String c : covariateColumns) {
                if (wanted.contains(c.trim())) {
                    throw new EmkitException("--transition-covariates '" + c.trim() + "' is also in --columns; a"
                            + " covariate is not an observation column: leave it out of --columns");
                }
                wanted.add(c.trim());
            }
        }
        CsvData csv = CsvDataReader.read(file, opts.options().withColumns(wanted));
        Dataset all = csv.dataset();
        List<String> header = headerFields(csv);
        int seqCol = o.sequenceColumn == null ? -1 : fileColumn(file, header, o.sequenceColumn, "--sequence-column");
        int timeCol = o.timeColumn == null ? -1 : fileColumn(file, header, o.timeColumn, "--time-column");
        int labelCol = labelsColumn == null ? -1 : fileColumn(file, header, labelsColumn.trim(), "--labels-column");
        if (labelCol >= 0 && (labelCol == seqCol || labelCol == timeCol)) {
            throw new EmkitException("--labels-column '" + labelsColumn.trim() + "' is also the "
                    + (labelCol == seqCol ? "--sequence-column" : "--time-column"));
        }
        if (seqCol >= 0 && seqCol == timeCol) {
            throw new EmkitException("--sequence-column and --time-column name the same column");
        }
        int[] covCols = new int[covariateColumns.size()];
        for (int c = 0; c < covCols.length; c++) {
            covCols[c] = fileColumn(file, header, covariateColumns.get(c).trim(), "transition covariate");
            if (covCols[c] == seqCol || covCols[c] == timeCol || covCols[c] == labelCol) {
                throw new EmkitException("--transition-covariates '" + covariateColumns.get(c).trim() + "' is also the "
                        + (covCols[c] == seqCol ? "--sequence-column" : covCols[c] == timeCol ? "--time-column"
                        : "--labels-column"));
            }
        }
        if (notes != null) {
            for (String c : csv.ignoredColumns()) {
                if ((seqCol < 0 || !c.equals(header.get(seqCol - 1)))
                        && (labelCol < 0 || header == null || !c.equals(header.get(labelCol - 1)))) {
                    notes.println("note: ignoring non-numeric column '" + c + "' (choose columns with --columns)");
                }
            }
        }
        // Observation columns: every dataset column but the sequence and time columns.
        List<Integer> obs = new ArrayList<>();
        int timeIndex = -1;
        for (int j = 0; j < all.columns(); j++) {
            int fc = csv.fileColumnOf(j);
            if (fc == timeCol) {
                timeIndex = j;
            } else if (fc != seqCol && fc != labelCol && Arrays.stream(covCols).noneMatch(c -> c == fc)) {
                obs.add(j);
            }
        }
        int[] covIdx = new int[covCols.length];
        for (int c = 0; c < covCols.length; c++) {
            covIdx[c] = -1;
            for (int j = 0; j < all.columns(); j++) {
                if (csv.fileColumnOf(j) == covCols[c]) {
                    covIdx[c] = j;
                }
            }
            if (covIdx[c] < 0) {
                throw new EmkitException(io.emkit.data.DataFiles.nameOf(file) + ": transition covariate '"
                        + covariateColumns.get(c).trim() + "' is not a numeric column");
            }
        }
        if (timeCol >= 0 && timeIndex < 0) {
            throw new EmkitException(io.emkit.data.DataFiles.nameOf(file) + ": --time-column '" + o.timeColumn + "' is not a numeric column");
        }
        if (features != null && !opts.columnsGiven() && csv.hasHeader()
                && all.columnNames().containsAll(features)) {
            obs.clear();
            for (String f : features) {
                obs.add(all.columnNames().indexOf(f));
            }
        }
        if (obs.isEmpty()) {
            throw new EmkitException(io.emkit.data.DataFiles.nameOf(file) + ": no observation columns (every numeric column is the sequence or time"
                    + " column); choose them with --columns");
        }
        int[] obsIdx = obs.stream().mapToInt(Integer::intValue).toArray();
        int[] missing = all.selectColumns(obsIdx).firstMissing();
        if (missing == null && timeIndex >= 0) {
            missing = all.selectColumns(timeIndex).firstMissing();
            if (missing != null) {
                missing[1] = -1;
            }
        }
        if (missing == null && covIdx.length > 0) {
            missing = all.selectColumns(covIdx).firstMissing();
            if (missing != null) {
                int col = covIdx[missing[1]];
                throw InvalidDataException.atCell(file.toString(), csv.lineOf(missing[0]), csv.fileColumnOf(col),
                        all.columnNames().get(col), "missing covariate; the transitions need every step's covariates");
            }
        }
        if (missing != null) {
            int col = missing[1] < 0 ? timeIndex : obsIdx[missing[1]];
            throw InvalidDataException.atCell(file.toString(), csv.lineOf(missing[0]), csv.fileColumnOf(col),
                    all.columnNames().get(col), "missing value; hidden Markov models need complete rows");
        }
        Dataset x = all.selectColumns(obsIdx);

        // Group rows by sequence id, in order of first appearance.
        String[] idOfRow = seqCol < 0 ? null : sequenceIds(file, opts, csv, seqCol, header);
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < all.rows(); i++) {
            String id = idOfRow == null ? "1" : idOfRow[i];
            groups.computeIfAbsent(id, k -> new ArrayList<>()).add(i);
        }
        int d = x.columns();
        double[] values = new double[all.rows() * d];
        int[] rowOf = new int[all.rows()];
        double[] cov = new double[all.rows() * covIdx.length];
        int[] lengths = new int[groups.size()];
        List<String> ids = new ArrayList<>(groups.keySet());
        int g = 0;
        int r = 0;
        double[] raw = x.rawValues();
        for (List<Integer> rows : groups.values()) {
            Integer[] order = rows.toArray(new Integer[0]);
            if (timeIndex >= 0) {
                int ti = timeIndex;
                Arrays.sort(order, (a, b) -> Double.compare(all.get(a, ti), all.get(b, ti)));
                for (int k = 1; k < order.length; k++) {
                    if (all.get(order[k], ti) == all.get(order[k - 1], ti)) {
                        int late = Math.max(order[k], order[k - 1]);
                        throw InvalidDataException.atCell(file.toString(), csv.lineOf(late), timeCol,
                                all.columnNames().get(ti), "time " + all.get(late, ti) + " appears twice in sequence '"
                                        + ids.get(g) + "' (first on line " + csv.lineOf(Math.min(order[k], order[k - 1]))
                                        + ")");
                    }
                }
            }
            for (int row : order) {
                System.arraycopy(raw, row * d, values, r * d, d);
                for (int c = 0; c < covIdx.length; c++) {
                    cov[r * covIdx.length + c] = all.get(row, covIdx[c]);
                }
                rowOf[r++] = row;
            }
            lengths[g++] = order.length;
        }
        Sequences seqs = Sequences.of(Dataset.wrap(values, all.rows(), d, x.columnNames()), lengths);
        int[] bad = seqs.firstViolation(kind::violation);
        if (bad != null) {
            int row = rowOf[bad[0]];
            throw InvalidDataException.atCell(file.toString(), csv.lineOf(row), csv.fileColumnOf(obsIdx[bad[1]]),
                    x.columnNames().get(bad[1]), kind.violation(raw[row * d + bad[1]]) + ", outside the support of "
                            + kind + " emissions");
        }
        if (notes != null && !opts.columnsGiven()) {
            String note = columnsNote(all, obsIdx, header, seqCol, timeCol);
            notes.println(covIdx.length == 0 ? note : note.replace(" (choose columns", ", not the transition covariates"
                    + " (choose columns"));
        }
        List<String> covNames = new ArrayList<>();
        for (int c : covIdx) {
            covNames.add(all.columnNames().get(c));
        }
        HmmData read = new HmmData(seqs, rowOf, ids, csv, file, cov, covNames);
        read.timeIndex = timeIndex;
        return read;
    }

    /** The time column's index among the columns read, or -1 without --time-column. */
    private int timeIndex = -1;

    /** @return the time column's name, or null without {@code --time-column} */
    public String timeName() {
        return timeIndex < 0 ? null : csv.dataset().columnNames().get(timeIndex);
    }

    /**
     * @param sequence a sequence, from 0
     * @return the time of each of its steps, in order (increasing), or null without {@code --time-column}
     */
    public double[] times(int sequence) {
        if (timeIndex < 0) {
            return null;
        }
        int start = sequences.start(sequence);
        double[] t = new double[sequences.length(sequence)];
        for (int i = 0; i < t.length; i++) {
            t[i] = csv.dataset().get(rowOf[start + i], timeIndex);
        }
        return t;
    }

    /**
     * One line saying which columns are modelled and which the sequence and time options left out, for a run
     * that did not choose them with --columns.
     */
    private static String columnsNote(Dataset all, int[] obsIdx, List<String> header, int seqCol, int timeCol) {
        List<String> used = new ArrayList<>();
        for (int j : obsIdx) {
            used.add(all.columnNames().get(j));
        }
        List<String> left = new ArrayList<>();
        if (seqCol >= 0) {
            left.add("sequence column " + columnLabel(header, seqCol));
        }
        if (timeCol >= 0) {
            left.add("time column " + columnLabel(header, timeCol));
        }
        return "note: modelling " + (used.size() == 1 ? "column " : used.size() + " columns ")
                + EmkitException.list(used) + (left.isEmpty() ? "" : ", not the " + String.join(" or the ", left))
                + " (choose columns with --columns)";
    }

    private static String columnLabel(List<String> header, int fileColumn) {
        return header == null ? "(number " + fileColumn + ")" : "'" + header.get(fileColumn - 1) + "'";
    }

    /** The header's fields (or {@code null} names if the file has none), trimmed. */
    private static List<String> headerFields(CsvData csv) {
        return csv.hasHeader() ? csv.fileColumnNames() : null;
    }

    /** The 1-based file column named (or numbered) by an option. */
    private static int fileColumn(Path file, List<String> header, String spec, String option) {
        if (header != null) {
            int i = header.indexOf(spec);
            if (i >= 0) {
                return i + 1;
            }
        }
        if (spec.matches("[0-9]+")) {
            return Integer.parseInt(spec);
        }
        throw new EmkitException(io.emkit.data.DataFiles.nameOf(file) + ": " + option + " '" + spec + "': no such column"
                + (header == null ? " (the file has no header; give the column's number)"
                : "; the columns are: " + EmkitException.list(header)));
    }

    /**
     * The labels column's cell of every step, in the order of {@link #sequences}' rows: a class name, or
     * {@code null} for an unlabelled step (an empty cell or {@code NA}).
     *
     * @param labelsColumn the column, by name or number from 1
     * @param options      how the file is read
     * @return one cell per step
     */
    public String[] labelCells(String labelsColumn, DataOptions options) {
        List<String> header = headerFields(csv);
        int col = fileColumn(file, header, labelsColumn.trim(), "--labels-column");
        int n = csv.dataset().rows();
        TextTable table = TextTable.read(file, options.textOptions(), j -> j == col - 1);
        if (col > table.columnNames().size()) {
            throw InvalidDataException.ofFile(DataFiles.nameOf(file), "no column " + col + " for --labels-column;"
                    + " the file has " + table.columnNames().size());
        }
        int[] tableRow = KeptColumns.alignedRows(DataFiles.nameOf(file), table, n, csv::lineOf);
        String[] out = new String[rowOf.length];
        for (int r = 0; r < rowOf.length; r++) {
            String cell = table.cell(tableRow[rowOf[r]], col - 1);
            out[r] = cell.isEmpty() || cell.equals("NA") ? null : cell;
        }
        return out;
    }

    /** The text of the sequence column of every data row, matched to the rows read by line. */
    private static String[] sequenceIds(Path file, DataOptions options, CsvData csv, int seqCol, List<String> header) {
        int n = csv.dataset().rows();
        TextTable table = TextTable.read(file, options.textOptions(), j -> j == seqCol - 1);
        if (seqCol > table.columnNames().size()) {
            throw InvalidDataException.ofFile(DataFiles.nameOf(file), "no column " + seqCol + " for --sequence-column;"
                    + " the file has " + table.columnNames().size());
        }
        int[] rowOf = KeptColumns.alignedRows(DataFiles.nameOf(file), table, n, csv::lineOf);
        String name = header == null ? null : header.get(seqCol - 1);
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            String id = table.cell(rowOf[i], seqCol - 1);
            if (id.isEmpty()) {
                throw InvalidDataException.atCell(DataFiles.nameOf(file), csv.lineOf(i), seqCol, name,
                        "empty sequence id");
            }
            ids[i] = id;
        }
        return ids;
    }
}
