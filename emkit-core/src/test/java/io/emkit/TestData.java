package io.emkit;

import io.emkit.data.Dataset;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Reference data for tests, read without the library's own CSV reader so the two stay independent. */
public final class TestData {
    private TestData() {
    }

    /**
     * How the rows a fit gives to one part spread over the values of a column, counted on the rows themselves (for a
     * fit that may sit on rows recorded alike).
     *
     * @param data   the rows
     * @param column a column, from 0
     * @param label  each row's part (its most likely component, or its Viterbi state)
     * @param part   the part looked at
     * @return {rows of the part, rows on its most common value, distinct values}
     */
    public static int[] spreadOver(Dataset data, int column, int[] label, int part) {
        java.util.Map<Double, Integer> byValue = new java.util.HashMap<>();
        int rows = 0;
        for (int i = 0; i < data.rows(); i++) {
            if (label[i] == part) {
                rows++;
                byValue.merge(data.get(i, column), 1, Integer::sum);
            }
        }
        return new int[] {rows, byValue.values().stream().max(Integer::compare).orElse(0), byValue.size()};
    }

    /** Old Faithful: 272 rows of eruptions, waiting (R datasets::faithful). */
    public static Dataset faithful() {
        return numericResource("faithful.csv", 2);
    }

    /** Iris: the four measurements of 150 flowers (R datasets::iris). */
    public static Dataset iris() {
        return numericResource("iris.csv", 4);
    }

    /**
     * R's swiss: 47 Swiss provinces in 1888, 6 columns (fertility, agriculture, examination, education, catholic,
     * infant mortality) recorded to 0.1, 1 and 0.01 (reference/mclust/make-swiss-fixtures.R): few rows for their
     * dimension.
     */
    public static Dataset swiss() {
        return numericResource("/reference/mclust/swiss.csv", 6);
    }

    /**
     * The holdout grid's set h05 (`emkit-bench/search/holdout/make-data.py`: 3,000 rows, 3 columns, 8 elongated
     * clusters with sizes up to 25:1), copied: with tied covariance (EEE) and K = 8, as the structures grid fits it, a
     * set where the thorough search's own runs end below the default's.
     */
    public static Dataset holdoutH05() {
        return numericResource("holdout-h05.csv", 3);
    }

    /**
     * The structures holdout grid's set h14 (`emkit-bench/search/holdout/make-data.py`: 3,000 rows, 7 columns, 5
     * elongated clusters with sizes up to 25:1), copied: spherical components must tile clusters they cannot fit.
     */
    public static Dataset structuresHoldoutH14() {
        return numericResource("structures-holdout-h14.csv", 7);
    }

    /**
     * The structures holdout grid's set h08 (3,000 rows, 5 columns, 5 elongated clusters with sizes up to 25:1),
     * copied: spherical components on it overlap so little that their responsibilities show no pair to merge.
     */
    public static Dataset structuresHoldoutH08() {
        return numericResource("structures-holdout-h08.csv", 5);
    }

    private static Dataset numericResource(String name, int columns) {
        try (InputStream in = TestData.class.getResourceAsStream(name)) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> header = Arrays.asList(r.readLine().split(",")).subList(0, columns);
            List<double[]> rows = new ArrayList<>();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",");
                double[] row = new double[columns];
                for (int j = 0; j < columns; j++) {
                    row[j] = Double.parseDouble(f[j]);
                }
                rows.add(row);
            }
            return Dataset.of(rows.toArray(new double[0][]), header);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The rows of a CSV fixture under {@code src/test/resources/reference/}, split at commas, without its header.
     *
     * @param path the file below {@code reference/}, e.g. {@code mclust/noise-fit.csv}
     * @return its rows' fields
     */
    public static List<String[]> referenceRows(String path) {
        try (InputStream in = TestData.class.getResourceAsStream("/reference/" + path)) {
            if (in == null) {
                throw new IllegalStateException("no test resource reference/" + path);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            r.readLine();
            List<String[]> rows = new ArrayList<>();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                rows.add(line.split(","));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Rows drawn from a Gaussian mixture given by its parameters, with an explicit Cholesky factor so the
     * generator shares no code with the library.
     */
    public static Dataset drawMixture(long seed, int n, double[] weights, double[][] means, double[][][] covs) {
        SplittableRandom random = new SplittableRandom(seed);
        int d = means[0].length;
        double[][] rows = new double[n][d];
        double[][][] chol = new double[covs.length][][];
        for (int c = 0; c < covs.length; c++) {
            chol[c] = cholesky(covs[c]);
        }
        for (int i = 0; i < n; i++) {
            int c = component(random, weights);
            double[] z = new double[d];
            for (int j = 0; j < d; j++) {
                z[j] = random.nextGaussian();
            }
            for (int j = 0; j < d; j++) {
                double v = means[c][j];
                for (int m = 0; m <= j; m++) {
                    v += chol[c][j][m] * z[m];
                }
                rows[i][j] = v;
            }
        }
        return Dataset.of(rows);
    }

    /**
     * A component drawn with probabilities {@code weights} (the last one takes what rounding leaves).
     *
     * @param random  the stream
     * @param weights probabilities summing to 1
     * @return the component, from 0
     */
    public static int component(SplittableRandom random, double[] weights) {
        double u = random.nextDouble();
        int c = 0;
        double acc = weights[0];
        while (u >= acc && c < weights.length - 1) {
            c++;
            acc += weights[c];
        }
        return c;
    }

    /** Textbook Cholesky–Banachiewicz. */
    public static double[][] cholesky(double[][] a) {
        int d = a.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int m = 0; m < j; m++) {
                    s -= l[i][m] * l[j][m];
                }
                l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j];
            }
        }
        return l;
    }
}
