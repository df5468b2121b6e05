/**
 * The Pass@k training loop (docs/design.md#the-epoch): settings, the k schedule, the base
 * model, and {@link io.passk.train.PassAtKTraining}, which runs epochs
 * ({@code TrainingEpoch}: rollouts, advantages and their mix, learner update, metrics,
 * checkpoint; {@link io.passk.train.HeldoutEvaluation}: held-out pass@k) and resumes a run bit
 * for bit. Within the package calls go one way: PassAtKTraining, TrainingEpoch,
 * HeldoutEvaluation, Rollouts.
 *
 * <p>Imports: the packages upstream of it in the data flow ({@code task}, {@code policy},
 * {@code rollout}, {@code advantage}, {@code advantage.spark}, {@code learn}, {@code estimate},
 * {@code eval}), {@code hf.peft} (a LoRA run's adapter settings), {@code spark}, {@code progress}, {@code random}, {@code io.passk}; Spark and
 * DJL. Nothing of experiment, report or cli.
 *
 * <p>May import: io.passk, io.passk.advantage, io.passk.advantage.spark, io.passk.estimate,
 * io.passk.eval, io.passk.fs, io.passk.hf.peft, io.passk.learn, io.passk.policy,
 * io.passk.progress, io.passk.random, io.passk.rollout, io.passk.rollout.server, io.passk.run, io.passk.settings,
 * io.passk.spark, io.passk.task, io.passk.tokenizer.
 */
package io.passk.train;
