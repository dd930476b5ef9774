package io.emkit.bench;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.emkit.em.EmResult;
import io.emkit.gaussian.GaussianMixture;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.io.ModelFiles;
import io.emkit.kernels.Linalg;
import io.emkit.kmeans.KMeans;
import io.emkit.kmeans.KMeansModel;
import io.emkit.spark.SparkGaussianMixture;
import io.emkit.spark.SparkKMeans;
import io.emkit.spark.SparkModels;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Scaling of emkit-spark on a Spark cluster (issue 22), one configuration per run; see
 * {@code emkit-bench/spark-scale/README.md}. The data are drawn on the executors, {@code rows-per-partition} rows
 * in each of {@code partitions} partitions, from the case's truth ({@link SyntheticData}: it depends on D and K
 * only), and cached before anything is timed. Every fit starts from the same parameters: K rows of a 10,000-row
 * draw from the same truth as means, that draw's covariance for every component, equal weights.
 *
 * <p>A {@link SparkListener} records every job: its name (Spark's call site of the result stage), when it started
 * and ended, its tasks, the bytes the tasks returned to the driver ({@code resultSize}) and the bytes they wrote to
 * a shuffle. The iterations of a fit are the jobs bearing the fit's most frequent name (one per iteration for
 * emkit and for MLlib); the time per iteration is the median gap between the starts of consecutive ones (E-step,
 * merge and the driver's M-step).
 *
 * <pre>
 *   SparkScaleBench emkit  --master URL --d 16 --k 16 --partitions 4 --rows-per-partition 50000 --iterations 10 --out F
 *   SparkScaleBench peers  --master URL --d 16 --k 16 --partitions 4 --rows-per-partition 25000 --iterations 10 --out F
 * </pre>
 *
 * {@code emkit}: one emkit-spark Gaussian-mixture fit (full covariances, plain EM, tolerance 0, exactly m
 * iterations). {@code peers}: from the same start, emkit-spark and MLlib's RDD {@code GaussianMixture}, emkit-spark's
 * and MLlib's RDD {@code KMeans}; then each Gaussian mixture from its own default start (emkit: k-means++, MLlib's
 * DataFrame {@code GaussianMixture}: its own random start). Every mixture's log-likelihood is computed afterwards by
 * one evaluator ({@code SparkModels.logLikelihood}) on the same rows; every k-means' inertia likewise.
 * Each line of {@code --out} is one fit, tab-separated {@code key=value}.
 */
public final class SparkScaleBench {

    private SparkScaleBench() {
    }

    public static void main(String[] args) throws IOException {
        String mode = args[0];
        Map<String, String> opt = new HashMap<>(Map.of("master", "local[2]", "d", "16", "k", "16",
                "partitions", "4", "rows-per-partition", "25000", "iterations", "10", "label", "", "out", "/dev/stdout",
                "default-max-iter", "100"));
        for (int i = 1; i < args.length; i += 2) {
            String key = args[i].replaceFirst("^--", "");
            if (!opt.containsKey(key)) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            opt.put(key, args[i + 1]);
        }
        int d = Integer.parseInt(opt.get("d"));
        int k = Integer.parseInt(opt.get("k"));
        int partitions = Integer.parseInt(opt.get("partitions"));
        int perPartition = Integer.parseInt(opt.get("rows-per-partition"));
        int iterations = Integer.parseInt(opt.get("iterations"));
        Path out = Path.of(opt.get("out"));

        SparkSession spark = SparkSession.builder().master(opt.get("master")).appName("emkit-spark-scale")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        JobRecorder jobs = new JobRecorder();
        spark.sparkContext().addSparkListener(jobs);
        try {
            Params truth = SyntheticData.generate(new BenchCase(1000, d, k, false)).truth();
            List<String> names = io.emkit.data.Dataset.defaultNames(d);
            Dataset<Row> df = draw(spark, truth, partitions, perPartition, names)
                    .persist(StorageLevel.MEMORY_ONLY());
            long n = df.count();
            Params start = start(truth);
            GaussianMixtureModel emStart = start.toEmkit();
            int executors = spark.sparkContext().getExecutorMemoryStatus().size() - (opt.get("master").startsWith("local") ? 0 : 1);
            Map<String, Object> common = new LinkedHashMap<>();
            common.put("label", opt.get("label"));
            common.put("master", opt.get("master"));
            common.put("executors", executors);
            common.put("partitions", partitions);
            common.put("rows_per_partition", perPartition);
            common.put("n", n);
            common.put("d", d);
            common.put("k", k);
            common.put("iterations", iterations);
            common.put("statistics_doubles", gaussianStatisticsDoubles(k, d));
            common.put("model_json_bytes", ModelFiles.toJson(emStart).length());

            GaussianMixture sameStart = GaussianMixture.withComponents(k).initialModel(emStart)
                    .options(io.emkit.em.EmOptions.defaults().withAcceleration(io.emkit.em.Acceleration.NONE))
                    .tolerance(0).maxIterations(iterations);
            Measured<EmResult<GaussianMixtureModel>> emkit = jobs.measure(() ->
                    SparkGaussianMixture.fit(sameStart, df, names));
            write(out, common, "emkit-spark GMM, same start", emkit, emkit.value().iterations(),
                    mixtureSummary(spark, emkit.value().params(), df, names, truth));
            if (mode.equals("peers")) {
                JavaRDD<Vector> vectors = df.javaRDD().map(r -> {
                    double[] v = new double[r.size()];
                    for (int j = 0; j < v.length; j++) {
                        v[j] = r.getDouble(j);
                    }
                    return Vectors.dense(v);
                }).persist(StorageLevel.MEMORY_ONLY());
                vectors.count();
                Measured<org.apache.spark.mllib.clustering.GaussianMixtureModel> mllib = jobs.measure(() ->
                        new org.apache.spark.mllib.clustering.GaussianMixture().setK(k).setMaxIterations(iterations)
                                .setConvergenceTol(0.0).setSeed(1L).setInitialModel(SparkPeer.initialModel(start))
                                .run(vectors.rdd()));
                write(out, common, "MLlib GMM (RDD), same start", mllib, iterations,
                        mixtureSummary(spark, fromMllib(mllib.value()), df, names, truth));

                KMeansModel kmStart = KMeansModel.of(start.means());
                Measured<EmResult<KMeansModel>> emkitKm = jobs.measure(() -> SparkKMeans.fit(
                        KMeans.withClusters(k).initialModel(kmStart).tolerance(0).maxIterations(iterations), df, names));
                write(out, common, "emkit-spark k-means, same start", emkitKm, emkitKm.value().iterations(),
                        kmeansSummary(emkitKm.value().params(), df, names));
                org.apache.spark.mllib.linalg.Vector[] centres = new org.apache.spark.mllib.linalg.Vector[k];
                for (int j = 0; j < k; j++) {
                    centres[j] = Vectors.dense(start.means()[j].clone());
                }
                Measured<org.apache.spark.mllib.clustering.KMeansModel> mllibKm = jobs.measure(() ->
                        new org.apache.spark.mllib.clustering.KMeans().setK(k).setMaxIterations(iterations)
                                .setEpsilon(0.0).setSeed(1L)
                                .setInitialModel(new org.apache.spark.mllib.clustering.KMeansModel(centres))
                                .run(vectors.rdd()));
                double[][] c = new double[k][];
                for (int j = 0; j < k; j++) {
                    c[j] = mllibKm.value().clusterCenters()[j].toArray();
                }
                write(out, common, "MLlib k-means (RDD), same start", mllibKm, iterations,
                        kmeansSummary(KMeansModel.of(c), df, names));

                int maxIter = Integer.parseInt(opt.get("default-max-iter"));
                common.put("iterations", "defaults, at most " + maxIter);
                Measured<EmResult<GaussianMixtureModel>> emkitOwn = jobs.measure(() -> SparkGaussianMixture.fit(
                        GaussianMixture.withComponents(k).seed(1).maxIterations(maxIter), df, names));
                write(out, common, "emkit-spark GMM, its default start (k-means++)", emkitOwn,
                        emkitOwn.value().iterations(), mixtureSummary(spark, emkitOwn.value().params(), df, names, truth));
                Dataset<Row> features = new VectorAssembler().setInputCols(names.toArray(new String[0]))
                        .setOutputCol("features").transform(df).select("features").persist(StorageLevel.MEMORY_ONLY());
                features.count();
                Measured<org.apache.spark.ml.clustering.GaussianMixtureModel> mlOwn = jobs.measure(() ->
                        new org.apache.spark.ml.clustering.GaussianMixture().setK(k).setSeed(1L).setMaxIter(maxIter)
                                .fit(features));
                write(out, common, "MLlib GMM (DataFrame), its default start", mlOwn,
                        mlOwn.value().summary().numIter(), mixtureSummary(spark, fromMl(mlOwn.value()), df, names, truth));
            }
        } finally {
            spark.stop();
        }
    }

    /** Rows drawn on the executors: partition p from its own seeded stream. */
    static Dataset<Row> draw(SparkSession spark, Params truth, int partitions, int perPartition, List<String> names) {
        int k = truth.k(), d = truth.d();
        double[] cumulative = new double[k];
        double acc = 0;
        for (int j = 0; j < k; j++) {
            acc += truth.weights()[j];
            cumulative[j] = acc;
        }
        double[][][] chol = new double[k][][];
        for (int j = 0; j < k; j++) {
            chol[j] = Linalg.choleskyLower(truth.covariances()[j]);
        }
        double[][] means = truth.means();
        double total = acc;
        List<Integer> ids = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            ids.add(p);
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Row> rows = sc.parallelize(ids, partitions).mapPartitions(it -> {
            List<Row> block = new ArrayList<>(perPartition);
            while (it.hasNext()) {
                SplittableRandom rng = new SplittableRandom(SyntheticData.SEED + 7919L * it.next());
                double[] z = new double[d];
                for (int i = 0; i < perPartition; i++) {
                    block.add(RowFactory.create(drawRow(rng, total, cumulative, means, chol, z)));
                }
            }
            return block.iterator();
        });
        StructType schema = new StructType();
        for (String name : names) {
            schema = schema.add(name, DataTypes.DoubleType, false);
        }
        return spark.createDataFrame(rows, schema);
    }

    private static Object[] drawRow(SplittableRandom rng, double total, double[] cumulative, double[][] means,
                                    double[][][] chol, double[] z) {
        double u = rng.nextDouble() * total;
        int j = 0;
        while (j < cumulative.length - 1 && u >= cumulative[j]) {
            j++;
        }
        int d = z.length;
        for (int a = 0; a < d; a++) {
            z[a] = Math.sqrt(-2.0 * Math.log1p(-rng.nextDouble())) * Math.cos(2.0 * Math.PI * rng.nextDouble());
        }
        Object[] row = new Object[d];
        for (int a = 0; a < d; a++) {
            double s = means[j][a];
            for (int b = 0; b <= a; b++) {
                s += chol[j][a][b] * z[b];
            }
            row[a] = s;
        }
        return row;
    }

    /** The common start: K rows of a 10,000-row draw from the truth, that draw's covariance, equal weights. */
    static Params start(Params truth) {
        BenchCase c = new BenchCase(10_000, truth.d(), truth.k(), false);
        return SyntheticData.generate(c).start();
    }

    /** Doubles in one partition's Gaussian statistics (full covariances): weights, first and second moments, shift. */
    static long gaussianStatisticsDoubles(int k, int d) {
        return k + 2L * k * d + (long) k * d * d;
    }

    private static GaussianMixtureModel fromMllib(org.apache.spark.mllib.clustering.GaussianMixtureModel m) {
        int k = m.k();
        int d = m.gaussians()[0].mu().size();
        double[][] mu = new double[k][];
        double[][][] cov = new double[k][d][d];
        for (int j = 0; j < k; j++) {
            mu[j] = m.gaussians()[j].mu().toArray();
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    cov[j][a][b] = m.gaussians()[j].sigma().apply(a, b);
                }
            }
        }
        return GaussianMixtureModel.full(normalised(m.weights()), mu, cov);
    }

    private static GaussianMixtureModel fromMl(org.apache.spark.ml.clustering.GaussianMixtureModel m) {
        int k = m.getK();
        int d = m.gaussians()[0].mean().size();
        double[][] mu = new double[k][];
        double[][][] cov = new double[k][d][d];
        for (int j = 0; j < k; j++) {
            mu[j] = m.gaussians()[j].mean().toArray();
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    cov[j][a][b] = m.gaussians()[j].cov().apply(a, b);
                }
            }
        }
        return GaussianMixtureModel.full(normalised(m.weights()), mu, cov);
    }

    private static double[] normalised(double[] w) {
        double s = Arrays.stream(w).sum();
        return Arrays.stream(w).map(v -> v / s).toArray();
    }

    /**
     * The evaluator's log-likelihood, the smallest weight, how many components are distinct (means more than 0.1
     * apart: the truth's are about 4.2 apart) and how many of the truth's means have a fitted mean within 0.5.
     */
    private static Map<String, Object> mixtureSummary(SparkSession spark, GaussianMixtureModel m, Dataset<Row> df,
                                                      List<String> names, Params truth) {
        Map<String, Object> s = new LinkedHashMap<>();
        try {
            s.put("log_likelihood", String.format(Locale.ROOT, "%.4f", SparkModels.logLikelihood(m, df, names).total()));
        } catch (RuntimeException e) {
            s.put("log_likelihood", "not computable: " + e.getMessage());
        }
        s.put("min_weight", String.format(Locale.ROOT, "%.4g", Arrays.stream(m.weights()).min().orElse(0)));
        s.put("distinct_components", distinct(m.means(), 0.1));
        s.put("truth_means_found", found(truth.means(), m.means(), 0.5));
        return s;
    }

    private static Map<String, Object> kmeansSummary(KMeansModel m, Dataset<Row> df, List<String> names) {
        double inertia = SparkModels.transform(m, df, names).agg(functions.sum(SparkModels.DISTANCE)).first()
                .getDouble(0);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("inertia", String.format(Locale.ROOT, "%.4f", inertia));
        s.put("distinct_components", distinct(m.centroids(), 0.1));
        return s;
    }

    static int distinct(double[][] means, double within) {
        List<double[]> kept = new ArrayList<>();
        for (double[] m : means) {
            if (kept.stream().noneMatch(o -> distance(o, m) <= within)) {
                kept.add(m);
            }
        }
        return kept.size();
    }

    private static int found(double[][] truth, double[][] fitted, double within) {
        int found = 0;
        for (double[] t : truth) {
            if (Arrays.stream(fitted).anyMatch(f -> distance(t, f) <= within)) {
                found++;
            }
        }
        return found;
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    private static void write(Path out, Map<String, Object> common, String fit, Measured<?> m, int iterations,
                              Map<String, Object> summary) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>(common);
        line.put("fit", fit);
        line.put("iterations_run", iterations);
        line.putAll(m.iterationJobs());
        line.put("wall_seconds", String.format(Locale.ROOT, "%.3f", m.seconds()));
        line.putAll(summary);
        StringBuilder b = new StringBuilder();
        line.forEach((key, value) -> b.append(b.length() == 0 ? "" : "\t").append(key).append('=').append(value));
        b.append('\n');
        System.out.print(b);
        if (!out.toString().equals("/dev/stdout")) {
            Files.writeString(out, b, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    /** A fit's value, its wall time and what the listener saw of its iterations. */
    record Measured<T>(T value, double seconds, Map<String, Object> iterationJobs) {
    }

    /** What a job did, as the listener saw it. */
    static final class Job {
        final String name;
        final long start;
        long end;
        int tasks;
        long resultBytes;
        long shuffleWriteBytes;
        long maxTaskResultBytes;

        Job(String name, long start) {
            this.name = name;
            this.start = start;
        }
    }

    /** Records every job's name, times, task result bytes and shuffle write bytes. */
    static final class JobRecorder extends SparkListener implements Serializable {
        private final List<Job> jobs = new CopyOnWriteArrayList<>();
        private final Map<Integer, Job> byStage = new ConcurrentHashMap<>();
        private final Map<Integer, Job> byId = new ConcurrentHashMap<>();

        @Override
        public void onJobStart(SparkListenerJobStart start) {
            scala.collection.Seq<StageInfo> stages = start.stageInfos();
            StageInfo last = stages.apply(stages.size() - 1);
            for (int i = 0; i < stages.size(); i++) {
                last = stages.apply(i).stageId() > last.stageId() ? stages.apply(i) : last;
            }
            Job job = new Job(last.name(), start.time());
            jobs.add(job);
            byId.put(start.jobId(), job);
            for (int i = 0; i < stages.size(); i++) {
                byStage.put(stages.apply(i).stageId(), job);
            }
        }

        @Override
        public void onJobEnd(SparkListenerJobEnd end) {
            Job job = byId.get(end.jobId());
            if (job != null) {
                job.end = end.time();
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            Job job = byStage.get(end.stageId());
            if (job == null || end.taskMetrics() == null) {
                return;
            }
            synchronized (job) {
                job.tasks++;
                job.resultBytes += end.taskMetrics().resultSize();
                job.maxTaskResultBytes = Math.max(job.maxTaskResultBytes, end.taskMetrics().resultSize());
                job.shuffleWriteBytes += end.taskMetrics().shuffleWriteMetrics().bytesWritten();
            }
        }

        <T> Measured<T> measure(Supplier<T> fit) {
            int from = jobs.size();
            long t0 = System.nanoTime();
            T value = fit.get();
            double seconds = (System.nanoTime() - t0) / 1e9;
            // Events arrive on the listener bus after the jobs end; wait until they are all in.
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline
                    && jobs.subList(from, jobs.size()).stream().anyMatch(j -> j.end == 0)) {
                sleep();
            }
            sleep();
            List<Job> mine = new ArrayList<>(jobs.subList(from, jobs.size()));
            Map<String, Integer> counts = new HashMap<>();
            mine.forEach(j -> counts.merge(j.name, 1, Integer::sum));
            String name = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            List<Job> its = mine.stream().filter(j -> j.name.equals(name)).toList();
            double[] gaps = new double[Math.max(0, its.size() - 1)];
            for (int i = 1; i < its.size(); i++) {
                gaps[i - 1] = (its.get(i).start - its.get(i - 1).start) / 1e3;
            }
            double[] durations = its.stream().mapToDouble(j -> (j.end - j.start) / 1e3).toArray();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("iteration_job", name);
            s.put("iteration_jobs", its.size());
            s.put("jobs_total", mine.size());
            s.put("s_per_iteration_median", String.format(Locale.ROOT, "%.4f", median(gaps)));
            s.put("job_seconds_median", String.format(Locale.ROOT, "%.4f", median(durations)));
            Job typical = its.get(its.size() / 2);
            s.put("tasks_per_iteration", typical.tasks);
            s.put("result_bytes_per_iteration", typical.resultBytes);
            s.put("max_task_result_bytes", typical.maxTaskResultBytes);
            s.put("shuffle_write_bytes_per_iteration", typical.shuffleWriteBytes);
            return new Measured<>(value, seconds, s);
        }

        private static void sleep() {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static double median(double[] v) {
            if (v.length == 0) {
                return Double.NaN;
            }
            double[] s = v.clone();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }
    }
}
