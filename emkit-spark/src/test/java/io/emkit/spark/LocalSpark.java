package io.emkit.spark;

import org.apache.spark.sql.SparkSession;

/** The session each Spark test class starts once: local[2], no UI, quiet. */
final class LocalSpark {
    private LocalSpark() {
    }

    /**
     * How many Spark jobs {@code work} started: counted by a listener, after a last job of its own has been heard
     * of (the listeners hear of jobs in the order they start).
     *
     * @param spark the session
     * @param work  what to run
     * @param jobs  where to put the count, at index 0
     * @return what {@code work} returned
     */
    static <T> T countingJobs(SparkSession spark, java.util.function.Supplier<T> work, int[] jobs) {
        return countingJobs(spark, work, jobs, new java.util.ArrayList<>());
    }

    /**
     * As {@link #countingJobs(SparkSession, java.util.function.Supplier, int[])}, also naming each job by its first
     * stage (Spark's call site, e.g. {@code takeSample at SparkFit.java:175}).
     *
     * @param names receives the jobs' names, in the order they started
     */
    static <T> T countingJobs(SparkSession spark, java.util.function.Supplier<T> work, int[] jobs,
                              java.util.List<String> names) {
        java.util.List<String> groups = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<String> stages = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.apache.spark.scheduler.SparkListener counter = new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
                String group = start.properties() == null ? null : start.properties().getProperty("spark.jobGroup.id");
                stages.add(start.stageInfos().isEmpty() ? "" : start.stageInfos().head().name());
                groups.add(group == null ? "work" : group);
            }
        };
        org.apache.spark.api.java.JavaSparkContext sc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(
                spark.sparkContext());
        spark.sparkContext().addSparkListener(counter);
        try {
            T result = work.get();
            sc.setJobGroup("marker", "after the counted work", false);
            sc.parallelize(java.util.List.of(1), 1).count();
            sc.clearJobGroup();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!groups.contains("marker") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            if (!groups.contains("marker")) {
                throw new AssertionError("the listener did not hear of the marker job within a minute");
            }
            jobs[0] = groups.indexOf("marker");
            names.addAll(stages.subList(0, jobs[0]));
            return result;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            spark.sparkContext().removeSparkListener(counter);
        }
    }

    static SparkSession start() {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("emkit-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        return spark;
    }
}
