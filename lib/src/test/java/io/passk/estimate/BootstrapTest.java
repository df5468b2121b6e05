package io.passk.estimate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    @Test
    void percentileInterpolatesBetweenOrderStatistics() {
        assertEquals(2.5, Bootstrap.percentile(new double[] {4, 1, 3, 2}, 0.5), 1e-15);
        // numpy.percentile([1, 2, 3, 4], 2.5) = 1.075
        assertEquals(1.075, Bootstrap.percentile(new double[] {1, 2, 3, 4}, 0.025), 1e-12);
        assertEquals(4.0, Bootstrap.percentile(new double[] {1, 2, 3, 4}, 1.0), 0);
        assertTrue(Double.isNaN(Bootstrap.percentile(new double[0], 0.5)));
    }

    @Test
    void oneUnitIntervalIsTheBootstrapOverProblemsRecomputedByHand() {
        double[] d = {0.5, -0.25, 0, 1, 0.125};
        long seed = 77;
        double[] ci = Bootstrap.pairedInterval(new double[][] {d}, 500, seed);
        // independent recomputation: the same draws (one unit draw, then P problem draws per replicate)
        SplittableRandom rng = new SplittableRandom(seed);
        double[] stats = new double[500];
        for (int r = 0; r < stats.length; r++) {
            rng.nextInt(1);
            double s = 0;
            for (int i = 0; i < d.length; i++) {
                s += d[rng.nextInt(d.length)];
            }
            stats[r] = s / d.length;
        }
        Arrays.sort(stats);
        double lo = stats[(int) Math.floor(0.025 * 499)] + (0.025 * 499 - Math.floor(0.025 * 499))
                * (stats[(int) Math.floor(0.025 * 499) + 1] - stats[(int) Math.floor(0.025 * 499)]);
        double hi = stats[(int) Math.floor(0.975 * 499)] + (0.975 * 499 - Math.floor(0.975 * 499))
                * (stats[(int) Math.floor(0.975 * 499) + 1] - stats[(int) Math.floor(0.975 * 499)]);
        assertArrayEquals(new double[] {lo, hi}, ci, 1e-15);
        assertEquals(0.275, Bootstrap.mean(new double[][] {d}), 1e-15);
    }
}
