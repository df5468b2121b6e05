/**
 * The safetensors file format (https://github.com/huggingface/safetensors), read and written
 * by passk itself: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * ({@code {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}}),
 * then the data buffer that the offsets index.
 *
 * <p>Owns: {@link io.passk.hf.safetensors.SafetensorsFile} (memory-mapped reader with every
 * header check), {@link io.passk.hf.safetensors.ShardedSafetensors} (shards listed in
 * {@code model.safetensors.index.json}), {@link io.passk.hf.safetensors.SafetensorsWriter}
 * (deterministic, atomic), and {@link io.passk.hf.safetensors.HalfFloats} (BF16 / F16 to and
 * from F32). Values reach callers as {@code float[]}: DJL 0.36's PyTorch engine aborts the JVM
 * on bfloat16 tensors, so nothing narrower than F32 leaves this package.
 *
 * <p>Imports: {@code io.passk.BadInputException}, {@code io.passk.fs} (atomic output) and
 * {@code io.passk.progress}, Gson, the JDK. No Spark, no DJL.
 *
 * <p>May import: io.passk, io.passk.fs, io.passk.progress.
 */
package io.passk.hf.safetensors;
