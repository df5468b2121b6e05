package io.passk.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import io.passk.hf.DecoderConfig;
import io.passk.hf.decoder.CausalLm;
import io.passk.hf.decoder.DecodingSession;
import io.passk.hf.decoder.Sampler;
import io.passk.random.SeededRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measures KV-cache decoding against a plain matmul timed in the same run: a batch of random
 * prompts is prefilled, then decoded one token per row per step (sampled at T = 1, no stop), and
 * after every step the matmul {@code (batch x hidden) @ (hidden x intermediate)} (the shape of
 * one MLP projection at that batch) runs about as many FLOPs as the step, on the same threads.
 * Interleaving them puts both under the same machine load, so the ratio of the two GFLOP/s (how
 * much of the hardware's matmul speed decoding keeps) is stable on a shared machine.
 *
 * <p>Decoding FLOPs count multiply-adds as 2: per row and step, for each layer
 * {@code 2 (hidden * (qDim + 2 kvDim) + qDim * hidden + 3 hidden * intermediate)} for the
 * projections and {@code 4 qDim * keys} for attention over {@code keys} cached columns, plus
 * {@code 2 hidden * vocab} for the head.
 */
public final class DecodeBenchmark {

    /**
     * @param decodeSeconds   wall time of the decoding steps (forward and sampling), prefill excluded
     * @param samplingSeconds of which on the host choosing tokens
     * @param decodeGflops    FLOPs of the decoding forwards / decodeSeconds
     * @param matmulGflops    the reference matmul's GFLOP/s
     */
    public record Result(int batch, int promptTokens, int newTokens, double prefillSeconds, double decodeSeconds,
                         double samplingSeconds, double tokensPerSecond, double decodeGflops, double matmulGflops) {

        /** decodeGflops / matmulGflops. */
        public double fractionOfMatmul() {
            return decodeGflops / matmulGflops;
        }
    }

    private DecodeBenchmark() {
    }

    /** FLOPs of one decoded token of one row that attends to {@code keys} columns. */
    public static double flopsPerToken(DecoderConfig c, int keys) {
        double h = c.hiddenSize();
        double perLayer = 2 * (h * (c.qDim() + 2.0 * c.kvDim()) + c.qDim() * h + 3 * h * c.intermediateSize())
                + 4.0 * c.qDim() * keys;
        return c.numHiddenLayers() * perLayer + 2 * h * c.vocabSize();
    }

    /** Runs the measurement; {@code warmupTokens} steps are decoded and discarded first. */
    public static Result run(CausalLm model, NDManager manager, int batch, int promptTokens, int newTokens,
                             int warmupTokens, long seed) {
        DecoderConfig c = model.config();
        SplittableRandom rng = new SplittableRandom(seed);
        List<int[]> prompts = new ArrayList<>();
        for (int r = 0; r < batch; r++) {
            prompts.add(rng.ints(promptTokens, 0, c.vocabSize()).toArray());
        }
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            if (warmupTokens > 0) {
                decode(model, manager, prompts, warmupTokens, seed);
            }
            double[] t = decode(model, manager, prompts, newTokens, seed);
            double flops = 0;
            for (int s = 1; s < newTokens; s++) {
                flops += batch * flopsPerToken(c, promptTokens + s);
            }
            return new Result(batch, promptTokens, newTokens, t[0], t[1], t[2], batch * (newTokens - 1) / t[1],
                    flops / t[1] / 1e9, t[4] / t[3] / 1e9);
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /**
     * {prefill, steps, sampling, matmul seconds, matmul FLOPs}: newTokens draws, newTokens - 1
     * cached forward steps, each followed by the reference matmul (not counted in the steps).
     */
    private static double[] decode(CausalLm model, NDManager manager, List<int[]> prompts, int newTokens, long seed) {
        DecoderConfig c = model.config();
        int vocab = c.vocabSize();
        Sampler sampler = new Sampler(1.0, 1.0);
        int rows = prompts.size();
        int width = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        double matmulFlops = 2.0 * rows * c.hiddenSize() * c.intermediateSize();
        int reps = (int) Math.max(1, Math.round(rows * flopsPerToken(c, width) / matmulFlops));
        long matmulNanos = 0;
        long matmulCount = 0;
        try (NDManager mm = manager.newSubManager();
             DecodingSession session = new DecodingSession(model, manager, prompts, newTokens, true)) {
            NDArray x = mm.randomNormal(0, 1, new Shape(rows, c.hiddenSize()), model.dataType());
            NDArray w = mm.randomNormal(0, 0.02f, new Shape(c.intermediateSize(), c.hiddenSize()), model.dataType());
            Linear.linear(x, w).singletonOrThrow().close();
            long t0 = System.nanoTime();
            float[] logits = session.logits();
            long t1 = System.nanoTime();
            long sampling = 0;
            int[] next = new int[rows];
            for (int s = 0; s < newTokens; s++) {
                long a = System.nanoTime();
                for (int r = 0; r < rows; r++) {
                    next[r] = sampler.choose(logits, r * vocab, vocab,
                            SeededRandom.uniform(SeededRandom.key(seed, r, s))).token();
                }
                sampling += System.nanoTime() - a;
                if (s < newTokens - 1) {
                    session.append(next);
                    logits = session.logits();
                    long b = System.nanoTime();
                    for (int i = 0; i < reps; i++) {
                        Linear.linear(x, w).singletonOrThrow().close();
                    }
                    matmulNanos += System.nanoTime() - b;
                    matmulCount += reps;
                }
            }
            long t2 = System.nanoTime();
            return new double[]{(t1 - t0) / 1e9, (t2 - t1 - matmulNanos) / 1e9, sampling / 1e9, matmulNanos / 1e9,
                    matmulCount * matmulFlops};
        }
    }
}
