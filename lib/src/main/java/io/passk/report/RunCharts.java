package io.passk.report;

import io.passk.report.chart.BarChart;
import io.passk.report.chart.ChartStyle;
import io.passk.report.chart.LineChart;
import io.passk.run.EpochMetrics;
import io.passk.run.HeldoutCurve;
import io.passk.run.RunData;
import io.passk.run.StageSeconds;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Draws the run report's charts into a folder, one PNG per figure, runs overlaid with the n-th
 * run in the n-th palette colour everywhere. Returns the figures it wrote; a figure without any
 * data is not drawn (the caller says so in the page).
 */
final class RunCharts {

    /**
     * Every figure's size: two side by side fill the page's 1200 px (small multiples: one chart
     * per metric in a grid, read across rather than scrolled through).
     */
    static final int WIDTH = 580;
    static final int HEIGHT = 360;

    /** Which evaluated epoch of each run a held-out pass@k-vs-k chart shows. */
    enum EpochPosition { FIRST, LAST }

    private final List<RunData> runs;
    private final Path dir;

    RunCharts(List<RunData> runs, Path dir) {
        this.runs = runs;
        this.dir = dir;
    }

    /** A training curve of {@code metric} over epochs, one line per run; empty if never measured. */
    Optional<Figure> trainingCurve(TrainingMetric metric) {
        Optional<LineChart.Builder> chart = trainingCurveChart(metric);
        if (chart.isEmpty()) {
            return Optional.empty();
        }
        String file = "curve-" + metric.column() + ".png";
        chart.get().writePng(dir.resolve(file), WIDTH, HEIGHT);
        String x = metric.afterUpdate()
                ? " x = epochs trained when measured: epoch e's evaluation (after its update) is at e + 1, "
                + "and 0 is the policy before training (heldout.csv epoch -1)."
                : " x = epochs trained before the epoch: its rollouts come from that policy (0: the initial policy).";
        return Optional.of(new Figure(file, metric.label() + " over epochs", metric.description() + x));
    }

    /**
     * The chart of {@link #trainingCurve}, x = epochs trained: epoch e at e, a value measured
     * after the epoch's update (held-out) at e + 1 and the held-out value before training at 0.
     */
    Optional<LineChart.Builder> trainingCurveChart(TrainingMetric metric) {
        LineChart.Builder chart = LineChart.builder().title(metric.label())
                .xLabel("epochs trained").yLabel(metric.label()).integerX(true);
        if (metric.unitInterval()) {
            chart.yWithin(0, 1);
        }
        boolean any = false;
        int shift = metric.afterUpdate() ? 1 : 0;
        for (int i = 0; i < runs.size(); i++) {
            RunData run = runs.get(i);
            List<EpochMetrics> epochs = run.metrics().epochs();
            OptionalDouble before = metric.beforeTraining(run);
            int n = epochs.size() + (before.isPresent() ? 1 : 0);
            double[] xs = new double[n];
            double[] ys = new double[n];
            int j = 0;
            if (before.isPresent()) {
                xs[0] = 0;
                ys[0] = before.getAsDouble();
                j = 1;
            }
            for (EpochMetrics e : epochs) {
                xs[j] = e.epoch() + shift;
                ys[j] = metric.of(e);
                j++;
            }
            any |= java.util.Arrays.stream(ys).anyMatch(Double::isFinite);
            chart.series(run.name(), xs, ys).color(run.name(), ChartStyle.color(i));
        }
        return any ? Optional.of(chart) : Optional.empty();
    }

    /**
     * Held-out pass@k against k (log2 axis) with its confidence band at each run's first or last
     * evaluated epoch; empty when no run has held-out curves.
     */
    Optional<Figure> heldoutPassAtK(EpochPosition position) {
        String which = position == EpochPosition.FIRST ? "first" : "last";
        Optional<LineChart.Builder> chart = heldoutPassAtKChart(position);
        if (chart.isEmpty()) {
            return Optional.empty();
        }
        String file = "heldout-passk-" + which + ".png";
        chart.get().writePng(dir.resolve(file), WIDTH, HEIGHT);
        return Optional.of(new Figure(file, "Held-out pass@k vs k at the " + which + " evaluated epoch",
                "Unbiased held-out pass@k for k = 1, 2, 4, …, N at each run's " + which
                        + " evaluated epoch (heldout.csv); the shaded band is the confidence interval."));
    }

    /** The chart of {@link #heldoutPassAtK}; empty when no run has held-out curves. */
    Optional<LineChart.Builder> heldoutPassAtKChart(EpochPosition position) {
        String which = position == EpochPosition.FIRST ? "first" : "last";
        LineChart.Builder chart = LineChart.builder()
                .title("held-out pass@k vs k, " + which + " evaluated epoch")
                .xLabel("k (log2 scale)").yLabel("held-out pass@k").log2X(true).yWithin(0, 1);
        boolean any = false;
        for (int i = 0; i < runs.size(); i++) {
            RunData run = runs.get(i);
            List<HeldoutCurve> curves = run.heldout().orElse(List.of());
            if (curves.isEmpty()) {
                continue;
            }
            HeldoutCurve c = position == EpochPosition.FIRST ? curves.get(0) : curves.get(curves.size() - 1);
            // heldout.csv numbers epochs from 0; the curve measured after epoch e is after e + 1
            // epochs trained, as the x axes of the training curves and the console ("epoch 6/6") count
            int trained = c.epoch() + 1;
            String name = run.name() + (c.epoch() < 0 ? " (before training)"
                    : " (after " + trained + (trained == 1 ? " epoch)" : " epochs)"));
            chart.series(name, c.ks(), c.passAtK()).band(name, c.ciLow(), c.ciHigh())
                    .color(name, ChartStyle.color(i));
            any = true;
        }
        return any ? Optional.of(chart) : Optional.empty();
    }

    /**
     * Wall-clock seconds per stage per run as stacked bars, summed over the run's epochs
     * ({@code perEpoch = false}) or averaged per epoch ({@code true}, fair across runs of different
     * length). Time of an epoch outside the five stages shows as "other".
     */
    Figure wallClock(boolean perEpoch) {
        BarChart.Builder chart = BarChart.builder()
                .title(perEpoch ? "wall-clock seconds per epoch, by stage" : "total wall-clock seconds, by stage")
                .categoryLabel("run").valueLabel(perEpoch ? "seconds / epoch" : "seconds").stacked(true)
                .verticalCategoryLabels(runs.size() > 6);
        boolean anyOther = runs.stream().anyMatch(r -> r.metrics().totalSeconds().other() > 0);
        for (RunData run : runs) {
            StageSeconds total = run.metrics().totalSeconds();
            double scale = perEpoch ? 1.0 / run.metrics().epochs().size() : 1.0;
            for (int s = 0; s < StageSeconds.STAGES.size(); s++) {
                chart.value(StageSeconds.STAGES.get(s), run.name(), total.stage(s) * scale);
            }
            if (anyOther) {
                chart.value("other", run.name(), total.other() * scale);
            }
        }
        String file = perEpoch ? "wallclock-per-epoch.png" : "wallclock-total.png";
        chart.writePng(dir.resolve(file), WIDTH, HEIGHT);
        return new Figure(file, perEpoch ? "Wall-clock seconds per epoch by stage" : "Total wall-clock seconds by stage",
                perEpoch
                        ? "Mean seconds per epoch in each stage (rollout, advantage, learn, eval, checkpoint"
                        + (anyOther ? ", other = epoch time outside these stages" : "") + "): the cost of one epoch of each method."
                        : "Seconds spent in each stage summed over all completed epochs of each run.");
    }

    List<Figure> allTrainingCurves(List<TrainingMetric> missing) {
        List<Figure> out = new ArrayList<>();
        for (TrainingMetric m : TrainingMetric.values()) {
            trainingCurve(m).ifPresentOrElse(out::add, () -> missing.add(m));
        }
        return out;
    }
}
