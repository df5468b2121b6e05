/**
 * The run report: one self-contained folder ({@code index.html} and PNGs) comparing training
 * runs (training curves, held-out pass@k, stage wall-clock), written atomically.
 *
 * <p>Imports: {@code report.chart}, {@code report.run}, {@code io.passk} and the JDK; neither
 * Spark nor DJL (it reads the run directory's CSV and JSON files).
 *
 * <p>May import: io.passk, io.passk.fs, io.passk.progress, io.passk.report.chart, io.passk.run.
 */
package io.passk.report;
