/**
 * Randomness as a pure function of ids ({@link io.passk.random.SeededRandom}): every random
 * choice is keyed by (run seed, epoch, problem_id, sample_idx[, step]), so a retried Spark task,
 * another partitioning or a resumed run draws the same numbers.
 *
 * <p>Imports: the JDK only; neither Spark nor DJL.
 *
 * <p>May import: nothing.
 */
package io.passk.random;
