package io.passk.report.run;

/**
 * One row of {@code RUN/metrics.csv}: what one completed training epoch measured.
 * The held-out values are {@code NaN} in epochs without held-out evaluation
 * ({@link #hasHeldout()}). pass@k values are the unbiased estimator of REFERENCE.md over the
 * epoch's train batch or over the held-out problems; {@code k} is the epoch's k (a k-decay
 * schedule changes it), {@code lambda} the pass@k/pass@1 advantage mix weight.
 */
public record EpochMetrics(int epoch, String method, int k, double lambda, double meanReward,
                           double trainPassAt1, double trainPassAtK, double heldoutPassAt1,
                           double heldoutPassAtK, double entropy, double diversity,
                           double responseLength, double tokensPerS, double loss,
                           StageSeconds seconds) {

    public EpochMetrics {
        java.util.Objects.requireNonNull(method, "method");
        java.util.Objects.requireNonNull(seconds, "seconds");
    }

    /** True when this epoch ran the held-out evaluation. */
    public boolean hasHeldout() {
        return !Double.isNaN(heldoutPassAt1) || !Double.isNaN(heldoutPassAtK);
    }
}
