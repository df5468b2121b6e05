package io.passk.testing;

import org.apache.spark.sql.SparkSession;

/** One SparkSession for the whole test run (surefire runs all tests in one JVM). */
public final class SharedSpark {
    private static SparkSession spark;

    private SharedSpark() {
    }

    public static synchronized SparkSession get() {
        if (spark == null) {
            spark = create();
            Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
        }
        return spark;
    }

    /** A small local session (2 threads, few shuffle partitions): the tests share 2 cores. */
    private static SparkSession create() {
        SparkSession s = SparkSession.builder().appName("passk-tests")
                .master("local[2]")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", false)
                .config("spark.sql.shuffle.partitions", 4)
                .config("spark.ui.showConsoleProgress", false)
                .getOrCreate();
        s.sparkContext().setLogLevel("ERROR");
        return s;
    }
}
