package io.passk.bench;

import ai.djl.Device;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpServer;
import io.passk.hf.DecoderConfig;
import io.passk.hf.DecoderTensors;
import io.passk.hf.decoder.Generator;
import io.passk.hf.safetensors.FloatTensor;
import io.passk.hf.safetensors.SafetensorsWriter;
import io.passk.policy.HfPolicy;
import io.passk.policy.PolicyText;
import io.passk.policy.Sample;
import io.passk.policy.SamplingConfig;
import io.passk.rollout.server.ServerClient;
import io.passk.rollout.server.ServerSampler;
import io.passk.serve.CompletionServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code passk bench sample --rollout-engine server}: the HTTP rollout path against the in-JVM
 * decoder on the same model, prompt and seeds, side by side in one JVM, and the client alone
 * against a server that answers at once.
 * <ol>
 *   <li>a Qwen2.5-0.5B-shaped Hugging Face directory (hidden 896, 14 heads, 2 KV heads,
 *       intermediate 4864, q/k/v biases, tied embeddings) with {@code layers} layers, a
 *       {@code vocab}-token word-level tokenizer and seeded random weights (speed does not depend
 *       on them) is written to a temporary directory;</li>
 *   <li>in-JVM: {@code batch} samples of one prompt decoded together ({@link HfPolicy#generate});</li>
 *   <li>HTTP: the same {@code batch} rows as {@code batch} concurrent {@code /v1/completions}
 *       requests ({@link ServerSampler}) to {@code passk serve} ({@link CompletionServer}) on
 *       loopback over the same loaded policy, which batches them; the tokens must be the same;</li>
 *   <li>client alone: {@code clientRequests} requests to a stand-in that answers each at once
 *       with a fixed vLLM-shaped response of {@code newTokens} tokens; completions per second of
 *       wall time and per CPU-second of this process (client and stand-in together: an upper
 *       bound on the client's own CPU).</li>
 * </ol>
 */
public final class ServerSamplingBenchmark {

    public record Spec(int layers, int vocab, int batch, int promptLength, int newTokens, int repeats,
                       int clientRequests, int clientConcurrency) {
    }

    public record Result(Spec spec, double inJvmSeconds, double httpSeconds, double httpBatches, double clientSeconds,
                         double clientCpuSeconds, double stubCpuSeconds) {
        public double slowdown() {
            return httpSeconds / inJvmSeconds - 1;
        }

        public double clientPerSecond() {
            return spec.clientRequests() / clientSeconds;
        }

        public double clientPerCpuSecond() {
            return spec.clientRequests() / clientCpuSeconds;
        }

        public List<String> lines() {
            List<String> out = new ArrayList<>();
            out.add(String.format(Locale.ROOT, "model: Qwen2.5-0.5B-shaped, %d layers, vocab %d, random weights; batch %d,"
                    + " prompt %d, %d new tokens; best of %d", spec.layers(), spec.vocab(), spec.batch(),
                    spec.promptLength(), spec.newTokens(), spec.repeats()));
            out.add(String.format(Locale.ROOT, "in-JVM decoder      %8.3f s  %8.1f tokens/s", inJvmSeconds,
                    spec.batch() * spec.newTokens() / inJvmSeconds));
            out.add(String.format(Locale.ROOT, "HTTP (passk serve)  %8.3f s  %8.1f tokens/s  %+.1f%% vs in-JVM"
                    + " (the server decoded the %d requests in %.1f batches per round)",
                    httpSeconds, spec.batch() * spec.newTokens() / httpSeconds, 100 * slowdown(), spec.batch(),
                    httpBatches));
            out.add(String.format(Locale.ROOT, "client alone        %8.0f completions/s wall, %8.0f per client CPU-second"
                    + " (%d requests, %d in flight, %d tokens each; the stand-in's own %.2f CPU-s left out)",
                    clientPerSecond(), clientPerCpuSecond(), spec.clientRequests(), spec.clientConcurrency(),
                    spec.newTokens(), stubCpuSeconds));
            return out;
        }
    }

    private ServerSamplingBenchmark() {
    }

    public static Result run(Spec spec, Path workDir, Consumer<String> progress) throws IOException {
        Path dir = workDir.resolve("qwen2.5-0.5b-shaped");
        progress.accept("bench sample: writing a Qwen2.5-0.5B-shaped model directory (" + spec.layers() + " layers)");
        writeModel(dir, spec.layers(), spec.vocab(), spec.promptLength() + spec.newTokens() + 8);
        HfPolicy policy = HfPolicy.load(dir, Device.cpu());
        int[] prompt = new int[spec.promptLength()];
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = 3 + rnd.nextInt(spec.vocab() - 3);
        }
        // greedy-free sampling at T = 1; the stop ids are the model's (rarely drawn with random weights)
        SamplingConfig cfg = new SamplingConfig(spec.batch(), 1.0, 1.0, spec.newTokens(), spec.batch(), 1, 0, true);
        List<Generator.Request> rows = new ArrayList<>();
        for (int i = 0; i < spec.batch(); i++) {
            rows.add(new Generator.Request(prompt, HfPolicy.drawKey(1, 0, "bench", i)));
        }
        double inJvm = Double.MAX_VALUE;
        double http = Double.MAX_VALUE;
        double batches = 0;
        List<Generator.Generation> direct = null;
        try (CompletionServer server = new CompletionServer(policy, "bench",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), spec.batch());
             ServerSampler sampler = new ServerSampler(new ServerClient(List.of("http://127.0.0.1:" + server.port()),
                     0, Duration.ofSeconds(600), 0, 100), "bench", policy.text(), spec.batch())) {
            for (int rep = 0; rep < spec.repeats() + 1; rep++) {   // the first round warms up, untimed
                long batchesBefore = server.batchesDecoded();
                long t0 = System.nanoTime();
                direct = policy.generate(rows, 1.0, 1.0, spec.newTokens(), policy.stopIds());
                double a = (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                List<Sample> viaHttp = sampler.sample(List.of(new ServerSampler.Prompt("bench", prompt)), cfg).get(0);
                double b = (System.nanoTime() - t0) / 1e9;
                for (int i = 0; i < spec.batch(); i++) {
                    if (!java.util.Arrays.equals(direct.get(i).tokens(), viaHttp.get(i).tokens())) {
                        throw new IllegalStateException("row " + i + ": the HTTP path sampled other tokens");
                    }
                }
                if (rep > 0) {
                    inJvm = Math.min(inJvm, a);
                    http = Math.min(http, b);
                    batches += (server.batchesDecoded() - batchesBefore) / (double) spec.repeats();
                }
                progress.accept(String.format(Locale.ROOT, "bench sample: round %d in-JVM %.3f s, HTTP %.3f s", rep, a, b));
            }
        }
        double[] client = clientAlone(spec, progress);
        return new Result(spec, inJvm, http, batches, client[0], client[1], client[2]);
    }

    /** Wall seconds and process CPU seconds of {@code clientRequests} completions against an instant stand-in. */
    private static double[] clientAlone(Spec spec, Consumer<String> progress) throws IOException {
        StringBuilder tokens = new StringBuilder();
        StringBuilder lps = new StringBuilder();
        StringBuilder offsets = new StringBuilder();
        StringBuilder top = new StringBuilder();
        for (int t = 0; t < spec.newTokens(); t++) {
            String sep = t == 0 ? "" : ",";
            tokens.append(sep).append("\"token_id:").append(3 + t).append('"');
            lps.append(sep).append(-0.5 - 0.01 * t);
            offsets.append(sep).append(t * 10);
            top.append(sep).append("{\"token_id:").append(3 + t).append("\":").append(-0.5 - 0.01 * t).append('}');
        }
        byte[] body = ("{\"id\":\"cmpl-bench\",\"object\":\"text_completion\",\"created\":1733500000,\"model\":\"bench\","
                + "\"choices\":[{\"index\":0,\"text\":\"x\",\"logprobs\":{\"text_offset\":[" + offsets
                + "],\"token_logprobs\":[" + lps + "],\"tokens\":[" + tokens + "],\"top_logprobs\":[" + top
                + "]},\"finish_reason\":\"length\",\"stop_reason\":null}],\"usage\":{\"prompt_tokens\":"
                + spec.promptLength() + ",\"total_tokens\":" + (spec.promptLength() + spec.newTokens())
                + ",\"completion_tokens\":" + spec.newTokens() + "}}").getBytes(StandardCharsets.UTF_8);
        HttpServer stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        stub.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, r -> new Thread(r, "bench-stub")));
        stub.createContext("/v1/completions", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        stub.start();
        Path tmp = Files.createTempDirectory("passk-bench-text");
        writeTokenizer(tmp, spec.vocab());
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (PolicyText text = textOf(tmp);
             ServerSampler sampler = new ServerSampler(new ServerClient(List.of("http://127.0.0.1:"
                     + stub.getAddress().getPort()), 0, Duration.ofSeconds(60), 0, 100), "bench", text,
                     spec.clientConcurrency())) {
            int[] prompt = new int[spec.promptLength()];
            java.util.Arrays.fill(prompt, 5);
            int perProblem = Math.max(1, spec.clientConcurrency());
            SamplingConfig cfg = new SamplingConfig(perProblem, 1.0, 1.0, spec.newTokens(), perProblem, 1, 0, true);
            int problems = Math.max(1, spec.clientRequests() / perProblem);
            for (int warm = 0; warm < Math.min(20, problems); warm++) {
                sampler.sample(List.of(new ServerSampler.Prompt("w" + warm, prompt)), cfg);
            }
            long cpu0 = os.getProcessCpuTime();
            long stub0 = stubCpu();
            long t0 = System.nanoTime();
            for (int p = 0; p < problems; p++) {
                sampler.sample(List.of(new ServerSampler.Prompt("p" + p, prompt)), cfg);
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            double stubCpu = (stubCpu() - stub0) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9 - stubCpu;
            progress.accept(String.format(Locale.ROOT, "bench sample: client alone %d completions in %.2f s (%.2f CPU-s)",
                    problems * perProblem, wall, cpu));
            double scale = spec.clientRequests() / (double) (problems * perProblem);
            return new double[]{wall * scale, cpu * scale, stubCpu * scale};
        } finally {
            stub.stop(0);
            ((java.util.concurrent.ExecutorService) stub.getExecutor()).shutdownNow();
        }
    }

    /** CPU nanoseconds of the stand-in's threads: its handlers and the JDK server's dispatcher. */
    private static long stubCpu() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && (t.getThreadName().startsWith("bench-stub") || t.getThreadName().startsWith("HTTP-Dispatcher"))) {
                sum += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    private static PolicyText textOf(Path dir) {
        return PolicyText.ofTokenizer(dir);
    }

    /** A Qwen2.5-0.5B-shaped model directory with {@code layers} layers and seeded random weights. */
    static void writeModel(Path dir, int layers, int vocab, int positions) {
        try {
            Files.createDirectories(dir);
            JsonObject c = new JsonObject();
            c.addProperty("model_type", "qwen2");
            c.addProperty("vocab_size", vocab);
            c.addProperty("hidden_size", 896);
            c.addProperty("intermediate_size", 4864);
            c.addProperty("num_hidden_layers", layers);
            c.addProperty("num_attention_heads", 14);
            c.addProperty("num_key_value_heads", 2);
            c.addProperty("max_position_embeddings", Math.max(positions, 128));
            c.addProperty("rms_norm_eps", 1e-6);
            c.addProperty("rope_theta", 1000000.0);
            c.addProperty("tie_word_embeddings", true);
            c.addProperty("bos_token_id", 0);
            c.addProperty("eos_token_id", 2);
            c.addProperty("hidden_act", "silu");
            Files.writeString(dir.resolve(DecoderConfig.FILE_NAME), c.toString());
            writeTokenizer(dir, vocab);
            DecoderConfig config = DecoderConfig.read(dir.resolve(DecoderConfig.FILE_NAME));
            Map<String, FloatTensor> tensors = new TreeMap<>();
            SplittableRandom rnd = new SplittableRandom(11);
            for (var e : DecoderTensors.expected(config).entrySet()) {
                long[] shape = e.getValue().stream().mapToLong(Long::longValue).toArray();
                long n = 1;
                for (long d : shape) {
                    n *= d;
                }
                float[] v = new float[Math.toIntExact(n)];
                boolean norm = e.getKey().endsWith("norm.weight");
                for (int i = 0; i < v.length; i++) {
                    v[i] = norm ? 1f : (float) ((rnd.nextDouble() * 2 - 1) * 0.035);
                }
                tensors.put(e.getKey(), FloatTensor.of(v, shape));
            }
            SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A word-level tokenizer of {@code vocab} tokens: ids 0-2 the Qwen specials, then {@code t3, t4, ...}. */
    static void writeTokenizer(Path dir, int vocab) throws IOException {
        StringBuilder v = new StringBuilder("{\"<|endoftext|>\":0,\"<|im_start|>\":1,\"<|im_end|>\":2");
        for (int i = 3; i < vocab; i++) {
            v.append(",\"t").append(i).append("\":").append(i);
        }
        v.append('}');
        String added = "[" + special(0, "<|endoftext|>") + "," + special(1, "<|im_start|>") + ","
                + special(2, "<|im_end|>") + "]";
        Files.writeString(dir.resolve("tokenizer.json"), "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,"
                + "\"added_tokens\":" + added + ",\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
                + "\"post_processor\":null,\"decoder\":null,\"model\":{\"type\":\"WordLevel\",\"vocab\":" + v
                + ",\"unk_token\":\"<|endoftext|>\"}}");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\":null,\"eos_token\":\"<|im_end|>\","
                + "\"pad_token\":\"<|endoftext|>\"}");
    }

    private static String special(int id, String content) {
        return "{\"id\":" + id + ",\"content\":\"" + content + "\",\"single_word\":false,\"lstrip\":false,"
                + "\"rstrip\":false,\"normalized\":false,\"special\":true}";
    }
}
