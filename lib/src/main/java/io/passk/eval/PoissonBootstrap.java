package io.passk.eval;

import io.passk.random.SeededRandom;
import java.util.SplittableRandom;

/**
 * The bootstrap over problems in its large-scale (Poisson) form. Resampling P problems with
 * replacement gives each problem a Multinomial(P; 1/P, ..) count; for large P these counts are
 * close to independent Poisson(1) draws, which need no coordination between problems. So a
 * problem's weight in replicate b is a pure function of (seed, b, problem_id): the replicates
 * are the same whatever the partitioning, and each (group, k) needs only B weighted sums.
 * Replicate b's mean is {@code sum_p w_pb v_p / sum_p w_pb}; the CI is the 2.5% / 97.5%
 * percentiles of the B replicate means (docs/reference.md#estimators: percentile bootstrap over problems).
 *
 * <p>Problems that share every estimate (binary answers: the same n and c) need not be drawn one
 * by one: the sum of m independent Poisson(1) weights is exactly Poisson(m), so a class of m
 * such problems gets one {@link #poisson} draw per replicate ({@link BootstrapSummary}).
 * Pure Java: no Spark.
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
    public static void weights(long seed, String problemId, double[] out) {
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
     * One Poisson(lambda) draw, exact for every lambda &gt;= 0: the multiplication method below 10
     * and Hormann's transformed rejection (PTRS, "The transformed rejection method for generating
     * Poisson random variables", 1993) above; PTRS costs about one pair of uniforms whatever
     * lambda is.
     */
    public static long poisson(SplittableRandom r, double lambda) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("Poisson mean must be finite and >= 0: " + lambda);
        }
        if (lambda == 0) {
            return 0;
        }
        if (lambda < 10) {
            double limit = Math.exp(-lambda);
            double prod = r.nextDouble();
            long x = 0;
            while (prod > limit) {
                x++;
                prod *= r.nextDouble();
            }
            return x;
        }
        double slam = Math.sqrt(lambda);
        double loglam = Math.log(lambda);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = r.nextDouble() - 0.5;
            double v = r.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= vr) {
                return k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b)
                    <= -lambda + k * loglam - logFactorial(k)) {
                return k;
            }
        }
    }

    private static final double[] LOG_FACTORIAL = logFactorials(64);

    private static double[] logFactorials(int size) {
        double[] t = new double[size];
        for (int i = 1; i < size; i++) {
            t[i] = t[i - 1] + Math.log(i);
        }
        return t;
    }

    /** ln(k!): a table below 64, else Stirling's series for ln Gamma(k + 1) (error below 1e-16 relative). */
    static double logFactorial(long k) {
        if (k < LOG_FACTORIAL.length) {
            return LOG_FACTORIAL[(int) k];
        }
        double x = k + 1.0;
        double x2 = x * x;
        return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI)
                + 1 / (12 * x) - 1 / (360 * x * x2) + 1 / (1260 * x2 * x2 * x);
    }

    /** Inversion of the Poisson(1) CDF (two comparisons on average). */
    static int poissonOne(double u) {
        int w = 0;
        while (w < CDF.length - 1 && u >= CDF[w]) {
            w++;
        }
        return w;
    }
}
