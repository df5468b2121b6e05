package io.passk.estimate;

import io.passk.random.SeededRandom;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap of a mean over problems (REFERENCE.md: resample problems with
 * replacement, B = 1000 by default, seeded). For in-memory sets of per-problem values, e.g.
 * the held-out problems of a training run; large offline evaluations use the distributed
 * form in {@code io.passk.eval}.
 */
public final class PercentileBootstrap {

    /** A mean with its two-sided {@code level} interval. */
    public record Interval(double mean, double low, double high) {
    }

    private PercentileBootstrap() {
    }

    public static Interval mean(double[] values, int replicates, double level, long seed) {
        int n = values.length;
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = Arrays.stream(values).average().orElseThrow();
        double[] means = new double[replicates];
        SplittableRandom rnd = new SplittableRandom(SeededRandom.key(seed, 0xb007L));
        for (int b = 0; b < replicates; b++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += values[rnd.nextInt(n)];
            }
            means[b] = s / n;
        }
        Arrays.sort(means);
        double alpha = (1 - level) / 2;
        return new Interval(mean, quantile(means, alpha), quantile(means, 1 - alpha));
    }

    /** Linear interpolation between order statistics (type 7). */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
