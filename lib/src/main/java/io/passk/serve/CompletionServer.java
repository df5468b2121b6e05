package io.passk.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.passk.BadInputException;
import io.passk.hf.decoder.Generator;
import io.passk.hf.peft.AdapterDirectory;
import io.passk.policy.HfPolicy;
import io.passk.policy.PolicySource;
import io.passk.rollout.server.VllmProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code passk serve}: a Hugging Face policy on passk's DJL decoder behind the subset of vLLM's
 * OpenAI-compatible API that rollouts use, with vLLM's JSON shapes ({@link VllmProtocol}):
 * {@code POST /v1/completions} (token-id or text prompt, {@code n}, {@code max_tokens},
 * {@code temperature}, {@code top_p}, {@code seed}, {@code logprobs}, {@code stop_token_ids},
 * {@code return_tokens_as_token_ids}), {@code GET /v1/models}, {@code GET /health},
 * {@code POST /v1/load_lora_adapter} and {@code POST /v1/unload_lora_adapter} (PEFT adapters on
 * the served base, as vLLM with {@code VLLM_ALLOW_RUNTIME_LORA_UPDATING=True}).
 *
 * <p>Draws: completion {@code i} of a request with seed {@code s} is drawn with the key
 * {@code s + i} (vLLM's seed of its {@code i}-th child request) as the decoder's row key: a
 * request whose seed is {@code HfPolicy.drawKey(seed, epoch, problem_id, sample_idx)} gets
 * the tokens {@code passk sample} draws for that row, and its log-probs up to float rounding (the
 * decoder's CPU kernels round a row a little differently in batches of different sizes). The reported
 * log-prob is {@code log softmax(logits / T)} of the token, untruncated by top-p (what passk's
 * rollouts record; vLLM's {@code --logprobs-mode processed_logprobs} at top-p 1).
 *
 * <p>Batching: one decoding thread takes the waiting completions whose prompts have the length
 * and settings of the oldest, up to {@code maxBatch}, and decodes them together (rows of one
 * length need no padding; a row's draws are keyed by its own seed, never by its batch mates).
 */
public final class CompletionServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompletionServer.class);

    private final HfPolicy base;
    private final String baseName;
    private final int maxBatch;
    private final HttpServer http;
    private final ExecutorService handlers;
    private final Thread decoder;
    private final LinkedBlockingDeque<Job> queue = new LinkedBlockingDeque<>();
    private final Map<String, Adapter> adapters = new LinkedHashMap<>();
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong batches = new java.util.concurrent.atomic.AtomicLong();

    private record Adapter(String path, HfPolicy policy) {
    }

    /** One completion to decode: its policy, settings, prompt and draw key. */
    private record Job(HfPolicy policy, Settings settings, Generator.Request row,
                       CompletableFuture<Generator.Generation> result) {
    }

    private record Settings(double temperature, double topP, int maxTokens, int[] stopIds) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Settings s && s.temperature == temperature && s.topP == topP
                    && s.maxTokens == maxTokens && Arrays.equals(s.stopIds, stopIds);
        }

        @Override
        public int hashCode() {
            return Objects.hash(temperature, topP, maxTokens, Arrays.hashCode(stopIds));
        }
    }

    /**
     * Serves {@code base} (closed with the server) as {@code name} on {@code address}.
     *
     * @param maxBatch completions decoded together at most
     */
    public CompletionServer(HfPolicy base, String name, InetSocketAddress address, int maxBatch) throws IOException {
        this.base = base;
        this.baseName = name;
        this.maxBatch = maxBatch;
        this.http = HttpServer.create(address, 128);
        this.handlers = Executors.newFixedThreadPool(64, r -> {
            Thread t = new Thread(r, "passk-serve-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(handlers);
        http.createContext("/health", ex -> respond(ex, () -> ex.getRequestMethod().equals("GET")
                ? new Answer(200, "text/plain", "") : methodNotAllowed()));
        http.createContext("/v1/models", ex -> respond(ex, () -> ex.getRequestMethod().equals("GET")
                ? new Answer(200, "application/json", models()) : methodNotAllowed()));
        http.createContext("/v1/completions", ex -> respond(ex, () -> ex.getRequestMethod().equals("POST")
                ? completions(body(ex)) : methodNotAllowed()));
        http.createContext("/v1/load_lora_adapter", ex -> respond(ex, () -> ex.getRequestMethod().equals("POST")
                ? loadLora(body(ex)) : methodNotAllowed()));
        http.createContext("/v1/unload_lora_adapter", ex -> respond(ex, () -> ex.getRequestMethod().equals("POST")
                ? unloadLora(body(ex)) : methodNotAllowed()));
        this.decoder = new Thread(this::decodeLoop, "passk-serve-decoder");
        decoder.setDaemon(true);
        decoder.start();
        http.start();
        LOG.info("passk serve: {} on http://{}:{}", name, address.getHostString(), port());
    }

    /** Batches decoded so far (the benchmark reports how its requests were batched). */
    public long batchesDecoded() {
        return batches.get();
    }

    /** The port the server listens on (the one the OS chose for port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    private record Answer(int status, String contentType, String body) {
    }

    @FunctionalInterface
    private interface Handler {
        Answer handle() throws IOException;
    }

    private static Answer methodNotAllowed() {
        return error(405, "Method Not Allowed", "MethodNotAllowed", null);
    }

    private static Answer error(int status, String message, String type, String param) {
        return new Answer(status, "application/json", VllmProtocol.errorJson(message, type, status, param));
    }

    private void respond(HttpExchange ex, Handler h) throws IOException {
        Answer a;
        try {
            a = h.handle();
        } catch (BadRequest e) {
            a = error(e.status, e.getMessage(), e.type, e.param);
        } catch (RuntimeException e) {
            LOG.error("passk serve: {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
            a = error(500, String.valueOf(e.getMessage()), "InternalServerError", null);
        }
        byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", a.contentType());
        ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(bytes);
            }
        }
        ex.close();
    }

    private static String body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A request the server refuses, as vLLM would: status, message, error type, parameter. */
    private static final class BadRequest extends RuntimeException {
        final int status;
        final String type;
        final String param;

        BadRequest(int status, String type, String param, String message) {
            super(message);
            this.status = status;
            this.type = type;
            this.param = param;
        }
    }

    private static JsonObject json(String body) {
        try {
            return JsonParser.parseString(body).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new BadRequest(400, "BadRequestError", null, "the body is not a JSON object");
        }
    }

    private synchronized String models() {
        long created = System.currentTimeMillis() / 1000;
        JsonArray data = new JsonArray();
        data.add(card(baseName, base.source().toString(), null, created,
                base.model().config().maxPositionEmbeddings()));
        adapters.forEach((name, a) -> data.add(card(name, a.path(), baseName, created, null)));
        JsonObject o = new JsonObject();
        o.addProperty("object", "list");
        o.add("data", data);
        return o.toString();
    }

    private static JsonObject card(String id, String root, String parent, long created, Integer maxLen) {
        JsonObject c = new JsonObject();
        c.addProperty("id", id);
        c.addProperty("object", "model");
        c.addProperty("created", created);
        c.addProperty("owned_by", "passk");
        c.addProperty("root", root);
        c.add("parent", parent == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(parent));
        c.add("max_model_len", maxLen == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(maxLen));
        c.add("permission", new JsonArray());
        return c;
    }

    private Answer loadLora(String body) {
        JsonObject o = json(body);
        String name = optString(o, "lora_name");
        String path = optString(o, "lora_path");
        if (name == null || name.isEmpty() || path == null || path.isEmpty()) {
            throw new BadRequest(400, "InvalidUserInput", null, "Both 'lora_name' and 'lora_path' must be provided.");
        }
        synchronized (this) {
            if (adapters.containsKey(name)) {
                throw new BadRequest(400, "InvalidUserInput", null, "The lora adapter '" + name + "' has already"
                        + " been loaded. If you want to load the adapter in place, set 'load_inplace' to True.");
            }
        }
        Path dir = Path.of(path);
        if (!isAdapter(dir)) {   // the request names the path: decided here
            throw new BadRequest(404, "NotFoundError", null, "Loading lora " + name + " failed: No adapter found for "
                    + path);
        }
        HfPolicy adapted;
        try {
            adapted = base.withAdapter(AdapterDirectory.open(dir), 0, () -> { });
        } catch (BadInputException e) {
            throw new BadRequest(400, "BadRequestError", null, "Loading lora " + name + " failed: " + e.getMessage());
        }
        synchronized (this) {
            adapters.put(name, new Adapter(dir.toAbsolutePath().normalize().toString(), adapted));
        }
        LOG.info("passk serve: loaded LoRA adapter '{}' from {}", name, path);
        return new Answer(200, "text/plain", "Success: LoRA adapter '" + name + "' added successfully.");
    }

    private Answer unloadLora(String body) {
        String name = optString(json(body), "lora_name");
        if (name == null || name.isEmpty()) {
            throw new BadRequest(400, "InvalidUserInput", null,
                    "'lora_name' needs to be provided to unload a LoRA adapter.");
        }
        Adapter a;
        synchronized (this) {
            a = adapters.remove(name);
        }
        if (a == null) {
            throw new BadRequest(404, "NotFoundError", null, "The lora adapter '" + name + "' cannot be found.");
        }
        // completions already queued on it finish first: it closes once the queue holds none
        queue.add(new Job(a.policy(), null, null, null));
        LOG.info("passk serve: unloaded LoRA adapter '{}'", name);
        return new Answer(200, "text/plain", "Success: LoRA adapter '" + name + "' removed successfully.");
    }

    private Answer completions(String body) {
        JsonObject o = json(body);
        String model = optString(o, "model");
        HfPolicy policy;
        synchronized (this) {
            if (model == null || model.equals(baseName)) {
                policy = base;
                model = baseName;
            } else if (adapters.containsKey(model)) {
                policy = adapters.get(model).policy();
            } else {
                throw new BadRequest(404, "NotFoundError", "model", "The model `" + model + "` does not exist.");
            }
        }
        if (o.has("stream") && !o.get("stream").isJsonNull() && o.get("stream").getAsBoolean()) {
            throw new BadRequest(400, "BadRequestError", "stream", "passk serve does not stream (stream must be false)");
        }
        int[] prompt = prompt(o.get("prompt"), policy);
        int n = optInt(o, "n", 1);
        int maxTokens = optInt(o, "max_tokens", 16);
        double temperature = optDouble(o, "temperature", 1.0);
        double topP = optDouble(o, "top_p", 1.0);
        if (n < 1) {
            throw new BadRequest(400, "BadRequestError", "n", "n must be at least 1, got " + n + ".");
        }
        if (maxTokens < 1) {
            throw new BadRequest(400, "BadRequestError", "max_tokens", "max_tokens must be at least 1, got "
                    + maxTokens + ".");
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new BadRequest(400, "BadRequestError", "temperature", "temperature must be non-negative, got "
                    + temperature + ".");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new BadRequest(400, "BadRequestError", "top_p", "top_p must be in (0, 1], got " + topP + ".");
        }
        int context = policy.model().config().maxPositionEmbeddings();
        if (prompt.length + 1 > context) {
            throw new BadRequest(400, "BadRequestError", "prompt", "This model's maximum context length is " + context
                    + " tokens. However, your request has " + prompt.length + " input tokens.");
        }
        Integer logprobs = o.has("logprobs") && !o.get("logprobs").isJsonNull() ? o.get("logprobs").getAsInt() : null;
        if (logprobs != null && logprobs != 0 && logprobs != -1) {
            throw new BadRequest(400, "BadRequestError", "logprobs",
                    "passk serve reports the sampled token's log-prob only (logprobs 0), got " + logprobs);
        }
        boolean asIds = o.has("return_tokens_as_token_ids") && !o.get("return_tokens_as_token_ids").isJsonNull()
                && o.get("return_tokens_as_token_ids").getAsBoolean();
        boolean returnTokenIds = o.has("return_token_ids") && !o.get("return_token_ids").isJsonNull()
                && o.get("return_token_ids").getAsBoolean();
        int[] requestStops = o.has("stop_token_ids") && o.get("stop_token_ids").isJsonArray()
                ? ints(o.getAsJsonArray("stop_token_ids")) : new int[0];
        int[] eos = policy.stopIds();
        int[] stops = java.util.stream.IntStream.concat(Arrays.stream(eos), Arrays.stream(requestStops))
                .distinct().sorted().toArray();
        long seed = o.has("seed") && !o.get("seed").isJsonNull() ? o.get("seed").getAsLong()
                : ThreadLocalRandom.current().nextLong();
        Settings settings = new Settings(temperature, topP, Math.min(maxTokens, context - prompt.length), stops);
        List<CompletableFuture<Generator.Generation>> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            CompletableFuture<Generator.Generation> f = new CompletableFuture<>();
            results.add(f);
            queue.add(new Job(policy, settings, new Generator.Request(prompt, seed + i), f));
        }
        JsonArray choices = new JsonArray();
        int completionTokens = 0;
        for (int i = 0; i < n; i++) {
            Generator.Generation g;
            try {
                g = results.get(i).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IllegalArgumentException iae
                        ? new BadRequest(400, "BadRequestError", "prompt", iae.getMessage())
                        : new IllegalStateException(e.getCause().getMessage(), e.getCause());
            }
            completionTokens += g.tokens().length;
            choices.add(choice(i, g, policy, logprobs != null, asIds, returnTokenIds, eos));
        }
        JsonObject usage = new JsonObject();
        usage.addProperty("prompt_tokens", prompt.length * 1);
        usage.addProperty("total_tokens", prompt.length + completionTokens);
        usage.addProperty("completion_tokens", completionTokens);
        JsonObject out = new JsonObject();
        out.addProperty("id", "cmpl-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        out.addProperty("object", "text_completion");
        out.addProperty("created", System.currentTimeMillis() / 1000);
        out.addProperty("model", model);
        out.add("choices", choices);
        out.add("usage", usage);
        return new Answer(200, "application/json", out.toString());
    }

    private JsonObject choice(int index, Generator.Generation g, HfPolicy policy, boolean withLogprobs, boolean asIds,
                              boolean returnTokenIds, int[] eos) {
        JsonObject c = new JsonObject();
        c.addProperty("index", index);
        c.addProperty("text", policy.tokenizer().decode(g.tokens(), true));
        if (withLogprobs) {
            JsonArray offsets = new JsonArray();
            JsonArray lps = new JsonArray();
            JsonArray tokens = new JsonArray();
            JsonArray top = new JsonArray();
            int offset = 0;
            for (int t = 0; t < g.tokens().length; t++) {
                String token = asIds ? VllmProtocol.TOKEN_ID_PREFIX + g.tokens()[t]
                        : policy.tokenizer().decode(new int[]{g.tokens()[t]}, false);
                float lp = Math.max(g.temperedLogprobs()[t], VllmProtocol.LOGPROB_FLOOR);
                offsets.add(offset);
                offset += token.length();
                lps.add(lp);
                tokens.add(token);
                JsonObject best = new JsonObject();
                best.addProperty(token, lp);
                top.add(best);
            }
            JsonObject l = new JsonObject();
            l.add("text_offset", offsets);
            l.add("token_logprobs", lps);
            l.add("tokens", tokens);
            l.add("top_logprobs", top);
            c.add("logprobs", l);
        } else {
            c.add("logprobs", JsonNull.INSTANCE);
        }
        c.addProperty("finish_reason", g.finished() ? "stop" : "length");
        int last = g.tokens().length == 0 ? -1 : g.tokens()[g.tokens().length - 1];
        boolean byEos = Arrays.stream(eos).anyMatch(e -> e == last);
        c.add("stop_reason", g.finished() && !byEos ? new com.google.gson.JsonPrimitive(last) : JsonNull.INSTANCE);
        if (returnTokenIds) {
            JsonArray ids = new JsonArray();
            for (int t : g.tokens()) {
                ids.add(t);
            }
            c.add("token_ids", ids);
        }
        return c;
    }

    private static int[] prompt(JsonElement e, HfPolicy policy) {
        if (e != null && e.isJsonArray() && !e.getAsJsonArray().isEmpty() && e.getAsJsonArray().get(0).isJsonPrimitive()
                && e.getAsJsonArray().get(0).getAsJsonPrimitive().isNumber()) {
            int[] ids = ints(e.getAsJsonArray());
            int vocab = policy.model().config().vocabSize();
            for (int id : ids) {
                if (id < 0 || id >= vocab) {
                    throw new BadRequest(400, "BadRequestError", "prompt", "Token id " + id + " is out of vocabulary");
                }
            }
            return ids;
        }
        if (e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() && !e.getAsString().isEmpty()) {
            return policy.tokenizer().encode(e.getAsString());
        }
        throw new BadRequest(400, "BadRequestError", "prompt",
                "passk serve takes one prompt: a list of token ids or a non-empty string");
    }

    private static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    private static String optString(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : null;
    }

    private static int optInt(JsonObject o, String key, int dflt) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsInt() : dflt;
    }

    private static double optDouble(JsonObject o, String key, double dflt) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsDouble() : dflt;
    }

    /** The decoding thread: batches of waiting jobs of one policy, settings and prompt length. */
    private void decodeLoop() {
        while (!closed) {
            Job first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                if (first.row() == null) {
                    first.policy().close();   // an unloaded adapter, after the jobs queued before it
                    continue;
                }
                // let the rest of a burst of concurrent requests arrive: wait until the queue holds a
                // full batch, or has not grown for 5 ms, or 50 ms have passed
                for (int waited = 0, still = 0, size = queue.size(); waited < 50 && still < 5
                        && queue.size() + 1 < maxBatch; waited++) {
                    Thread.sleep(1);
                    int now = queue.size();
                    still = now == size ? still + 1 : 0;
                    size = now;
                }
            } catch (InterruptedException e) {
                return;
            }
            List<Job> batch = new ArrayList<>();
            batch.add(first);
            synchronized (queue) {
                var it = queue.iterator();
                while (it.hasNext() && batch.size() < maxBatch) {
                    Job j = it.next();
                    if (j.row() == null) {
                        break;   // an unload marker: the jobs after it wait for the next batch
                    }
                    if (j.policy() == first.policy() && j.settings().equals(first.settings())
                            && j.row().prompt().length == first.row().prompt().length) {
                        batch.add(j);
                        it.remove();
                    }
                }
            }
            batches.incrementAndGet();
            try {
                List<Generator.Generation> gens = first.policy().generate(batch.stream().map(Job::row).toList(),
                        first.settings().temperature(), first.settings().topP(), first.settings().maxTokens(),
                        first.settings().stopIds());
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).result().complete(gens.get(i));
                }
            } catch (RuntimeException e) {
                batch.forEach(j -> j.result().completeExceptionally(e));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        http.stop(0);
        decoder.interrupt();
        try {
            decoder.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        handlers.shutdownNow();
        synchronized (this) {
            adapters.values().forEach(a -> a.policy().close());
            adapters.clear();
        }
        base.close();
    }

    /**
     * Loads the model directory {@code dir} onto the engine's default device (the first GPU
     * when the engine sees one) and serves it.
     *
     * @throws BadInputException a directory that is not a Hugging Face model directory
     */
    public static CompletionServer open(Path dir, String name, InetSocketAddress address, int maxBatch)
            throws IOException {
        check(dir);
        HfPolicy policy = HfPolicy.load(dir, ai.djl.engine.Engine.getInstance().defaultDevice());
        try {
            return new CompletionServer(policy, name, address, maxBatch);
        } catch (IOException | RuntimeException e) {
            policy.close();
            throw e;
        }
    }

    /** True when {@code dir} is a LoRA adapter ({@link PolicySource#of}); an old built-in checkpoint is none. */
    private static boolean isAdapter(Path dir) {
        try {
            return PolicySource.of(dir) instanceof PolicySource.Adapter;
        } catch (BadInputException e) {
            return false;
        }
    }

    /** Refuses what cannot be served: anything but a Hugging Face model directory. */
    public static void check(Path dir) {
        if (!Files.isDirectory(dir) || !(io.passk.policy.PolicySource.of(dir) instanceof io.passk.policy.PolicySource.HuggingFace)) {
            throw new BadInputException("--policy " + dir + ": passk serve serves a Hugging Face model directory"
                    + " (config.json + safetensors); load LoRA adapters into it with POST /v1/load_lora_adapter");
        }
    }
}
