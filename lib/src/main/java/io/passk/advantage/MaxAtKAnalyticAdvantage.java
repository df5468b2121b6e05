package io.passk.advantage;

import io.passk.estimate.PassAtK;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Closed-form max@k advantage for continuous rewards in [0,1] (docs/reference.md#maxk-analytic,
 * continuous rewards). Response i's expected group reward over the k-groups that contain it is, in
 * ascending order,
 * <pre>
 *   m_(i) = [C(i-1,k-1) r_(i) + sum_{j>i} C(j-2,k-2) r_(j)] / C(n-1,k-1)
 * </pre>
 * and {@code A_i = (m_i - R) / s} with {@code R = max@k} and {@code s} the std of the group
 * maximum over all k-groups. O(n log n). For binary rewards it equals passk-analytic.
 */
public final class MaxAtKAnalyticAdvantage {

    private MaxAtKAnalyticAdvantage() {
    }

    /** The group-maximum distribution's mean (max@k) and std, and every response's m_i. */
    public record Moments(double groupMaxMean, double groupMaxStd, double[] expectedGroupMax) {
    }

    public static double[] compute(double[] rewards, int k) {
        Moments mo = moments(rewards, k);
        double[] out = new double[rewards.length];
        if (!(mo.groupMaxStd() > AdvantageSpec.EPS)) {
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (mo.expectedGroupMax()[i] - mo.groupMaxMean()) / mo.groupMaxStd();
        }
        return out;
    }

    /** m_i (aligned with the input order), R = max@k and the std of the group maximum. */
    public static Moments moments(double[] rewards, int k) {
        int n = rewards.length;
        Integer[] order = ascendingOrder(rewards);
        double[] sorted = new double[n];
        for (int p = 0; p < n; p++) {
            sorted[p] = rewards[order[p]];
        }
        double groupMax = PassAtK.maxAtKSorted(sorted, k);
        // P(group max = r_(i)) = w_i, so Var = sum_i w_i (r_(i) - R)^2: no cancellation.
        double[] w = PassAtK.maxWeights(n, k);
        double var = 0.0;
        for (int p = 0; p < n; p++) {
            double d = sorted[p] - groupMax;
            var += w[p] * d * d;
        }
        double[] mSorted = expectedGroupMaxSorted(sorted, k);
        double[] m = new double[n];
        for (int p = 0; p < n; p++) {
            m[order[p]] = mSorted[p];
        }
        return new Moments(groupMax, Math.sqrt(var), m);
    }

    /**
     * m_(i) for ascending rewards. With {@code a_i = C(i-1,k-1)/C(n-1,k-1)} and
     * {@code b_j = C(j-2,k-2)/C(n-1,k-1) = a_j (k-1)/(j-1)}, {@code m_(i) = a_i r_(i) + sum_{j>i} b_j r_(j)}.
     */
    static double[] expectedGroupMaxSorted(double[] sorted, int k) {
        int n = sorted.length;
        double[] m = new double[n];
        if (n == 1) {
            m[0] = sorted[0];
            return m;
        }
        // a_i = w_i * n / k where w are the max@k weights (w_i = C(i-1,k-1)/C(n,k)).
        double[] w = PassAtK.maxWeights(n, k);
        double suffix = 0.0;
        for (int i = n; i >= 1; i--) {
            double a = w[i - 1] * n / k;
            m[i - 1] = a * sorted[i - 1] + suffix;
            if (i >= 2 && k >= 2) {
                suffix += a * (k - 1) / (i - 1) * sorted[i - 1];
            }
        }
        return m;
    }

    /** Indices in ascending reward order; ties keep input order (any tie order gives equal m). */
    static Integer[] ascendingOrder(double[] rewards) {
        Integer[] order = IntStream.range(0, rewards.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> rewards[i]));
        return order;
    }
}
