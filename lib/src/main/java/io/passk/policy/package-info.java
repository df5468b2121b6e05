/**
 * The policy &pi;<sub>&theta;</sub> on DJL / PyTorch: {@link io.passk.policy.Policy}
 * (batched seeded sampling with KV cache, token log-probs and entropy, differentiable log-probs
 * for the learner), the character {@link io.passk.policy.Tokenizer}, atomic
 * {@link io.passk.policy.Checkpoint} directories, the per-JVM {@link io.passk.policy.PolicyCache}
 * executors share, device and thread placement, and supervised warm-up ({@code Pretrainer}).
 *
 * <p>Imports: DJL, {@code policy.nn}, {@code estimate}, {@code random}, {@code task},
 * {@code io.passk}; Spark only to learn an executor task's GPU and CPUs. Nothing of rollout,
 * advantage or train.
 */
package io.passk.policy;
