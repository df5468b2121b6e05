package io.passk.learn;

/**
 * One response of the epoch's training batch, as the learner needs it.
 *
 * @param input        the prompt ids the policy sees ({@code PolicyModel.encodePrompt}; the character
 *                     model's {@code BOS prompt SEP})
 * @param response     sampled token ids (EOS included when finished)
 * @param oldLogProbs  log pi_old of each sampled token: recorded at sampling time, or the learner's
 *                     recomputation when another engine sampled ({@link RolloutCorrection})
 * @param advantage    the response's advantage, broadcast to its tokens
 * @param isWeights    per-token truncated importance weights min(pi_learner_old / pi_rollout, C)
 *                     ({@link RolloutCorrection}); null when the learner's engine sampled (all 1)
 */
public record TrainingExample(int[] input, int[] response, float[] oldLogProbs, double advantage, float[] isWeights) {
    public TrainingExample {
        if (response.length != oldLogProbs.length) {
            throw new IllegalArgumentException(response.length + " tokens but " + oldLogProbs.length + " log-probs");
        }
        if (isWeights != null && isWeights.length != response.length) {
            throw new IllegalArgumentException(response.length + " tokens but " + isWeights.length + " weights");
        }
    }

    /** A response sampled by the learner's own engine (no importance weights). */
    public TrainingExample(int[] input, int[] response, float[] oldLogProbs, double advantage) {
        this(input, response, oldLogProbs, advantage, null);
    }
}
