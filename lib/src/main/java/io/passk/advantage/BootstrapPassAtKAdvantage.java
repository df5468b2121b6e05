package io.passk.advantage;

import io.passk.random.SeededRandom;

import java.util.SplittableRandom;

/**
 * passk-bootstrap (docs/reference.md#passk-bootstrap): draw G groups (default G = n) of k distinct responses chosen
 * uniformly, group reward = max, normalised across the G groups; a response's advantage is the
 * mean (or, to reproduce the paper's code, the sum) of the normalised rewards of the groups that
 * contain it, 0 if none.
 *
 * <p>Group g's members are a pure function of (seed, epoch, problem_id, g) ({@link #members}),
 * given as positions 0..n-1 in ascending sample-index order.
 */
public final class BootstrapPassAtKAdvantage {

    static final long GROUP_STREAM = 0xb0075_7a9_0000_0002L;

    private BootstrapPassAtKAdvantage() {
    }

    /** k distinct positions in [0, n) for group g: a partial Fisher-Yates shuffle. */
    public static int[] members(long seed, long epoch, String problemId, int group, int n, int k) {
        SplittableRandom rng = new SplittableRandom(
                SeededRandom.key(seed, epoch, SeededRandom.hash(problemId), GROUP_STREAM, group));
        int[] pool = new int[n];
        for (int i = 0; i < n; i++) {
            pool[i] = i;
        }
        for (int j = 0; j < k; j++) {
            int swap = j + rng.nextInt(n - j);
            int t = pool[j];
            pool[j] = pool[swap];
            pool[swap] = t;
        }
        return java.util.Arrays.copyOf(pool, k);
    }

    /**
     * @param rewards rewards in ascending sample-index order (position = index in this array)
     * @param groups  G; 0 means n
     */
    public static double[] compute(double[] rewards, int k, int groups, BootstrapReduce reduce,
                                   long seed, long epoch, String problemId) {
        int n = rewards.length;
        int g = groups == 0 ? n : groups;
        int[][] member = new int[g][];
        double[] groupReward = new double[g];
        for (int j = 0; j < g; j++) {
            member[j] = members(seed, epoch, problemId, j, n, k);
            double max = Double.NEGATIVE_INFINITY;
            for (int p : member[j]) {
                max = Math.max(max, rewards[p]);
            }
            groupReward[j] = max;
        }
        double[] groupAdv = GroupNormalisation.standardise(groupReward);
        double[] sum = new double[n];
        int[] count = new int[n];
        for (int j = 0; j < g; j++) {
            for (int p : member[j]) {
                sum[p] += groupAdv[j];
                count[p]++;
            }
        }
        double[] out = new double[n];
        for (int p = 0; p < n; p++) {
            if (count[p] > 0) {
                out[p] = reduce == BootstrapReduce.SUM ? sum[p] : sum[p] / count[p];
            }
        }
        return out;
    }
}
