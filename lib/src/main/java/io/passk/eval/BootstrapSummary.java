package io.passk.eval;

import static org.apache.spark.sql.functions.col;

import io.passk.Columns;
import io.passk.estimate.Bootstrap;
import io.passk.estimate.PassAtK;
import io.passk.random.SeededRandom;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The summary per group and k: mean over problems of pass@k, pass^k and max@k with a 95%
 * percentile-bootstrap CI over problems ({@link PoissonBootstrap}). A Spark aggregation over
 * the per-problem table: each partition folds its problems in and the partial states are
 * merged in a tree; only summary-sized state reaches the driver, never a problem. Binary
 * answers are counted per (group, n, c) class and each class gets one Poisson(m) weight per
 * replicate at the end ({@link Spec#drawClasses}); continuous rewards get B Poisson(1) weights
 * per problem, summed into B-length weighted sums per (group, k).
 */
public final class BootstrapSummary {

    static final int METRICS = 3;
    /** (n, c) class key = n * 2^32 + c. */
    static final long CLASS_STRIDE = 1L << 32;
    /** Domain tag of the class draws in {@link SeededRandom#key(long...)}. */
    private static final long CLASS_DRAWS = 0x636c617373L;

    private BootstrapSummary() {
    }

    /**
     * @param problems  the per-problem table ({@link ProblemTable#aggregate}, validated)
     * @param groups    grouping columns
     * @param ks        the k values
     * @param rewards   true when the table has continuous rewards (max@k differs from pass@k)
     * @param bootstrap number of replicates B (0: no CI)
     * @param seed      seed of the replicate weights
     */
    public static List<SummaryRow> compute(Dataset<Row> problems, List<String> groups, int[] ks,
                                           boolean rewards, int bootstrap, long seed) {
        List<Column> sel = new ArrayList<>();
        for (String g : groups) {
            sel.add(col(g));
        }
        sel.add(col(Columns.PROBLEM_ID));
        sel.add(col(ProblemTable.N));
        sel.add(col(ProblemTable.C));
        if (rewards) {
            sel.add(col(ProblemTable.REWARDS));
        }
        Spec spec = new Spec(groups.size(), ks.clone(), rewards, bootstrap, seed);
        Partial total = problems.select(sel.toArray(new Column[0])).javaRDD()
                .treeAggregate(new Partial(), spec::add, spec::merge);
        return spec.finish(total);
    }

    /** What the executors need to fold a problem in. */
    record Spec(int groupCols, int[] ks, boolean rewards, int bootstrap, long seed) implements Serializable {

        Partial add(Partial acc, Row row) {
            List<String> group = new ArrayList<>(groupCols);
            for (int i = 0; i < groupCols; i++) {
                group.add(row.getString(i));
            }
            String problemId = row.getString(groupCols);
            long n = row.getLong(groupCols + 1);
            long c = row.getLong(groupCols + 2);
            double[] sorted = null;
            if (rewards) {
                List<Object> l = row.getList(groupCols + 3);
                sorted = new double[l.size()];
                for (int i = 0; i < sorted.length; i++) {
                    sorted[i] = ((Number) l.get(i)).doubleValue();
                }
            }
            return addProblem(acc, group, problemId, n, c, sorted);
        }

        /** Folds one problem in ({@code sorted}: its ascending rewards, null for binary answers). */
        Partial addProblem(Partial acc, List<String> group, String problemId, long n, long c, double[] sorted) {
            GroupSums g = acc.groups.computeIfAbsent(group, x -> new GroupSums(ks.length, bootstrap));
            // Binary answers: problems with equal (n, c) have equal estimates for every k, so only
            // the number of problems per (n, c) class is kept here; the class's replicate weights
            // are drawn at the end, one Poisson(m) per replicate (finish).
            boolean byClass = !rewards && n < Integer.MAX_VALUE;
            for (int j = 0; j < ks.length; j++) {
                if (n < ks[j]) {
                    g.excluded[j]++;
                } else {
                    g.problems[j]++;
                }
            }
            if (byClass) {
                g.classCounts.computeIfAbsent(n * CLASS_STRIDE + c, x -> new long[1])[0]++;
                return acc;
            }
            double[] w = acc.weights(bootstrap);
            if (bootstrap > 0) {
                PoissonBootstrap.weights(seed, problemId, w);
            }
            addProblems(g, n, c, sorted, w, 1);
            return acc;
        }

        /**
         * Folds in {@code m} problems of one group that share n and c (binary answers, n below
         * 2^31 - 1): exactly the sums of {@code m} {@link #addProblem} calls, whose binary answers
         * are only counted per (n, c) class here and drawn in {@link #finish}.
         */
        Partial addClass(Partial acc, List<String> group, long n, long c, long m) {
            if (rewards || n >= Integer.MAX_VALUE || m < 1) {
                throw new IllegalArgumentException("a class needs binary answers, n < 2^31 - 1 and m >= 1");
            }
            GroupSums g = acc.groups.computeIfAbsent(group, x -> new GroupSums(ks.length, bootstrap));
            for (int j = 0; j < ks.length; j++) {
                if (n < ks[j]) {
                    g.excluded[j] += m;
                } else {
                    g.problems[j] += m;
                }
            }
            g.classCounts.computeIfAbsent(n * CLASS_STRIDE + c, x -> new long[1])[0] += m;
            return acc;
        }

        /**
         * Adds {@code count} problems of one (n, c) (one problem, or a class of binary answers)
         * with replicate weights {@code w} to the weight totals, the point sums and the weighted
         * sums of every k.
         */
        private void addProblems(GroupSums g, long n, long c, double[] sorted, double[] w, long count) {
            for (int b = 0; b < bootstrap; b++) {
                g.weightAll[b] += w[b];
            }
            double[] v = new double[METRICS];
            for (int j = 0; j < ks.length; j++) {
                if (n < ks[j]) {
                    double[] ew = g.weightExcluded[j];
                    for (int b = 0; b < bootstrap; b++) {
                        ew[b] += w[b];
                    }
                    continue;
                }
                estimates(n, c, sorted, ks[j], v);
                for (int m = 0; m < METRICS; m++) {
                    g.sum[j][m] += v[m] * count;
                }
                addWeighted(g, j, v, w);
            }
        }

        private void estimates(long n, long c, double[] sorted, int k, double[] v) {
            v[0] = PassAtK.passAtK(n, c, k);
            v[1] = PassAtK.passHatK(n, c, k);
            v[2] = rewards ? PassAtK.maxAtKSorted(sorted, k) : v[0];
        }

        /** Adds one problem's (or one class's) estimates times its replicate weights. */
        private void addWeighted(GroupSums g, int j, double[] v, double[] w) {
            for (int m = 0; m < METRICS; m++) {
                if (m == 2 && !rewards) {
                    continue; // identical to pass@k: copied in finish()
                }
                double x = v[m];
                if (x == 0.0) {
                    continue;
                }
                double[] s = g.weighted[j][m];
                for (int b = 0; b < bootstrap; b++) {
                    s[b] += w[b] * x;
                }
            }
        }

        /**
         * Multiplies out the (n, c) classes of one group into the weighted sums. A class of m
         * problems has weight Poisson(m) in each replicate (the sum of its problems' independent
         * Poisson(1) weights), drawn from a generator keyed by (seed, group, n, c): the result does
         * not depend on how the problems were partitioned. Classes go in key order, so the float
         * sums are always added up in the same order.
         */
        void drawClasses(List<String> group, GroupSums g) {
            double[] w = new double[bootstrap];
            long groupKey = SeededRandom.hash(String.join("\u0001", group));
            List<Long> keys = new ArrayList<>(g.classCounts.keySet());
            keys.sort(null);
            for (long key : keys) {
                long n = key / CLASS_STRIDE;
                long c = key % CLASS_STRIDE;
                long m = g.classCounts.get(key)[0];
                SplittableRandom r = new SplittableRandom(SeededRandom.key(seed, CLASS_DRAWS, groupKey, n, c));
                for (int b = 0; b < bootstrap; b++) {
                    w[b] = PoissonBootstrap.poisson(r, m);
                }
                addProblems(g, n, c, null, w, m);
            }
            g.classCounts.clear();
        }

        Partial merge(Partial a, Partial b) {
            return a.merge(b);
        }

        List<SummaryRow> finish(Partial total) {
            List<SummaryRow> out = new ArrayList<>();
            for (Map.Entry<List<String>, GroupSums> e : total.groups.entrySet()) {
                GroupSums g = e.getValue();
                drawClasses(e.getKey(), g);
                for (int j = 0; j < ks.length; j++) {
                    Estimate[] est = new Estimate[METRICS];
                    for (int m = 0; m < METRICS; m++) {
                        int src = (m == 2 && !rewards) ? 0 : m;
                        double mean = g.problems[j] == 0 ? Double.NaN : g.sum[j][src] / g.problems[j];
                        est[m] = interval(mean, g, j, src);
                    }
                    out.add(new SummaryRow(List.copyOf(e.getKey()), ks[j], g.problems[j], g.excluded[j],
                            est[0], est[1], est[2]));
                }
            }
            out.sort(Comparator.<SummaryRow, String>comparing(r -> String.join("\u0001", r.group()))
                    .thenComparingInt(SummaryRow::k));
            return out;
        }

        private Estimate interval(double mean, GroupSums g, int j, int m) {
            if (bootstrap == 0 || g.problems[j] == 0) {
                return new Estimate(mean, Double.NaN, Double.NaN);
            }
            double[] means = new double[bootstrap];
            int used = 0;
            for (int b = 0; b < bootstrap; b++) {
                double wsum = g.weightAll[b] - g.weightExcluded[j][b];
                if (wsum > 0) { // a replicate that drew no problem has no mean: skip it
                    means[used++] = g.weighted[j][m][b] / wsum;
                }
            }
            double[] kept = java.util.Arrays.copyOf(means, used);
            return new Estimate(mean, Bootstrap.percentile(kept, 0.025),
                    Bootstrap.percentile(kept, 0.975));
        }
    }

    /** Weighted sums of one group. */
    static final class GroupSums implements Serializable {
        final long[] problems;
        final long[] excluded;
        final double[][] sum;
        final double[] weightAll;
        final double[][] weightExcluded;
        final double[][][] weighted;
        /** (n, c) class key -> number of problems (binary answers) */
        final Map<Long, long[]> classCounts = new HashMap<>();

        GroupSums(int nk, int bootstrap) {
            problems = new long[nk];
            excluded = new long[nk];
            sum = new double[nk][METRICS];
            weightAll = new double[bootstrap];
            weightExcluded = new double[nk][bootstrap];
            weighted = new double[nk][METRICS][bootstrap];
        }

        void merge(GroupSums o) {
            for (int j = 0; j < problems.length; j++) {
                problems[j] += o.problems[j];
                excluded[j] += o.excluded[j];
                add(weightExcluded[j], o.weightExcluded[j]);
                for (int m = 0; m < METRICS; m++) {
                    sum[j][m] += o.sum[j][m];
                    add(weighted[j][m], o.weighted[j][m]);
                }
            }
            add(weightAll, o.weightAll);
            for (Map.Entry<Long, long[]> e : o.classCounts.entrySet()) {
                classCounts.computeIfAbsent(e.getKey(), x -> new long[1])[0] += e.getValue()[0];
            }
        }

        private static void add(double[] a, double[] b) {
            for (int i = 0; i < a.length; i++) {
                a[i] += b[i];
            }
        }
    }

    /** The fold state of one partition (or of a merge of several). */
    static final class Partial implements Serializable {
        final Map<List<String>, GroupSums> groups = new HashMap<>();
        private transient double[] scratch;

        double[] weights(int bootstrap) {
            if (scratch == null || scratch.length != bootstrap) {
                scratch = new double[bootstrap];
            }
            return scratch;
        }

        Partial merge(Partial o) {
            for (Map.Entry<List<String>, GroupSums> e : o.groups.entrySet()) {
                GroupSums mine = groups.get(e.getKey());
                if (mine == null) {
                    groups.put(e.getKey(), e.getValue());
                } else {
                    mine.merge(e.getValue());
                }
            }
            return this;
        }
    }
}
