package io.passk.learn;

import io.passk.BadInputException;

/**
 * Settings of the driver-side policy update (REFERENCE.md, "Policy-gradient loss").
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

    public LearnerConfig {
        if (!(learningRate > 0)) {
            throw new BadInputException("--lr must be > 0, got " + learningRate);
        }
        if (!(clipLow >= 0 && clipLow < 1) || !(clipHigh >= 0)) {
            throw new BadInputException("clip range must satisfy 0 <= eps_low < 1 and eps_high >= 0, got "
                    + clipLow + ", " + clipHigh);
        }
        if (!(klBeta >= 0)) {
            throw new BadInputException("--kl-beta must be >= 0, got " + klBeta);
        }
        if (miniBatches < 1 || passes < 1) {
            throw new BadInputException("--mini-batches and --learner-passes must be >= 1");
        }
        if (!(temperature > 0)) {
            throw new BadInputException("temperature must be > 0 for training, got " + temperature);
        }
    }

    /** The paper's setup: clip-higher (0.2, 0.28), no KL, one pass. */
    public static LearnerConfig defaults(double learningRate) {
        return new LearnerConfig(learningRate, 0.2, 0.28, 0.0, 1, 1, 1.0, 1.0);
    }
}
