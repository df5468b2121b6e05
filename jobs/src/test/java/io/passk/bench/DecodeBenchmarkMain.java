package io.passk.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.passk.hf.DecoderConfig;
import io.passk.hf.ModelType;
import io.passk.hf.decoder.CausalLm;
import io.passk.policy.EngineThreads;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Not a test: the decoding speed measurement of docs/benchmarks.md#decoding, at a Qwen2.5-0.5B-shaped layer
 * (hidden 896, 14 heads, 2 KV heads, head_dim 64, intermediate 4864, q/k/v biases) with random
 * weights. Arguments: layers batch promptTokens newTokens vocab threads. Run from lib/:
 * <pre>
 * mvn -o -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.passk.hf.decoder.DecodeBenchmarkMain 2 32 64 64 8192 2
 * </pre>
 */
public final class DecodeBenchmarkMain {
    private DecodeBenchmarkMain() {
    }

    private static double linearMillis(NDManager parent, int rows, int in, int out) {
        try (NDManager m = parent.newSubManager()) {
            ai.djl.ndarray.NDArray x = m.randomNormal(0, 1, new ai.djl.ndarray.types.Shape(rows, in), DataType.FLOAT32);
            ai.djl.ndarray.NDArray w = m.randomNormal(0, 0.02f, new ai.djl.ndarray.types.Shape(out, in), DataType.FLOAT32);
            for (int i = 0; i < 3; i++) {
                ai.djl.nn.core.Linear.linear(x, w).singletonOrThrow().close();
            }
            int reps = 30;
            long t = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                ai.djl.nn.core.Linear.linear(x, w).singletonOrThrow().close();
            }
            return (System.nanoTime() - t) / 1e6 / reps;
        }
    }

    public static void main(String[] args) {
        int layers = Integer.parseInt(args[0]);
        int batch = Integer.parseInt(args[1]);
        int prompt = Integer.parseInt(args[2]);
        int newTokens = Integer.parseInt(args[3]);
        int vocab = Integer.parseInt(args[4]);
        int threads = Integer.parseInt(args[5]);
        EngineThreads.configure(threads);
        DecoderConfig c = new DecoderConfig(ModelType.QWEN2, vocab, 896, 4864, layers, 14, 2, 64, 1e-6, 1e6, 32768,
                true, true, false, false, Optional.empty(), Optional.empty(), List.of(), Optional.empty());
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm model = CausalLm.build(c, (name, shape) -> name.endsWith("norm.weight")
                    ? m.ones(shape, DataType.FLOAT32)
                    : m.randomNormal(0, 0.02f, shape, DataType.FLOAT32));
            DecodeBenchmark.Result r = DecodeBenchmark.run(model, m, batch, prompt, newTokens, 8, 1);
            System.out.printf(Locale.ROOT, "layers %d, batch %d, prompt %d, new %d, vocab %d, threads %d%n",
                    layers, batch, prompt, newTokens, vocab, threads);
            System.out.printf(Locale.ROOT, "prefill %.3f s; decode %.3f s (%.3f s sampling on the host)%n",
                    r.prefillSeconds(), r.decodeSeconds(), r.samplingSeconds());
            System.out.printf(Locale.ROOT, "decode %.1f tokens/s, %.1f GFLOP/s; matmul %dx896x4864 %.1f GFLOP/s; ratio %.2f%n",
                    r.tokensPerSecond(), r.decodeGflops(), batch, r.matmulGflops(), r.fractionOfMatmul());
            // where a step's time goes: each projection of a layer alone, at this batch
            double stepMs = r.decodeSeconds() * 1000 / (newTokens - 1);
            double sum = 0;
            int[][] shapes = {{896, 896}, {896, 128}, {896, 128}, {896, 896}, {896, 4864}, {896, 4864}, {4864, 896}};
            String[] names = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};
            for (int i = 0; i < shapes.length; i++) {
                double ms = linearMillis(m, batch, shapes[i][0], shapes[i][1]);
                sum += layers * ms;
                System.out.printf(Locale.ROOT, "  %-9s %4dx%-4d %.3f ms%n", names[i], shapes[i][0], shapes[i][1], ms);
            }
            double head = linearMillis(m, batch, 896, vocab);
            sum += head;
            System.out.printf(Locale.ROOT, "  lm_head   896x%d %.3f ms%n", vocab, head);
            System.out.printf(Locale.ROOT, "step %.2f ms = %.2f ms in the projections and head alone + %.2f ms the rest"
                    + " (sampling %.2f ms)%n", stepMs, sum, stepMs - sum, r.samplingSeconds() * 1000 / newTokens);
        }
    }
}
