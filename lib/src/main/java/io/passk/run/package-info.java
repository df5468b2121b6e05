/**
 * The training run directory, its one owner: the layout ({@code run.json}, {@code metrics.csv} /
 * {@code metrics.parquet}, {@code heldout.csv}, {@code heldout/epoch=t/curve.csv},
 * {@code checkpoints/epoch=t}, {@code rollouts/epoch=t}), the rule that a checkpoint's rename
 * commits an epoch ({@link io.passk.run.RunDirectory#lastCompleteEpoch()}), one record per file
 * row kind ({@link io.passk.run.EpochMetrics}, {@link io.passk.run.HeldoutPoint} /
 * {@link io.passk.run.HeldoutCurve}, {@link io.passk.run.RunInfo}), their writers (used by
 * {@code train}) and their validating readers (used by {@code report}, {@code experiment} and the
 * notebooks), which name the file, line and column of bad input; and the versions every output
 * records beside it ({@link io.passk.run.Provenance}: run.json, the eval's provenance).
 *
 * <p>Imports: {@code io.passk.BadInputException}, {@code io.passk.fs}, {@code io.passk.progress},
 * Gson, and Spark SQL (only to write {@code metrics.parquet}). Not DJL, not the training code.
 *
 * <p>May import: io.passk, io.passk.fs, io.passk.progress.
 */
package io.passk.run;
