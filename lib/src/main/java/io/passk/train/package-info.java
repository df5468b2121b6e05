/**
 * The Pass@k training loop (docs/design.md#the-epoch): settings, the k schedule, the
 * Pass@k / Pass@1 advantage mix, the base model, and {@link io.passk.train.PassAtKTraining},
 * which runs epochs (rollouts, advantages, learner update, held-out pass@k, metrics, checkpoint)
 * and resumes a run bit for bit.
 *
 * <p>Imports: the packages upstream of it in the data flow ({@code task}, {@code policy},
 * {@code rollout}, {@code advantage}, {@code advantage.spark}, {@code learn}, {@code estimate},
 * {@code eval}), {@code hf.peft} (a LoRA run's adapter settings), {@code spark}, {@code progress}, {@code random}, {@code io.passk}; Spark and
 * DJL. Nothing of experiment, report or cli.
 */
package io.passk.train;
