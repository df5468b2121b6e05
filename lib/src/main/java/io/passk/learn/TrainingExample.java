package io.passk.learn;

/**
 * One response of the epoch's training batch, as the learner needs it.
 *
 * @param input        the prompt ids the policy sees ({@code PolicyModel.encodePrompt}; the built-in
 *                     model's {@code BOS prompt SEP})
 * @param response     sampled token ids (EOS included when finished)
 * @param oldLogProbs  log pi_old of each sampled token, recorded at sampling time
 * @param advantage    the response's advantage, broadcast to its tokens
 */
public record TrainingExample(int[] input, int[] response, float[] oldLogProbs, double advantage) {
    public TrainingExample {
        if (response.length != oldLogProbs.length) {
            throw new IllegalArgumentException(response.length + " tokens but " + oldLogProbs.length + " log-probs");
        }
    }
}
