/**
 * Rollouts from OpenAI-compatible inference servers speaking vLLM's {@code /v1/completions}
 * ({@link io.passk.rollout.server.VllmProtocol}): the HTTP client with retries, backoff and
 * failover ({@link io.passk.rollout.server.ServerClient}), a Spark task's sampler
 * ({@link io.passk.rollout.server.ServerSampler}), the per-executor server started from a
 * command template ({@link io.passk.rollout.server.ManagedServer}) and which server and served
 * model sample a policy path, LoRA adapters included ({@link io.passk.rollout.server.ServerPolicy}),
 * and where a run's rollouts come from ({@link io.passk.rollout.server.RolloutConfig}: the in-JVM
 * decoder or servers, the settings of {@code io.passk.settings.RolloutSettings}).
 *
 * <p>Imports: the JDK's {@code java.net.http}, Gson, Spark (the task's GPU and partition only),
 * {@code policy} (the text side, {@code Sample}, the draw key), {@code hf.peft} (adapter
 * directories), {@code random}, {@code settings} (the rollout settings), {@code io.passk}. No DJL.
 *
 * <p>May import: io.passk, io.passk.hf.peft, io.passk.policy, io.passk.random, io.passk.settings.
 */
package io.passk.rollout.server;
