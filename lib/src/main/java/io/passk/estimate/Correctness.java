package io.passk.estimate;

/**
 * The one rule that turns a reward into a binary outcome (docs/reference.md#notation: binary
 * rewards, a response is positive iff {@code reward >= 1}; docs/design.md#rollout-row:
 * {@code correct} = reward &ge; 1). Verifiers give 1 exactly for a correct answer, so partial
 * credit below 1 never counts as a pass. The Spark column form is
 * {@code io.passk.spark.SparkCorrectness}.
 */
public final class Correctness {

    /** The smallest reward that counts as correct. */
    public static final double THRESHOLD = 1.0;

    private Correctness() {
    }

    /** Whether a sample with this reward is correct ({@code reward >= 1}); NaN is not. */
    public static boolean isCorrect(double reward) {
        return reward >= THRESHOLD;
    }
}
