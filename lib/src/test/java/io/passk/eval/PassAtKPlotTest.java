package io.passk.eval;

import io.passk.report.Pngs;
import io.passk.report.chart.ChartStyle;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PassAtKPlotTest {

    private static SummaryRow row(String model, int k, long problems, double mean, double lo, double hi) {
        Estimate e = new Estimate(mean, lo, hi);
        return new SummaryRow(List.of(model), k, problems, 0, e, e, e);
    }

    private static final List<SummaryRow> ROWS = List.of(
            row("a", 1, 40, 0.20, 0.15, 0.25), row("a", 4, 40, 0.45, 0.40, 0.50), row("a", 16, 40, 0.70, 0.64, 0.76),
            row("b", 1, 40, 0.30, Double.NaN, Double.NaN), row("b", 4, 40, 0.40, 0.35, 0.45),
            row("b", 16, 0, 0.0, Double.NaN, Double.NaN));   // no problem has 16 samples: not drawn

    @Test
    void onePassAtKLinePerGroupOnALog2AxisWithItsBandInTheSharedPalette(@TempDir Path dir) throws Exception {
        JFreeChart chart = PassAtKPlot.builder(ROWS, List.of("model"), "pass@k").build();
        XYPlot plot = chart.getXYPlot();
        assertEquals(2.0, assertInstanceOf(LogAxis.class, plot.getDomainAxis()).getBase());
        assertEquals(0.0, plot.getRangeAxis().getLowerBound());
        assertEquals(1.0, plot.getRangeAxis().getUpperBound());
        YIntervalSeriesCollection data = (YIntervalSeriesCollection) plot.getDataset();
        assertEquals(List.of("model=a", "model=b"), List.of(data.getSeriesKey(0), data.getSeriesKey(1)));
        assertEquals(3, data.getItemCount(0));
        assertEquals(2, data.getItemCount(1), "a k without problems is left out");
        assertEquals(0.64, data.getStartYValue(0, 2), 1e-12);
        assertEquals(0.30, data.getStartYValue(1, 0), 0.0, "no interval: the band collapses onto the mean");

        Path png = dir.resolve("passk.png");
        try (OutputStream os = Files.newOutputStream(png)) {
            PassAtKPlot.writePng(os, ROWS, List.of("model"), "pass@k");
        }
        BufferedImage img = Pngs.assertDrawnPng(png, PassAtKPlot.WIDTH, PassAtKPlot.HEIGHT);
        assertTrue(Pngs.count(img, ChartStyle.color(0).getRGB()) > 100, "group a in palette colour 0");
        assertTrue(Pngs.count(img, ChartStyle.color(1).getRGB()) > 100, "group b in palette colour 1");
    }
}
