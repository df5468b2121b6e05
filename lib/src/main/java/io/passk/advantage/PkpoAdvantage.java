package io.passk.advantage;

import io.passk.estimate.PassAtK;

/**
 * PKPO (Walder and Karkhanis 2025; docs/reference.md#pkpo): unbiased max@k policy-gradient weights
 * {@code s_i = (k/n) m_i} with the leave-one-out baseline {@code b_i} = max@k of the other
 * {@code n - 1} responses when {@code n > k} (else 0): {@code A_i = s_i - (k/n) b_i}. No std
 * normalisation. For binary rewards {@code s_i = k/n} if correct and
 * {@code (k/n)(1 - C(n-c-1, k-1)/C(n-1, k-1))} if wrong.
 */
public final class PkpoAdvantage {

    private PkpoAdvantage() {
    }

    public static double[] compute(double[] rewards, int k) {
        int n = rewards.length;
        double[] m = MaxAtKAnalyticAdvantage.moments(rewards, k).expectedGroupMax();
        double scale = (double) k / n;
        double[] out = new double[n];
        double[] others = new double[Math.max(n - 1, 0)];
        for (int i = 0; i < n; i++) {
            double baseline = 0.0;
            if (n > k) {
                // the reference is deliberately the plain leave-one-out recomputation; the Spark
                // stage uses prefix/suffix window sums instead and is checked against this
                for (int j = 0, o = 0; j < n; j++) {
                    if (j != i) {
                        others[o++] = rewards[j];
                    }
                }
                baseline = PassAtK.maxAtK(others, k);
            }
            out[i] = scale * m[i] - scale * baseline;
        }
        return out;
    }
}
