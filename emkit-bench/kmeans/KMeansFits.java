import io.emkit.data.CsvDataReader;
import io.emkit.data.CsvOptions;
import io.emkit.data.Dataset;
import io.emkit.em.EmResult;
import io.emkit.kmeans.KMeans;
import io.emkit.kmeans.KMeansAlgorithm;
import io.emkit.kmeans.KMeansModel;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * k-means' default fit of one CSV, repeated in one JVM: the fit alone, without the JVM's start or the reading,
 * once the JIT has compiled it (the first fit is the cold one). For A/B runs of two builds of emkit-core side by
 * side; run.sh in ../wholejob measures the whole process a user runs.
 *
 * <pre>
 *   mvn -B -q -o package -pl emkit-core -am -DskipTests
 *   mvn -B -q -o dependency:build-classpath -pl emkit-core -Dmdep.outputFile=/tmp/core.cp
 *   java --add-modules jdk.incubator.vector -cp emkit-core/target/classes:$(cat /tmp/core.cp) \
 *       emkit-bench/kmeans/KMeansFits.java DATA.csv K [repeats] [algorithm] [threads]
 * </pre>
 * Prints per fit its wall time, the inertia, the final run's iterations and the distances measured per row and
 * iteration (every E-step of the fit's search included).
 */
public final class KMeansFits {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int k = Integer.parseInt(args[1]);
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        KMeansAlgorithm algorithm = KMeansAlgorithm.parse(args.length > 3 ? args[3] : "auto");
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : Runtime.getRuntime().availableProcessors();
        Dataset data = CsvDataReader.read(file, CsvOptions.defaults()).dataset();
        for (int i = 0; i < repeats; i++) {
            LongAdder distances = new LongAdder();
            long start = System.nanoTime();
            EmResult<KMeansModel> fit = KMeans.withClusters(k).algorithm(algorithm).threads(threads)
                    .distanceCounter(distances).fit(data);
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.printf(Locale.ROOT, "%d ms  inertia %.6f  iterations %d  distances per row and iteration %.2f%n",
                    ms, -fit.logLikelihood(), fit.iterations(),
                    distances.sum() / (double) data.rows() / fit.iterations());
        }
    }
}
