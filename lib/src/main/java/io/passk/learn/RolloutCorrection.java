package io.passk.learn;

import io.passk.policy.PolicyModel;

import java.util.ArrayList;
import java.util.List;

/**
 * Truncated importance sampling for rollouts sampled by another engine than the learner's (an
 * inference server): before the epoch's first update the learner recomputes log pi_old of every
 * sampled token with its own model, and each token's term of the surrogate is weighted by
 * <pre>
 *   w_t = min(pi_learner_old(y_t) / pi_rollout(y_t), C) = min(exp(logp_learner_old_t - logp_rollout_t), C)
 * </pre>
 * while the PPO ratio is taken against the learner's own old log-probs
 * (ratio_t = exp(logp_new_t - logp_learner_old_t)). This is the truncated importance sampling of
 * verl's rollout correction and of TRL's vLLM importance-sampling correction (Yao et al., "Your
 * efficient RL framework secretly brings you off-policy RL training", 2025). The mismatch it
 * reports: mean and max |logp_learner_old - logp_rollout| over tokens, and the fraction of tokens
 * whose ratio exceeded C.
 *
 * @param examples the batch with learner old log-probs and weights
 * @param meanAbsDelta mean |delta log-prob| over the batch's response tokens
 * @param maxAbsDelta  max |delta log-prob|
 * @param truncatedFraction fraction of tokens whose ratio exceeded C
 */
public record RolloutCorrection(List<TrainingExample> examples, double meanAbsDelta, double maxAbsDelta,
                                double truncatedFraction) {

    /** Rows scored per forward pass (bounds the learner's memory on a large batch). */
    static final int CHUNK = 16;

    /**
     * Recomputes the batch's old log-probs with {@code policy} (its weights before the update, at
     * {@code temperature}) and weights its tokens.
     */
    public static RolloutCorrection of(PolicyModel policy, List<TrainingExample> batch, double temperature,
                                       double cap) {
        List<float[]> learner = new ArrayList<>(batch.size());
        for (int from = 0; from < batch.size(); from += CHUNK) {
            List<TrainingExample> chunk = batch.subList(from, Math.min(batch.size(), from + CHUNK));
            float[][] lp = policy.tokenLogProbs(chunk.stream().map(TrainingExample::input).toList(),
                    chunk.stream().map(TrainingExample::response).toList(), temperature);
            for (float[] row : lp) {
                learner.add(row);
            }
        }
        return weigh(batch, learner, cap);
    }

    /**
     * The weights of {@code batch} (whose {@code oldLogProbs} are the rollout engine's) given the
     * learner's log-probs of the same tokens.
     */
    public static RolloutCorrection weigh(List<TrainingExample> batch, List<float[]> learnerLogProbs, double cap) {
        if (!(cap >= 1)) {
            throw new IllegalArgumentException("the cap C must be >= 1, got " + cap);
        }
        List<TrainingExample> out = new ArrayList<>(batch.size());
        double sumAbs = 0;
        double maxAbs = 0;
        long tokens = 0;
        long truncated = 0;
        for (int i = 0; i < batch.size(); i++) {
            TrainingExample e = batch.get(i);
            float[] learner = learnerLogProbs.get(i);
            int len = e.response().length;
            float[] old = new float[len];
            float[] w = new float[len];
            for (int t = 0; t < len; t++) {
                double delta = (double) learner[t] - e.oldLogProbs()[t];
                double ratio = Math.exp(delta);
                old[t] = learner[t];
                w[t] = (float) Math.min(ratio, cap);
                sumAbs += Math.abs(delta);
                maxAbs = Math.max(maxAbs, Math.abs(delta));
                if (ratio > cap) {
                    truncated++;
                }
                tokens++;
            }
            out.add(new TrainingExample(e.input(), e.response(), old, e.advantage(), w));
        }
        return new RolloutCorrection(out, tokens == 0 ? 0 : sumAbs / tokens, maxAbs,
                tokens == 0 ? 0 : (double) truncated / tokens);
    }
}
