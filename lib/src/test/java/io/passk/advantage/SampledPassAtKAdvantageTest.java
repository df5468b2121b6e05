package io.passk.advantage;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** passk-full and passk-bootstrap: the two estimators that sample groups. */
class SampledPassAtKAdvantageTest {

    @Test
    void fullSamplingGivesLeftoverResponsesZeroAndStandardisesGroups() {
        Random rnd = new Random(5);
        for (int t = 0; t < 100; t++) {
            int n = 2 + rnd.nextInt(30);
            int k = 1 + rnd.nextInt(n);
            double[] r = new double[n];
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                r[i] = rnd.nextDouble() < 0.5 ? 1.0 : rnd.nextDouble();
                idx[i] = i;
            }
            double[] a = FullSamplingPassAtKAdvantage.compute(r, idx, k, 42, 3, "p" + t);
            long zeros = Arrays.stream(a).filter(v -> v == 0.0).count();
            assertTrue(zeros >= n % k, "leftover responses must get 0");
            // each group's members share one value, and group values have mean 0
            double sum = Arrays.stream(a).sum();
            assertEquals(0.0, sum / k, 1e-9);
        }
    }

    @Test
    void fullSamplingWithKOneIsPass1() {
        double[] r = {0.1, 1.0, 0.0, 0.7, 1.0};
        int[] idx = {0, 1, 2, 3, 4};
        assertArrayEquals(Pass1Advantage.compute(r), FullSamplingPassAtKAdvantage.compute(r, idx, 1, 9, 0, "p"), 1e-12);
    }

    @Test
    void fullSamplingPermutationIsAFunctionOfSeedEpochAndProblem() {
        double[] r = new double[16];
        int[] idx = new int[16];
        for (int i = 0; i < 16; i++) {
            r[i] = i / 15.0;
            idx[i] = i;
        }
        double[] a = FullSamplingPassAtKAdvantage.compute(r, idx, 4, 1, 0, "p");
        assertArrayEquals(a, FullSamplingPassAtKAdvantage.compute(r, idx, 4, 1, 0, "p"), 0.0);
        assertFalse(Arrays.equals(a, FullSamplingPassAtKAdvantage.compute(r, idx, 4, 2, 0, "p")));
        assertFalse(Arrays.equals(a, FullSamplingPassAtKAdvantage.compute(r, idx, 4, 1, 1, "p")));
        assertFalse(Arrays.equals(a, FullSamplingPassAtKAdvantage.compute(r, idx, 4, 1, 0, "q")));
    }

    @Test
    void bootstrapMembersAreKDistinctPositions() {
        for (int g = 0; g < 200; g++) {
            int[] m = BootstrapPassAtKAdvantage.members(7, 1, "prob", g, 10, 4);
            assertEquals(4, m.length);
            assertEquals(4, Arrays.stream(m).distinct().count());
            assertTrue(Arrays.stream(m).allMatch(p -> p >= 0 && p < 10));
        }
    }

    @Test
    void bootstrapSumIsTheMeanTimesTheGroupCount() {
        double[] r = {1, 0, 0, 1, 0, 0, 0, 1};
        double[] mean = BootstrapPassAtKAdvantage.compute(r, 3, 50, BootstrapReduce.MEAN, 1, 0, "p");
        double[] sum = BootstrapPassAtKAdvantage.compute(r, 3, 50, BootstrapReduce.SUM, 1, 0, "p");
        int[] count = new int[r.length];
        for (int g = 0; g < 50; g++) {
            for (int p : BootstrapPassAtKAdvantage.members(1, 0, "p", g, r.length, 3)) {
                count[p]++;
            }
        }
        for (int i = 0; i < r.length; i++) {
            assertEquals(mean[i] * count[i], sum[i], 1e-12);
        }
    }

    /**
     * docs/reference.md#passk-analytic: passk-analytic is the expectation of passk-bootstrap as G -> infinity. The
     * error must shrink as G grows (about 1/sqrt(G)) and be small at large G.
     */
    @Test
    void bootstrapConvergesToAnalyticAsGroupsGrow() {
        int[][] cases = {{16, 3, 4}, {16, 8, 4}, {32, 5, 8}, {12, 1, 2}, {20, 15, 3}};
        int[] groupCounts = {16, 256, 4096, 65536};
        double[] err = new double[groupCounts.length];
        for (int[] c : cases) {
            double[] r = AnalyticPassAtKAdvantageTest.binary(c[0], c[1]);
            double[] exact = AnalyticPassAtKAdvantage.compute(r, c[2]);
            for (int gi = 0; gi < groupCounts.length; gi++) {
                for (long seed = 0; seed < 3; seed++) {
                    double[] b = BootstrapPassAtKAdvantage.compute(r, c[2], groupCounts[gi], BootstrapReduce.MEAN, seed, 0, "p" + c[0] + c[1]);
                    for (int i = 0; i < r.length; i++) {
                        err[gi] += Math.abs(b[i] - exact[i]) / (r.length * cases.length * 3);
                    }
                }
            }
        }
        for (int gi = 1; gi < err.length; gi++) {
            assertTrue(err[gi] < err[gi - 1], "error must shrink with G: " + Arrays.toString(err));
        }
        assertTrue(err[err.length - 1] < 0.02, "mean |bootstrap - analytic| at G=65536: " + err[err.length - 1]);
        assertTrue(err[0] > 4 * err[err.length - 1], "16 groups should be far noisier: " + Arrays.toString(err));
    }
}
