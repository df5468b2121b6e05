package io.passk.advantage;

/** Normalisation shared by the group-based estimators: {@code (x - mean) / std}, population std. */
final class GroupNormalisation {

    private GroupNormalisation() {
    }

    /**
     * {@code (x_i - mean x) / std x} with the population std; every value 0 when the spread
     * is at most {@link AdvantageSpec#EPS} (docs/reference.md#advantages-training: "when the group's spread is 0 every
     * advantage is 0").
     */
    static double[] standardise(double[] x) {
        int n = x.length;
        double[] out = new double[n];
        if (n == 0) {
            return out;
        }
        double mean = 0.0;
        for (double v : x) {
            mean += v;
        }
        mean /= n;
        double ss = 0.0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(ss / n);
        if (!(std > AdvantageSpec.EPS)) {
            return out;
        }
        for (int i = 0; i < n; i++) {
            out[i] = (x[i] - mean) / std;
        }
        return out;
    }
}
