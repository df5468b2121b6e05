/**
 * The Hugging Face decoder as DJL blocks: {@code qwen2}, {@code llama}, {@code qwen3}, {@code gpt2} and
 * {@code mistral} (without sliding window) run by one parametrised {@link io.passk.hf.decoder.CausalLm},
 * whose parameters carry the Hugging Face tensor names ({@code model.layers.0.self_attn.q_proj.weight}, ...).
 *
 * <p>Owns: the blocks ({@link io.passk.hf.decoder.RmsNorm}, {@link io.passk.hf.decoder.HfLinear} (also in
 * GPT-2's {@code Conv1D} layout), gpt2's {@link io.passk.hf.decoder.HfLayerNorm} and
 * {@link io.passk.hf.decoder.GeluMlp} and learned positions,
 * {@link io.passk.hf.decoder.Attention} with grouped-query heads and optional q/k norm,
 * {@link io.passk.hf.decoder.Mlp}, {@link io.passk.hf.decoder.HfDecoderLayer}), LoRA adapters on the
 * projections ({@link io.passk.hf.decoder.LoraAdapter}, parameters under PEFT's names, attached to a
 * {@link io.passk.hf.decoder.CausalLm#sharing sharing} copy of a frozen base), rotary embeddings
 * ({@link io.passk.hf.decoder.Rotary}), left-padded batches ({@link io.passk.hf.decoder.LeftPadded},
 * {@link io.passk.hf.decoder.AttentionInput}), incremental decoding with the key/value cache
 * ({@link io.passk.hf.decoder.DecodingSession}, {@link io.passk.hf.decoder.HfKvCache}), sampling
 * ({@link io.passk.hf.decoder.Sampler}, {@link io.passk.hf.decoder.Generator}), differentiable
 * log-probabilities of given responses ({@link io.passk.hf.decoder.ResponseLogProbs}). The
 * decoding speed measurement that times them is the jobs module's {@code io.passk.bench.DecodeBenchmark}.
 *
 * <p>Weights reach DJL as F32 (or F64 for gradient checks) only: the safetensors reader widens
 * BF16 / F16 on the host, because DJL 0.36's PyTorch engine aborts the JVM on bfloat16 arrays.
 *
 * <p>Imports: {@code io.passk.hf}, {@code io.passk.hf.safetensors}, {@code io.passk.random},
 * {@code io.passk.BadInputException}, DJL and the JDK. No Spark; nothing from {@code io.passk.policy}
 * (the policy will be built on top of this package).
 *
 * <p>May import: io.passk.hf, io.passk.hf.safetensors, io.passk.random.
 */
package io.passk.hf.decoder;
