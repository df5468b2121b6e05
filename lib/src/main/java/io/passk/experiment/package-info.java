/**
 * Experiments: one YAML config ({@link io.passk.experiment.ExperimentConfig}) runs a task
 * suite, a warm-up base model, every method &times; seed as a training run and their final
 * held-out evaluations, then compares the methods ({@link io.passk.experiment.ExperimentReport});
 * resumable step by step.
 *
 * <p>Imports: {@code train} and what it exposes ({@code task}, {@code advantage}, {@code learn}),
 * {@code report} for tables and charts, SnakeYAML, Spark, {@code io.passk}. Not cli.
 */
package io.passk.experiment;
