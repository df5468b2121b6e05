/**
 * Progress of long stages for the console: a throttled progress line with ETA
 * ({@link io.passk.progress.Progress}) and one fed by Spark's scheduler
 * ({@link io.passk.progress.SparkStageProgress}).
 *
 * <p>Imports: Spark (scheduler listener) and the JDK; no other passk package.
 *
 * <p>May import: nothing.
 */
package io.passk.progress;
