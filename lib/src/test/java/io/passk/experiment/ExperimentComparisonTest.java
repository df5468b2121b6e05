package io.passk.experiment;

import io.passk.experiment.ExperimentComparison.RunResult;
import io.passk.experiment.ExperimentComparison.Stat;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExperimentComparisonTest {

    static SortedMap<Integer, Double> curve(double... byK) {
        SortedMap<Integer, Double> m = new TreeMap<>();
        for (int i = 0; i < byK.length; i++) {
            m.put(i + 1, byK[i]);
        }
        return m;
    }

    static RunResult run(String method, long seed, SortedMap<Integer, Double> fin, double entropyLast, double seconds) {
        SortedMap<Integer, SortedMap<Integer, Double>> heldout = new TreeMap<>();
        heldout.put(-1, curve(0.1, 0.2));
        heldout.put(1, curve(fin.get(1), fin.get(2)));
        SortedMap<Integer, Double> entropy = new TreeMap<>();
        entropy.put(0, 0.9);
        entropy.put(1, entropyLast);
        return new RunResult(method, seed, fin, heldout, entropy, seconds - 10, 10);
    }

    @Test
    void statIsTheMeanAndTheSampleStandardDeviation() {
        Stat s = Stat.of(List.of(0.2, 0.4, 0.6));
        assertEquals(0.4, s.mean(), 1e-15);
        assertEquals(0.2, s.std(), 1e-15);
        assertEquals(3, s.n());
        assertEquals(0.0, Stat.of(List.of(0.7)).std());
        assertTrue(Double.isNaN(Stat.of(List.of()).mean()));
    }

    @Test
    void finalPassAtKAveragesSeedsPerKAndKeepsOnlyKsEveryRunHas() {
        ExperimentComparison c = new ExperimentComparison(List.of(
                run("pass1", 1, curve(0.2, 0.3, 0.35), 0.5, 100),
                run("pass1", 2, curve(0.4, 0.5), 0.7, 140),
                run("pkpo", 1, curve(0.1, 0.4, 0.6), 0.8, 90)));
        assertEquals(List.of("pass1", "pkpo"), c.methods());
        SortedMap<Integer, Stat> p1 = c.finalPassAtK("pass1");
        assertEquals(List.of(1, 2), List.copyOf(p1.keySet()), "k = 3 is missing in seed 2");
        assertEquals(0.3, p1.get(1).mean(), 1e-15);
        assertEquals(Math.sqrt(0.02), p1.get(1).std(), 1e-15);
        assertEquals(120, c.secondsPerRun("pass1").mean(), 1e-12);
        assertEquals(0.6, c.entropyOverEpochs("pass1").get(1).mean(), 1e-15);
        assertEquals(List.of(-1, 1), List.copyOf(c.heldoutOverEpochs("pass1", 2).keySet()));
        assertEquals(0.4, c.heldoutOverEpochs("pass1", 2).get(1).mean(), 1e-15);
        assertTrue(c.heldoutOverEpochs("pass1", 5).isEmpty());
    }

    @Test
    void tablesListEveryMethodWithMeanAndSpread() {
        ExperimentComparison c = new ExperimentComparison(List.of(
                run("pass1", 1, curve(0.2, 0.3), 0.5, 120), run("pass1", 2, curve(0.4, 0.5), 0.7, 120),
                run("pkpo", 1, curve(0.1, 0.4), 0.8, 60)));
        String md = c.markdown(new int[]{1, 2});
        assertTrue(md.startsWith("| method | seeds | pass@1 | pass@2 | entropy (last epoch) | minutes per run |"), md);
        assertTrue(md.contains("| pass1 | 2 | 0.300 ± 0.141 | 0.400 ± 0.141 | 0.600 ± 0.141 | 2.0 ± 0.0 |"), md);
        assertTrue(md.contains("| pkpo | 1 | 0.100 | 0.400 | 0.800 | 1.0 |"), md);
        String csv = c.finalCsv();
        assertEquals("method,k,pass_at_k_mean,pass_at_k_std,seeds", csv.lines().findFirst().orElseThrow());
        assertEquals(5, csv.lines().count());
        assertTrue(csv.contains("pkpo,2,0.4000000000,0.000000000,1"), csv);
        String summary = c.summaryCsv(new int[]{1, 2});
        assertTrue(summary.lines().skip(1).anyMatch(l -> l.startsWith("pass1,2,120.000,0.000,")), summary);
    }

    @Test
    void tableKsArePowersOfTwoAndTheLargestK() {
        assertArrayEquals(new int[]{1, 2, 4, 8, 16, 32, 64}, ExperimentComparison.tableKs(64));
        assertArrayEquals(new int[]{1, 2, 4, 8, 12}, ExperimentComparison.tableKs(12));
        assertArrayEquals(new int[]{1}, ExperimentComparison.tableKs(1));
    }

    @Test
    void replicatedBaseModelsGetTheirOwnTablesAndTheOverallTableCountsRuns() {
        List<RunResult> rs = new ArrayList<>();
        for (String b : List.of("b1", "b2")) {
            for (long seed : new long[]{1, 2}) {
                RunResult r = run("pass1", seed, curve(b.equals("b1") ? 0.2 : 0.4, 0.5), 0.5, 100);
                rs.add(new RunResult(r.method(), b, r.seed(), r.finalPassAtK(), r.heldout(), r.entropy(),
                        r.secondsTrain(), r.secondsFinal(), null));
            }
        }
        ExperimentComparison c = new ExperimentComparison(rs);
        assertEquals(List.of("b1", "b2"), c.baseModels());
        assertEquals(0.3, c.finalPassAtK("pass1").get(1).mean(), 1e-15);
        assertEquals(4, c.finalPassAtK("pass1").get(1).n());
        assertEquals(0.2, c.onBase("b1").finalPassAtK("pass1").get(1).mean(), 1e-15);
        assertEquals(2, c.onBase("b2").finalPassAtK("pass1").get(1).n());
        assertTrue(c.markdown(new int[]{1}).startsWith("| method | runs |"), c.markdown(new int[]{1}));
        assertTrue(c.onBase("b1").markdown(new int[]{1}).startsWith("| method | runs |"));
        assertTrue(new ExperimentComparison(List.of(run("pass1", 1, curve(0.2, 0.3), 0.5, 100)))
                .baseModels().isEmpty());
    }
}
