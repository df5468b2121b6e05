package io.passk.eval;

import static org.apache.spark.sql.functions.col;

import io.passk.estimate.PassAtK;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The summary per group and k: mean over problems of pass@k, pass^k and max@k with a 95%
 * percentile-bootstrap CI over problems ({@link PoissonBootstrap}). A Spark aggregation over
 * the per-problem table: each partition folds its problems into B-length weighted sums per
 * (group, k) and the partial sums are merged in a tree; only the summary-sized sums reach the
 * driver, never a problem.
 */
public final class BootstrapSummary {

    static final int METRICS = 3;
    /** (n, c) class key = n * 2^32 + c. */
    static final long CLASS_STRIDE = 1L << 32;
    /** Classes kept per group before they are multiplied out (memory: B doubles each). */
    static final int MAX_CLASSES = 4096;

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
        sel.add(col(AnswerReader.PROBLEM_ID));
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
            // Binary answers: problems with equal (n, c) have equal estimates for every k, so
            // their weights are summed per (n, c) class (B adds per problem instead of 2 B per k)
            // and multiplied out when the class is flushed; the weights are drawn straight into
            // the class sums. The last slot counts the class's problems (weight 1: the point
            // estimate).
            boolean byClass = !rewards && n < Integer.MAX_VALUE;
            if (byClass) {
                double[] cw = g.classWeights.computeIfAbsent(n * CLASS_STRIDE + c, x -> new double[bootstrap + 1]);
                if (bootstrap > 0) {
                    PoissonBootstrap.addWeights(seed, problemId, cw, bootstrap);
                }
                cw[bootstrap] += 1;
            }
            int[] w = acc.weights(bootstrap);
            if (!byClass && bootstrap > 0) {
                PoissonBootstrap.weights(seed, problemId, w);
            }
            double[] v = new double[METRICS];
            if (!byClass) {
                for (int b = 0; b < bootstrap; b++) {
                    g.weightAll[b] += w[b];
                }
            }
            for (int j = 0; j < ks.length; j++) {
                int k = ks[j];
                if (n < k) {
                    g.excluded[j]++;
                    if (!byClass) {
                        double[] ew = g.weightExcluded[j];
                        for (int b = 0; b < bootstrap; b++) {
                            ew[b] += w[b];
                        }
                    }
                    continue;
                }
                g.problems[j]++;
                if (!byClass) {
                    estimates(n, c, sorted, k, v);
                    for (int m = 0; m < METRICS; m++) {
                        g.sum[j][m] += v[m];
                    }
                    addWeighted(g, j, v, w);
                }
            }
            if (g.classWeights.size() > MAX_CLASSES) {
                flush(g);
            }
            return acc;
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

        private void addWeighted(GroupSums g, int j, double[] v, int[] w) {
            for (int m = 0; m < METRICS; m++) {
                if (m == 2 && !rewards) {
                    continue;
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

        /** Multiplies out the (n, c) classes into the weighted sums. */
        void flush(GroupSums g) {
            double[] v = new double[METRICS];
            for (Map.Entry<Long, double[]> e : g.classWeights.entrySet()) {
                long n = e.getKey() / CLASS_STRIDE;
                long c = e.getKey() % CLASS_STRIDE;
                double[] w = e.getValue();
                for (int b = 0; b < bootstrap; b++) {
                    g.weightAll[b] += w[b];
                }
                for (int j = 0; j < ks.length; j++) {
                    if (n < ks[j]) {
                        double[] ew = g.weightExcluded[j];
                        for (int b = 0; b < bootstrap; b++) {
                            ew[b] += w[b];
                        }
                        continue;
                    }
                    estimates(n, c, null, ks[j], v);
                    for (int m = 0; m < METRICS; m++) {
                        g.sum[j][m] += v[m] * w[bootstrap];
                    }
                    addWeighted(g, j, v, w);
                }
            }
            g.classWeights.clear();
        }

        Partial merge(Partial a, Partial b) {
            a.merge(b);
            for (GroupSums g : a.groups.values()) {
                if (g.classWeights.size() > MAX_CLASSES) {
                    flush(g);
                }
            }
            return a;
        }

        List<SummaryRow> finish(Partial total) {
            List<SummaryRow> out = new ArrayList<>();
            for (Map.Entry<List<String>, GroupSums> e : total.groups.entrySet()) {
                GroupSums g = e.getValue();
                flush(g);
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
            return new Estimate(mean, PoissonBootstrap.percentile(kept, 0.025),
                    PoissonBootstrap.percentile(kept, 0.975));
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
        final Map<Long, double[]> classWeights = new HashMap<>();

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
            for (Map.Entry<Long, double[]> e : o.classWeights.entrySet()) {
                double[] mine = classWeights.get(e.getKey());
                if (mine == null) {
                    classWeights.put(e.getKey(), e.getValue());
                } else {
                    add(mine, e.getValue());
                }
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
        private transient int[] scratch;

        int[] weights(int bootstrap) {
            if (scratch == null || scratch.length != bootstrap) {
                scratch = new int[bootstrap];
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
