package io.emkit.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import elki.clustering.kmeans.AbstractKMeans;
import elki.clustering.kmeans.ElkanKMeans;
import elki.clustering.kmeans.ExponionKMeans;
import elki.clustering.kmeans.HamerlyKMeans;
import elki.clustering.kmeans.LloydKMeans;
import elki.clustering.kmeans.ShallotKMeans;
import elki.clustering.kmeans.YinYangKMeans;
import elki.clustering.kmeans.initialization.KMeansInitialization;
import elki.clustering.kmeans.initialization.KMeansPlusPlus;
import elki.data.Cluster;
import elki.data.Clustering;
import elki.data.NumberVector;
import elki.data.model.KMeansModel;
import elki.data.type.TypeUtil;
import elki.database.Database;
import elki.database.ids.DBIDIter;
import elki.database.StaticArrayDatabase;
import elki.database.relation.Relation;
import elki.datasource.ArrayAdapterDatabaseConnection;
import elki.distance.minkowski.SquaredEuclideanDistance;
import elki.logging.LoggingConfiguration;
import elki.utilities.random.RandomFactory;

/**
 * One ELKI 0.8.0 k-means run on a CSV file, as one process, for BENCHMARKS.md section 7: reads the file (a
 * header line, then comma-separated numbers), runs one exact variant from ELKI's own k-means++ start (seeded),
 * at most 300 iterations to its own convergence (no label changes), and prints the read and loop times and
 * the inertia (the rows' squared distances to their clusters' means, summed here). ELKI logs its iteration
 * count on standard error (statistics logging).
 *
 * <p>Usage: {@code ElkiKMeans DATA.csv K lloyd|hamerly|elkan|exponion|shallot|yinyang [SEED [MAX_ITER]]}
 */
public final class ElkiKMeans {
    private ElkiKMeans() {
    }

    /**
     * @param args see the class comment
     * @throws IOException if the file cannot be read
     */
    public static void main(String[] args) throws IOException {
        long t0 = System.nanoTime();
        Path path = Path.of(args[0]);
        int k = Integer.parseInt(args[1]);
        String variant = args[2];
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 0;
        int maxIter = args.length > 4 ? Integer.parseInt(args[4]) : 300;
        double[][] rows = read(path);
        Database db = new StaticArrayDatabase(new ArrayAdapterDatabaseConnection(rows), null);
        db.initialize();
        Relation<NumberVector> rel = db.getRelation(TypeUtil.NUMBER_VECTOR_FIELD);
        rows = null;
        LoggingConfiguration.setStatistics();
        KMeansInitialization init = new KMeansPlusPlus<>(new RandomFactory(seed));
        SquaredEuclideanDistance dist = SquaredEuclideanDistance.STATIC;
        AbstractKMeans<NumberVector, KMeansModel> algorithm = switch (variant) {
            case "lloyd" -> new LloydKMeans<>(dist, k, maxIter, init);
            case "hamerly" -> new HamerlyKMeans<>(dist, k, maxIter, init, true);
            case "elkan" -> new ElkanKMeans<>(dist, k, maxIter, init, true);
            case "exponion" -> new ExponionKMeans<>(dist, k, maxIter, init, true);
            case "shallot" -> new ShallotKMeans<>(dist, k, maxIter, init, true);
            case "yinyang" -> new YinYangKMeans<>(k, maxIter, init, Math.max(1, k / 10));
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
        long t1 = System.nanoTime();
        Clustering<KMeansModel> result = algorithm.run(rel);
        long t2 = System.nanoTime();
        double inertia = 0;
        for (Cluster<KMeansModel> c : result.getAllClusters()) {
            double[] mean = c.getModel().getMean();
            for (DBIDIter it = c.getIDs().iter(); it.valid(); it.advance()) {
                NumberVector v = rel.get(it);
                for (int j = 0; j < mean.length; j++) {
                    double t = v.doubleValue(j) - mean[j];
                    inertia += t * t;
                }
            }
        }
        System.out.printf(Locale.ROOT, "variant=%s read_s=%.3f fit_s=%.3f total_s=%.3f inertia=%.6f%n", variant,
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t2 - t0) / 1e9, inertia);
    }

    private static double[][] read(Path path) throws IOException {
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(path)) {
            in.readLine();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] fields = line.split(",");
                double[] row = new double[fields.length];
                for (int j = 0; j < row.length; j++) {
                    row[j] = Double.parseDouble(fields[j]);
                }
                rows.add(row);
            }
        }
        return rows.toArray(new double[0][]);
    }
}
