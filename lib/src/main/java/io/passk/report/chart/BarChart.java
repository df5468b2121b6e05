package io.passk.report.chart;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A bar chart of values by (series, category): stacked (one bar per category, one segment per
 * series: wall-clock seconds per stage per run) or grouped (bars side by side, optionally with
 * ± error bars: mean ± std over seeds per method).
 *
 * <pre>{@code
 * BarChart.builder().title("wall-clock").categoryLabel("run").valueLabel("seconds").stacked(true)
 *         .value("rollout", "run-a", 120.0).value("learn", "run-a", 40.0)
 *         .writePng(dir.resolve("wallclock.png"), 900, 500);
 * }</pre>
 *
 * The value axis starts at 0 and has a few round ticks (steps of 1, 2 or 5 × 10^n). Series and
 * categories appear in the order first added; series colours follow
 * {@link ChartStyle#color(int)} unless {@link Builder#color} sets them.
 */
public final class BarChart {

    static {
        PngCharts.headless();
    }

    private BarChart() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String title = "";
        private String categoryLabel = "";
        private String valueLabel = "";
        private boolean stacked;
        private boolean verticalCategoryLabels;
        private final Set<String> seriesNames = new LinkedHashSet<>();
        private final Set<String> categories = new LinkedHashSet<>();
        private final Map<List<String>, double[]> values = new LinkedHashMap<>();
        private final Map<String, Color> colors = new LinkedHashMap<>();
        private boolean anyError;

        private Builder() {
        }

        public Builder title(String title) {
            this.title = Objects.requireNonNull(title);
            return this;
        }

        public Builder categoryLabel(String label) {
            this.categoryLabel = Objects.requireNonNull(label);
            return this;
        }

        public Builder valueLabel(String label) {
            this.valueLabel = Objects.requireNonNull(label);
            return this;
        }

        /** Stack the series of a category into one bar (default: side by side). */
        public Builder stacked(boolean stacked) {
            this.stacked = stacked;
            return this;
        }

        /** Rotate category labels 90° (many or long category names). */
        public Builder verticalCategoryLabels(boolean vertical) {
            this.verticalCategoryLabels = vertical;
            return this;
        }

        /** Sets the value of ({@code series}, {@code category}); must be finite. */
        public Builder value(String series, String category, double value) {
            return put(series, category, value, Double.NaN);
        }

        /** A value with a ± {@code error} bar (grouped charts only). */
        public Builder value(String series, String category, double value, double error) {
            if (!Double.isFinite(error) || error < 0) {
                throw new IllegalArgumentException("error bar must be finite and >= 0: " + error);
            }
            anyError = true;
            return put(series, category, value, error);
        }

        public Builder color(String series, Color color) {
            colors.put(Objects.requireNonNull(series), Objects.requireNonNull(color));
            return this;
        }

        private Builder put(String series, String category, double value, double error) {
            Objects.requireNonNull(series, "series");
            Objects.requireNonNull(category, "category");
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("value of (" + series + ", " + category + ") is " + value);
            }
            seriesNames.add(series);
            categories.add(category);
            values.put(List.of(series, category), new double[] {value, error});
            return this;
        }

        public JFreeChart build() {
            if (stacked && anyError) {
                throw new IllegalStateException("error bars are only drawn on grouped (unstacked) bars");
            }
            CategoryAxis xAxis = new CategoryAxis(categoryLabel);
            if (verticalCategoryLabels) {
                xAxis.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
            }
            xAxis.setMaximumCategoryLabelLines(2);
            NumberAxis yAxis = new NumberAxis(valueLabel);
            BarRenderer renderer;
            CategoryPlot plot;
            if (anyError) {
                DefaultStatisticalCategoryDataset ds = new DefaultStatisticalCategoryDataset();
                forEachCell((s, c, v) -> {
                    if (v == null) {
                        ds.add((Number) null, null, s, c);
                    } else {
                        ds.add(v[0], Double.isNaN(v[1]) ? 0.0 : v[1], s, c);
                    }
                });
                StatisticalBarRenderer r = new StatisticalBarRenderer();
                r.setErrorIndicatorPaint(Color.DARK_GRAY);
                renderer = r;
                plot = new CategoryPlot(ds, xAxis, yAxis, renderer);
            } else {
                DefaultCategoryDataset ds = new DefaultCategoryDataset();
                forEachCell((s, c, v) -> ds.addValue(v == null ? null : (Number) v[0], s, c));
                renderer = stacked ? new StackedBarRenderer() : new BarRenderer();
                plot = new CategoryPlot(ds, xAxis, yAxis, renderer);
            }
            renderer.setBarPainter(new StandardBarPainter());
            renderer.setShadowVisible(false);
            renderer.setDrawBarOutline(false);
            renderer.setItemMargin(0.05);
            renderer.setMaximumBarWidth(0.12);
            List<String> names = new ArrayList<>(seriesNames);
            for (int i = 0; i < names.size(); i++) {
                renderer.setSeriesPaint(i, colors.getOrDefault(names.get(i), ChartStyle.color(i)));
            }
            plot.setOrientation(PlotOrientation.VERTICAL);
            if (!values.isEmpty()) {
                double[] r = valueRange();
                AxisTicks.snapped(r[0], r[1], false).applyTo(yAxis);
            }
            JFreeChart chart = new JFreeChart(title, null, plot, true);
            ChartStyle.apply(chart);
            return chart;
        }

        /** Builds the chart and writes it as a {@code width × height} PNG. */
        public void writePng(Path file, int width, int height) {
            PngCharts.writePng(build(), file, width, height);
        }

        /**
         * {min, max} of what the bars reach, 0 included (bars start at 0): a stacked bar's
         * positive and negative sums, a grouped bar's value ± its error.
         */
        private double[] valueRange() {
            double lo = 0;
            double hi = 0;
            for (String c : categories) {
                double up = 0;
                double down = 0;
                for (String s : seriesNames) {
                    double[] v = values.get(List.of(s, c));
                    if (v == null) {
                        continue;
                    }
                    double err = Double.isNaN(v[1]) ? 0 : v[1];
                    if (stacked) {
                        up += Math.max(0, v[0]);
                        down += Math.min(0, v[0]);
                    } else {
                        up = Math.max(up, v[0] + err);
                        down = Math.min(down, v[0] - err);
                    }
                }
                lo = Math.min(lo, down);
                hi = Math.max(hi, up);
            }
            return new double[] {lo, hi};
        }

        private interface CellVisitor {
            void visit(String series, String category, double[] valueAndError);
        }

        /**
         * Visits every (series, category) cell in insertion order, absent ones with {@code null}
         * (no bar), so the datasets keep the categories in the order they were first added.
         */
        private void forEachCell(CellVisitor v) {
            for (String s : seriesNames) {
                for (String c : categories) {
                    v.visit(s, c, values.get(List.of(s, c)));
                }
            }
        }
    }
}
