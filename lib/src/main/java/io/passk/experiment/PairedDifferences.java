package io.passk.experiment;

import io.passk.estimate.Bootstrap;
import io.passk.estimate.PassAtK;
import io.passk.experiment.ExperimentComparison.ProblemFinal;
import io.passk.experiment.ExperimentComparison.RunResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Each method's final held-out result minus the reference method's ({@code pass1}), paired by
 * run unit u = (base model, seed) and by held-out problem p:
 * <pre>
 *   d(u, p) = pass@k_method(u, p) - pass@k_ref(u, p)      pass@k from n samples, c correct (docs/reference.md#estimators)
 *   D       = mean over u in U, p in P of d(u, p)
 * </pre>
 * where U are the units both methods ran and P the problems both evaluated in all of them.
 * The 95% interval is the percentile interval of a two-way bootstrap ({@link Bootstrap#pairedInterval}) that resamples units and
 * problems independently (with replacement) and recomputes D, so it covers both the seed (and
 * base-model) variation and the problem sampling; a difference "excludes 0" when the interval
 * does. The same is done for the mean token entropy of the final evaluation's samples.
 * Pure Java; deterministic ({@link #SEED}).
 */
public final class PairedDifferences {

    /** Bootstrap replicates per difference. */
    public static final int REPLICATES = 2000;
    /** Seed of the bootstrap draws (mixed with the method, metric and k). */
    public static final long SEED = 20251;
    /** {@link Difference#metric()} of the entropy rows. */
    public static final String ENTROPY = "entropy";
    /** {@link Difference#metric()} of the pass@k rows. */
    public static final String PASS_AT_K = "pass@k";

    private PairedDifferences() {
    }

    /**
     * One paired difference.
     *
     * @param method   the compared method
     * @param metric   {@link #PASS_AT_K} or {@link #ENTROPY}
     * @param k        the k of pass@k (0 for entropy)
     * @param mean     D
     * @param low      2.5% bootstrap percentile
     * @param high     97.5% bootstrap percentile
     * @param units    paired (base model, seed) units
     * @param problems paired problems
     */
    public record Difference(String method, String metric, int k, double mean, double low, double high, int units,
                             int problems) {
        public boolean excludesZero() {
            return low > 0 || high < 0;
        }
    }

    /**
     * Every method (but {@code reference} and the base model) against {@code reference}, for
     * each k of {@code ks} and for entropy; empty when the reference is absent or no run has
     * per-problem results.
     */
    public static List<Difference> compute(List<RunResult> results, String reference, int[] ks) {
        Map<String, Map<String, RunResult>> byMethod = new LinkedHashMap<>();
        for (RunResult r : results) {
            if (!r.method().equals(ExperimentComparison.BASE) && !r.problems().isEmpty()) {
                byMethod.computeIfAbsent(r.method(), m -> new LinkedHashMap<>()).put(unit(r), r);
            }
        }
        Map<String, RunResult> ref = byMethod.get(reference);
        List<Difference> out = new ArrayList<>();
        if (ref == null) {
            return out;
        }
        for (Map.Entry<String, Map<String, RunResult>> e : byMethod.entrySet()) {
            if (e.getKey().equals(reference)) {
                continue;
            }
            List<String> units = e.getValue().keySet().stream().filter(ref::containsKey).toList();
            if (units.isEmpty()) {
                continue;
            }
            TreeSet<String> problems = new TreeSet<>(ref.get(units.get(0)).problems().keySet());
            for (String u : units) {
                problems.retainAll(ref.get(u).problems().keySet());
                problems.retainAll(e.getValue().get(u).problems().keySet());
            }
            if (problems.isEmpty()) {
                continue;
            }
            for (int k : ks) {
                if (!allHaveSamples(units, problems, ref, e.getValue(), k)) {
                    continue;
                }
                out.add(difference(e.getKey(), PASS_AT_K, k, units, problems, ref, e.getValue(),
                        p -> PassAtK.passAtK(p.n(), p.correct(), k)));
            }
            out.add(difference(e.getKey(), ENTROPY, 0, units, problems, ref, e.getValue(), ProblemFinal::entropy));
        }
        return out;
    }

    private static boolean allHaveSamples(List<String> units, TreeSet<String> problems, Map<String, RunResult> a,
                                          Map<String, RunResult> b, int k) {
        for (String u : units) {
            for (String p : problems) {
                if (a.get(u).problems().get(p).n() < k || b.get(u).problems().get(p).n() < k) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Difference difference(String method, String metric, int k, List<String> units,
                                         TreeSet<String> problems, Map<String, RunResult> ref,
                                         Map<String, RunResult> runs, ToDoubleFunction<ProblemFinal> value) {
        double[][] d = new double[units.size()][problems.size()];
        for (int u = 0; u < units.size(); u++) {
            int p = 0;
            for (String id : problems) {
                d[u][p++] = value.applyAsDouble(runs.get(units.get(u)).problems().get(id))
                        - value.applyAsDouble(ref.get(units.get(u)).problems().get(id));
            }
        }
        long seed = SEED * 1_000_003L + 31L * k + Objects.hash(method, metric);
        double[] ci = Bootstrap.pairedInterval(d, REPLICATES, seed);
        return new Difference(method, metric, k, Bootstrap.mean(d), ci[0], ci[1], units.size(), problems.size());
    }

    private static String unit(RunResult r) {
        return (r.base() == null ? "" : r.base()) + "/" + r.seed();
    }

    /** Markdown: one row per method, one column per k and entropy: {@code D [low, high]}, bold when it excludes 0. */
    public static String markdown(List<Difference> diffs, int[] ks, String reference) {
        if (diffs.isEmpty()) {
            return "(no paired differences: the reference method '" + reference
                    + "' or the per-problem final rollouts are missing)\n";
        }
        StringBuilder sb = new StringBuilder("| method − " + reference + " | units × problems |");
        for (int k : ks) {
            sb.append(" pass@").append(k).append(" |");
        }
        sb.append(" entropy |\n|---|---|").append("---|".repeat(ks.length)).append("---|\n");
        Map<String, Map<String, Difference>> rows = new LinkedHashMap<>();
        for (Difference d : diffs) {
            rows.computeIfAbsent(d.method(), m -> new LinkedHashMap<>()).put(d.metric() + d.k(), d);
        }
        rows.forEach((method, cells) -> {
            Difference any = cells.values().iterator().next();
            sb.append("| ").append(method).append(" | ").append(any.units()).append(" × ").append(any.problems())
                    .append(" |");
            for (int k : ks) {
                sb.append(' ').append(cell(cells.get(PASS_AT_K + k))).append(" |");
            }
            sb.append(' ').append(cell(cells.get(ENTROPY + 0))).append(" |\n");
        });
        return sb.toString();
    }

    private static String cell(Difference d) {
        if (d == null) {
            return "n/a";
        }
        String s = String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", d.mean(), d.low(), d.high());
        return d.excludesZero() ? "**" + s + "**" : s;
    }

    /** CSV header of {@link #csvRows}. */
    public static final String CSV_HEADER = "base_model,method,reference,metric,k,mean,ci_low,ci_high,units,problems,"
            + "excludes_zero\n";

    /** CSV rows, {@code baseModel} ("all" or a label) first. */
    public static String csvRows(String baseModel, String reference, List<Difference> diffs) {
        StringBuilder sb = new StringBuilder();
        for (Difference d : diffs) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%d,%.10g,%.10g,%.10g,%d,%d,%b%n", baseModel, d.method(),
                    reference, d.metric(), d.k(), d.mean(), d.low(), d.high(), d.units(), d.problems(),
                    d.excludesZero()));
        }
        return sb.toString();
    }
}
