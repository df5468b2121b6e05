/**
 * Offline pass@k evaluation of any model's answers (docs/eval.md#input):
 * reading and validating the answer tables ({@link io.passk.eval.AnswerReader}), the one-job
 * aggregation to per-problem estimates with bootstrap confidence intervals
 * ({@link io.passk.eval.OfflineEvaluation}), the eval output directory and its files, and the
 * {@link io.passk.eval.PassAtKEvaluator} Spark ML {@code Evaluator}.
 *
 * <p>Imports: Spark, Hadoop and Parquet, {@code estimate}, {@code random}, {@code spark},
 * {@code io.passk}; charts through JFreeChart. No DJL and nothing of training (task, policy,
 * rollout, train): it evaluates answers from anywhere.
 *
 * <p>May import: io.passk, io.passk.estimate, io.passk.fs, io.passk.progress, io.passk.random,
 * io.passk.report.chart, io.passk.run, io.passk.spark.
 */
package io.passk.eval;
