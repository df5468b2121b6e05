package io.passk.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.passk.estimate.Bootstrap;
import io.passk.estimate.PassAtK;
import io.passk.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class BootstrapSummaryTest {

    private final SparkSession spark = SharedSpark.get();

    private Dataset<Row> problems(List<Row> rows, boolean rewards) {
        Dataset<Row> f = EvalTestData.frame(spark, rows).drop(rewards ? "correct" : "reward");
        return ProblemTable.aggregate(AnswerReader.type(f, "t", InputFormat.PARQUET, List.of("model")));
    }

    @Test
    void poissonCiAgreesWithPlainMultinomialPercentileBootstrapAndContainsTheMean() {
        List<Row> rows = EvalTestData.rows(21, 300, 8, 8);
        int k = 4;
        int b = 4000;
        List<SummaryRow> summary = BootstrapSummary.compute(problems(rows, false), List.of("model"), new int[] {k},
                false, b, 5);
        for (SummaryRow s : summary) {
            // plain Java: per-problem pass@k of this model, resampled with replacement
            List<Double> v = new ArrayList<>();
            String model = s.group().get(0);
            for (int p = 0; p < 300; p++) {
                long c = 0;
                long n = 0;
                for (Row r : rows) {
                    if (r.getString(0).equals(model) && r.getString(1).equals("p" + p)) {
                        n++;
                        c += r.getBoolean(4) ? 1 : 0;
                    }
                }
                v.add(PassAtK.passAtK(n, c, k));
            }
            double mean = v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            Random rnd = new Random(99);
            double[] means = new double[b];
            for (int i = 0; i < b; i++) {
                double sum = 0;
                for (int j = 0; j < v.size(); j++) {
                    sum += v.get(rnd.nextInt(v.size()));
                }
                means[i] = sum / v.size();
            }
            double lo = Bootstrap.percentile(means.clone(), 0.025);
            double hi = Bootstrap.percentile(means.clone(), 0.975);
            Estimate e = s.passAtK();
            assertEquals(mean, e.mean(), 1e-12);
            double halfWidth = (hi - lo) / 2;
            assertTrue(halfWidth > 0.01, "a real interval: " + lo + " .. " + hi);
            assertEquals(lo, e.ciLow(), 0.15 * halfWidth, "ci_low vs multinomial bootstrap");
            assertEquals(hi, e.ciHigh(), 0.15 * halfWidth, "ci_high vs multinomial bootstrap");
            assertTrue(e.ciLow() < e.mean() && e.mean() < e.ciHigh());
            assertEquals(300, s.problems());
        }
    }

    @Test
    void summaryDoesNotDependOnTheNumberOfPartitions() {
        List<Row> rows = EvalTestData.rows(22, 60, 1, 20);
        int[] ks = {1, 2, 8};
        for (boolean rewards : new boolean[] {false, true}) {
            Dataset<Row> p = problems(rows, rewards).cache();
            List<SummaryRow> one = BootstrapSummary.compute(p.coalesce(1), List.of("model"), ks, rewards, 300, 3);
            List<SummaryRow> many = BootstrapSummary.compute(p.repartition(7), List.of("model"), ks, rewards, 300, 3);
            assertEquals(one.size(), many.size());
            for (int i = 0; i < one.size(); i++) {
                SummaryRow x = one.get(i);
                SummaryRow y = many.get(i);
                assertEquals(x.group(), y.group());
                assertEquals(x.k(), y.k());
                assertEquals(x.problems(), y.problems());
                assertEquals(x.excluded(), y.excluded());
                for (Estimate[] e : new Estimate[][] {{x.passAtK(), y.passAtK()}, {x.passHatK(), y.passHatK()},
                        {x.maxAtK(), y.maxAtK()}}) {
                    assertEquals(e[0].mean(), e[1].mean(), 1e-12);
                    assertEquals(e[0].ciLow(), e[1].ciLow(), 1e-12);
                    assertEquals(e[0].ciHigh(), e[1].ciHigh(), 1e-12);
                }
            }
            p.unpersist();
        }
    }

    @Test
    void problemsWithFewerThanKSamplesAreExcludedAndCounted() {
        List<Row> rows = EvalTestData.rows(23, 50, 1, 10);
        List<SummaryRow> summary = BootstrapSummary.compute(problems(rows, true), List.of("model"), new int[] {1, 6},
                true, 100, 1);
        for (SummaryRow s : summary) {
            String model = s.group().get(0);
            long below = 0;
            for (int p = 0; p < 50; p++) {
                String pid = "p" + p;
                long n = rows.stream().filter(r -> r.getString(0).equals(model) && r.getString(1).equals(pid)).count();
                below += n < s.k() ? 1 : 0;
            }
            assertEquals(below, s.excluded(), "k=" + s.k());
            assertEquals(50 - below, s.problems());
        }
    }

    @Test
    void poissonWeightsHaveMeanAndVarianceOneAndAreAFunctionOfSeedAndProblem() {
        double[] w = new double[200_000];
        PoissonBootstrap.weights(1, "p1", w);
        double mean = 0;
        for (double x : w) {
            mean += x;
        }
        mean /= w.length;
        double var = 0;
        for (double x : w) {
            var += (x - mean) * (x - mean);
        }
        var /= w.length;
        assertEquals(1.0, mean, 0.01);
        assertEquals(1.0, var, 0.02);
        double[] again = new double[200_000];
        PoissonBootstrap.weights(1, "p1", again);
        assertEquals(java.util.Arrays.toString(w), java.util.Arrays.toString(again));
        PoissonBootstrap.weights(2, "p1", again);
        assertTrue(!java.util.Arrays.equals(w, again));
    }

    @Test
    void aClassOfMProblemsFoldsExactlyLikeItsMProblemsOneByOne() {
        BootstrapSummary.Spec spec = new BootstrapSummary.Spec(1, new int[] {1, 4, 16}, false, 500, 11);
        BootstrapSummary.Partial one = new BootstrapSummary.Partial();
        BootstrapSummary.Partial classes = new BootstrapSummary.Partial();
        Random r = new Random(3);
        int id = 0;
        for (String model : List.of("a", "b")) {
            for (int cls = 0; cls < 30; cls++) {
                long n = 1 + r.nextInt(20);
                long c = r.nextInt((int) n + 1);
                long m = 1 + r.nextInt(5);
                for (int i = 0; i < m; i++) {
                    spec.addProblem(one, List.of(model), "p" + id++, n, c, null);
                }
                spec.addClass(classes, new ArrayList<>(List.of(model)), n, c, m);
            }
        }
        // the same (n, c) drawn twice adds up in one class either way; rows equal bit for bit
        assertEquals(spec.finish(one), spec.finish(classes));
    }
}
