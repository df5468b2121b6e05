package io.passk.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.passk.hf.ModelDirectory;
import io.passk.hf.decoder.CausalLm;
import io.passk.hf.decoder.DecodingSession;
import io.passk.hf.decoder.Sampler;
import io.passk.policy.EngineThreads;
import io.passk.policy.HfPolicy;
import io.passk.policy.PolicyTrainer;
import io.passk.policy.TokenLogProbs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The Hugging Face decoder against a plain eager PyTorch Qwen2 forward
 * ({@code qwen2_torch_peer.py}, a resource beside this class, run by a separate Python process
 * with the same thread count), on the same model files, the same prompts and the same work,
 * the two sides alternating (Java, PyTorch, Java, ...) so that both see the same machine load:
 *
 * <ul>
 *   <li><b>prefill</b>: {@code batch} prompts of {@code promptTokens} random ids through the
 *       model with the key/value cache, the head at the last column, the logits on the host;
 *       wall time, and the process's peak resident memory while it runs (weights included);</li>
 *   <li><b>decode</b>: {@code newTokens - 1} cached steps of one greedy token per row, each
 *       choice with its log-probability and entropy (what a sampler records); tokens/s over the
 *       steps, and the chosen ids, compared between the sides;</li>
 *   <li><b>learner</b>: {@code learnerSteps} steps of forward (no cache) + log-softmax at the
 *       response positions + mean negative log-likelihood + backward + global gradient-norm clip
 *       to 1 + Adam over every weight, on {@code learnerRows} rows of
 *       {@code learnerPrompt + learnerResponse} random ids ({@link HfPolicy}'s trainer on the Java
 *       side); tokens/s of the steps after the first (which allocates Adam's state), and the peak
 *       resident memory over all of them.</li>
 * </ul>
 *
 * <p>Peak memory is the kernel's high-water mark of the process's resident set ({@code VmHWM}),
 * reset (by writing 5 to {@code /proc/self/clear_refs}) once the weights are loaded, after a full
 * GC on the Java side (so that the heap arrays the loader read the weights through are not
 * counted) and {@code malloc_trim(0)} on both (so that what an earlier phase freed is not). It includes what each runtime keeps resident besides the tensors (the JVM's heap and
 * code, Python and its modules).
 */
public final class TorchPeerBenchmark {
    /** The peer script, a resource beside this class. */
    public static final String SCRIPT = "qwen2_torch_peer.py";

    /**
     * @param threads         PyTorch intra-op threads on both sides
     * @param repeats         alternations of the two sides
     * @param learnerSteps    0 skips the learner
     */
    public record Spec(int threads, int batch, int promptTokens, int newTokens, int learnerRows, int learnerPrompt,
                       int learnerResponse, int learnerSteps, double learningRate, int repeats, long seed) {
    }

    /**
     * One side's figures from one run; {@code cpuSeconds}: the process's CPU time in prefill,
     * decode and the learner's steps after the first (all threads: on a loaded machine, at one
     * thread, a measure of the work that waiting for a core does not inflate).
     */
    public record Side(String name, double prefillSeconds, long prefillPeakBytes, double decodeSeconds,
                       int[][] tokens, double[] learnerStepSeconds, long learnerPeakBytes, double[] learnerLosses,
                       double[] cpuSeconds) {

        /** Decoded tokens per second over the cached steps (prefill excluded). */
        public double decodeTokensPerSecond() {
            return tokens.length * (tokens[0].length - 1) / decodeSeconds;
        }

        /** The median step time after the first step (the first alone when there is one). */
        public double learnerSeconds() {
            double[] s = learnerStepSeconds.length > 1
                    ? Arrays.copyOfRange(learnerStepSeconds, 1, learnerStepSeconds.length) : learnerStepSeconds.clone();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }
    }

    /** Every run of both sides, in the order they ran. */
    public record Result(Spec spec, List<Side> java, List<Side> torch) {
    }

    private TorchPeerBenchmark() {
    }

    /** Copies the peer script out of the jar into {@code dir}. */
    public static Path extractScript(Path dir) {
        try (InputStream in = TorchPeerBenchmark.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException("resource " + SCRIPT + " missing from the jar");
            }
            Path out = dir.resolve(SCRIPT);
            Files.copy(in, out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a random Qwen2.5-0.5B-shaped model directory of {@code layers} layers with the peer script. */
    public static void writeRandomModel(String python, Path script, Path dir, int layers, int vocab, long seed) {
        run(List.of(python, script.toString(), "write", dir.toString(), "--layers", Integer.toString(layers),
                "--vocab", Integer.toString(vocab), "--seed", Long.toString(seed)));
    }

    /** The prompts and learner rows of a spec (random ids below {@code vocab}, from the seed), as the peer reads them. */
    static JsonObject work(Spec s, int vocab) {
        SplittableRandom rng = new SplittableRandom(s.seed());
        JsonObject w = new JsonObject();
        w.add("prompts", ids(rng, s.batch(), s.promptTokens(), vocab));
        w.addProperty("new_tokens", s.newTokens());
        w.add("learner_prompts", ids(rng, s.learnerSteps() > 0 ? s.learnerRows() : 0, s.learnerPrompt(), vocab));
        w.add("learner_responses", ids(rng, s.learnerSteps() > 0 ? s.learnerRows() : 0, s.learnerResponse(), vocab));
        w.addProperty("learner_steps", s.learnerSteps());
        w.addProperty("learning_rate", s.learningRate());
        return w;
    }

    private static JsonArray ids(SplittableRandom rng, int rows, int length, int vocab) {
        JsonArray out = new JsonArray();
        for (int r = 0; r < rows; r++) {
            JsonArray row = new JsonArray();
            rng.ints(length, 0, vocab).forEach(row::add);
            out.add(row);
        }
        return out;
    }

    private static List<int[]> rows(JsonArray a) {
        List<int[]> out = new ArrayList<>();
        for (JsonElement r : a) {
            JsonArray row = r.getAsJsonArray();
            int[] ids = new int[row.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = row.get(i).getAsInt();
            }
            out.add(ids);
        }
        return out;
    }

    /**
     * Runs both sides {@code spec.repeats()} times, alternating, on the model directory {@code dir}
     * (qwen2; F32 or BF16 safetensors in one file, which the peer reads).
     */
    public static Result run(Spec spec, Path dir, String python, Path script, Path workDir, Consumer<String> progress) {
        int vocab;
        try (ModelDirectory md = ModelDirectory.open(dir)) {
            vocab = md.config().vocabSize();
        }
        JsonObject work = work(spec, vocab);
        Path workFile = workDir.resolve("work.json");
        try {
            Files.writeString(workFile, work.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Side> java = new ArrayList<>();
        List<Side> torch = new ArrayList<>();
        for (int rep = 0; rep < spec.repeats(); rep++) {
            progress.accept(String.format(Locale.ROOT, "bench sample: run %d/%d: Java", rep + 1, spec.repeats()));
            java.add(javaSide(spec, dir, work));
            progress.accept(describe(java.get(rep)));
            progress.accept(String.format(Locale.ROOT, "bench sample: run %d/%d: PyTorch", rep + 1, spec.repeats()));
            torch.add(torchSide(python, script, dir, workFile, spec.threads()));
            progress.accept(describe(torch.get(rep)));
        }
        return new Result(spec, java, torch);
    }

    private static String describe(Side s) {
        return String.format(Locale.ROOT, "  %s: prefill %.3f s, peak %.2f GB; decode %.1f tokens/s%s", s.name(),
                s.prefillSeconds(), s.prefillPeakBytes() / 1e9, s.decodeTokensPerSecond(),
                s.learnerStepSeconds().length == 0 ? "" : String.format(Locale.ROOT,
                        "; learner steps %s s, peak %.2f GB", Arrays.toString(Arrays.stream(s.learnerStepSeconds())
                                .map(x -> Math.round(x * 1000) / 1000.0).toArray()), s.learnerPeakBytes() / 1e9));
    }

    /** The Java side in this JVM: the decoder ({@link DecodingSession}, greedy {@link Sampler}), then {@link HfPolicy}'s trainer. */
    static Side javaSide(Spec spec, Path dir, JsonObject work) {
        EngineThreads.configure(spec.threads());
        List<int[]> prompts = rows(work.getAsJsonArray("prompts"));
        int newTokens = spec.newTokens();
        double prefill;
        long prefillPeak;
        double decode;
        double[] cpu = new double[3];
        int[][] tokens = new int[prompts.size()][newTokens];
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            CausalLm model;
            try (ModelDirectory md = ModelDirectory.open(dir)) {
                model = CausalLm.load(md, m, DataType.FLOAT32);
            }
            int vocab = model.config().vocabSize();
            Sampler greedy = new Sampler(0, 1);
            settle();
            try (DecodingSession session = new DecodingSession(model, m, prompts, newTokens, true)) {
                long c0 = cpuNanos();
                long t0 = System.nanoTime();
                float[] logits = session.logits();
                long t1 = System.nanoTime();
                long c1 = cpuNanos();
                prefillPeak = PeakMemory.peakBytes();
                int[] next = new int[prompts.size()];
                for (int s = 0; s < newTokens; s++) {
                    for (int r = 0; r < next.length; r++) {
                        next[r] = greedy.choose(logits, r * vocab, vocab, 0).token();
                        tokens[r][s] = next[r];
                    }
                    if (s < newTokens - 1) {
                        session.append(next);
                        logits = session.logits();
                    }
                }
                long t2 = System.nanoTime();
                cpu[0] = (c1 - c0) / 1e9;
                cpu[1] = (cpuNanos() - c1) / 1e9;
                prefill = (t1 - t0) / 1e9;
                decode = (t2 - t1) / 1e9;
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        double[] steps = new double[spec.learnerSteps()];
        double[] losses = new double[spec.learnerSteps()];
        long learnerPeak = 0;
        if (spec.learnerSteps() > 0) {
            List<int[]> inputs = rows(work.getAsJsonArray("learner_prompts"));
            List<int[]> responses = rows(work.getAsJsonArray("learner_responses"));
            try (HfPolicy policy = HfPolicy.load(dir, Device.cpu());
                 PolicyTrainer trainer = policy.newTrainer(new PolicyTrainer.Settings(spec.learningRate(), 0.9, 0.999,
                         1.0))) {
                settle();
                for (int i = 0; i < steps.length; i++) {
                    long c0 = cpuNanos();
                    long t0 = System.nanoTime();
                    losses[i] = trainer.step(b -> {
                        TokenLogProbs lp = b.tokenLogProbs(inputs, responses, 1.0);
                        return lp.logProbs().sum().neg().div(lp.mask().sum());
                    });
                    steps[i] = (System.nanoTime() - t0) / 1e9;
                    if (i > 0) {
                        cpu[2] += (cpuNanos() - c0) / 1e9 / (steps.length - 1);
                    }
                }
                learnerPeak = PeakMemory.peakBytes();
            }
        }
        settle();   // give back what the Java side freed before the peer's process runs beside this one
        return new Side("Java", prefill, prefillPeak, decode, tokens, steps, learnerPeak, losses, cpu);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * A full GC (so the heap gives back what loading used), the C heap trimmed (what earlier runs
     * freed), and a reset of the peak resident set: the peak then counts this phase alone.
     */
    private static void settle() {
        System.gc();
        PeakMemory.trimNativeHeap();
        PeakMemory.reset();
    }

    /** The PyTorch side: the peer script in a new Python process. */
    static Side torchSide(String python, Path script, Path dir, Path workFile, int threads) {
        String out = run(List.of(python, script.toString(), "run", dir.toString(), workFile.toString(),
                "--threads", Integer.toString(threads)));
        String[] lines = out.strip().split("\n");
        JsonObject j = JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
        int threadsUsed = j.get("threads").getAsInt();
        if (threadsUsed != threads) {
            throw new IllegalStateException("the peer ran " + threadsUsed + " threads, not " + threads);
        }
        // OpenBLAS (Debian's torch multiplies through it) keeps a pool of its own; null: no OpenBLAS
        if (j.has("blas_threads") && !j.get("blas_threads").isJsonNull() && j.get("blas_threads").getAsInt() != threads) {
            throw new IllegalStateException("the peer's OpenBLAS ran " + j.get("blas_threads") + " threads, not " + threads);
        }
        List<int[]> t = rows(j.getAsJsonArray("tokens"));
        double[] steps = j.has("learner_step_s") ? doubles(j.getAsJsonArray("learner_step_s")) : new double[0];
        double[] losses = j.has("learner_losses") ? doubles(j.getAsJsonArray("learner_losses")) : new double[0];
        return new Side("PyTorch " + j.get("torch").getAsString(), j.get("prefill_s").getAsDouble(),
                j.get("prefill_peak_bytes").getAsLong(), j.get("decode_s").getAsDouble(), t.toArray(new int[0][]),
                steps, j.has("learner_peak_bytes") ? j.get("learner_peak_bytes").getAsLong() : 0, losses,
                doubles(j.getAsJsonArray("cpu_s")));
    }

    private static double[] doubles(JsonArray a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    /**
     * One more Java prefill of the spec's prompts (as {@link #run} times it) under PyTorch's
     * profiler: the Chrome trace to {@code trace} (chrome://tracing, Perfetto) and the ops that
     * took the most self time (their time less the ops they called), one line each, with the
     * wall time of the profiled prefill. The profiler's own overhead is in that wall time.
     */
    public static List<String> profilePrefill(Spec spec, Path dir, Path trace) {
        EngineThreads.configure(spec.threads());
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        double wall;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            CausalLm model;
            try (ModelDirectory md = ModelDirectory.open(dir)) {
                model = CausalLm.load(md, m, DataType.FLOAT32);
            }
            // the prompts run() timed: the work is a function of the spec and the vocabulary
            List<int[]> prompts = rows(work(spec, model.config().vocabSize()).getAsJsonArray("prompts"));
            try (DecodingSession session = new DecodingSession(model, m, prompts, 1, true)) {
                JniUtils.startProfile(false, true, false);
                long t0 = System.nanoTime();
                session.logits();
                wall = (System.nanoTime() - t0) / 1e9;
                JniUtils.stopProfile(trace.toString());
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "profiled Java prefill: %.3f s wall, %d threads; trace %s", wall,
                spec.threads(), trace));
        try {
            out.addAll(selfTimes(JsonParser.parseString(Files.readString(trace)), 12));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * The {@code top} op names of a Chrome trace (a JSON array of events, or an object with
     * {@code traceEvents}) by summed self time: per thread, an event's duration less that of the
     * events nested in it.
     */
    static List<String> selfTimes(JsonElement trace, int top) {
        JsonArray events = trace.isJsonArray() ? trace.getAsJsonArray()
                : trace.getAsJsonObject().getAsJsonArray("traceEvents");
        record Ev(String name, double ts, double dur) {
        }
        java.util.Map<String, List<Ev>> byThread = new java.util.HashMap<>();
        for (JsonElement e : events) {
            JsonObject o = e.getAsJsonObject();
            if (!o.has("dur") || !"X".equals(o.has("ph") ? o.get("ph").getAsString() : "X")) {
                continue;
            }
            String tid = o.has("tid") ? o.get("tid").getAsString() : "";
            byThread.computeIfAbsent(tid, t -> new ArrayList<>()).add(new Ev(o.get("name").getAsString(),
                    o.get("ts").getAsDouble(), o.get("dur").getAsDouble()));
        }
        java.util.Map<String, double[]> self = new java.util.HashMap<>();   // name -> {self us, calls}
        double total = 0;
        for (List<Ev> evs : byThread.values()) {
            evs.sort(java.util.Comparator.comparingDouble(Ev::ts).thenComparing(Ev::dur, java.util.Comparator.reverseOrder()));
            java.util.ArrayDeque<double[]> open = new java.util.ArrayDeque<>();   // {end, index}
            double[] children = new double[evs.size()];
            for (int i = 0; i < evs.size(); i++) {
                Ev ev = evs.get(i);
                while (!open.isEmpty() && open.peek()[0] <= ev.ts()) {
                    open.pop();
                }
                if (!open.isEmpty()) {
                    children[(int) open.peek()[1]] += ev.dur();
                }
                open.push(new double[]{ev.ts() + ev.dur(), i});
            }
            for (int i = 0; i < evs.size(); i++) {
                double own = Math.max(0, evs.get(i).dur() - children[i]);
                double[] acc = self.computeIfAbsent(evs.get(i).name(), n -> new double[2]);
                acc[0] += own;
                acc[1]++;
                total += own;
            }
        }
        double sum = total;
        List<String> out = new ArrayList<>();
        self.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).limit(top)
                .forEach(en -> out.add(String.format(Locale.ROOT, "  %-32s %9.3f s self %5.1f%%  %6d calls",
                        en.getKey(), en.getValue()[0] / 1e6, 100 * en.getValue()[0] / sum, (long) en.getValue()[1])));
        return out;
    }

    /** Runs a command to completion; its stdout, or an exception with its stderr's tail. */
    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
            byte[] err;
            String out;
            try (InputStream o = p.getInputStream(); InputStream e = p.getErrorStream()) {
                // stderr is small (a traceback at most) and read after stdout; stdout is one JSON line
                out = new String(o.readAllBytes(), StandardCharsets.UTF_8);
                err = e.readAllBytes();
            }
            int rc = p.waitFor();
            if (rc != 0) {
                String tail = new String(err, StandardCharsets.UTF_8).strip();
                throw new IllegalStateException(String.join(" ", command) + " exited " + rc + ": "
                        + tail.substring(Math.max(0, tail.length() - 2000)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(command.get(0) + " could not be run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Rows whose greedy tokens are identical on both sides, and the first differing column of each other row. */
    public static String agreement(int[][] a, int[][] b) {
        int same = 0;
        List<Integer> firstDiff = new ArrayList<>();
        for (int r = 0; r < a.length; r++) {
            if (Arrays.equals(a[r], b[r])) {
                same++;
            } else {
                int c = Arrays.mismatch(a[r], b[r]);
                firstDiff.add(c);
            }
        }
        return same + "/" + a.length + " rows identical" + (firstDiff.isEmpty() ? "" : ", others first differ at columns "
                + firstDiff);
    }

    /** The figures as printed: one line per run and side, then the medians' ratios against the goals. */
    public static List<String> lines(Result r) {
        Spec s = r.spec();
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "threads %d; prefill+decode: batch %d, prompt %d, new %d; learner: %d x (%d + %d)"
                        + " tokens, %d steps", s.threads(), s.batch(), s.promptTokens(), s.newTokens(), s.learnerRows(),
                s.learnerPrompt(), s.learnerResponse(), s.learnerSteps()));
        out.add(String.format(Locale.ROOT, "%-18s %10s %12s %12s %14s %12s %14s %26s", "side", "prefill_s", "prefill_GB",
                "decode_tok/s", "learner_tok/s", "learner_GB", "learner_loss0", "cpu_s prefill/decode/step"));
        int learnerTokens = s.learnerRows() * (s.learnerPrompt() + s.learnerResponse());
        for (int i = 0; i < r.java().size(); i++) {
            for (Side side : List.of(r.java().get(i), r.torch().get(i))) {
                boolean learner = side.learnerStepSeconds().length > 0;
                out.add(String.format(Locale.ROOT, "%-18s %10.3f %12.2f %12.1f %14s %12s %14s %26s", side.name(),
                        side.prefillSeconds(), side.prefillPeakBytes() / 1e9, side.decodeTokensPerSecond(),
                        learner ? String.format(Locale.ROOT, "%.1f", learnerTokens / side.learnerSeconds()) : "-",
                        learner ? String.format(Locale.ROOT, "%.2f", side.learnerPeakBytes() / 1e9) : "-",
                        learner ? String.format(Locale.ROOT, "%.6f", side.learnerLosses()[0]) : "-",
                        String.format(Locale.ROOT, "%.2f/%.2f/%.2f", side.cpuSeconds()[0], side.cpuSeconds()[1],
                                side.cpuSeconds()[2])));
            }
        }
        Side j = best(r.java());
        Side t = best(r.torch());
        out.add(String.format(Locale.ROOT, "prefill speed Java/PyTorch %.2f (goal >= 0.9), peak memory Java/PyTorch %.2f"
                + " (goal <= 1.2)", t.prefillSeconds() / j.prefillSeconds(),
                (double) maxPeak(r.java(), true) / maxPeak(r.torch(), true)));
        out.add(String.format(Locale.ROOT, "decode tokens/s Java/PyTorch %.2f (goal >= 0.9); greedy tokens: %s",
                j.decodeTokensPerSecond() / t.decodeTokensPerSecond(), agreement(r.java().get(0).tokens(),
                        r.torch().get(0).tokens())));
        if (s.learnerSteps() > 0) {
            out.add(String.format(Locale.ROOT, "learner tokens/s Java/PyTorch %.2f (goal >= 0.9), peak memory Java/PyTorch"
                            + " %.2f (goal <= 1.2); first loss Java %.6f, PyTorch %.6f",
                    t.learnerSeconds() / j.learnerSeconds(), (double) maxPeak(r.java(), false) / maxPeak(r.torch(), false),
                    j.learnerLosses()[0], t.learnerLosses()[0]));
        }
        out.add("(speeds: the best run of each side; memory: the highest peak of each side)");
        return out;
    }

    /** Per field the best run: fastest prefill, decode and learner (each side's runs share the machine's load). */
    private static Side best(List<Side> runs) {
        Side b = runs.get(0);
        double prefill = runs.stream().mapToDouble(Side::prefillSeconds).min().orElseThrow();
        double decode = runs.stream().mapToDouble(Side::decodeSeconds).min().orElseThrow();
        Side fastestLearner = runs.stream().filter(x -> x.learnerStepSeconds().length > 0)
                .min(java.util.Comparator.comparingDouble(Side::learnerSeconds)).orElse(b);
        return new Side(b.name(), prefill, b.prefillPeakBytes(), decode, b.tokens(), fastestLearner.learnerStepSeconds(),
                b.learnerPeakBytes(), b.learnerLosses(), b.cpuSeconds());
    }

    private static long maxPeak(List<Side> runs, boolean prefill) {
        return runs.stream().mapToLong(x -> prefill ? x.prefillPeakBytes() : x.learnerPeakBytes()).max().orElse(1);
    }
}
