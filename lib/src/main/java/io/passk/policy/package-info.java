/**
 * The policy &pi;<sub>&theta;</sub> on DJL / PyTorch behind {@link io.passk.policy.PolicyModel}:
 * a Hugging Face decoder {@link io.passk.policy.HfPolicy} (batched seeded sampling with KV cache,
 * token log-probs and entropy, differentiable log-probs for the learner's
 * {@link io.passk.policy.PolicyTrainer}) saved as a model directory by
 * {@link io.passk.policy.HfCheckpoint}, or with LoRA adapters on a frozen, shared base, saved as a
 * PEFT adapter directory ({@code io.passk.hf.peft.AdapterDirectory}); passk's own
 * {@link io.passk.policy.CharacterModel}, a tiny qwen2 directory over the character
 * {@link io.passk.policy.Tokenizer}'s vocabulary; {@link io.passk.policy.PolicySource}, what a
 * directory holds (an old built-in checkpoint is refused, naming its converter); the per-JVM
 * {@link io.passk.policy.PolicyCache} executors share, device and thread placement, and
 * supervised warm-up ({@code Pretrainer}, {@code PretrainRun}).
 *
 * <p>Imports: DJL, {@code hf} (model directories, the decoder, safetensors, {@code hf.peft} adapters),
 * {@code tokenizer}, {@code estimate}, {@code random}, {@code task},
 * {@code io.passk}; Spark only to learn an executor task's GPU and CPUs. Nothing of rollout,
 * advantage or train.
 *
 * <p>May import: io.passk, io.passk.estimate, io.passk.fs, io.passk.hf, io.passk.hf.decoder,
 * io.passk.hf.peft, io.passk.hf.safetensors, io.passk.progress,
 * io.passk.random, io.passk.settings, io.passk.task, io.passk.tokenizer.
 */
package io.passk.policy;
