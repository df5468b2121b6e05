package io.passk.estimate;

import java.util.Arrays;

/**
 * Unbiased estimators of pass@k, pass^k and max@k for one problem (docs/reference.md#estimators,
 * "Estimators"). Pure math: no Spark, no DJL.
 *
 * <p>All three are computed with the stable forms of docs/reference.md#estimators (products of ratios,
 * never raw binomials), so they hold to 1e-12 relative error for {@code n} up to 10^5.
 * {@code k > n} is undefined and refused with {@link IllegalArgumentException}.
 */
public final class PassAtK {

    private PassAtK() {
    }

    /**
     * pass@k = {@code 1 - C(n-c, k) / C(n, k)}, the probability that at least one of
     * {@code k} samples drawn without replacement from {@code n} (of which {@code c} are
     * correct) is correct. Stable form: {@code 1 - prod_{i=n-c+1..n} (1 - k/i)}, exactly 1
     * when {@code n - c < k}.
     */
    public static double passAtK(long n, long c, long k) {
        check(n, c, k);
        if (n - c < k) {
            return 1.0;
        }
        // sum of log1p(-k/i) then -expm1: keeps full relative precision when pass@k is tiny
        // (e.g. n = 10^5, c = 1), where 1 - prod(...) would cancel.
        double logAllWrong = 0.0;
        for (long i = n - c + 1; i <= n; i++) {
            logAllWrong += Math.log1p(-(double) k / i);
        }
        return -Math.expm1(logAllWrong);
    }

    /**
     * pass^k = {@code C(c, k) / C(n, k)}, the probability that all {@code k} samples are
     * correct. Stable form: {@code prod_{i=0..k-1} (c-i)/(n-i)}.
     */
    public static double passHatK(long n, long c, long k) {
        check(n, c, k);
        return allFromSubset(n, c, k);
    }

    /**
     * {@code C(a, k) / C(n, k)} for {@code 0 <= a <= n}, {@code 0 <= k <= n}: the probability
     * that a uniformly drawn k-subset of n items lies inside a fixed subset of a items.
     * Computed as {@code prod_{i=0..k-1} (a-i)/(n-i)}; 0 when {@code a < k}, 1 when k = 0.
     */
    public static double allFromSubset(long n, long a, long k) {
        if (k < 0 || k > n || a < 0 || a > n) {
            throw new IllegalArgumentException(
                    "need 0 <= k <= n and 0 <= a <= n, got n=" + n + " a=" + a + " k=" + k);
        }
        if (a < k) {
            return 0.0;
        }
        double p = 1.0;
        for (long i = 0; i < k; i++) {
            p *= (double) (a - i) / (double) (n - i);
            if (p == 0.0) {
                break;
            }
        }
        return p;
    }

    /**
     * max@k = {@code sum_{i=k..n} C(i-1, k-1)/C(n, k) * r_(i)} over the ascending order of
     * the rewards: the expected maximum reward of {@code k} samples drawn without
     * replacement. For binary rewards it equals pass@k. The input array is not modified.
     */
    public static double maxAtK(double[] rewards, int k) {
        double[] sorted = rewards.clone();
        Arrays.sort(sorted);
        return maxAtKSorted(sorted, k);
    }

    /** {@link #maxAtK} for rewards already in ascending order. */
    public static double maxAtKSorted(double[] ascending, int k) {
        int n = ascending.length;
        check(n, 0, k);
        double[] w = maxWeights(n, k);
        double sum = 0.0;
        for (int i = k; i <= n; i++) {
            sum += w[i - 1] * ascending[i - 1];
        }
        return sum;
    }

    /**
     * The max@k weights {@code w_i = C(i-1, k-1) / C(n, k)} for ascending positions
     * {@code i = 1..n} (index {@code i-1}); 0 below {@code k}. {@code w_i} is the probability
     * that the i-th smallest of n items is the largest of a uniform k-subset.
     *
     * <p>Computed downwards from {@code w_n = k/n} with {@code w_{i-1} = w_i (i-k)/(i-1)}:
     * every weight is at most k/n, so nothing overflows and small weights underflow
     * gracefully (docs/reference.md#estimators: "weights via the ratio, never raw binomials").
     */
    public static double[] maxWeights(int n, int k) {
        check(n, 0, k);
        double[] w = new double[n];
        if (k == 0) {
            return w;
        }
        w[n - 1] = (double) k / n;
        for (int i = n; i > k; i--) {
            w[i - 2] = w[i - 1] * (double) (i - k) / (double) (i - 1);
        }
        return w;
    }

    private static void check(long n, long c, long k) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got n=" + n);
        }
        if (c < 0 || c > n) {
            throw new IllegalArgumentException("c must be in [0, n], got n=" + n + " c=" + c);
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got k=" + k);
        }
        if (k > n) {
            throw new IllegalArgumentException(
                    "k > n is undefined: k=" + k + " but only n=" + n + " samples");
        }
    }
}
