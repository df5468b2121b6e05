package io.passk.report.chart;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.io.OutputStream;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A line chart of several named series over a shared x axis, each optionally with a shaded band
 * (a confidence interval, or mean ± std over seeds). Typical uses: a metric over epochs with one
 * line per run or method; pass@k against k on a log2 axis with its interval.
 *
 * <pre>{@code
 * LineChart.builder().title("held-out pass@k").xLabel("k").yLabel("pass@k").log2X(true)
 *         .series("passk-analytic", ks, pass).band("passk-analytic", lows, highs)
 *         .writePng(dir.resolve("passk.png"), 900, 500);
 * }</pre>
 *
 * Linear axes get a few round ticks ({@link AxisTicks}: steps of 1, 2 or 5 × 10^n, at most
 * seven per axis). Points whose x or y is not finite are left out (the line joins its measured neighbours), so a
 * column with gaps (held-out metrics in non-evaluation epochs) can be passed as is. Series are
 * drawn in the order added; a series' colour is {@link ChartStyle#color(int)} of its position
 * unless {@link Builder#color} sets it.
 */
public final class LineChart {

    static {
        PngCharts.headless();
    }

    private LineChart() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the chart's settings and data; {@link #build()} or {@link #writePng} at the end. */
    public static final class Builder {
        private String title = "";
        private String xLabel = "";
        private String yLabel = "";
        private boolean log2X;
        private boolean integerX;
        private boolean logY;
        private Double yMin;
        private Double yLow;
        private Double yHigh;
        private Double yMax;
        private boolean shapes = true;
        private final Map<String, double[][]> series = new LinkedHashMap<>();
        private final Map<String, double[][]> bands = new LinkedHashMap<>();
        private final Map<String, Color> colors = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder title(String title) {
            this.title = Objects.requireNonNull(title);
            return this;
        }

        public Builder xLabel(String label) {
            this.xLabel = Objects.requireNonNull(label);
            return this;
        }

        public Builder yLabel(String label) {
            this.yLabel = Objects.requireNonNull(label);
            return this;
        }

        /** Log base 2 x axis with ticks at powers of two (k = 1, 2, 4, …); x must be positive. */
        public Builder log2X(boolean log2X) {
            this.log2X = log2X;
            return this;
        }

        /** Ticks only at whole numbers on a linear x axis (epochs). */
        public Builder integerX(boolean integerX) {
            this.integerX = integerX;
            return this;
        }

        /**
         * Log base 10 y axis with ticks at 1, 2 and 5 × 10^n (at 10^n only when that would be
         * too many); y must be positive. For rates that differ by orders of magnitude.
         */
        public Builder logY(boolean logY) {
            this.logY = logY;
            return this;
        }

        /**
         * Fits the y axis to the data but never beyond {@code [min, max]} (probabilities: 0..1),
         * so an all-zero series is drawn from 0 up, not from -0.5.
         */
        public Builder yWithin(double min, double max) {
            if (!(min < max)) {
                throw new IllegalArgumentException("y bounds must have min < max: " + min + ", " + max);
            }
            this.yLow = min;
            this.yHigh = max;
            return this;
        }

        /** Fixes the y range (e.g. 0..1 for probabilities) instead of fitting the data. */
        public Builder yRange(double min, double max) {
            if (!(min < max)) {
                throw new IllegalArgumentException("y range must have min < max: " + min + ", " + max);
            }
            this.yMin = min;
            this.yMax = max;
            return this;
        }

        /** Marks each point with a dot (default true). */
        public Builder shapes(boolean shapes) {
            this.shapes = shapes;
            return this;
        }

        /** Adds a series; {@code xs} and {@code ys} have the same length; names are unique. */
        public Builder series(String name, double[] xs, double[] ys) {
            Objects.requireNonNull(name, "name");
            if (xs.length != ys.length) {
                throw new IllegalArgumentException("series '" + name + "': " + xs.length + " x values but "
                        + ys.length + " y values");
            }
            if (series.putIfAbsent(name, new double[][] {xs.clone(), ys.clone()}) != null) {
                throw new IllegalArgumentException("series '" + name + "' added twice");
            }
            return this;
        }

        /** Shades {@code [lows[i], highs[i]]} around series {@code name} (added before, same length). */
        public Builder band(String name, double[] lows, double[] highs) {
            double[][] s = series.get(name);
            if (s == null) {
                throw new IllegalArgumentException("band for unknown series '" + name + "'");
            }
            if (lows.length != s[0].length || highs.length != s[0].length) {
                throw new IllegalArgumentException("band '" + name + "': lengths " + lows.length + "/"
                        + highs.length + " differ from the series' " + s[0].length);
            }
            bands.put(name, new double[][] {lows.clone(), highs.clone()});
            return this;
        }

        /** Colour of series {@code name} (to keep one run's colour across charts). */
        public Builder color(String name, Color color) {
            colors.put(Objects.requireNonNull(name), Objects.requireNonNull(color));
            return this;
        }

        public JFreeChart build() {
            YIntervalSeriesCollection dataset = new YIntervalSeriesCollection();
            for (Map.Entry<String, double[][]> e : series.entrySet()) {
                dataset.addSeries(toSeries(e.getKey(), e.getValue(), bands.get(e.getKey())));
            }
            double[] xr = range(dataset, false);
            double[] yr = range(dataset, true);
            ValueAxis xAxis = log2X ? log2Axis() : linearAxis(xLabel, integerX, xr);
            ValueAxis yAxis;
            if (logY) {
                yAxis = new RoundLogAxis(yLabel);
            } else {
                NumberAxis linear = new NumberAxis(yLabel);
                linear.setAutoRangeIncludesZero(false);
                if (yMin != null) {
                    AxisTicks.inside(yMin, yMax, false).applyTo(linear);
                } else if (yr != null) {
                    AxisTicks t = AxisTicks.snapped(yr[0], yr[1], false);
                    if (yLow != null) {
                        t = t.within(yLow, yHigh);
                    }
                    t.applyTo(linear);
                }
                yAxis = linear;
            }
            DeviationRenderer renderer = new DeviationRenderer(true, shapes);
            renderer.setAlpha(0.18f);
            int i = 0;
            for (String name : series.keySet()) {
                Color c = colors.getOrDefault(name, ChartStyle.color(i));
                renderer.setSeriesPaint(i, c);
                renderer.setSeriesFillPaint(i, c);
                renderer.setSeriesStroke(i, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                renderer.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
                i++;
            }
            XYPlot plot = new XYPlot(dataset, xAxis, yAxis, renderer);
            plot.setOrientation(PlotOrientation.VERTICAL);
            // later series on top, as a reader of the legend (left to right) expects
            plot.setSeriesRenderingOrder(org.jfree.chart.plot.SeriesRenderingOrder.FORWARD);
            JFreeChart chart = new JFreeChart(title, null, plot, true);
            ChartStyle.apply(chart);
            return chart;
        }

        /** Builds the chart and writes it as a {@code width × height} PNG. */
        public void writePng(Path file, int width, int height) {
            PngCharts.writePng(build(), file, width, height);
        }

        /** Builds the chart and writes it as a {@code width × height} PNG to {@code out} (left open). */
        public void writePng(OutputStream out, int width, int height) {
            PngCharts.writePng(build(), out, width, height);
        }

        private YIntervalSeries toSeries(String name, double[][] xy, double[][] band) {
            YIntervalSeries s = new YIntervalSeries(name, true, true);
            for (int j = 0; j < xy[0].length; j++) {
                double x = xy[0][j];
                double y = xy[1][j];
                if (!Double.isFinite(x) || !Double.isFinite(y)) {
                    continue;
                }
                if (log2X && x <= 0) {
                    throw new IllegalArgumentException("series '" + name + "': x = " + x
                            + " on a log2 axis (must be > 0)");
                }
                if (logY && y <= 0) {
                    throw new IllegalArgumentException("series '" + name + "': y = " + y
                            + " on a log y axis (must be > 0)");
                }
                double lo = y;
                double hi = y;
                if (band != null && Double.isFinite(band[0][j]) && Double.isFinite(band[1][j])) {
                    lo = Math.min(y, band[0][j]);
                    hi = Math.max(y, band[1][j]);
                }
                s.add(x, y, lo, hi);
            }
            return s;
        }

        /**
         * {min, max} over every drawn point ({@code y}: its band too), or null when nothing is
         * drawn (the axis then keeps JFreeChart's default and the plot says "no data").
         */
        private static double[] range(YIntervalSeriesCollection data, boolean y) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < data.getSeriesCount(); s++) {
                for (int j = 0; j < data.getItemCount(s); j++) {
                    lo = Math.min(lo, y ? data.getStartYValue(s, j) : data.getXValue(s, j));
                    hi = Math.max(hi, y ? data.getEndYValue(s, j) : data.getXValue(s, j));
                }
            }
            return lo <= hi ? new double[] {lo, hi} : null;
        }

        private ValueAxis log2Axis() {
            LogAxis axis = new LogAxis(xLabel);
            axis.setBase(2);
            axis.setTickUnit(new NumberTickUnit(1.0));
            axis.setMinorTickCount(1);
            axis.setNumberFormatOverride(new DecimalFormat("0.###"));
            axis.setSmallestValue(1e-9);
            return axis;
        }

        private static ValueAxis linearAxis(String label, boolean integerTicks, double[] range) {
            NumberAxis axis = new NumberAxis(label);
            axis.setAutoRangeIncludesZero(false);
            if (range != null) {
                AxisTicks.spanning(range[0], range[1], integerTicks).applyTo(axis);
            } else if (integerTicks) {
                axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            }
            return axis;
        }
    }
}
