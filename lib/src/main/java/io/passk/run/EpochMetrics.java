package io.passk.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One row of {@code RUN/metrics.csv} (and of {@code RUN/metrics/epoch=t.json}): what one
 * completed training epoch measured. The held-out values are {@code NaN} in epochs without
 * held-out evaluation ({@link #hasHeldout()}; an empty cell in the CSV, {@code null} in JSON).
 * pass@k values are the unbiased estimator of docs/reference.md#estimators over the epoch's train batch or over
 * the held-out problems; {@code k} is the epoch's k (a k-decay schedule changes it),
 * {@code lambda} the pass@k/pass@1 advantage mix weight; {@code seconds} the wall-clock per stage.
 */
public record EpochMetrics(int epoch, String method, int k, double lambda, double meanReward,
                           double trainPassAt1, double trainPassAtK, double heldoutPassAt1,
                           double heldoutPassAtK, double entropy, double diversity,
                           double responseLength, double tokensPerS, double loss,
                           StageSeconds seconds, RolloutMismatch mismatch) {

    /** Column order of metrics.csv, as the training loop writes it and the report requires it. */
    public static final List<String> COLUMNS = List.of("epoch", "method", "k", "lambda",
            "mean_reward", "train_pass_at_1", "train_pass_at_k", "heldout_pass_at_1",
            "heldout_pass_at_k", "entropy", "diversity", "response_length", "tokens_per_s", "loss",
            "seconds_rollout", "seconds_advantage", "seconds_learn", "seconds_eval",
            "seconds_checkpoint", "seconds_total");

    /** The columns that are a deterministic function of (config, seed): everything but timings. */
    public static final List<String> DETERMINISTIC_COLUMNS = List.of("epoch", "method", "k", "lambda",
            "mean_reward", "train_pass_at_1", "train_pass_at_k", "heldout_pass_at_1", "heldout_pass_at_k",
            "entropy", "diversity", "response_length", "loss");

    /**
     * Columns written after {@link #COLUMNS} when rollouts came from an inference server
     * ({@link RolloutMismatch}); optional when read, empty cells in epochs without them.
     */
    public static final List<String> MISMATCH_COLUMNS = List.of("mismatch_mean_abs_logprob",
            "mismatch_max_abs_logprob", "is_truncated_fraction");

    public EpochMetrics {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(seconds, "seconds");
    }

    /** An epoch whose rollouts came from the learner's own engine (no mismatch measured). */
    public EpochMetrics(int epoch, String method, int k, double lambda, double meanReward, double trainPassAt1,
                        double trainPassAtK, double heldoutPassAt1, double heldoutPassAtK, double entropy,
                        double diversity, double responseLength, double tokensPerS, double loss, StageSeconds seconds) {
        this(epoch, method, k, lambda, meanReward, trainPassAt1, trainPassAtK, heldoutPassAt1, heldoutPassAtK, entropy,
                diversity, responseLength, tokensPerS, loss, seconds, null);
    }

    /** True when this epoch ran the held-out evaluation. */
    public boolean hasHeldout() {
        return !Double.isNaN(heldoutPassAt1) || !Double.isNaN(heldoutPassAtK);
    }

    /** The row by column name ({@link #COLUMNS} order); NaN becomes null. */
    public Map<String, Object> toMap() {
        Object[] v = {epoch, method, k, lambda, meanReward, trainPassAt1, trainPassAtK, heldoutPassAt1,
                heldoutPassAtK, entropy, diversity, responseLength, tokensPerS, loss, seconds.rollout(),
                seconds.advantage(), seconds.learn(), seconds.eval(), seconds.checkpoint(), seconds.total()};
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < COLUMNS.size(); i++) {
            m.put(COLUMNS.get(i), v[i] instanceof Double d && d.isNaN() ? null : v[i]);
        }
        if (mismatch != null) {
            m.put(MISMATCH_COLUMNS.get(0), mismatch.meanAbsDelta());
            m.put(MISMATCH_COLUMNS.get(1), mismatch.maxAbsDelta());
            m.put(MISMATCH_COLUMNS.get(2), mismatch.truncatedFraction());
        }
        return m;
    }

    /** The inverse of {@link #toMap()} (numbers as any {@link Number}; null or absent: NaN). */
    public static EpochMetrics fromMap(Map<String, Object> m) {
        return new EpochMetrics(num(m, "epoch").intValue(), (String) m.get("method"), num(m, "k").intValue(),
                d(m, "lambda"), d(m, "mean_reward"), d(m, "train_pass_at_1"), d(m, "train_pass_at_k"),
                d(m, "heldout_pass_at_1"), d(m, "heldout_pass_at_k"), d(m, "entropy"), d(m, "diversity"),
                d(m, "response_length"), d(m, "tokens_per_s"), d(m, "loss"),
                new StageSeconds(d(m, "seconds_rollout"), d(m, "seconds_advantage"), d(m, "seconds_learn"),
                        d(m, "seconds_eval"), d(m, "seconds_checkpoint"), d(m, "seconds_total")),
                m.get(MISMATCH_COLUMNS.get(0)) instanceof Number ? new RolloutMismatch(d(m, MISMATCH_COLUMNS.get(0)),
                        d(m, MISMATCH_COLUMNS.get(1)), d(m, MISMATCH_COLUMNS.get(2))) : null);
    }

    /** The metrics.csv line: doubles with 10 significant digits, NaN as an empty cell. */
    public String csvLine() {
        return csvLine(false);
    }

    /**
     * The metrics.csv line; with {@code mismatchColumns} the {@link #MISMATCH_COLUMNS} cells
     * follow (empty when this epoch has none).
     */
    public String csvLine(boolean mismatchColumns) {
        Map<String, Object> row = toMap();
        List<Object> values = new java.util.ArrayList<>();
        for (String c : COLUMNS) {
            values.add(row.get(c));
        }
        if (mismatchColumns) {
            for (String c : MISMATCH_COLUMNS) {
                values.add(row.get(c));
            }
        }
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (Object v : values) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            if (v instanceof Double d) {
                sb.append(String.format(Locale.ROOT, "%.10g", d));
            } else if (v != null) {
                sb.append(v);
            }
        }
        return sb.toString();
    }

    private static Number num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n : Double.NaN;
    }

    private static double d(Map<String, Object> m, String key) {
        return num(m, key).doubleValue();
    }
}
