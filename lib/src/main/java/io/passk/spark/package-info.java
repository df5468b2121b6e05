/**
 * Spark plumbing shared by the jobs and the stages: {@link io.passk.spark.SparkSessions} (the
 * one place a session is made, and scoped SQL settings), the schema check every stage runs
 * ({@link io.passk.spark.StageSchema}, bad schemas as {@code BadInputException}), the shared
 * stage params ({@code HasSeed}, {@code HasEpoch}, {@code HasK}, {@code HasGroupCol}, in the
 * manner of MLlib's shared params) and the correctness rule as a column
 * ({@link io.passk.spark.SparkCorrectness}).
 *
 * <p>Imports: Spark, {@code estimate}, {@code io.passk}; no DJL and no other passk package
 * (every Spark-side package may import this one).
 *
 * <p>May import: io.passk, io.passk.estimate.
 */
package io.passk.spark;
