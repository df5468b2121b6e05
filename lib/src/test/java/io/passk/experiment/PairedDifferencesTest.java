package io.passk.experiment;

import io.passk.estimate.Bootstrap;

import io.passk.estimate.PassAtK;
import io.passk.experiment.ExperimentComparison.ProblemFinal;
import io.passk.experiment.ExperimentComparison.RunResult;
import io.passk.experiment.PairedDifferences.Difference;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PairedDifferencesTest {

    /** A run whose problem i has {@code correct[i]} of {@code n} samples right and entropy {@code h[i]}. */
    static RunResult run(String method, String base, long seed, int n, int[] correct, double[] h) {
        SortedMap<String, ProblemFinal> problems = new TreeMap<>();
        for (int i = 0; i < correct.length; i++) {
            problems.put("p" + i, new ProblemFinal(n, correct[i], h[i]));
        }
        return new RunResult(method, base, seed, new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), 1, 1, problems);
    }

    @Test
    void theDifferenceIsTheMeanOverUnitsAndProblemsOfPerProblemPassAtKDifferences() {
        int n = 8;
        List<RunResult> rs = new ArrayList<>();
        int[][] ref = {{0, 2, 8}, {1, 1, 4}};
        int[][] met = {{1, 2, 7}, {4, 0, 4}};
        double[][] href = {{0.5, 0.5, 0.5}, {0.4, 0.4, 0.4}};
        double[][] hmet = {{0.6, 0.7, 0.8}, {0.4, 0.4, 0.5}};
        for (int u = 0; u < 2; u++) {
            rs.add(run("pass1", "b1", u + 1, n, ref[u], href[u]));
            rs.add(run("passk", "b1", u + 1, n, met[u], hmet[u]));
        }
        rs.add(run(ExperimentComparison.BASE, "b1", 1, n, ref[0], href[0]));
        List<Difference> ds = PairedDifferences.compute(rs, "pass1", new int[]{1, 4});
        assertEquals(3, ds.size(), ds.toString());
        for (int k : new int[]{1, 4}) {
            // plain oracle: the double sum written out
            double expected = 0;
            for (int u = 0; u < 2; u++) {
                for (int p = 0; p < 3; p++) {
                    expected += PassAtK.passAtK(n, met[u][p], k) - PassAtK.passAtK(n, ref[u][p], k);
                }
            }
            expected /= 6;
            Difference d = ds.stream().filter(x -> x.metric().equals(PairedDifferences.PASS_AT_K) && x.k() == k)
                    .findFirst().orElseThrow();
            assertEquals(expected, d.mean(), 1e-15);
            assertEquals(2, d.units());
            assertEquals(3, d.problems());
            assertTrue(d.low() <= d.mean() && d.mean() <= d.high(), d.toString());
        }
        Difference h = ds.stream().filter(x -> x.metric().equals(PairedDifferences.ENTROPY)).findFirst().orElseThrow();
        assertEquals((0.1 + 0.2 + 0.3 + 0 + 0 + 0.1) / 6, h.mean(), 1e-12);
        // every entropy difference is >= 0, but a resample of only the zero ones reaches 0: not resolved
        assertEquals(0.0, h.low(), 1e-15);
        assertFalse(h.excludesZero(), h.toString());
    }

    @Test
    void runsArePairedByBaseModelAndSeedAndUnpairedRunsAreLeftOut() {
        List<RunResult> rs = List.of(
                run("pass1", "b1", 1, 4, new int[]{1, 1}, new double[]{0, 0}),
                run("pass1", "b2", 1, 4, new int[]{3, 3}, new double[]{0, 0}),
                run("m", "b1", 1, 4, new int[]{1, 1}, new double[]{0, 0}),
                run("m", "b2", 1, 4, new int[]{3, 3}, new double[]{0, 0}),
                // no pass1 run on b3: cannot be paired
                run("m", "b3", 1, 4, new int[]{4, 4}, new double[]{0, 0}));
        Difference d = PairedDifferences.compute(rs, "pass1", new int[]{1}).get(0);
        // paired within each base model the method equals the reference exactly
        assertEquals(0.0, d.mean());
        assertEquals(0.0, d.low());
        assertEquals(0.0, d.high());
        assertFalse(d.excludesZero());
        assertEquals(2, d.units());
    }

    @Test
    void theBootstrapIntervalOfOneUnitAndTwoProblemsIsTheirRangeWithTheEnumeratedDistribution() {
        // resampling 2 problems from {a, b}: the mean is a (1/4), (a+b)/2 (1/2), b (1/4), so the
        // 2.5% and 97.5% percentiles are a and b
        double[] ci = Bootstrap.pairedInterval(new double[][]{{-0.25, 0.75}}, 4000, 3);
        assertEquals(-0.25, ci[0], 1e-12);
        assertEquals(0.75, ci[1], 1e-12);
        // units resampled too: two units whose problems agree, one at 0 and one at 1
        double[] both = Bootstrap.pairedInterval(new double[][]{{0, 0}, {1, 1}}, 4000, 3);
        assertEquals(0.0, both[0], 1e-12);
        assertEquals(1.0, both[1], 1e-12);
    }

    @Test
    void theIntervalIsDeterministicAndNarrowsWithMoreProblems() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        double[][] small = new double[3][20];
        double[][] large = new double[3][2000];
        for (double[][] d : new double[][][]{small, large}) {
            for (double[] row : d) {
                for (int p = 0; p < row.length; p++) {
                    row[p] = r.nextGaussian() * 0.3 + 0.05;
                }
            }
        }
        double[] a = Bootstrap.pairedInterval(small, 1000, 9);
        double[] b = Bootstrap.pairedInterval(small, 1000, 9);
        assertEquals(a[0], b[0]);
        assertEquals(a[1], b[1]);
        double[] wide = a;
        double[] narrow = Bootstrap.pairedInterval(large, 1000, 9);
        assertTrue(narrow[1] - narrow[0] < (wide[1] - wide[0]) / 3, java.util.Arrays.toString(narrow));
        assertTrue(narrow[0] > 0, "a 0.05 shift over 6000 pairs is resolved: " + java.util.Arrays.toString(narrow));
    }

    @Test
    void markdownBoldsDifferencesThatExcludeZeroAndSaysWhenNothingCanBePaired() {
        List<Difference> ds = List.of(new Difference("m", PairedDifferences.PASS_AT_K, 1, 0.1, 0.05, 0.15, 9, 100),
                new Difference("m", PairedDifferences.ENTROPY, 0, -0.01, -0.03, 0.02, 9, 100));
        String md = PairedDifferences.markdown(ds, new int[]{1}, "pass1");
        assertTrue(md.contains("| m | 9 × 100 | **+0.100 [+0.050, +0.150]** | -0.010 [-0.030, +0.020] |"), md);
        assertTrue(PairedDifferences.markdown(List.of(), new int[]{1}, "pass1").contains("no paired differences"));
        assertEquals(PairedDifferences.CSV_HEADER + "all,m,pass1,pass@k,1,0.1000000000,0.05000000000,0.1500000000,9,100,true\n",
                PairedDifferences.CSV_HEADER + PairedDifferences.csvRows("all", "pass1", ds.subList(0, 1)));
    }
}
