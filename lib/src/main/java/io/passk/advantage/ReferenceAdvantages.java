package io.passk.advantage;

import io.passk.BadInputException;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Plain-Java advantages for one problem's group of rollouts, by {@link AdvantageSpec}: the oracle
 * that the Spark stage is tested against, and usable directly on small in-memory batches.
 */
public final class ReferenceAdvantages {

    private ReferenceAdvantages() {
    }

    /**
     * Advantages aligned with the inputs.
     *
     * @throws BadInputException naming the problem when {@code n < k}, a reward is NaN or outside
     *                           [0,1], or sample indices repeat
     */
    public static double[] compute(AdvantageSpec spec, String problemId, int[] sampleIdx, double[] rewards) {
        int n = rewards.length;
        if (sampleIdx.length != n) {
            throw new IllegalArgumentException("sampleIdx and rewards differ in length");
        }
        validate(spec, problemId, sampleIdx, rewards);
        // positions in ascending sample-index order: the order the sampled methods are keyed on
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt(i -> sampleIdx[i]));
        double[] byPos = new double[n];
        int[] idxByPos = new int[n];
        for (int p = 0; p < n; p++) {
            byPos[p] = rewards[order[p]];
            idxByPos[p] = sampleIdx[order[p]];
        }
        int k = spec.k();
        double[] adv = switch (spec.method()) {
            case PASS1 -> Pass1Advantage.compute(byPos);
            case PASSK_FULL -> FullSamplingPassAtKAdvantage.compute(byPos, idxByPos, k,
                    spec.seed(), spec.epoch(), problemId);
            case PASSK_BOOTSTRAP -> BootstrapPassAtKAdvantage.compute(byPos, k, spec.bootstrapGroups(),
                    spec.reduce(), spec.seed(), spec.epoch(), problemId);
            case PASSK_ANALYTIC -> AnalyticPassAtKAdvantage.compute(byPos, k);
            case MAXK_ANALYTIC -> MaxAtKAnalyticAdvantage.compute(byPos, k);
            case PKPO -> PkpoAdvantage.compute(byPos, k);
        };
        double[] out = new double[n];
        for (int p = 0; p < n; p++) {
            out[order[p]] = adv[p];
        }
        return out;
    }

    private static void validate(AdvantageSpec spec, String problemId, int[] sampleIdx, double[] rewards) {
        if (rewards.length < spec.k()) {
            throw new BadInputException("problem '" + problemId + "' has n=" + rewards.length
                    + " rollouts but " + spec.method() + " needs n >= k=" + spec.k());
        }
        for (int i = 0; i < rewards.length; i++) {
            double r = rewards[i];
            if (!(r >= 0.0 && r <= 1.0)) {
                throw new BadInputException("problem '" + problemId + "' sample " + sampleIdx[i]
                        + " has reward " + r + " outside [0,1]");
            }
        }
        int[] sorted = sampleIdx.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new BadInputException("problem '" + problemId + "' has sample_idx " + sorted[i] + " twice");
            }
        }
    }
}
