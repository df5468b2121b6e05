package io.passk.eval;

import io.passk.report.chart.LineChart;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * pass@k against k (log2 axis), one line per group with its 95% bootstrap band: the eval
 * output's {@code passk.png}. Drawn by {@link LineChart}, so it has the look and palette of every
 * other passk chart (the n-th group in the n-th palette colour).
 */
public final class PassAtKPlot {

    static final int WIDTH = 900;
    static final int HEIGHT = 560;

    private PassAtKPlot() {
    }

    /** The chart's data and settings; groups in the order their first row appears. */
    static LineChart.Builder builder(List<SummaryRow> rows, List<String> groupCols, String title) {
        Map<String, List<SummaryRow>> byGroup = new LinkedHashMap<>();
        for (SummaryRow r : rows) {
            if (r.problems() > 0) {
                byGroup.computeIfAbsent(r.label(groupCols), g -> new ArrayList<>()).add(r);
            }
        }
        LineChart.Builder chart = LineChart.builder().title(title).xLabel("k")
                .yLabel("pass@k (mean over problems, 95% bootstrap CI)").log2X(true).yRange(0, 1);
        byGroup.forEach((group, points) -> {
            int n = points.size();
            double[] ks = new double[n];
            double[] mean = new double[n];
            double[] lo = new double[n];
            double[] hi = new double[n];
            for (int i = 0; i < n; i++) {
                Estimate e = points.get(i).passAtK();
                ks[i] = points.get(i).k();
                mean[i] = e.mean();
                // no interval (a single problem, or B = 0): the band collapses onto the line
                lo[i] = Double.isNaN(e.ciLow()) ? e.mean() : e.ciLow();
                hi[i] = Double.isNaN(e.ciHigh()) ? e.mean() : e.ciHigh();
            }
            chart.series(group, ks, mean).band(group, lo, hi);
        });
        return chart;
    }

    /**
     * Draws a small throw-away chart into nothing, so that the real one finds JFreeChart's
     * classes, the fonts (fontconfig) and the PNG encoder loaded: the local engine starts this on
     * a second thread while DuckDB scans (on an idle machine a second core does it meanwhile).
     * Never fails: the real chart reports any problem.
     */
    static void warmUp() {
        try {
            Estimate e = new Estimate(0.5, 0.4, 0.6);
            List<SummaryRow> rows = List.of(new SummaryRow(List.of("g"), 1, 1, 0, e, e, e),
                    new SummaryRow(List.of("g"), 2, 1, 0, e, e, e));
            builder(rows, List.of("g"), "pass@k").writePng(OutputStream.nullOutputStream(), WIDTH / 4, HEIGHT / 4);
        } catch (RuntimeException | LinkageError ignored) {
            // the real chart is drawn (and fails loudly) later
        }
    }

    /** Writes the {@value #WIDTH} x {@value #HEIGHT} PNG to {@code os} (left open). */
    public static void writePng(OutputStream os, List<SummaryRow> rows, List<String> groupCols, String title)
            throws IOException {
        try {
            builder(rows, groupCols, title).writePng(os, WIDTH, HEIGHT);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
