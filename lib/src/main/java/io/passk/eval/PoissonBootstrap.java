package io.passk.eval;

import io.passk.random.SeededRandom;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The bootstrap over problems in its large-scale (Poisson) form. Resampling P problems with
 * replacement gives each problem a Multinomial(P; 1/P, ..) count; for large P these counts are
 * close to independent Poisson(1) draws, which need no coordination between problems. So a
 * problem's weight in replicate b is a pure function of (seed, b, problem_id): the replicates
 * are the same whatever the partitioning, and each (group, k) needs only B weighted sums.
 * Replicate b's mean is {@code sum_p w_pb v_p / sum_p w_pb}; the CI is the 2.5% / 97.5%
 * percentiles of the B replicate means (REFERENCE.md: percentile bootstrap over problems).
 *
 * <p>Weights depend on the problem id only, not on the group, so two models evaluated on the
 * same problems get the same resamples (a paired bootstrap). Pure Java: no Spark.
 */
public final class PoissonBootstrap {

    /** Poisson(1) cumulative probabilities P(W <= w), w = 0..; the tail beyond is ~1e-17. */
    private static final double[] CDF = poissonOneCdf();

    private PoissonBootstrap() {
    }

    private static double[] poissonOneCdf() {
        double[] cdf = new double[20];
        double p = Math.exp(-1.0);
        double acc = 0;
        for (int w = 0; w < cdf.length; w++) {
            acc += p;
            cdf[w] = acc;
            p /= (w + 1);
        }
        return cdf;
    }

    /** Fills {@code out[b]} with the Poisson(1) weight of problem {@code problemId} in replicate b. */
    public static void weights(long seed, String problemId, int[] out) {
        SplittableRandom r = SeededRandom.of(seed, 0, problemId, 0);
        for (int b = 0; b < out.length; b++) {
            out[b] = poissonOne(r.nextDouble());
        }
    }

    /** Inversion of the Poisson(1) CDF (two comparisons on average). */
    static int poissonOne(double u) {
        int w = 0;
        while (w < CDF.length - 1 && u >= CDF[w]) {
            w++;
        }
        return w;
    }

    /**
     * The q-quantile of {@code values} (linear interpolation between order statistics, the
     * "type 7" definition of R and numpy); NaN when empty. {@code values} is sorted in place.
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
}
