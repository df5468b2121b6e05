/**
 * Rollouts: the {@link io.passk.rollout.RolloutGenerator} Spark ML {@code Transformer} (prompts
 * in, one scored row per sample out, the role of DJL's Spark {@code BasePredictor}), the rollout
 * row schema ({@link io.passk.rollout.RolloutSchema}, docs/design.md#rollout-row) and the
 * {@code passk sample} job ({@link io.passk.rollout.RolloutSampling}).
 *
 * <p>Imports: Spark and Hadoop, {@code policy}, {@code task}, {@code tokenizer} (the template names),
 * {@code spark}, {@code progress},
 * {@code io.passk}. Nothing of advantage, learn or train.
 *
 * <p>May import: io.passk, io.passk.fs, io.passk.policy, io.passk.progress,
 * io.passk.rollout.server, io.passk.settings, io.passk.spark, io.passk.task, io.passk.tokenizer.
 */
package io.passk.rollout;
