package io.passk.spark;

import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Params;

/**
 * Shared param {@code seed} (long): the run seed. With epoch, problem_id and sample_idx it keys
 * every random choice, so a retried task or a resumed run draws the same. Like MLlib's
 * {@code HasSeed}; a stage makes its param with {@link #seedParam} and returns it from
 * {@code seed()} (Spark finds params through such no-arg methods).
 */
public interface HasSeed extends Params {

    LongParam seed();

    default long getSeed() {
        return (Long) getOrDefault(seed());
    }

    static LongParam seedParam(Params owner) {
        return new LongParam(owner, "seed", "run seed: with epoch, problem_id and sample_idx it keys every random "
                + "choice");
    }
}
