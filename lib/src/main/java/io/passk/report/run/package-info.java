/**
 * Reading a training run directory for reports: {@code run.json}, {@code metrics.csv},
 * {@code heldout.csv}, validated and typed ({@link io.passk.report.run.RunData}).
 *
 * <p>Imports: Gson, {@code io.passk} and the JDK; neither Spark nor DJL.
 */
package io.passk.report.run;
