package io.passk.policy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * Gradient steps on a policy ({@link HfPolicy}: every weight, or its LoRA adapters) with Adam. One {@link #step} = build a loss from
 * differentiable per-token log-probs ({@link Batch#tokenLogProbs}), back-propagate, clip the
 * global gradient norm, update. The learner's clipped surrogate and the warm-up's cross-entropy
 * are both such losses:
 *
 * <pre>{@code
 * try (PolicyTrainer trainer = policy.newTrainer(PolicyTrainer.Settings.adam(1e-3))) {
 *     float loss = trainer.step(batch -> {
 *         TokenLogProbs lp = batch.tokenLogProbs(inputs, responses, 1.0);
 *         return lp.logProbs().sum().neg().div(lp.mask().sum());   // mean NLL
 *     });
 * }
 * }</pre>
 */
public final class PolicyTrainer implements AutoCloseable {

    /**
     * @param learningRate Adam step size
     * @param beta1        Adam first-moment decay
     * @param beta2        Adam second-moment decay
     * @param maxGradNorm  clip the global L2 norm of the gradient to this (0 = no clipping)
     */
    public record Settings(double learningRate, double beta1, double beta2, double maxGradNorm) {
        public Settings {
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
            }
        }

        public static Settings adam(double learningRate) {
            return new Settings(learningRate, 0.9, 0.999, 1.0);
        }
    }

    /** A loss built from differentiable quantities of the policy. */
    @FunctionalInterface
    public interface Objective {
        /** A scalar loss; arrays should come from {@code batch.manager()} or the log-probs. */
        NDArray loss(Batch batch);
    }

    /**
     * Differentiable log pi_T of responses after their encoded inputs, right-padded rows
     * ({@link TokenLogProbs}): what the policy gives its trainer.
     */
    @FunctionalInterface
    interface LogProbs {
        TokenLogProbs compute(NDManager m, ParameterStore ps, List<int[]> inputs, List<int[]> responses,
                              double temperature, boolean training);
    }

    /** The pieces of a policy a trainer updates: built by {@link HfPolicy}. */
    record Target(Device device, List<Parameter> parameters, LogProbs logProbs, LongSupplier step,
                  Runnable advanceStep) {
    }

    /** What an {@link Objective} may use during one step. */
    public static final class Batch {
        private final LogProbs policy;
        private final NDManager manager;
        private final ParameterStore store;

        Batch(LogProbs policy, NDManager manager, ParameterStore store) {
            this.policy = policy;
            this.manager = manager;
            this.store = store;
        }

        /** Arrays made here are freed after the step (e.g. advantages, old log-probs). */
        public NDManager manager() {
            return manager;
        }

        /**
         * log pi_T of each response token given its encoded input ({@code BOS prompt SEP}), with
         * gradients with respect to the policy's weights. Same values as the {@code logprobs}
         * {@link HfPolicy#sample} records, up to float rounding.
         */
        public TokenLogProbs tokenLogProbs(List<int[]> inputs, List<int[]> responses, double temperature) {
            return policy.compute(manager, store, inputs, responses, temperature, true);
        }
    }

    private final Target policy;
    private final Settings settings;
    private final Optimizer optimizer;
    private final List<Parameter> parameters;

    PolicyTrainer(Target policy, Settings settings) {
        this.policy = policy;
        this.settings = settings;
        this.optimizer = Adam.builder()
                .optLearningRateTracker(Tracker.fixed((float) settings.learningRate()))
                .optBeta1((float) settings.beta1())
                .optBeta2((float) settings.beta2())
                .build();
        this.parameters = policy.parameters();
        for (Parameter p : parameters) {
            p.getArray().setRequiresGradient(true);
        }
    }

    /** One optimizer step on {@code objective}; returns the loss before the update. */
    public float step(Objective objective) {
        float lossValue;
        try (NDManager m = NDManager.newBaseManager(policy.device());
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = objective.loss(new Batch(policy.logProbs(), m, new ParameterStore(m, false)));
            lossValue = loss.getFloat();
            if (!Float.isFinite(lossValue)) {
                throw new IllegalStateException("loss is " + lossValue + " at step " + policy.step().getAsLong());
            }
            collector.backward(loss);
        }
        HfPolicy.withoutGradients(this::update);
        policy.advanceStep().run();
        return lossValue;
    }

    /**
     * Clips the global gradient norm and takes one Adam step, one parameter at a time: each
     * parameter's temporaries (its squared gradient, DJL's handle on the gradient) are freed
     * before the next parameter's are made, so the update needs memory for one parameter's
     * temporaries, not for all of them (which would add 8 bytes per weight to a full fine-tune's
     * peak). The gradient is scaled in place ({@code g *= scale}, the same product as a scaled
     * copy) and zeroed after its step; the Adam state is DJL's two moments per weight.
     */
    private void update() {
        double sq = 0;
        for (Parameter p : parameters) {
            try (NDManager m = NDManager.newBaseManager(policy.device())) {
                NDArray g = p.getArray().getGradient();
                g.attach(m);
                sq += g.square().sum().getFloat();
            }
        }
        double norm = Math.sqrt(sq);
        double scale = settings.maxGradNorm() > 0 && norm > settings.maxGradNorm()
                ? settings.maxGradNorm() / norm : 1.0;
        for (Parameter p : parameters) {
            try (NDManager m = NDManager.newBaseManager(policy.device())) {
                NDArray g = p.getArray().getGradient();
                g.attach(m);
                if (scale != 1.0) {
                    g.muli(scale);
                }
                optimizer.update(p.getId(), p.getArray(), g);
                g.subi(g);   // PyTorch accumulates gradients: reset for the next step
            }
        }
    }

    @Override
    public void close() {
        for (Parameter p : parameters) {
            p.getArray().setRequiresGradient(false);
        }
    }
}
