package io.passk.report.chart;

import io.passk.report.Pngs;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.data.category.CategoryDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BarChartTest {

    private static BarChart.Builder stages() {
        return BarChart.builder().title("wall-clock").categoryLabel("run").valueLabel("seconds").stacked(true)
                .value("rollout", "run-a", 100).value("learn", "run-a", 40)
                .value("rollout", "run-b", 80).value("learn", "run-b", 60);
    }

    @Test
    void stackedBarsRenderWithEverySeriesColour(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("bars.png");
        stages().writePng(png, 700, 400);
        BufferedImage img = Pngs.assertDrawnPng(png, 700, 400);
        assertTrue(Pngs.count(img, ChartStyle.color(0).getRGB()) > 500, "rollout segments");
        assertTrue(Pngs.count(img, ChartStyle.color(1).getRGB()) > 500, "learn segments");
        assertInstanceOf(StackedBarRenderer.class, stages().build().getCategoryPlot().getRenderer());
    }

    @Test
    void sameChartGivesSameBytes(@TempDir Path dir) throws Exception {
        stages().writePng(dir.resolve("1.png"), 500, 300);
        stages().writePng(dir.resolve("2.png"), 500, 300);
        assertArrayEquals(Files.readAllBytes(dir.resolve("1.png")), Files.readAllBytes(dir.resolve("2.png")));
    }

    @Test
    void categoriesKeepTheirFirstAddedOrderEvenWhenASeriesLacksOne() {
        JFreeChart chart = BarChart.builder()
                .value("s1", "x", 1).value("s2", "y", 2).value("s1", "z", 3).build();
        CategoryDataset ds = chart.getCategoryPlot().getDataset();
        assertEquals(List.of("x", "y", "z"), ds.getColumnKeys());
        assertNull(ds.getValue("s1", "y"));
    }

    @Test
    void groupedBarsWithErrorBarsUseTheStatisticalRenderer(@TempDir Path dir) throws Exception {
        BarChart.Builder b = BarChart.builder().title("pass@1 over seeds")
                .value("pass1", "maze", 0.4, 0.05).value("passk", "maze", 0.5, 0.03)
                .value("pass1", "arith", 0.6, 0.02).value("passk", "arith", 0.62, 0.04);
        assertInstanceOf(StatisticalBarRenderer.class, b.build().getCategoryPlot().getRenderer());
        b.writePng(dir.resolve("e.png"), 600, 400);
        Pngs.assertDrawnPng(dir.resolve("e.png"), 600, 400);
    }

    @Test
    void theValueAxisStartsAtZeroAndHoldsTheTallestStackWithAFewRoundTicks() {
        // stacks of 140 s each: 0..150 in steps of 25 would be 7 labels of odd values; 50 is round
        NumberAxis axis = (NumberAxis) stages().build().getCategoryPlot().getRangeAxis();
        assertEquals(0.0, axis.getLowerBound());
        assertTrue(axis.getUpperBound() >= 140, "tallest stack shown: " + axis.getRange());
        double step = axis.getTickUnit().getSize();
        assertTrue(AxisTicksTest.isRound(step), "step " + step);
        long ticks = Math.round(axis.getUpperBound() / step) + 1;
        assertTrue(ticks >= 4 && ticks <= 7, ticks + " ticks of " + step);
    }

    @Test
    void rejectsMisuse() {
        assertThrows(IllegalArgumentException.class, () -> BarChart.builder().value("s", "c", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> BarChart.builder().value("s", "c", 1, -1));
        assertThrows(IllegalStateException.class,
                () -> BarChart.builder().stacked(true).value("s", "c", 1, 0.1).build());
    }
}
