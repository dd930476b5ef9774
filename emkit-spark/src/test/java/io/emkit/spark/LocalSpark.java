package io.emkit.spark;

import org.apache.spark.sql.SparkSession;

/** The session each Spark test class starts once: local[2], no UI, quiet. */
final class LocalSpark {
    private LocalSpark() {
    }

    static SparkSession start() {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("emkit-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        return spark;
    }
}
