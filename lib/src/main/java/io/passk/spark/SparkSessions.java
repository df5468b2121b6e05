package io.passk.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one place a SparkSession is made. Under {@code spark-submit} the master and settings
 * come from the submitter; run from {@code bin/passk} (no master set) it is embedded local
 * Spark bound to loopback, quiet, UI off unless asked.
 */
public final class SparkSessions {

    private SparkSessions() {
    }

    /** A session for a job; {@code ui} turns the Spark UI on in local mode. */
    public static SparkSession forJob(String appName, boolean ui) {
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        if (System.getProperty("spark.master") == null) {
            b = b.master("local[*]")
                    // the default picks the machine's outward address
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", ui)
                    // two tasks per core: enough to keep the cores busy, few enough that small
                    // shuffles (one row per problem) carry little per-task cost
                    .config("spark.sql.shuffle.partitions", 2 * Runtime.getRuntime().availableProcessors())
                    .config("spark.sql.adaptive.enabled", true)
                    .config("spark.ui.showConsoleProgress", false);
        }
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    /** A small local session for tests (2 threads, few shuffle partitions). */
    public static SparkSession forTests() {
        SparkSession spark = SparkSession.builder().appName("passk-tests")
                .master("local[2]")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", false)
                .config("spark.sql.shuffle.partitions", 4)
                .config("spark.ui.showConsoleProgress", false)
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        return spark;
    }
}
