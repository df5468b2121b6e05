/**
 * Experiments: one YAML config ({@link io.passk.experiment.ExperimentConfig}) runs a task
 * suite, a warm-up base model, every method &times; seed as a training run and their final
 * held-out evaluations, then compares the methods ({@link io.passk.experiment.ExperimentReport});
 * resumable step by step.
 *
 * <p>Imports: {@code train} and what it exposes ({@code task}, {@code advantage}, {@code learn}),
 * {@code report} for tables and charts, SnakeYAML, Spark, {@code io.passk}. Not cli.
 *
 * <p>May import: io.passk, io.passk.advantage, io.passk.advantage.spark, io.passk.estimate,
 * io.passk.fs, io.passk.learn, io.passk.policy, io.passk.progress, io.passk.report,
 * io.passk.report.chart, io.passk.rollout, io.passk.rollout.server, io.passk.run, io.passk.settings, io.passk.spark,
 * io.passk.task, io.passk.train.
 */
package io.passk.experiment;
