package io.passk.policy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.passk.random.SeededRandom;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code passk bench sample}: decoding throughput with and without the KV cache at several
 * response lengths, and the model's achieved GFLOP/s next to a large matrix product timed in the
 * same run on the same engine and device (the ceiling the model's matmuls could reach).
 *
 * <p>Model FLOPs follow {@link PolicyConfig#forwardFlopsPerToken}: 2 per weight per token plus
 * the attention products over the keys the token attends to. Without the cache a step recomputes
 * every earlier position, and those FLOPs count too (they are real work, just wasted).
 */
public final class SamplingBenchmark {

    /**
     * @param config      model to time (random weights: speed does not depend on them); its
     *                    vocabulary is the tokenizer's of all registered tasks
     * @param batch       sequences decoded together
     * @param promptLen   prompt tokens per sequence
     * @param lengths     response lengths to time (every row decodes exactly this many tokens)
     * @param matmulSize  n of the n x n x n reference product
     * @param repeats     timed repetitions (the best is kept)
     */
    public record Spec(PolicyConfig config, int batch, int promptLen, int[] lengths, int matmulSize, int repeats) {
    }

    /** One timed decode. */
    public record Decode(int length, boolean kvCache, double seconds, double tokensPerSecond,
                         double msPerStep, double gflops) {
    }

    /** Everything measured. */
    public record Result(Spec spec, Device device, int threads, double matmulGflops, double forwardGflops,
                         double forwardTokensPerSecond, List<Decode> decodes) {
    }

    private SamplingBenchmark() {
    }

    /** The tokenizer of every registered task (what {@code passk pretrain} builds). */
    public static Tokenizer tokenizer() {
        return Tokenizer.forTasks(io.passk.task.Tasks.all());
    }

    public static Result run(Spec spec, Device device, PrintStream progress) {
        Tokenizer tok = tokenizer();
        double matmul = matmulGflops(device, spec.matmulSize(), spec.repeats());
        progress.printf("bench sample: %d x %d matmul on %s: %.1f GFLOP/s%n", spec.matmulSize(), spec.matmulSize(),
                device, matmul);
        List<Decode> decodes = new ArrayList<>();
        double fwdGflops;
        double fwdTps;
        try (Policy policy = Policy.create(spec.config(), tok, device)) {
            double[] fwd = forward(policy, spec);
            fwdGflops = fwd[0];
            fwdTps = fwd[1];
            progress.printf("bench sample: full forward of %d x %d tokens: %.1f GFLOP/s, %.0f tokens/s%n",
                    spec.batch(), spec.config().contextLength(), fwdGflops, fwdTps);
            for (int len : spec.lengths()) {
                for (boolean cache : new boolean[]{true, false}) {
                    Decode d = decode(policy, spec, len, cache);
                    decodes.add(d);
                    progress.printf("bench sample: length %4d %-8s %8.0f tokens/s  %7.2f ms/step  %6.1f GFLOP/s%n",
                            len, cache ? "kv-cache" : "no-cache", d.tokensPerSecond(), d.msPerStep(), d.gflops());
                }
            }
        }
        return new Result(spec, device, EngineThreads.current(), matmul, fwdGflops, fwdTps, decodes);
    }

    /** GFLOP/s of an n x n by n x n float product (2 n^3 FLOPs), best of {@code repeats}. */
    static double matmulGflops(Device device, int n, int repeats) {
        double best = Double.MAX_VALUE;
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            a.matMul(b).close();   // warm-up
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                NDArray c = a.matMul(b);
                c.toFloatArray();   // forces completion (and a GPU sync)
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                c.close();
            }
        }
        return 2.0 * n * n * (double) n / best / 1e9;
    }

    /** {GFLOP/s, tokens/s} of one full causal forward pass over batch x context tokens. */
    private static double[] forward(Policy policy, Spec spec) {
        PolicyConfig c = policy.config();
        int len = c.contextLength();
        double flops = 0;
        for (int t = 0; t < len; t++) {
            flops += spec.batch() * c.forwardFlopsPerToken(t + 1);
        }
        double best = Double.MAX_VALUE;
        double[] result = new double[2];
        double finalFlops = flops;
        Policy.withoutGradients(() -> {
            try (NDManager m = NDManager.newBaseManager(policy.device())) {
                long[] ids = new long[spec.batch() * len];
                SplittableRandom rnd = new SplittableRandom(1);
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = 4 + rnd.nextInt(c.vocabSize() - 4);
                }
                NDArray tokens = m.create(ids, new Shape(spec.batch(), len));
                ParameterStore ps = new ParameterStore(m, false);
                double bestT = Double.MAX_VALUE;
                for (int r = 0; r <= spec.repeats(); r++) {
                    try (NDManager step = m.newSubManager()) {
                        long t0 = System.nanoTime();
                        policy.model().forward(ps, new ai.djl.ndarray.NDList(tokens), false).head().toFloatArray();
                        double secs = (System.nanoTime() - t0) / 1e9;
                        if (r > 0) {   // the first run warms up
                            bestT = Math.min(bestT, secs);
                        }
                    }
                }
                result[0] = finalFlops / bestT / 1e9;
                result[1] = spec.batch() * (double) len / bestT;
            }
        });
        return result;
    }

    private static Decode decode(Policy policy, Spec spec, int length, boolean cache) {
        PolicyConfig c = policy.config();
        if (spec.promptLen() + 2 + length > c.contextLength()) {
            throw new IllegalArgumentException("prompt " + spec.promptLen() + " + length " + length
                    + " exceeds the context " + c.contextLength());
        }
        List<BatchDecoder.Row> rows = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(SeededRandom.key(7, length));
        for (int i = 0; i < spec.batch(); i++) {
            int[] input = new int[spec.promptLen() + 2];
            input[0] = Tokenizer.BOS;
            for (int j = 1; j <= spec.promptLen(); j++) {
                input[j] = 4 + rnd.nextInt(c.vocabSize() - 4);
            }
            input[input.length - 1] = Tokenizer.SEP;
            rows.add(new BatchDecoder.Row("bench-" + i, 0, input));
        }
        SamplingConfig cfg = new SamplingConfig(1, 1.0, 1.0, length, spec.batch(), 1, 0, cache);
        BatchDecoder decoder = new BatchDecoder(policy.model());
        double[] best = {Double.MAX_VALUE};
        int repeats = cache ? spec.repeats() : 1;   // recomputation is slow: once is plenty
        Policy.withoutGradients(() -> {
            try (NDManager m = NDManager.newBaseManager(policy.device())) {
                for (int r = 0; r <= repeats; r++) {
                    long t0 = System.nanoTime();
                    decoder.decode(m, rows, cfg, policy.tokenizer(), false);
                    double secs = (System.nanoTime() - t0) / 1e9;
                    if (r > 0) {
                        best[0] = Math.min(best[0], secs);
                    }
                }
            }
        });
        int p = spec.promptLen() + 2;
        double flops = 0;
        if (cache) {
            for (int t = 0; t < p; t++) {
                flops += c.forwardFlopsPerToken(t + 1);          // prefill
            }
            for (int s = 1; s < length; s++) {
                flops += c.forwardFlopsPerToken(p + s);          // one new token per step
            }
        } else {
            for (int s = 0; s < length; s++) {
                for (int t = 0; t < p + s; t++) {
                    flops += c.forwardFlopsPerToken(t + 1);      // the whole prefix again
                }
            }
        }
        flops *= spec.batch();
        double secs = best[0];
        return new Decode(length, cache, secs, spec.batch() * (double) length / secs, secs / length * 1e3,
                flops / secs / 1e9);
    }
}
