package io.emkit.cli.pictures;

import io.emkit.cli.Format;
import io.emkit.EmkitException;
import io.emkit.cli.plot.Figure;
import io.emkit.data.Dataset;
import io.emkit.data.Rows;
import io.emkit.em.IterationEvent;
import io.emkit.em.IterationListener;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** What the picture-making commands share: choosing columns, sampling large data, recording traces. */
public final class Pictures {
    /** Pictures and reports look at no more rows than this (spread evenly over the data). */
    public static final int MAX_ROWS = 50_000;

    private Pictures() {
    }

    /**
     * The rows to draw: all of them, or an even sample of {@link #MAX_ROWS} when there are more; rows with a
     * missing value are left out (a point needs every coordinate).
     *
     * @param rows the rows
     * @return the rows to draw
     */
    public static Dataset rowsToDraw(Rows rows) {
        Dataset d = rows instanceof Dataset inMemory && inMemory.rows() <= MAX_ROWS ? inMemory
                : rows.sample(MAX_ROWS, 0);
        return d.firstMissing() == null ? d : completeRows(d);
    }

    private static Dataset completeRows(Dataset d) {
        int w = d.columns();
        double[] x = d.rawValues();
        double[] out = new double[x.length];
        int kept = 0;
        for (int i = 0; i < d.rows(); i++) {
            boolean complete = true;
            for (int j = 0; j < w && complete; j++) {
                complete = !Double.isNaN(x[i * w + j]);
            }
            if (complete) {
                System.arraycopy(x, i * w, out, kept * w, w);
                kept++;
            }
        }
        return Dataset.wrap(java.util.Arrays.copyOf(out, kept * w), kept, w, d.columnNames());
    }

    /**
     * Whether the pictures of a model may read rows with missing cells: a Gaussian mixture's, as its fit does
     * (its pictures show the complete rows; its report counts every row).
     *
     * @param model the model to draw
     * @return whether missing cells are allowed
     */
    public static boolean missingAllowed(io.emkit.mixture.ClusteringModel model) {
        return model instanceof io.emkit.gaussian.GaussianMixtureModel;
    }

    /** Columns by name or by number from 1, as indices from 0 into {@code names}; null when none given. */
    static int[] dims(List<String> given, List<String> names) {
        if (given == null || given.isEmpty()) {
            return null;
        }
        if (given.size() > 2) {
            throw new EmkitException("--dims takes one or two columns, got " + given.size()
                    + "; without --dims emkit draws every pair of columns");
        }
        int[] out = new int[given.size()];
        for (int i = 0; i < out.length; i++) {
            String g = given.get(i).trim();
            int at = names.indexOf(g);
            if (at < 0 && g.matches("[0-9]+")) {
                at = Integer.parseInt(g) - 1;
                if (at < 0 || at >= names.size()) {
                    at = -1;
                }
            }
            if (at < 0) {
                throw new EmkitException("--dims: no column '" + g + "' in the model's features ("
                        + io.emkit.EmkitException.list(names) + "); give names or numbers from 1");
            }
            out[i] = at;
        }
        if (out.length == 2 && out[0] == out[1]) {
            throw new EmkitException("--dims: give two different columns, got '" + given.get(0) + "' twice");
        }
        return out;
    }

    /**
     * Checks that an output's name says an image format the figure can be written in.
     *
     * @param file the output, or null
     */
    public static void checkImageName(Path file) {
        if (file != null) {
            Figure.Format.of(file);
        }
    }

    /**
     * Records every initialisation's log-likelihood after each iteration, passing events on to
     * another listener. The engine reports on the fit's thread; the map is guarded anyway.
     */
    public static final class TraceRecorder implements IterationListener {
        private final IterationListener next;
        private final TreeMap<Integer, TreeMap<Integer, Double>> runs = new TreeMap<>();

        /** @param next the listener to pass each event on to */
        public TraceRecorder(IterationListener next) {
            this.next = next;
        }

        @Override
        public void onIteration(IterationEvent event) {
            synchronized (runs) {
                runs.computeIfAbsent(event.initialization(), i -> new TreeMap<>()).put(event.iteration(), event.objective());
            }
            next.onIteration(event);
        }

        @Override
        public void onRunFinished(int initialization, double objective, boolean converged) {
            next.onRunFinished(initialization, objective, converged);
        }

        /** @return one array per initialisation, entry i after i M-steps (NaN where none was reported) */
        public List<double[]> traces() {
            synchronized (runs) {
                int count = runs.isEmpty() ? 0 : runs.lastKey() + 1;
                List<double[]> out = new ArrayList<>();
                for (int r = 0; r < count; r++) {
                    TreeMap<Integer, Double> run = runs.get(r);
                    if (run == null || run.isEmpty()) {
                        out.add(new double[0]);
                        continue;
                    }
                    double[] t = new double[run.lastKey() + 1];
                    java.util.Arrays.fill(t, Double.NaN);
                    run.forEach((i, v) -> t[i] = v);
                    out.add(t);
                }
                return out;
            }
        }
    }
}
