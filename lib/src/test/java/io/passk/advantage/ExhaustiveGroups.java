package io.passk.advantage;

import java.util.ArrayList;
import java.util.List;

/**
 * Test oracle: every k-subset of a problem's responses as a group, group reward = max,
 * normalised across all C(n,k) groups, each response averaging its groups (the G -> infinity
 * limit of passk-bootstrap, and how the reference vectors in test resources vectors/ were made).
 */
final class ExhaustiveGroups {
    private ExhaustiveGroups() {
    }

    static double[] advantages(double[] r, int k) {
        int n = r.length;
        List<int[]> groups = new ArrayList<>();
        subsets(n, k, 0, new int[k], 0, groups);
        double[] max = new double[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int i : groups.get(g)) {
                m = Math.max(m, r[i]);
            }
            max[g] = m;
        }
        double[] a = GroupNormalisation.standardise(max);
        double[] sum = new double[n];
        int[] cnt = new int[n];
        for (int g = 0; g < groups.size(); g++) {
            for (int i : groups.get(g)) {
                sum[i] += a[g];
                cnt[i]++;
            }
        }
        for (int i = 0; i < n; i++) {
            sum[i] /= cnt[i];
        }
        return sum;
    }

    private static void subsets(int n, int k, int start, int[] cur, int depth, List<int[]> out) {
        if (depth == k) {
            out.add(cur.clone());
            return;
        }
        for (int i = start; i <= n - (k - depth); i++) {
            cur[depth] = i;
            subsets(n, k, i + 1, cur, depth + 1, out);
        }
    }
}
