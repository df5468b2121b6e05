package io.passk.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The experiment's numbers: per method, the mean and standard deviation over seeds of the
 * final held-out pass@k (every k), of held-out pass@k and train entropy over epochs, and of the
 * wall-clock cost per run. Pure Java (no Spark): the runner reads the run directories into
 * {@link RunResult}s, this class aggregates and formats them.
 */
public final class ExperimentComparison {

    /** The label of the base model's rows (evaluated once per seed, no training). */
    public static final String BASE = "base";

    /**
     * One held-out problem's final evaluation in one run: its samples, how many were correct,
     * and the mean token entropy of its samples.
     */
    public record ProblemFinal(int n, int correct, double entropy) {
    }

    /**
     * What one finished run (or the base model's evaluation with one seed) contributes.
     *
     * @param method        method name (or {@link #BASE})
     * @param base          the base model's label ({@link ExperimentConfig.BaseReplicate#label()}), null
     *                      when the experiment has one base model
     * @param seed          run seed
     * @param finalPassAtK  final held-out pass@k by k
     * @param heldout       held-out pass@k by epoch (-1: before training) then by k
     * @param entropy       mean token entropy of the train rollouts by epoch
     * @param secondsTrain  wall-clock of the training epochs (their own held-out evaluations included)
     * @param secondsFinal  wall-clock of the final evaluation
     * @param problems      the final evaluation per held-out problem, by problem id (empty when its
     *                      rollouts are gone); what {@link PairedDifferences} pairs
     */
    public record RunResult(String method, String base, long seed, SortedMap<Integer, Double> finalPassAtK,
                            SortedMap<Integer, SortedMap<Integer, Double>> heldout, SortedMap<Integer, Double> entropy,
                            double secondsTrain, double secondsFinal, SortedMap<String, ProblemFinal> problems) {
        public RunResult {
            problems = problems == null ? new TreeMap<>() : problems;
        }

        /** A run of the only base model without per-problem results. */
        public RunResult(String method, long seed, SortedMap<Integer, Double> finalPassAtK,
                         SortedMap<Integer, SortedMap<Integer, Double>> heldout, SortedMap<Integer, Double> entropy,
                         double secondsTrain, double secondsFinal) {
            this(method, null, seed, finalPassAtK, heldout, entropy, secondsTrain, secondsFinal, null);
        }

        public double secondsTotal() {
            return secondsTrain + secondsFinal;
        }
    }

    /** Mean and sample standard deviation (n - 1; 0 for one value) over {@code n} seeds. */
    public record Stat(double mean, double std, int n) {
        public static Stat of(List<Double> xs) {
            int n = xs.size();
            if (n == 0) {
                return new Stat(Double.NaN, Double.NaN, 0);
            }
            double mean = 0;
            for (double x : xs) {
                mean += x;
            }
            mean /= n;
            double ss = 0;
            for (double x : xs) {
                ss += (x - mean) * (x - mean);
            }
            return new Stat(mean, n > 1 ? Math.sqrt(ss / (n - 1)) : 0.0, n);
        }

        String format(String pattern) {
            if (n == 0) {
                return "n/a";
            }
            // one seed has no spread to show
            return n == 1 ? String.format(Locale.ROOT, pattern, mean)
                    : String.format(Locale.ROOT, pattern + " ± " + pattern, mean, std);
        }
    }

    private final List<RunResult> results;
    private final Map<String, List<RunResult>> byMethod = new LinkedHashMap<>();

    /** {@code results} in table order (base first, then the config's method order). */
    public ExperimentComparison(List<RunResult> results) {
        this.results = List.copyOf(results);
        for (RunResult r : results) {
            byMethod.computeIfAbsent(r.method(), m -> new ArrayList<>()).add(r);
        }
    }

    public List<RunResult> results() {
        return results;
    }

    /** The base models' labels in order; empty when the experiment has one base model. */
    public List<String> baseModels() {
        return results.stream().map(RunResult::base).filter(java.util.Objects::nonNull).distinct().toList();
    }

    /** The comparison restricted to the runs on one base model. */
    public ExperimentComparison onBase(String label) {
        return new ExperimentComparison(results.stream().filter(r -> label.equals(r.base())).toList());
    }

    public List<String> methods() {
        return List.copyOf(byMethod.keySet());
    }

    /** Final held-out pass@k of a method over its seeds, for every k all its runs measured. */
    public SortedMap<Integer, Stat> finalPassAtK(String method) {
        return statsByKey(byMethod.get(method), RunResult::finalPassAtK);
    }

    /** Held-out pass@k at {@code k} by epoch, over seeds (epochs every seed evaluated). */
    public SortedMap<Integer, Stat> heldoutOverEpochs(String method, int k) {
        return statsByKey(byMethod.get(method), r -> {
            SortedMap<Integer, Double> m = new TreeMap<>();
            r.heldout().forEach((epoch, curve) -> {
                if (curve.containsKey(k)) {
                    m.put(epoch, curve.get(k));
                }
            });
            return m;
        });
    }

    /** Train entropy by epoch, over seeds. */
    public SortedMap<Integer, Stat> entropyOverEpochs(String method) {
        return statsByKey(byMethod.get(method), RunResult::entropy);
    }

    /** Wall-clock seconds per run (training plus final evaluation), over seeds. */
    public Stat secondsPerRun(String method) {
        return Stat.of(byMethod.get(method).stream().map(RunResult::secondsTotal).toList());
    }

    /** Long CSV: method, k, mean, std, seeds (every k of the final evaluation). */
    public String finalCsv() {
        StringBuilder sb = new StringBuilder("method,k,pass_at_k_mean,pass_at_k_std,seeds\n");
        for (String m : methods()) {
            finalPassAtK(m).forEach((k, s) -> sb.append(String.format(Locale.ROOT, "%s,%d,%.10g,%.10g,%d%n",
                    m, k, s.mean(), s.std(), s.n())));
        }
        return sb.toString();
    }

    /** Per-method CSV: seconds per run, last-epoch entropy, final pass@k at the table's ks. */
    public String summaryCsv(int[] ks) {
        StringBuilder sb = new StringBuilder("method,seeds,seconds_per_run_mean,seconds_per_run_std,"
                + "final_entropy_mean,final_entropy_std");
        for (int k : ks) {
            sb.append(",pass_at_").append(k).append("_mean,pass_at_").append(k).append("_std");
        }
        sb.append('\n');
        for (String m : methods()) {
            Stat sec = secondsPerRun(m);
            Stat ent = lastValue(entropyOverEpochs(m));
            sb.append(String.format(Locale.ROOT, "%s,%d,%.3f,%.3f,%s,%s", m, sec.n(), sec.mean(), sec.std(),
                    num(ent.mean()), num(ent.std())));
            SortedMap<Integer, Stat> fin = finalPassAtK(m);
            for (int k : ks) {
                Stat s = fin.get(k);
                sb.append(',').append(s == null ? "" : num(s.mean())).append(',').append(s == null ? "" : num(s.std()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The README / report table: mean ± std over seeds. */
    public String markdown(int[] ks) {
        // with base-model replicates a row averages over base models × seeds
        StringBuilder sb = new StringBuilder(baseModels().isEmpty() ? "| method | seeds |" : "| method | runs |");
        for (int k : ks) {
            sb.append(" pass@").append(k).append(" |");
        }
        sb.append(" entropy (last epoch) | minutes per run |\n|---|---|");
        sb.append("---|".repeat(ks.length)).append("---|---|\n");
        for (String m : methods()) {
            SortedMap<Integer, Stat> fin = finalPassAtK(m);
            sb.append("| ").append(m).append(" | ").append(byMethod.get(m).size()).append(" |");
            for (int k : ks) {
                Stat s = fin.get(k);
                sb.append(' ').append(s == null ? "n/a" : s.format("%.3f")).append(" |");
            }
            Stat ent = lastValue(entropyOverEpochs(m));
            Stat sec = secondsPerRun(m);
            sb.append(' ').append(ent.n() == 0 ? "–" : ent.format("%.3f")).append(" | ")
                    .append(new Stat(sec.mean() / 60, sec.std() / 60, sec.n()).format("%.1f")).append(" |\n");
        }
        return sb.toString();
    }

    /** Powers of two up to {@code max}, and {@code max}: the table's columns. */
    public static int[] tableKs(int max) {
        TreeSet<Integer> ks = new TreeSet<>();
        for (int k = 1; k <= max; k *= 2) {
            ks.add(k);
        }
        ks.add(max);
        return ks.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Stat lastValue(SortedMap<Integer, Stat> byEpoch) {
        return byEpoch.isEmpty() ? new Stat(Double.NaN, Double.NaN, 0) : byEpoch.get(byEpoch.lastKey());
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.10g", v);
    }

    /** Per key, the stat over runs; keeps only keys every run has (a mean over fewer seeds would mislead). */
    private static SortedMap<Integer, Stat> statsByKey(List<RunResult> runs,
                                                       java.util.function.Function<RunResult, SortedMap<Integer, Double>> f) {
        SortedMap<Integer, Stat> out = new TreeMap<>();
        if (runs == null || runs.isEmpty()) {
            return out;
        }
        TreeSet<Integer> keys = new TreeSet<>(f.apply(runs.get(0)).keySet());
        runs.forEach(r -> keys.retainAll(f.apply(r).keySet()));
        for (int key : keys) {
            out.put(key, Stat.of(runs.stream().map(r -> f.apply(r).get(key)).toList()));
        }
        return out;
    }
}
