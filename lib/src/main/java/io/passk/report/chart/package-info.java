/**
 * Charts to PNG with one style ({@link io.passk.report.chart.ChartStyle}): line and bar
 * charts, headless and deterministic (same chart, same bytes).
 *
 * <p>Imports: JFreeChart and the JDK; no other passk package, no Spark, no DJL.
 *
 * <p>May import: nothing.
 */
package io.passk.report.chart;
