package io.passk.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One metrics row (RUN/metrics.csv). Held-out values are NaN in epochs without held-out
 * evaluation (written as empty cells). Timings are wall-clock seconds per stage.
 */
public record EpochMetrics(int epoch, String method, int k, double lambda, double meanReward,
                           double trainPassAt1, double trainPassAtK, double heldoutPassAt1, double heldoutPassAtK,
                           double entropy, double diversity, double responseLength, double tokensPerSecond,
                           double loss, double secondsRollout, double secondsAdvantage, double secondsLearn,
                           double secondsEval, double secondsCheckpoint, double secondsTotal) {

    /** Column order of metrics.csv (the report reads these names). */
    public static final String[] COLUMNS = {"epoch", "method", "k", "lambda", "mean_reward", "train_pass_at_1",
            "train_pass_at_k", "heldout_pass_at_1", "heldout_pass_at_k", "entropy", "diversity", "response_length",
            "tokens_per_s", "loss", "seconds_rollout", "seconds_advantage", "seconds_learn", "seconds_eval",
            "seconds_checkpoint", "seconds_total"};

    /** The columns that are a deterministic function of (config, seed): everything but timings. */
    public static final String[] DETERMINISTIC_COLUMNS = {"epoch", "method", "k", "lambda", "mean_reward",
            "train_pass_at_1", "train_pass_at_k", "heldout_pass_at_1", "heldout_pass_at_k", "entropy", "diversity",
            "response_length", "loss"};

    public Map<String, Object> toMap() {
        Object[] v = {epoch, method, k, lambda, meanReward, trainPassAt1, trainPassAtK, heldoutPassAt1,
                heldoutPassAtK, entropy, diversity, responseLength, tokensPerSecond, loss, secondsRollout,
                secondsAdvantage, secondsLearn, secondsEval, secondsCheckpoint, secondsTotal};
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < COLUMNS.length; i++) {
            m.put(COLUMNS[i], v[i] instanceof Double d && d.isNaN() ? null : v[i]);
        }
        return m;
    }

    public String csvLine() {
        StringBuilder sb = new StringBuilder();
        for (Object v : toMap().values()) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            if (v instanceof Double d) {
                sb.append(String.format(Locale.ROOT, "%.10g", d));
            } else if (v != null) {
                sb.append(v);
            }
        }
        return sb.toString();
    }

    public static EpochMetrics fromMap(Map<String, Object> m) {
        return new EpochMetrics(num(m, "epoch").intValue(), (String) m.get("method"), num(m, "k").intValue(),
                d(m, "lambda"), d(m, "mean_reward"), d(m, "train_pass_at_1"), d(m, "train_pass_at_k"),
                d(m, "heldout_pass_at_1"), d(m, "heldout_pass_at_k"), d(m, "entropy"), d(m, "diversity"),
                d(m, "response_length"), d(m, "tokens_per_s"), d(m, "loss"), d(m, "seconds_rollout"),
                d(m, "seconds_advantage"), d(m, "seconds_learn"), d(m, "seconds_eval"), d(m, "seconds_checkpoint"),
                d(m, "seconds_total"));
    }

    private static Number num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n : Double.NaN;
    }

    private static double d(Map<String, Object> m, String key) {
        return num(m, key).doubleValue();
    }
}
