package io.passk.estimate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The percentile bootstrap's pure math, shared by the offline evaluation's CIs and the paired
 * differences of experiments and of {@code passk eval --compare} (one owner of each rule).
 *
 * <ul>
 *   <li>{@link #percentile}: the q-quantile by linear interpolation between order statistics
 *       (the "type 7" definition of R and numpy's default);</li>
 *   <li>{@link #pairedInterval}: the 95% percentile interval of the mean of a units x problems
 *       matrix of paired differences d(u, p) under a two-way bootstrap that draws units and
 *       problems with replacement, independently. With one unit (one row) it is the ordinary
 *       bootstrap over problems.</li>
 * </ul>
 * Deterministic: every draw comes from one {@link SplittableRandom} seeded by the caller.
 */
public final class Bootstrap {

    private Bootstrap() {
    }

    /**
     * The q-quantile of {@code values}: with h = (m - 1) q, {@code x[floor h] + (h - floor h)
     * (x[floor h + 1] - x[floor h])} over the sorted values; NaN when empty. {@code values} is
     * sorted in place.
     */
    public static double percentile(double[] values, double q) {
        int m = values.length;
        if (m == 0) {
            return Double.NaN;
        }
        Arrays.sort(values);
        double h = (m - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, m - 1);
        return values[lo] + (h - lo) * (values[hi] - values[lo]);
    }

    /** The plain mean of every cell of {@code d} (rows of equal length, at least one cell). */
    public static double mean(double[][] d) {
        double s = 0;
        for (double[] row : d) {
            for (double x : row) {
                s += x;
            }
        }
        return s / ((double) d.length * d[0].length);
    }

    /**
     * The 2.5% and 97.5% {@link #percentile}s of the mean of {@code d} over {@code replicates}
     * two-way resamples: rows (units) and columns (problems) drawn with replacement,
     * independently. Replicate r's statistic is {@code sum_u sum_p wu[u] wp[p] d[u][p] / (U P)}
     * with multinomial counts wu, wp.
     */
    public static double[] pairedInterval(double[][] d, int replicates, long seed) {
        int units = d.length;
        int problems = d[0].length;
        SplittableRandom rng = new SplittableRandom(seed);
        int[] wu = new int[units];
        int[] wp = new int[problems];
        double[] stats = new double[replicates];
        for (int r = 0; r < replicates; r++) {
            Arrays.fill(wu, 0);
            Arrays.fill(wp, 0);
            for (int i = 0; i < units; i++) {
                wu[rng.nextInt(units)]++;
            }
            for (int i = 0; i < problems; i++) {
                wp[rng.nextInt(problems)]++;
            }
            double s = 0;
            for (int u = 0; u < units; u++) {
                if (wu[u] == 0) {
                    continue;
                }
                double row = 0;
                for (int p = 0; p < problems; p++) {
                    row += wp[p] * d[u][p];
                }
                s += wu[u] * row;
            }
            stats[r] = s / ((double) units * problems);
        }
        return new double[] {percentile(stats.clone(), 0.025), percentile(stats, 0.975)};
    }
}
