package io.passk.spark;

import io.passk.estimate.Correctness;
import org.apache.spark.sql.Column;

/** {@link Correctness} as a Spark column, for the plans that count correct samples. */
public final class SparkCorrectness {

    private SparkCorrectness() {
    }

    /**
     * Boolean column: {@code reward >= 1} ({@link Correctness#isCorrect}); null stays null.
     * Spark SQL orders NaN above every number, so a NaN reward is true here (false in
     * {@link Correctness#isCorrect}): callers refuse NaN rewards before they count.
     */
    public static Column isCorrect(Column reward) {
        return reward.geq(Correctness.THRESHOLD);
    }
}
