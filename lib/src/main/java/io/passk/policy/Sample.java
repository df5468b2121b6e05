package io.passk.policy;

/**
 * One sampled response.
 *
 * @param tokens    sampled ids, the final EOS included when {@code finished}
 * @param logprobs  log pi_T(token | prefix) of each sampled token, pi_T = softmax(logits / T)
 *                  (untruncated by top-p: the quantity the learner recomputes)
 * @param entropies entropy of pi_T at each step, in nats
 * @param finished  stopped at EOS; false: hit the length limit
 * @param response  decoded text (characters before EOS)
 */
public record Sample(String problemId, int sampleIdx, int[] tokens, float[] logprobs,
                     float[] entropies, boolean finished, String response) {

    /** Mean per-token entropy (0 for an empty response). */
    public float meanEntropy() {
        if (entropies.length == 0) {
            return 0f;
        }
        double s = 0;
        for (float e : entropies) {
            s += e;
        }
        return (float) (s / entropies.length);
    }
}
