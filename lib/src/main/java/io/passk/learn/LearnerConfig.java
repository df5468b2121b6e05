package io.passk.learn;

import io.passk.settings.InvalidSettingException;
import io.passk.settings.TrainSettings;

/**
 * Settings of the driver-side policy update (docs/reference.md#policy-gradient-loss).
 *
 * @param learningRate  Adam step size
 * @param clipLow       eps_low of the clipped ratio (paper / DAPO default 0.2)
 * @param clipHigh      eps_high, "clip-higher" (default 0.28)
 * @param klBeta        beta of the k3 KL penalty to the initial policy (default 0: off)
 * @param miniBatches   optimizer steps per pass over the epoch's batch
 * @param passes        passes over the batch per epoch (PPO epochs)
 * @param maxGradNorm   global gradient-norm clip (0 = off)
 * @param temperature   sampling temperature; log-probs are recomputed at the same temperature
 */
public record LearnerConfig(double learningRate, double clipLow, double clipHigh, double klBeta,
                            int miniBatches, int passes, double maxGradNorm, double temperature) {

    /** Each refusal names its setting ({@link TrainSettings}); the CLI shows the flag, an experiment the key. */
    public LearnerConfig {
        if (!(learningRate > 0)) {
            throw InvalidSettingException.of(TrainSettings.LR, "must be > 0, got " + learningRate);
        }
        if (!(clipLow >= 0 && clipLow < 1)) {
            throw InvalidSettingException.of(TrainSettings.CLIP_LOW, "(eps_low) must be in [0, 1), got " + clipLow);
        }
        if (!(clipHigh >= 0)) {
            throw InvalidSettingException.of(TrainSettings.CLIP_HIGH, "(eps_high) must be >= 0, got " + clipHigh);
        }
        if (!(klBeta >= 0)) {
            throw InvalidSettingException.of(TrainSettings.KL_BETA, "must be >= 0, got " + klBeta);
        }
        if (miniBatches < 1) {
            throw InvalidSettingException.of(TrainSettings.MINI_BATCHES, "must be >= 1, got " + miniBatches);
        }
        if (passes < 1) {
            throw InvalidSettingException.of(TrainSettings.LEARNER_PASSES, "must be >= 1, got " + passes);
        }
        if (!(maxGradNorm >= 0)) {
            throw InvalidSettingException.of(TrainSettings.MAX_GRAD_NORM, "must be >= 0 (0: off), got " + maxGradNorm);
        }
        if (!(temperature > 0)) {
            throw InvalidSettingException.of(TrainSettings.TEMPERATURE, "must be > 0 for training, got " + temperature);
        }
    }

    /** The paper's setup: clip-higher (0.2, 0.28), no KL, one pass. */
    public static LearnerConfig defaults(double learningRate) {
        return new LearnerConfig(learningRate, 0.2, 0.28, 0.0, 1, 1, 1.0, 1.0);
    }
}
