/**
 * Hugging Face model directories as passk reads them: {@code config.json} of a {@code qwen2},
 * {@code llama}, {@code qwen3}, {@code mistral} or {@code gpt2} decoder ({@link io.passk.hf.DecoderConfig}),
 * the weights in {@code model.safetensors} or shards ({@link io.passk.hf.DecoderTensors} says
 * which tensors, by Hugging Face name and shape), {@code tokenizer.json} /
 * {@code tokenizer_config.json} ({@link io.passk.hf.TokenizerFiles}) and the optional
 * {@code generation_config.json} ({@link io.passk.hf.GenerationConfig}).
 * {@link io.passk.hf.ModelDirectory} opens and checks all of it, before anything is loaded.
 *
 * <p>Owns: validation and parsing of those files. Every problem is an
 * {@code io.passk.BadInputException} of one line naming the file and the key or tensor.
 * Imports: {@code io.passk.BadInputException}, {@code io.passk.hf.safetensors}, Gson, the JDK.
 * No Spark, no DJL: the decoder that runs these weights is built on top of this package.
 *
 * <p>May import: io.passk, io.passk.hf.safetensors.
 */
package io.passk.hf;
