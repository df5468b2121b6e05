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

    /**
     * Poisson(1) by table lookup on 16 random bits: entry u is the inverse CDF at (u + 0.5) / 2^16.
     * Each probability is off by at most 2^-16 (the 8+ tail, P = 1e-5, is cut), far below the
     * Monte-Carlo error of any bootstrap, and one 64-bit draw gives four weights.
     */
    private static final byte[] TABLE16 = table16();

    private static byte[] table16() {
        byte[] t = new byte[1 << 16];
        for (int u = 0; u < t.length; u++) {
            t[u] = (byte) poissonOne((u + 0.5) / t.length);
        }
        return t;
    }

    /** Fills {@code out[b]} with the Poisson(1) weight of problem {@code problemId} in replicate b. */
    public static void weights(long seed, String problemId, int[] out) {
        SplittableRandom r = SeededRandom.of(seed, 0, problemId, 0);
        int b = 0;
        for (; b + 4 <= out.length; b += 4) {
            long bits = r.nextLong();
            out[b] = TABLE16[(int) (bits & 0xffff)];
            out[b + 1] = TABLE16[(int) ((bits >>> 16) & 0xffff)];
            out[b + 2] = TABLE16[(int) ((bits >>> 32) & 0xffff)];
            out[b + 3] = TABLE16[(int) (bits >>> 48)];
        }
        for (; b < out.length; b++) {
            out[b] = TABLE16[(int) (r.nextLong() >>> 48)];
        }
    }

    /**
     * Adds problem {@code problemId}'s weights of replicates 0..bootstrap-1 to {@code acc[b]}: the
     * same weights as {@link #weights}, without the intermediate array.
     */
    public static void addWeights(long seed, String problemId, double[] acc, int bootstrap) {
        SplittableRandom r = SeededRandom.of(seed, 0, problemId, 0);
        int b = 0;
        for (; b + 4 <= bootstrap; b += 4) {
            long bits = r.nextLong();
            acc[b] += TABLE16[(int) (bits & 0xffff)];
            acc[b + 1] += TABLE16[(int) ((bits >>> 16) & 0xffff)];
            acc[b + 2] += TABLE16[(int) ((bits >>> 32) & 0xffff)];
            acc[b + 3] += TABLE16[(int) (bits >>> 48)];
        }
        for (; b < bootstrap; b++) {
            acc[b] += TABLE16[(int) (r.nextLong() >>> 48)];
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
