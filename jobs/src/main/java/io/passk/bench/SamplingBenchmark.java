package io.passk.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.passk.fs.AtomicOutput;
import io.passk.hf.DecoderConfig;
import io.passk.policy.CharacterModel;
import io.passk.policy.EngineThreads;
import io.passk.policy.HfPolicy;
import io.passk.policy.Tokenizer;
import io.passk.random.SeededRandom;
import io.passk.report.chart.LineChart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * {@code passk bench sample}: decoding throughput of passk's character model (a qwen2
 * {@link CharacterModel} of the given shape, random weights, on the Hugging Face decoder) with and
 * without the KV cache at several response lengths, and the model's achieved GFLOP/s next to a
 * large matrix product timed in the same run on the same engine and device (the ceiling the
 * model's matmuls could reach).
 *
 * <p>Model FLOPs follow {@link DecodeBenchmark#flopsPerToken}: 2 per multiply-add of the
 * projections and the head per token plus the attention products over the keys the token attends
 * to. Without the cache a step recomputes every earlier position, and those FLOPs count too (they
 * are real work, just wasted).
 */
public final class SamplingBenchmark {

    /**
     * @param shape       model to time (random weights: speed does not depend on them); its
     *                    vocabulary is the tokenizer's of all registered tasks
     * @param batch       sequences decoded together
     * @param promptLen   prompt tokens per sequence
     * @param lengths     response lengths to time (every row decodes exactly this many tokens)
     * @param matmulSize  n of the n x n x n reference product
     * @param repeats     timed repetitions (the best is kept)
     */
    public record Spec(CharacterModel.Shape shape, int batch, int promptLen, int[] lengths, int matmulSize, int repeats) {

        public Spec {
            lengths = lengths.clone();
        }

        /** Tokens per row of the full forward pass: BOS and the prompt, then the longest response. */
        public int forwardLength() {
            return promptLen + 1 + Arrays.stream(lengths).max().orElse(1);
        }
    }

    /** One timed decode. */
    public record Decode(int length, boolean kvCache, double seconds, double tokensPerSecond,
                         double msPerStep, double gflops) {
    }

    /** Everything measured. */
    public record Result(Spec spec, Device device, int threads, double matmulGflops, double forwardGflops,
                         double forwardTokensPerSecond, List<Decode> decodes) {

        public Result {
            decodes = List.copyOf(decodes);
        }

        /**
         * The figures {@code passk bench sample} prints: the reference product, the full forward
         * and one row per (length, mode) with its share of the matrix product's GFLOP/s.
         */
        public List<String> lines() {
            List<String> out = new ArrayList<>();
            out.add(String.format(Locale.ROOT, "device %s, %d threads; matmul %dx%d: %.1f GFLOP/s", device, threads,
                    spec.matmulSize(), spec.matmulSize(), matmulGflops));
            out.add(String.format(Locale.ROOT, "full forward %d x %d tokens: %.1f GFLOP/s (%.0f%% of matmul), %.0f tokens/s",
                    spec.batch(), spec.forwardLength(), forwardGflops, 100 * forwardGflops / matmulGflops,
                    forwardTokensPerSecond));
            out.add(String.format(Locale.ROOT, "%8s %9s %12s %10s %9s %9s", "length", "mode", "tokens/s", "ms/step",
                    "GFLOP/s", "%matmul"));
            for (Decode d : decodes) {
                out.add(String.format(Locale.ROOT, "%8d %9s %12.0f %10.2f %9.1f %8.0f%%", d.length(), mode(d.kvCache()),
                        d.tokensPerSecond(), d.msPerStep(), d.gflops(), 100 * d.gflops() / matmulGflops));
            }
            return out;
        }
    }

    private SamplingBenchmark() {
    }

    /** The tokenizer of every registered task (what {@code passk pretrain} builds). */
    public static Tokenizer tokenizer() {
        return Tokenizer.forTasks(io.passk.task.Tasks.all());
    }

    /** GPU 0 when asked for and the engine has one, else the CPU. */
    public static Device device(boolean gpu) {
        return gpu && Engine.getInstance().getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
    }

    /** A fresh character model of {@code shape} (seed 1) written into the empty {@code dir}, loaded on {@code device}. */
    static HfPolicy loadFresh(Path dir, CharacterModel.Shape shape, Device device) {
        CharacterModel.write(dir, tokenizer(), shape, 1);
        return HfPolicy.load(dir, device);
    }

    /**
     * Times the reference product, the full forward and every (length, mode) decode, then the
     * product again (the better of the two is the reference: on a shared machine this keeps the
     * ratios conservative).
     *
     * @param progress receives one line per measurement as it is taken
     */
    public static Result run(Spec spec, Device device, Consumer<String> progress) {
        CharacterModel.Shape c = spec.shape();
        progress.accept(String.format(Locale.ROOT, "bench sample: %s, %d threads, qwen2 character model, %d layers"
                        + " x width %d (%d heads), batch %d, prompt %d", device, EngineThreads.current(), c.layers(),
                c.width(), c.heads(), spec.batch(), spec.promptLen()));
        double matmul = matmulGflops(device, spec.matmulSize(), spec.repeats());
        progress.accept(String.format(Locale.ROOT, "bench sample: %d x %d matmul on %s: %.1f GFLOP/s",
                spec.matmulSize(), spec.matmulSize(), device, matmul));
        List<Decode> decodes = new ArrayList<>();
        double[] fwd;
        Path dir;
        try {
            dir = Files.createTempDirectory("passk-bench-sample");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
        try (HfPolicy policy = loadFresh(dir, c, device)) {
            fwd = forward(policy, spec);
            progress.accept(String.format(Locale.ROOT, "bench sample: full forward of %d x %d tokens: %.1f GFLOP/s, "
                    + "%.0f tokens/s", spec.batch(), spec.forwardLength(), fwd[0], fwd[1]));
            for (int len : spec.lengths()) {
                for (boolean cache : new boolean[] {true, false}) {
                    Decode d = decode(policy, spec, len, cache);
                    decodes.add(d);
                    progress.accept(String.format(Locale.ROOT, "bench sample: length %4d %-8s %8.0f tokens/s  "
                                    + "%7.2f ms/step  %6.1f GFLOP/s", len, mode(cache), d.tokensPerSecond(),
                            d.msPerStep(), d.gflops()));
                }
            }
        } finally {
            AtomicOutput.deleteRecursively(dir);
        }
        double matmulAfter = matmulGflops(device, spec.matmulSize(), spec.repeats());
        progress.accept(String.format(Locale.ROOT, "bench sample: matmul again after the decodes: %.1f GFLOP/s",
                matmulAfter));
        return new Result(spec, device, EngineThreads.current(), Math.max(matmul, matmulAfter), fwd[0], fwd[1],
                decodes);
    }

    /** Writes a PNG: decoded tokens/s against response length (log y), with and without the cache. */
    public static void plot(Result r, Path png) throws java.io.IOException {
        List<Decode> cached = r.decodes().stream().filter(Decode::kvCache).toList();
        List<Decode> full = r.decodes().stream().filter(d -> !d.kvCache()).toList();
        LineChart.Builder chart = LineChart.builder()
                .title(String.format(Locale.ROOT, "Decoding, batch %d, %d layers x %d (%s, %d threads)",
                        r.spec().batch(), r.spec().shape().layers(), r.spec().shape().width(), r.device(),
                        r.threads()))
                .xLabel("response length (tokens)").yLabel("tokens / s (log)").logY(true)
                .series("KV cache", lengths(cached), tokensPerSecond(cached))
                .series("no cache (recompute prefix)", lengths(full), tokensPerSecond(full));
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        chart.writePng(png, 800, 500);
    }

    private static double[] lengths(List<Decode> ds) {
        return ds.stream().mapToDouble(Decode::length).toArray();
    }

    private static double[] tokensPerSecond(List<Decode> ds) {
        return ds.stream().mapToDouble(Decode::tokensPerSecond).toArray();
    }

    private static String mode(boolean kvCache) {
        return kvCache ? "kv-cache" : "no-cache";
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

    /**
     * {GFLOP/s, tokens/s} of one full causal forward pass over batch x (prompt + longest response)
     * tokens: what the learner's scoring pass and the prefill do. The first run warms up.
     */
    private static double[] forward(HfPolicy policy, Spec spec) {
        DecoderConfig c = policy.model().config();
        int len = spec.forwardLength();
        double flops = 0;
        for (int t = 0; t < len; t++) {
            flops += spec.batch() * DecodeBenchmark.flopsPerToken(c, t + 1);
        }
        long[] ids = new long[spec.batch() * len];
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 4 + rnd.nextInt(c.vocabSize() - 4);
        }
        double best;
        try (TimedDecoding.Work work = TimedDecoding.forward(policy, ids, spec.batch(), len)) {
            best = bestSeconds(work, spec.repeats());
        }
        return new double[] {flops / best / 1e9, spec.batch() * (double) len / best};
    }

    private static Decode decode(HfPolicy policy, Spec spec, int length, boolean cache) {
        DecoderConfig c = policy.model().config();
        if (spec.promptLen() + 1 + length > c.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("prompt " + spec.promptLen() + " + length " + length
                    + " exceeds the context " + c.maxPositionEmbeddings());
        }
        List<int[]> inputs = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(SeededRandom.key(7, length));
        for (int i = 0; i < spec.batch(); i++) {
            int[] input = new int[spec.promptLen() + 1];
            input[0] = Tokenizer.BOS;
            for (int j = 1; j <= spec.promptLen(); j++) {
                input[j] = 4 + rnd.nextInt(c.vocabSize() - 4);
            }
            inputs.add(input);
        }
        int repeats = cache ? spec.repeats() : 1;   // recomputation is slow: once is plenty
        double secs;
        try (TimedDecoding.Work work = TimedDecoding.decode(policy, inputs, length, cache)) {
            secs = bestSeconds(work, repeats);
        }
        double flops = decodeFlops(c, spec.batch(), spec.promptLen() + 1, length, cache);
        return new Decode(length, cache, secs, spec.batch() * (double) length / secs, secs / length * 1e3,
                flops / secs / 1e9);
    }

    /** Runs {@code work} once untimed (warm-up), then {@code repeats} times; the fastest in seconds. */
    private static double bestSeconds(TimedDecoding.Work work, int repeats) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r <= repeats; r++) {
            long t0 = System.nanoTime();
            work.run();
            double secs = (System.nanoTime() - t0) / 1e9;
            if (r > 0) {
                best = Math.min(best, secs);
            }
        }
        return best;
    }

    /**
     * FLOPs of decoding {@code length} tokens after a {@code p}-token input for {@code batch}
     * rows. With the cache: the prefill (token t attends to t keys) and then one new token per
     * step; without it, step s reruns the whole prefix of p + s tokens.
     */
    static double decodeFlops(DecoderConfig c, int batch, int p, int length, boolean cache) {
        double flops = 0;
        if (cache) {
            for (int t = 0; t < p; t++) {
                flops += DecodeBenchmark.flopsPerToken(c, t + 1);          // prefill
            }
            for (int s = 1; s < length; s++) {
                flops += DecodeBenchmark.flopsPerToken(c, p + s);          // one new token per step
            }
        } else {
            for (int s = 0; s < length; s++) {
                for (int t = 0; t < p + s; t++) {
                    flops += DecodeBenchmark.flopsPerToken(c, t + 1);      // the whole prefix again
                }
            }
        }
        return flops * batch;
    }
}
