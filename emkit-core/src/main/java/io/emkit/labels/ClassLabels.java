package io.emkit.labels;

import io.emkit.EmkitException;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * The known classes of a data set's rows: per row a class or none (an unlabelled row). Classes are numbered
 * from 0 in the sorted order of their names (as R's factor levels), so the numbering does not depend on the
 * order of the rows.
 */
public final class ClassLabels {
    private final List<String> names;
    private final int[] classOfRow;
    private final int[] counts;

    private ClassLabels(List<String> names, int[] classOfRow) {
        this.names = names;
        this.classOfRow = classOfRow;
        this.counts = new int[names.size()];
        for (int g : classOfRow) {
            if (g >= 0) {
                counts[g]++;
            }
        }
    }

    /**
     * The classes from one cell per row: a class name, or {@code null} or blank for an unlabelled row. Names are
     * trimmed.
     *
     * @param cells one cell per row
     * @return the labels
     * @throws EmkitException if no row has a class
     */
    public static ClassLabels of(String... cells) {
        TreeSet<String> distinct = new TreeSet<>();
        for (String cell : cells) {
            if (cell != null && !cell.isBlank()) {
                distinct.add(cell.trim());
            }
        }
        if (distinct.isEmpty()) {
            throw new EmkitException("no row has a class: semi-supervised EM needs at least one labelled row");
        }
        List<String> names = List.copyOf(distinct);
        int[] classOfRow = new int[cells.length];
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i];
            classOfRow[i] = cell == null || cell.isBlank() ? -1 : names.indexOf(cell.trim());
        }
        return new ClassLabels(names, classOfRow);
    }

    /** @return the class names, in class order (sorted) */
    public List<String> names() {
        return names;
    }

    /** @return the number of classes */
    public int classes() {
        return names.size();
    }

    /** @return the number of rows, labelled or not */
    public int rows() {
        return classOfRow.length;
    }

    /**
     * @param row a row, from 0
     * @return its class, from 0, or -1 if it is unlabelled
     */
    public int classOf(int row) {
        return classOfRow[row];
    }

    /**
     * @param g a class, from 0
     * @return how many rows have it
     */
    public int count(int g) {
        return counts[g];
    }

    /** @return how many rows have a class */
    public int labelledRows() {
        return Arrays.stream(counts).sum();
    }

    @Override
    public String toString() {
        return "ClassLabels[" + rows() + " rows, " + labelledRows() + " labelled, classes " + names + "]";
    }
}
