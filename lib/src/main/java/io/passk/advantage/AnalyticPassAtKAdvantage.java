package io.passk.advantage;

import io.passk.estimate.Correctness;
import io.passk.estimate.PassAtK;

/**
 * The paper's closed-form Pass@k advantage for binary rewards (docs/reference.md#passk-analytic,
 * Eq. 8-9). With {@code R = 1 - C(n_neg, k)/C(n, k)} and {@code s = sqrt(R (1 - R))}:
 * <pre>
 *   A_pos = (1 - R) / s
 *   A_neg = (1 - R - C(n_neg - 1, k - 1) / C(n - 1, k - 1)) / s
 * </pre>
 * the expectation of passk-bootstrap over infinitely many groups. A response is positive iff
 * its reward is at least 1.
 */
public final class AnalyticPassAtKAdvantage {

    /**
     * The two advantages of one problem, with the group-reward mean and std they come from.
     * {@code positive} / {@code negative} are defined even where no such response exists.
     */
    public record BinaryAdvantages(double groupRewardMean, double groupRewardStd,
                                   double positive, double negative) {
        public double of(double reward) {
            return Correctness.isCorrect(reward) ? positive : negative;
        }
    }

    private AnalyticPassAtKAdvantage() {
    }

    /** Advantages for a problem with {@code n} responses of which {@code c} are correct. */
    public static BinaryAdvantages of(int n, int c, int k) {
        double r = PassAtK.passAtK(n, c, k);
        double s = Math.sqrt(r * (1.0 - r));
        if (!(s > AdvantageSpec.EPS)) {
            return new BinaryAdvantages(r, s, 0.0, 0.0);
        }
        int nNeg = n - c;
        // C(n_neg-1, k-1)/C(n-1, k-1): probability that the k-1 companions of a wrong
        // response are all wrong too, i.e. that its group reward is 0.
        double allOthersWrong = nNeg >= 1 ? PassAtK.allFromSubset(n - 1, nNeg - 1, k - 1) : 0.0;
        return new BinaryAdvantages(r, s, (1.0 - r) / s, (1.0 - r - allOthersWrong) / s);
    }

    /** Per-response advantages of one problem's rewards. */
    public static double[] compute(double[] rewards, int k) {
        int c = 0;
        for (double r : rewards) {
            if (Correctness.isCorrect(r)) {
                c++;
            }
        }
        BinaryAdvantages a = of(rewards.length, c, k);
        double[] out = new double[rewards.length];
        for (int i = 0; i < rewards.length; i++) {
            out[i] = a.of(rewards[i]);
        }
        return out;
    }
}
