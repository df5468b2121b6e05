package io.passk.eval;

import io.passk.BadInputException;
import io.passk.estimate.Bootstrap;
import io.passk.estimate.PassAtK;
import io.passk.report.chart.LineChart;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code passk eval --compare A,B}: two values of one grouping column (two models, two
 * checkpoints) compared problem by problem. A problem is the pair (the other grouping columns'
 * values, {@code problem_id}); for each k, over the problems P_k where both A and B have n &ge; k:
 * <pre>
 *   d(p) = pass@k_A(p) - pass@k_B(p)          pass@k from (n, c), docs/reference.md#estimators
 *   D_k  = mean over p in P_k of d(p)
 * </pre>
 * with the 95% percentile interval of the bootstrap over problems ({@link Bootstrap#pairedInterval}
 * with one unit: the paired-difference code the experiments use), and the number of problems
 * where A is ahead (d &gt; 0), where B is (d &lt; 0) and ties. Pure Java over the per-problem
 * counts; deterministic in (seed, k).
 */
public final class PairedComparison {

    /** What is compared: values {@code a} and {@code b} of grouping column {@code column}. */
    public record Spec(String column, String a, String b) {
    }

    /**
     * One k's paired difference.
     *
     * @param k        the k
     * @param problems |P_k|, the problems both sides have at least k answers for
     * @param mean     D_k (NaN without problems)
     * @param low      2.5% bootstrap percentile (NaN without replicates or problems)
     * @param high     97.5% bootstrap percentile
     * @param winsA    problems with d &gt; 0
     * @param winsB    problems with d &lt; 0
     * @param ties     problems with d = 0
     */
    public record Row(int k, int problems, double mean, double low, double high, int winsA, int winsB, int ties) {
        public boolean excludesZero() {
            return low > 0 || high < 0;
        }
    }

    private PairedComparison() {
    }

    /**
     * Picks the grouping column holding both {@code a} and {@code b}: a column of {@code values}
     * (column name to the values seen in it). Refused when no column, or more than one, holds both.
     */
    public static Spec resolve(List<String> compare, Map<String, java.util.Set<String>> values) {
        if (compare.size() != 2 || compare.get(0).equals(compare.get(1))) {
            throw new BadInputException("--compare takes two different values A,B of a --by column, got "
                    + String.join(",", compare));
        }
        String a = compare.get(0);
        String b = compare.get(1);
        List<String> both = new ArrayList<>();
        for (Map.Entry<String, java.util.Set<String>> e : values.entrySet()) {
            if (e.getValue().contains(a) && e.getValue().contains(b)) {
                both.add(e.getKey());
            }
        }
        if (both.size() != 1) {
            StringBuilder seen = new StringBuilder();
            values.forEach((c, v) -> seen.append(seen.length() == 0 ? "" : "; ").append(c).append(": ")
                    .append(String.join(", ", new java.util.TreeSet<>(v))));
            throw new BadInputException("--compare " + a + "," + b + ": " + (both.isEmpty()
                    ? "no grouping column holds both values" : "several grouping columns hold both " + both)
                    + " (values: " + (seen.length() == 0 ? "no grouping columns; add --by" : seen) + ")");
        }
        return new Spec(both.get(0), a, b);
    }

    /**
     * The paired differences for every k of {@code ks}; {@code a} and {@code b} map a problem key
     * to its {n, c}. {@code replicates} = 0: no interval.
     */
    public static List<Row> compute(Map<String, long[]> a, Map<String, long[]> b, int[] ks, int replicates,
                                    long seed) {
        List<Row> out = new ArrayList<>();
        TreeMap<String, long[]> sortedA = new TreeMap<>(a);
        for (int k : ks) {
            List<Double> d = new ArrayList<>();
            int winsA = 0;
            int winsB = 0;
            for (Map.Entry<String, long[]> e : sortedA.entrySet()) {
                long[] y = b.get(e.getKey());
                long[] x = e.getValue();
                if (y == null || x[0] < k || y[0] < k) {
                    continue;
                }
                double v = PassAtK.passAtK(x[0], x[1], k) - PassAtK.passAtK(y[0], y[1], k);
                d.add(v);
                winsA += v > 0 ? 1 : 0;
                winsB += v < 0 ? 1 : 0;
            }
            int m = d.size();
            if (m == 0) {
                out.add(new Row(k, 0, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0));
                continue;
            }
            double[][] row = {d.stream().mapToDouble(Double::doubleValue).toArray()};
            double mean = Bootstrap.mean(row);
            double[] ci = replicates > 0 ? Bootstrap.pairedInterval(row, replicates, seed(seed, k))
                    : new double[] {Double.NaN, Double.NaN};
            out.add(new Row(k, m, mean, ci[0], ci[1], winsA, winsB, m - winsA - winsB));
        }
        return out;
    }

    /** The bootstrap seed of one k: a function of (seed, k) only. */
    static long seed(long seed, int k) {
        return seed * 1_000_003L + 31L * k;
    }

    /** {@code compare.csv}: one row per k. */
    public static String csv(Spec s, List<Row> rows) {
        StringBuilder sb = new StringBuilder("column,a,b,k,problems,mean_diff,ci_low,ci_high,wins_a,wins_b,ties,"
                + "excludes_zero\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%s,%s,%s,%d,%d,%d,%b%n", csvText(s.column()),
                    csvText(s.a()), csvText(s.b()), r.k(), r.problems(), num(r.mean()), num(r.low()), num(r.high()),
                    r.winsA(), r.winsB(), r.ties(), r.excludesZero()));
        }
        return sb.toString();
    }

    /** The table printed after the summary. */
    public static String format(Spec s, List<Row> rows) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "paired pass@k difference, %s: %s - %s (95%% bootstrap CI over problems)%n", s.column(), s.a(), s.b()));
        sb.append(String.format(Locale.ROOT, "%-6s %-9s %-28s %-7s %-7s %s%n", "k", "problems", "A - B [CI]",
                "A wins", "B wins", "ties"));
        for (Row r : rows) {
            String d = r.problems() == 0 ? "n/a" : String.format(Locale.ROOT, "%+.4f [%+.4f, %+.4f]%s", r.mean(),
                    r.low(), r.high(), r.excludesZero() ? " *" : "");
            sb.append(String.format(Locale.ROOT, "%-6d %-9d %-28s %-7d %-7d %d%n", r.k(), r.problems(), d, r.winsA(),
                    r.winsB(), r.ties()));
        }
        sb.append("(* the interval excludes 0)\n");
        return sb.toString();
    }

    /** {@code compare.png}: D_k against k (log2 axis) with its band. */
    public static void writePng(OutputStream os, Spec s, List<Row> rows) throws IOException {
        List<Row> shown = rows.stream().filter(r -> r.problems() > 0).toList();
        double[] ks = new double[shown.size()];
        double[] mean = new double[shown.size()];
        double[] lo = new double[shown.size()];
        double[] hi = new double[shown.size()];
        double[] zero = new double[shown.size()];
        for (int i = 0; i < shown.size(); i++) {
            Row r = shown.get(i);
            ks[i] = r.k();
            mean[i] = r.mean();
            lo[i] = Double.isNaN(r.low()) ? r.mean() : r.low();
            hi[i] = Double.isNaN(r.high()) ? r.mean() : r.high();
        }
        String name = s.a() + " - " + s.b();
        try {
            LineChart.builder().title("paired pass@k difference (" + s.column() + ")").xLabel("k")
                    .yLabel("mean pass@k difference over problems, 95% bootstrap CI").log2X(true)
                    .series(name, ks, mean).band(name, lo, hi).series("no difference", ks, zero)
                    .writePng(os, PassAtKPlot.WIDTH, PassAtKPlot.HEIGHT);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.10g", v);
    }

    private static String csvText(String v) {
        return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
