package io.passk.report.chart;

import io.passk.report.Pngs;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineChartTest {

    private static final double[] KS = {1, 2, 4, 8, 16};

    private static LineChart.Builder passAtKChart() {
        return LineChart.builder().title("pass@k").xLabel("k").yLabel("pass@k").log2X(true)
                .series("a", KS, new double[] {0.2, 0.35, 0.5, 0.62, 0.7})
                .band("a", new double[] {0.15, 0.3, 0.45, 0.57, 0.65}, new double[] {0.25, 0.4, 0.55, 0.67, 0.75})
                .series("b", KS, new double[] {0.3, 0.4, 0.45, 0.5, 0.52})
                .color("b", Color.RED);
    }

    @Test
    void writesPngOfRequestedSizeShowingEachSeriesColour(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("c.png");
        passAtKChart().writePng(png, 640, 360);
        BufferedImage img = Pngs.assertDrawnPng(png, 640, 360);
        assertTrue(Pngs.count(img, Color.RED.getRGB()) > 50, "series b drawn in its colour");
        assertTrue(Pngs.count(img, ChartStyle.color(0).getRGB()) > 50, "series a drawn in palette colour 0");
    }

    @Test
    void sameChartGivesSameBytes(@TempDir Path dir) throws Exception {
        passAtKChart().writePng(dir.resolve("1.png"), 500, 300);
        passAtKChart().writePng(dir.resolve("2.png"), 500, 300);
        assertArrayEquals(Files.readAllBytes(dir.resolve("1.png")), Files.readAllBytes(dir.resolve("2.png")));
    }

    @Test
    void log2AxisIsBaseTwoAndBandBoundsTheSeries() {
        JFreeChart chart = passAtKChart().build();
        XYPlot plot = chart.getXYPlot();
        LogAxis axis = assertInstanceOf(LogAxis.class, plot.getDomainAxis());
        assertEquals(2.0, axis.getBase());
        YIntervalSeriesCollection data = (YIntervalSeriesCollection) plot.getDataset();
        assertEquals(0.15, data.getStartYValue(0, 0), 1e-12);
        assertEquals(0.25, data.getEndYValue(0, 0), 1e-12);
        // a series without a band has a zero-width interval
        assertEquals(data.getYValue(1, 2), data.getStartYValue(1, 2), 0.0);
    }

    @Test
    void nonFinitePointsAreLeftOut() {
        JFreeChart chart = LineChart.builder().integerX(true)
                .series("gappy", new double[] {0, 1, 2, 3}, new double[] {0.1, Double.NaN, 0.3, Double.NaN})
                .build();
        YIntervalSeriesCollection data = (YIntervalSeriesCollection) chart.getXYPlot().getDataset();
        assertEquals(2, data.getItemCount(0));
        assertEquals(2.0, data.getXValue(0, 1));
    }

    @Test
    void aFlatSeriesGetsARangeAroundItsValueNotAZeroWidthOne() {
        JFreeChart chart = LineChart.builder().series("one epoch", new double[] {0}, new double[] {0.1}).build();
        org.jfree.data.Range r = chart.getXYPlot().getRangeAxis().getRange();
        assertTrue(r.getLowerBound() <= 0.09 && r.getUpperBound() >= 0.11, r.toString());
    }

    @Test
    void rejectsMisuse() {
        assertThrows(IllegalArgumentException.class,
                () -> LineChart.builder().series("a", new double[] {1, 2}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> LineChart.builder().series("a", KS, KS).series("a", KS, KS));
        assertThrows(IllegalArgumentException.class,
                () -> LineChart.builder().band("missing", KS, KS));
        assertThrows(IllegalArgumentException.class,
                () -> LineChart.builder().log2X(true).series("a", new double[] {0, 1}, new double[] {1, 2}).build());
        assertThrows(IllegalArgumentException.class, () -> LineChart.builder().yRange(1, 0));
    }
}
