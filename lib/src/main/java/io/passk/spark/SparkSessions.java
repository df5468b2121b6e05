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

    /**
     * AQE's smallest coalesced partition ({@code 1MB} by default). A shuffle of one row per
     * problem is small in bytes but each row is costly afterwards (estimates, bootstrap fold,
     * a wide Parquet row), and the default merges it into one task: one core busy, the others
     * idle. With a small floor AQE's parallelism-first rule keeps about one partition per core.
     */
    public static final String COALESCE_MIN_PARTITION_SIZE = "spark.sql.adaptive.coalescePartitions.minPartitionSize";

    /** The floor used for per-problem stages ({@link #COALESCE_MIN_PARTITION_SIZE}). */
    public static final String PER_PROBLEM_MIN_PARTITION_SIZE = "1k";

    /**
     * Sets a SQL setting on {@code spark} until the returned handle is closed, then restores
     * the caller's value (or unsets it). For the duration of one job run from one thread.
     */
    public static Setting withSetting(SparkSession spark, String key, String value) {
        boolean had = spark.conf().contains(key);
        String prior = had ? spark.conf().get(key) : null;
        spark.conf().set(key, value);
        return () -> {
            if (had) {
                spark.conf().set(key, prior);
            } else {
                spark.conf().unset(key);
            }
        };
    }

    /** A setting in force until closed ({@link #withSetting}). */
    public interface Setting extends AutoCloseable {
        @Override
        void close();
    }
}
