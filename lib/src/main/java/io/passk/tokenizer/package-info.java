/**
 * Text to token ids and back for Hugging Face models, and the prompt the model sees.
 *
 * <p>{@link io.passk.tokenizer.TextTokenizer} is the policy's view of a tokenizer;
 * {@link io.passk.tokenizer.HfTokenizer} implements it over a {@code tokenizer.json} with the
 * Rust tokenizers library (DJL's {@code ai.djl.huggingface:tokenizers}). A
 * {@link io.passk.tokenizer.PromptTemplate}, chosen per run, turns a task's prompt into ids:
 * {@code plain} (the text as is, optionally after the bos token) or {@code chat} (system + user
 * message through the model's chat template, {@link io.passk.tokenizer.ChatTemplate}: ChatML
 * as Qwen2 / Qwen2.5 / Qwen3 use it and Llama 3 / 3.1's header format rendered in Java,
 * other templates with Jinjava where it can, refused by name where it cannot).
 *
 * <p>Owns: tokenizer.json loading and checks, chat-template recognition and rendering. Every
 * problem is an {@code io.passk.BadInputException} of one line naming the file or setting.
 * Imports: {@code io.passk.BadInputException}, {@code io.passk.hf} (the directory's
 * tokenizer files), DJL's tokenizers package (not the DJL engine API), Jinjava, Gson, the JDK.
 * No Spark.
 *
 * <p>May import: io.passk, io.passk.hf.
 */
package io.passk.tokenizer;
