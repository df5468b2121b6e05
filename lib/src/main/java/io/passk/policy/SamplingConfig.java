package io.passk.policy;

import io.passk.settings.InvalidSettingException;
import io.passk.settings.TrainSettings;

/**
 * How to sample responses.
 *
 * @param numSamples   N, responses per prompt (sample_idx 0..N-1)
 * @param temperature  softmax temperature T (> 0); 0 means greedy (argmax, log-probs at T = 1)
 * @param topP         nucleus mass in (0, 1]; 1 disables top-p
 * @param maxNewTokens response length limit (EOS included); a response that reaches it is unfinished
 * @param batchSize    sequences decoded together in one forward pass
 * @param seed         run seed: with epoch, problem_id, sample_idx and step it keys every draw
 * @param epoch        training epoch (0 for evaluation)
 * @param kvCache      decode incrementally with the key/value cache (false: recompute the prefix
 *                     every step, for the benchmark and the equivalence test)
 */
public record SamplingConfig(int numSamples, double temperature, double topP, int maxNewTokens,
                             int batchSize, long seed, long epoch, boolean kvCache)
        implements java.io.Serializable {

    /**
     * Each refusal is bad input naming its setting (the training settings of the same meaning,
     * {@link TrainSettings}); {@code passk sample} shows the flag.
     */
    public SamplingConfig {
        if (numSamples < 1) {
            throw InvalidSettingException.of(TrainSettings.N, "must be >= 1, got " + numSamples);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw InvalidSettingException.of(TrainSettings.TEMPERATURE, "must be finite and >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw InvalidSettingException.of(TrainSettings.TOP_P, "must be in (0, 1], got " + topP);
        }
        if (maxNewTokens < 1) {
            throw InvalidSettingException.of(TrainSettings.MAX_NEW_TOKENS, "must be >= 1, got " + maxNewTokens);
        }
        if (batchSize < 1) {
            throw InvalidSettingException.of(TrainSettings.BATCH_SIZE, "must be >= 1, got " + batchSize);
        }
    }

    /** Defaults: T = 1, top-p off, the training batch size, KV cache on. */
    public static SamplingConfig of(int numSamples, int maxNewTokens, long seed, long epoch) {
        return new SamplingConfig(numSamples, TrainSettings.TEMPERATURE.defaultValue(), TrainSettings.TOP_P.defaultValue(),
                maxNewTokens, TrainSettings.BATCH_SIZE.defaultValue(), seed, epoch, true);
    }
}
