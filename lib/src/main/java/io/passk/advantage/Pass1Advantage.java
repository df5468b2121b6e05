package io.passk.advantage;

/** GRPO baseline (docs/reference.md#pass1): {@code A_i = (r_i - mean r) / std r}, population std. */
public final class Pass1Advantage {

    private Pass1Advantage() {
    }

    public static double[] compute(double[] rewards) {
        return GroupNormalisation.standardise(rewards);
    }
}
