package io.passk.report;

import io.passk.run.EpochMetrics;
import io.passk.run.RunDirectory;
import io.passk.run.HeldoutCurve;
import io.passk.run.HeldoutPoint;
import io.passk.run.RunData;

import java.util.List;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * The per-epoch metrics the run report plots as training curves, with the {@code metrics.csv}
 * column each comes from and the words a reader sees. A later comparison report can plot the
 * same list per method.
 */
public enum TrainingMetric {
    MEAN_REWARD("mean_reward", "mean reward", "Mean verifier reward over the epoch's training rollouts.",
            EpochMetrics::meanReward),
    TRAIN_PASS_AT_1("train_pass_at_1", "train pass@1", "pass@1 over the epoch's training batch.",
            EpochMetrics::trainPassAt1),
    TRAIN_PASS_AT_K("train_pass_at_k", "train pass@k",
            "Unbiased pass@k over the epoch's training batch, at each run's k of that epoch.",
            EpochMetrics::trainPassAtK),
    HELDOUT_PASS_AT_1("heldout_pass_at_1", "held-out pass@1",
            "pass@1 on the held-out problems, at the epochs that ran the held-out evaluation.",
            EpochMetrics::heldoutPassAt1),
    HELDOUT_PASS_AT_K("heldout_pass_at_k", "held-out pass@k",
            "pass@k on the held-out problems at each run's k, at the epochs that ran the held-out evaluation.",
            EpochMetrics::heldoutPassAtK),
    ENTROPY("entropy", "policy entropy (nats/token)", "Mean per-token entropy of the sampling distribution.",
            EpochMetrics::entropy),
    DIVERSITY("diversity", "answer diversity", "Distinct answers / samples per problem, averaged over problems.",
            EpochMetrics::diversity),
    RESPONSE_LENGTH("response_length", "response length (tokens)", "Mean response length in tokens.",
            EpochMetrics::responseLength),
    TOKENS_PER_S("tokens_per_s", "tokens / s", "Sampled tokens per second of rollout wall-clock.",
            EpochMetrics::tokensPerS),
    LOSS("loss", "loss", "Learner loss (clipped surrogate objective), mean over the epoch's steps.",
            EpochMetrics::loss),
    SECONDS_PER_EPOCH("seconds_total", "seconds per epoch", "Wall-clock seconds of each whole epoch.",
            e -> e.seconds().total());

    private final String column;
    private final String label;
    private final String description;
    private final ToDoubleFunction<EpochMetrics> value;

    TrainingMetric(String column, String label, String description, ToDoubleFunction<EpochMetrics> value) {
        this.column = column;
        this.label = label;
        this.description = description;
        this.value = value;
    }

    /** The metrics.csv column. */
    public String column() {
        return column;
    }

    /** Axis label and chart title. */
    public String label() {
        return label;
    }

    /** One sentence saying what is measured (the figure caption). */
    public String description() {
        return description;
    }

    /**
     * A rate or probability, in [0, 1] by definition (rewards are in [0, 1]): its axis is
     * never drawn outside that range.
     */
    public boolean unitInterval() {
        return switch (this) {
            case MEAN_REWARD, TRAIN_PASS_AT_1, TRAIN_PASS_AT_K, HELDOUT_PASS_AT_1, HELDOUT_PASS_AT_K, DIVERSITY -> true;
            default -> false;
        };
    }

    /** The value in {@code epoch}; NaN when not measured there. */
    public double of(EpochMetrics epoch) {
        return value.applyAsDouble(epoch);
    }

    /**
     * Whether the value is measured on the policy after the epoch's update (the held-out
     * evaluation) rather than on the rollouts the epoch started from.
     */
    public boolean afterUpdate() {
        return this == HELDOUT_PASS_AT_1 || this == HELDOUT_PASS_AT_K;
    }

    /**
     * The held-out value of the policy before training: heldout.csv's epoch -1 curve at k = 1
     * (pass@1) or at the run's k (pass@k, the k of metrics.csv's {@code heldout_pass_at_k});
     * empty for the other metrics and when the run has no epoch -1 curve or it lacks that k.
     */
    public OptionalDouble beforeTraining(RunData run) {
        if (!afterUpdate()) {
            return OptionalDouble.empty();
        }
        int k = this == HELDOUT_PASS_AT_1 ? 1 : run.info().k();
        for (HeldoutCurve c : run.heldout().orElse(List.of())) {
            if (c.epoch() == RunDirectory.BEFORE_TRAINING) {
                return c.points().stream().filter(p -> p.k() == k).mapToDouble(HeldoutPoint::passAtK).findFirst();
            }
        }
        return OptionalDouble.empty();
    }
}
