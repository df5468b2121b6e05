/**
 * Benchmarks and their synthetic data: the timed runs behind {@code passk bench} (throughput
 * figures for docs/benchmarks.md, each timed against a reference measured in the same run) and the
 * generated inputs they time. The {@code passk bench} commands only parse, validate and print;
 * the work, the FLOP counts and the figures they print are here.
 *
 * <p>Owns: {@link io.passk.bench.SamplingBenchmark} (decoding tokens/s with and without the KV
 * cache, model GFLOP/s against a matrix product, on the character model) on {@link io.passk.bench.TimedDecoding}'s
 * prepared work, the Hugging Face decoder's {@link io.passk.bench.DecodeBenchmark} and its
 * comparison with a plain PyTorch Qwen2 ({@link io.passk.bench.TorchPeerBenchmark}, whose Python
 * peer script is a resource beside it; peak memory from {@link io.passk.bench.PeakMemory}), the
 * eval benchmark and its synthetic answers.
 *
 * <p>In the jobs module, outside the library jar: may import every lib package (the policy's
 * decoder, eval, the charts of {@code io.passk.report.chart}), DJL and Spark. Nothing in lib
 * imports this package: training and evaluation never depend on a benchmark.
 *
 * <p>May import: io.passk.eval, io.passk.fs, io.passk.hf, io.passk.hf.decoder, io.passk.hf.safetensors,
 * io.passk.policy, io.passk.progress, io.passk.random, io.passk.report.chart,
 * io.passk.rollout.server, io.passk.serve, io.passk.spark, io.passk.task.
 */
package io.passk.bench;
