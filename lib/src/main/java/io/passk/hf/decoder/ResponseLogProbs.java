package io.passk.hf.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-token log-probabilities of given responses, right-aligned to the response start:
 * {@code logProbs} and {@code mask} are {@code (rows, maxResponseLength)}; {@code mask} is 1 on
 * real response tokens and 0 after a row's response ends (where {@code logProbs} is 0).
 * Computed with gradient recording on (a {@code GradientCollector}, parameters requiring
 * gradients), {@code logProbs} is differentiable with respect to the weights.
 */
public record ResponseLogProbs(NDArray logProbs, NDArray mask) {

    /**
     * {@code log pi_T(response_j | prompt, response_<j)} for every response token, with
     * {@code pi_T = softmax(logits / T)} (T = 1 when {@code temperature} is 0): the log pi_new of
     * the clipped surrogate in docs/reference.md#policy-gradient-loss, equal to the
     * {@code temperedLogprobs} that {@link Generator} records. One full forward over the left-padded
     * {@code prompt ++ response} rows; the head runs only at the positions that predict a response token.
     */
    public static ResponseLogProbs compute(CausalLm model, NDManager m, ParameterStore ps, List<int[]> prompts,
                                           List<int[]> responses, double temperature, boolean training) {
        return compute(model, Decodable.all(model.config().vocabSize()), m, ps, prompts, responses, temperature,
                training);
    }

    /**
     * As {@link #compute(CausalLm, NDManager, ParameterStore, List, List, double, boolean)}, with
     * {@code pi_T} renormalised over the ids of {@code decodable} ({@code log_softmax} of
     * {@code logits / T} plus {@code -inf} on every other id), as {@link Generator} samples them:
     * the scores and the sampler's recorded log-probabilities are of one distribution. With every
     * id decodable nothing is added, and the result is the unmasked one bit for bit.
     *
     * @throws IllegalArgumentException on a response token {@code decodable} excludes
     */
    public static ResponseLogProbs compute(CausalLm model, Decodable decodable, NDManager m, ParameterStore ps,
                                           List<int[]> prompts, List<int[]> responses, double temperature,
                                           boolean training) {
        if (decodable.vocab() != model.config().vocabSize()) {
            throw new IllegalArgumentException("decodable ids of a vocabulary of " + decodable.vocab()
                    + ", the model has " + model.config().vocabSize());
        }
        int n = prompts.size();
        if (responses.size() != n) {
            throw new IllegalArgumentException(n + " prompts but " + responses.size() + " responses");
        }
        List<int[]> rows = new ArrayList<>(n);
        int maxResp = 1;
        int limit = model.config().maxPositionEmbeddings();
        for (int r = 0; r < n; r++) {
            int[] p = prompts.get(r);
            int[] resp = responses.get(r);
            if (!decodable.isAll()) {
                for (int j = 0; j < resp.length; j++) {
                    if (!decodable.allows(resp[j])) {
                        // its probability is 0 under the masked policy: log pi would be -inf
                        throw new IllegalArgumentException("row " + r + ": response token " + resp[j]
                                + " is not decodable (" + decodable + ")");
                    }
                }
            }
            if (p.length == 0) {
                throw new IllegalArgumentException("row " + r + ": empty prompt");
            }
            if (p.length + resp.length > limit) {
                throw new IllegalArgumentException("row " + r + ": " + (p.length + resp.length)
                        + " tokens exceed max_position_embeddings " + limit);
            }
            int[] full = new int[p.length + resp.length];
            System.arraycopy(p, 0, full, 0, p.length);
            System.arraycopy(resp, 0, full, p.length, resp.length);
            rows.add(full);
            maxResp = Math.max(maxResp, resp.length);
        }
        LeftPadded batch = LeftPadded.of(rows, 0);
        int width = batch.width();
        long[] gatherAt = new long[n * maxResp];
        long[] targets = new long[n * maxResp];
        double[] mask = new double[n * maxResp];
        for (int r = 0; r < n; r++) {
            int start = batch.padLeft(r) + prompts.get(r).length;   // column of the first response token
            int[] resp = responses.get(r);
            for (int j = 0; j < maxResp; j++) {
                boolean real = j < resp.length;
                gatherAt[r * maxResp + j] = real ? start + j - 1 : 0;
                targets[r * maxResp + j] = real ? resp[j] : 0;
                mask[r * maxResp + j] = real ? 1 : 0;
            }
        }
        NDArray ids = batch.ids(m, 0, width);
        AttentionInput in = batch.attention(m, model.rotary(), 0, width, model.dataType());
        NDArray hidden = model.hidden(ps, ids, in, null, training);                        // (n, width, H)
        long h = hidden.getShape().get(2);
        NDArray at = m.create(gatherAt, new Shape(n, maxResp, 1)).broadcast(new Shape(n, maxResp, h));
        NDArray logits = model.head(ps, hidden.gather(at, 1), training);                   // (n, maxResp, V)
        double t = temperature > 0 ? temperature : 1.0;
        if (t != 1.0) {
            logits = logits.div(t);
        }
        if (!decodable.isAll()) {
            logits = logits.add(decodable.logitMask(m, model.dataType()));
        }
        NDArray picked = logits.logSoftmax(2).gather(m.create(targets, new Shape(n, maxResp, 1)), 2).squeeze(2);
        NDArray maskArr = Rotary.create(m, mask, new Shape(n, maxResp), model.dataType());
        return new ResponseLogProbs(picked.mul(maskArr), maskArr);
    }
}
