package io.passk.report.chart;

import io.passk.report.Pngs;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.ui.RectangleEdge;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
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
    void aProbabilityAxisOfAnAllZeroSeriesStartsAtZeroNotBelow() {
        // an all-zero pass@k curve drew its y axis from -0.6 to 0.6
        JFreeChart chart = LineChart.builder().yWithin(0, 1)
                .series("run", new double[] {1, 2, 4, 8}, new double[] {0, 0, 0, 0}).build();
        org.jfree.data.Range r = chart.getXYPlot().getRangeAxis().getRange();
        assertEquals(0, r.getLowerBound(), 0, r.toString());
        assertTrue(r.getUpperBound() > 0 && r.getUpperBound() <= 1, r.toString());
        JFreeChart ones = LineChart.builder().yWithin(0, 1)
                .series("run", new double[] {1, 2}, new double[] {1, 1}).build();
        org.jfree.data.Range r1 = ones.getXYPlot().getRangeAxis().getRange();
        assertTrue(r1.getLowerBound() >= 0 && r1.getUpperBound() == 1, "all ones: at most 1: " + r1);
        JFreeChart free = LineChart.builder().series("run", new double[] {1, 2}, new double[] {0, 0}).build();
        assertTrue(free.getXYPlot().getRangeAxis().getRange().getLowerBound() < 0, "unbounded metrics are not clamped");
    }

    /** The labelled ticks JFreeChart draws on {@code axis} in a 900 x 500 chart. */
    static List<Double> drawnTicks(JFreeChart chart, ValueAxis axis, RectangleEdge edge) {
        BufferedImage img = new BufferedImage(900, 500, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            chart.draw(g, new Rectangle2D.Double(0, 0, 900, 500));
            List<Double> out = new ArrayList<>();
            for (Object t : axis.refreshTicks(g, new AxisState(), new Rectangle2D.Double(60, 40, 800, 380), edge)) {
                ValueTick tick = (ValueTick) t;
                if (tick.getTickType() == TickType.MAJOR && !tick.getText().isEmpty()) {
                    out.add(tick.getValue());
                }
            }
            return out;
        } finally {
            g.dispose();
        }
    }

    @Test
    void aNarrowYRangeGetsAtMostSevenRoundTicksNotAWallOfLabels() {
        // held-out pass@1 over 0.10..0.13 (JFreeChart's own choice labelled every 0.001-0.005)
        double[] epochs = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
        double[] p1 = new double[epochs.length];
        for (int i = 0; i < p1.length; i++) {
            p1[i] = 0.10 + 0.002 * i;
        }
        JFreeChart chart = LineChart.builder().integerX(true).series("run", epochs, p1).build();
        XYPlot plot = chart.getXYPlot();
        List<Double> y = drawnTicks(chart, plot.getRangeAxis(), RectangleEdge.LEFT);
        assertTrue(y.size() >= 4 && y.size() <= 7, y.toString());
        double step = y.get(1) - y.get(0);
        assertTrue(AxisTicksTest.isRound(step), "step " + step);
        for (double v : y) {
            assertEquals(Math.round(v / step) * step, v, 1e-9, "tick " + v + " is a multiple of " + step);
        }
        assertTrue(y.get(0) <= 0.10 && y.get(y.size() - 1) >= 0.13, "the ticks span the data: " + y);
        List<Double> x = drawnTicks(chart, plot.getDomainAxis(), RectangleEdge.BOTTOM);
        assertEquals(List.of(0.0, 5.0, 10.0, 15.0), x, "16 epochs: every 5th labelled");
    }

    @Test
    void aFixedProbabilityRangeIsLabelledEveryFifth() {
        JFreeChart chart = passAtKChart().yRange(0, 1).build();
        List<Double> y = drawnTicks(chart, chart.getXYPlot().getRangeAxis(), RectangleEdge.LEFT);
        assertEquals(6, y.size(), "0, 0.2, .., 1: " + y);
        assertEquals(1.0, y.get(5), 1e-12);
    }

    @Test
    void aLogYAxisLabelsOneTwoFiveValues(@TempDir Path dir) throws Exception {
        JFreeChart chart = LineChart.builder().logY(true)
                .series("kv", new double[] {16, 32, 64}, new double[] {3055, 3725, 3407})
                .series("full", new double[] {16, 32, 64}, new double[] {367, 234, 182}).build();
        List<Double> y = drawnTicks(chart, chart.getXYPlot().getRangeAxis(), RectangleEdge.LEFT);
        assertTrue(y.containsAll(List.of(200.0, 500.0, 1000.0, 2000.0)), y.toString());
        assertThrows(IllegalArgumentException.class, () -> LineChart.builder().logY(true)
                .series("a", new double[] {1}, new double[] {0}).build());
        Path png = dir.resolve("log.png");
        LineChart.builder().logY(true).series("kv", new double[] {16, 32}, new double[] {3055, 182})
                .writePng(png, 600, 400);
        Pngs.assertDrawnPng(png, 600, 400);
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
