/**
 * LoRA adapters in the format of Hugging Face PEFT ({@code peft.PeftModel.save_pretrained}), so
 * that {@code PeftModel.from_pretrained} and vLLM's LoRA serving load what passk trains:
 * {@link io.passk.hf.peft.LoraConfig} (rank, alpha, dropout, target modules, with their
 * checks), {@link io.passk.hf.peft.AdapterDirectory} (the one owner of the adapter directory:
 * tensor names and shapes, {@code adapter_config.json}, {@code adapter_model.safetensors},
 * passk's {@code passk_adapter.json} with the base model's fingerprint; writer and validating
 * reader) and {@link io.passk.hf.peft.AdapterMerge} (W + scaling * B A, and the merged Hugging
 * Face directory that {@code passk export --merge} writes).
 *
 * <p>Every problem is an {@code io.passk.BadInputException} of one line naming the file and the
 * key or tensor (or the command-line option, for a bad {@code LoraConfig}).
 * Imports: {@code io.passk.BadInputException}, {@code io.passk.hf},
 * {@code io.passk.hf.safetensors}, {@code io.passk.fs}, {@code io.passk.progress}, Gson, the JDK.
 * No Spark, no DJL: the decoder that applies adapters is built on top of this package.
 *
 * <p>May import: io.passk, io.passk.fs, io.passk.hf, io.passk.hf.safetensors, io.passk.progress.
 */
package io.passk.hf.peft;
