package io.passk.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.passk.policy.PolicyTrainer;
import io.passk.policy.TokenLogProbs;

import java.util.List;

/**
 * Token-level clipped surrogate (docs/reference.md#policy-gradient-loss):
 * <pre>
 *   ratio_t = exp(logp_new_t - logp_old_t)
 *   L = - mean_t min(ratio_t A, clip(ratio_t, 1 - eps_low, 1 + eps_high) A) + beta KL_k3(pi || pi_ref)
 * </pre>
 * summed over the response tokens of the batch it is given and divided by {@code tokensInBatch}
 * ({@link Learner} gives one mini-batch and its own token count, so each optimiser step is a
 * token mean over that mini-batch).
 * {@code A} is the response's advantage broadcast to its tokens; the k3 estimator is
 * {@code exp(ref - new) - (ref - new) - 1}. When another engine sampled the batch, each token's
 * surrogate term is multiplied by its truncated importance weight {@code w_t}
 * ({@link RolloutCorrection}); the KL term is not weighted.
 */
public final class ClippedSurrogate implements PolicyTrainer.Objective {

    private final List<TrainingExample> batch;
    private final float[][] referenceLogProbs;
    private final LearnerConfig config;
    private final int tokensInBatch;

    /**
     * @param referenceLogProbs log pi_ref per token (null when beta = 0)
     * @param tokensInBatch     the normaliser: the response tokens of {@code batch} for a token
     *                          mean (what {@link Learner} passes)
     */
    public ClippedSurrogate(List<TrainingExample> batch, float[][] referenceLogProbs, LearnerConfig config,
                            int tokensInBatch) {
        this.batch = batch;
        this.referenceLogProbs = referenceLogProbs;
        this.config = config;
        this.tokensInBatch = Math.max(1, tokensInBatch);
    }

    @Override
    public NDArray loss(PolicyTrainer.Batch b) {
        NDManager m = b.manager();
        TokenLogProbs lp = b.tokenLogProbs(
                batch.stream().map(TrainingExample::input).toList(),
                batch.stream().map(TrainingExample::response).toList(),
                config.temperature());
        NDArray newLp = lp.logProbs();
        NDArray mask = lp.mask();
        int rows = batch.size();
        int width = (int) newLp.getShape().get(1);
        float[] old = new float[rows * width];
        float[] adv = new float[rows * width];
        float[] ref = referenceLogProbs == null ? null : new float[rows * width];
        boolean weighted = batch.stream().anyMatch(e -> e.isWeights() != null);
        float[] w = weighted ? new float[rows * width] : null;
        for (int r = 0; r < rows; r++) {
            TrainingExample e = batch.get(r);
            for (int t = 0; t < e.response().length; t++) {
                old[r * width + t] = e.oldLogProbs()[t];
                adv[r * width + t] = (float) e.advantage();
                if (w != null) {
                    w[r * width + t] = e.isWeights() == null ? 1f : e.isWeights()[t];
                }
                if (ref != null) {
                    ref[r * width + t] = referenceLogProbs[r][t];
                }
            }
        }
        Shape shape = new Shape(rows, width);
        NDArray a = m.create(adv, shape);
        NDArray ratio = newLp.sub(m.create(old, shape)).exp();
        NDArray clipped = ratio.clip((float) (1.0 - config.clipLow()), (float) (1.0 + config.clipHigh()));
        NDArray surrogate = ratio.mul(a).minimum(clipped.mul(a)).mul(mask);
        if (w != null) {
            surrogate = surrogate.mul(m.create(w, shape));
        }
        // float scalars throughout: a double scalar would promote the loss to float64
        NDArray loss = surrogate.sum().neg().div((float) tokensInBatch);
        if (ref != null && config.klBeta() > 0) {
            NDArray diff = m.create(ref, shape).sub(newLp);              // log ref - log new
            NDArray k3 = diff.exp().sub(diff).sub(1f).mul(mask);
            loss = loss.add(k3.sum().mul((float) (config.klBeta() / tokensInBatch)));
        }
        return loss;
    }
}
