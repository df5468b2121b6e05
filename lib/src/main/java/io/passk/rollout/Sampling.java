package io.passk.rollout;

import io.passk.settings.InvalidSettingException;
import io.passk.settings.Setting;
import io.passk.settings.TrainSettings;

/**
 * How many responses a run samples per problem and how: the settings {@code passk train},
 * {@code passk sample}, an experiment's {@code training} section and {@link RolloutGenerator}
 * share ({@link TrainSettings}). The temperature is not here: the learner recomputes log-probs
 * at the temperature the policy was sampled at, so {@code io.passk.learn.LearnerConfig} owns it.
 *
 * @param n            N, responses per problem
 * @param topP         nucleus mass in (0, 1]; 1 is off
 * @param maxNewTokens response length limit in tokens
 * @param batchSize    sequences decoded together on an executor
 */
public record Sampling(int n, double topP, int maxNewTokens, int batchSize) {

    /** Each refusal names its setting; the CLI shows the flag, an experiment the key. */
    public Sampling {
        atLeast(TrainSettings.N, n, 1);
        atLeast(TrainSettings.MAX_NEW_TOKENS, maxNewTokens, 1);
        atLeast(TrainSettings.BATCH_SIZE, batchSize, 1);
        if (!(topP > 0 && topP <= 1)) {
            throw InvalidSettingException.of(TrainSettings.TOP_P, "must be in (0, 1], got " + topP);
        }
    }

    private static void atLeast(Setting<Integer> setting, int value, int min) {
        if (value < min) {
            throw InvalidSettingException.of(setting, "must be >= " + min + ", got " + value);
        }
    }
}
