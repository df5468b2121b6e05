package io.passk.run;

import java.util.List;
import java.util.function.ToDoubleFunction;

/** The rows of {@code RUN/metrics.csv}, sorted by epoch, one per completed epoch. */
public record RunMetrics(List<EpochMetrics> epochs) {

    public RunMetrics {
        epochs = List.copyOf(epochs);
    }

    public boolean isEmpty() {
        return epochs.isEmpty();
    }

    public EpochMetrics first() {
        return epochs.get(0);
    }

    public EpochMetrics last() {
        return epochs.get(epochs.size() - 1);
    }

    /** The epochs where {@code metric} was measured (finite), in order. */
    public List<EpochMetrics> measured(ToDoubleFunction<EpochMetrics> metric) {
        return epochs.stream().filter(e -> Double.isFinite(metric.applyAsDouble(e))).toList();
    }

    /** Seconds per stage summed over all epochs. */
    public StageSeconds totalSeconds() {
        StageSeconds sum = StageSeconds.zero();
        for (EpochMetrics e : epochs) {
            sum = sum.plus(e.seconds());
        }
        return sum;
    }
}
