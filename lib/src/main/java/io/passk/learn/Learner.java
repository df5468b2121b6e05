package io.passk.learn;

import io.passk.policy.PolicyModel;
import io.passk.policy.PolicyTrainer;
import io.passk.random.SeededRandom;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The driver-side update of one epoch: {@code passes} passes over the batch, each split into
 * {@code miniBatches} seeded mini-batches, one Adam step on the {@link ClippedSurrogate} each.
 * The order of the batch is a function of (seed, epoch, pass), so a resumed run repeats it.
 */
public final class Learner {

    /** What the update did: steps taken and the mean loss before each step. */
    public record Result(int steps, double meanLoss) {
    }

    private final LearnerConfig config;

    public Learner(LearnerConfig config) {
        this.config = config;
    }

    /**
     * @param reference the initial policy for the KL penalty (ignored when beta = 0; may be null)
     */
    public Result update(PolicyModel policy, PolicyTrainer trainer, PolicyModel reference, List<TrainingExample> batch,
                         long seed, long epoch) {
        if (batch.isEmpty()) {
            return new Result(0, 0.0);
        }
        int tokens = 0;
        for (TrainingExample e : batch) {
            tokens += e.response().length;
        }
        int steps = 0;
        double lossSum = 0;
        for (int pass = 0; pass < config.passes(); pass++) {
            List<TrainingExample> order = shuffled(batch, SeededRandom.key(seed, epoch, 0x1ea7L, pass));
            int per = (order.size() + config.miniBatches() - 1) / config.miniBatches();
            for (int from = 0; from < order.size(); from += per) {
                List<TrainingExample> mb = order.subList(from, Math.min(order.size(), from + per));
                int mbTokens = mb.stream().mapToInt(e -> e.response().length).sum();
                float[][] ref = null;
                if (reference != null && config.klBeta() > 0) {
                    ref = reference.tokenLogProbs(mb.stream().map(TrainingExample::input).toList(),
                            mb.stream().map(TrainingExample::response).toList(), config.temperature());
                }
                // normalise by this mini-batch's tokens: each step is a token-mean, as in docs/reference.md#policy-gradient-loss
                lossSum += trainer.step(new ClippedSurrogate(mb, ref, config, mbTokens));
                steps++;
            }
        }
        return new Result(steps, lossSum / steps);
    }

    private static List<TrainingExample> shuffled(List<TrainingExample> batch, long key) {
        List<TrainingExample> out = new ArrayList<>(batch);
        SplittableRandom rnd = new SplittableRandom(key);
        for (int i = out.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            TrainingExample t = out.get(i);
            out.set(i, out.get(j));
            out.set(j, t);
        }
        return out;
    }
}
