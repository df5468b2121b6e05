package io.passk.advantage;

import io.passk.random.SeededRandom;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * passk-full (docs/reference.md#passk-full): shuffle the n responses with a seeded permutation, cut them into
 * {@code floor(n/k)} disjoint groups of k, group reward = max, {@code A_g = (R_g - mean R)/std R}
 * over the problem's groups. Every response gets its group's A_g; the {@code n mod k} left over
 * form no group and get 0.
 *
 * <p>The permutation sorts responses by {@link #shuffleKey} (ties by sample index), a pure
 * function of (seed, epoch, problem_id, sample_idx), so the Spark stage can reproduce it with a
 * window ordered by the same key.
 */
public final class FullSamplingPassAtKAdvantage {

    /** Separates this stream of random choices from the bootstrap's. */
    static final long SHUFFLE_STREAM = 0x5f11_5a3b_1e00_0001L;

    private FullSamplingPassAtKAdvantage() {
    }

    public static long shuffleKey(long seed, long epoch, String problemId, long sampleIdx) {
        return SeededRandom.key(seed, epoch, SeededRandom.hash(problemId), SHUFFLE_STREAM, sampleIdx);
    }

    /**
     * @param rewards    one problem's rewards
     * @param sampleIdx  their sample indices (distinct), aligned with rewards
     */
    public static double[] compute(double[] rewards, int[] sampleIdx, int k,
                                   long seed, long epoch, String problemId) {
        int n = rewards.length;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = shuffleKey(seed, epoch, problemId, sampleIdx[i]);
        }
        Integer[] perm = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(perm, Comparator.<Integer>comparingLong(i -> keys[i]).thenComparingInt(i -> sampleIdx[i]));
        int groups = n / k;
        double[] groupReward = new double[groups];
        for (int g = 0; g < groups; g++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, rewards[perm[g * k + j]]);
            }
            groupReward[g] = max;
        }
        double[] groupAdv = GroupNormalisation.standardise(groupReward);
        double[] out = new double[n];
        for (int pos = 0; pos < groups * k; pos++) {
            out[perm[pos]] = groupAdv[pos / k];
        }
        return out;
    }
}
