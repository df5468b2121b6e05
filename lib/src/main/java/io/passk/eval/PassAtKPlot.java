package io.passk.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/** pass@k against k (log2 axis), one line per group with its 95% bootstrap band. */
public final class PassAtKPlot {

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
    };

    private PassAtKPlot() {
    }

    public static JFreeChart chart(List<SummaryRow> rows, List<String> groupCols, String title) {
        System.setProperty("java.awt.headless", "true");
        Map<String, YIntervalSeries> series = new LinkedHashMap<>();
        for (SummaryRow r : rows) {
            if (r.problems() == 0) {
                continue;
            }
            Estimate e = r.passAtK();
            double lo = Double.isNaN(e.ciLow()) ? e.mean() : e.ciLow();
            double hi = Double.isNaN(e.ciHigh()) ? e.mean() : e.ciHigh();
            series.computeIfAbsent(r.label(groupCols), YIntervalSeries::new).add(r.k(), e.mean(), lo, hi);
        }
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        series.values().forEach(data::addSeries);

        LogAxis x = new LogAxis("k");
        x.setBase(2);
        x.setTickUnit(new NumberTickUnit(1));
        x.setMinorTickMarksVisible(false);
        x.setNumberFormatOverride(new java.text.DecimalFormat("0"));
        NumberAxis y = new NumberAxis("pass@k (mean over problems, 95% bootstrap CI)");
        y.setRange(0.0, 1.0);
        DeviationRenderer renderer = new DeviationRenderer(true, true);
        for (int i = 0; i < series.size(); i++) {
            Color c = PALETTE[i % PALETTE.length];
            renderer.setSeriesPaint(i, c);
            renderer.setSeriesFillPaint(i, c);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        renderer.setAlpha(0.2f);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    public static void writePng(OutputStream os, List<SummaryRow> rows, List<String> groupCols, String title)
            throws IOException {
        ChartUtils.writeChartAsPNG(os, chart(rows, groupCols, title), 900, 560);
    }
}
