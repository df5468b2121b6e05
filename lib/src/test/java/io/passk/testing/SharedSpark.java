package io.passk.testing;

import io.passk.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;

/** One SparkSession for the whole test run (surefire runs all tests in one JVM). */
public final class SharedSpark {
    private static SparkSession spark;

    private SharedSpark() {
    }

    public static synchronized SparkSession get() {
        if (spark == null) {
            spark = SparkSessions.forTests();
            Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
        }
        return spark;
    }
}
