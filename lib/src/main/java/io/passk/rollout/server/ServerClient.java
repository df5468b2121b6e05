package io.passk.rollout.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * HTTP to one or more vLLM-compatible servers ({@link VllmProtocol}): JDK {@link HttpClient},
 * a request timeout, retries with exponential backoff on connection errors, timeouts and 5xx, and
 * failover: attempt {@code a} goes to server {@code (primary + a) mod servers}, so a task's
 * requests stay on its partition's server while it answers and move on when it does not. A 4xx
 * is final ({@link ServerRejectedException}). Thread-safe; one client serves a task's
 * concurrent requests.
 *
 * <p>An API key in {@value #API_KEY_ENV} goes as {@code Authorization: Bearer}; it is read
 * from this JVM's environment and never logged nor written anywhere.
 */
public final class ServerClient {
    /** The environment variable holding the servers' API key. */
    public static final String API_KEY_ENV = "PASSK_ROLLOUT_API_KEY";
    private static final Logger LOG = LoggerFactory.getLogger(ServerClient.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final List<String> urls;
    private final int primary;
    private final Duration timeout;
    private final int retries;
    private final long backoffMillis;
    private final Optional<String> apiKey;

    /**
     * @param urls          base URLs ({@code http://host:port}), none ending in '/'
     * @param primary       the first server tried (a task's partition index; taken mod the count)
     * @param timeout       one request's limit
     * @param retries       attempts after the first on connection errors, timeouts and 5xx
     * @param backoffMillis the first wait between attempts; it doubles each time, up to 30 s
     */
    public ServerClient(List<String> urls, int primary, Duration timeout, int retries, long backoffMillis) {
        this(urls, primary, timeout, retries, backoffMillis, Optional.ofNullable(System.getenv(API_KEY_ENV))
                .filter(k -> !k.isBlank()));
    }

    ServerClient(List<String> urls, int primary, Duration timeout, int retries, long backoffMillis,
                 Optional<String> apiKey) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("no server URL");
        }
        this.urls = List.copyOf(urls);
        this.primary = Math.floorMod(primary, urls.size());
        this.timeout = timeout;
        this.retries = retries;
        this.backoffMillis = backoffMillis;
        this.apiKey = apiKey;
    }

    public List<String> urls() {
        return urls;
    }

    /** {@code POST /v1/completions}: the request's {@code n} completions, by index. */
    public List<Completion> complete(CompletionRequest request) {
        Answer a = send("POST", "/v1/completions", VllmProtocol.completionJson(request), request.model(), true);
        try {
            return VllmProtocol.parseCompletions(a.body(), request.n());
        } catch (RuntimeException e) {
            throw new IllegalStateException("rollout server " + a.url() + ": unexpected /v1/completions response: "
                    + e.getMessage(), e);
        }
    }

    /** {@code GET /v1/models} of server {@code url}. */
    public List<ModelCard> models(String url) {
        Answer a = sendTo(url, "GET", "/v1/models", null, null);
        try {
            return VllmProtocol.parseModels(a.body());
        } catch (RuntimeException e) {
            throw new IllegalStateException("rollout server " + url + ": unexpected /v1/models response: "
                    + e.getMessage(), e);
        }
    }

    /** The name of the base model {@code url} serves: its {@code /v1/models} entry without a parent. */
    public String baseModel(String url) {
        List<ModelCard> models = models(url);
        return models.stream().filter(ModelCard::isBase).map(ModelCard::id).findFirst()
                .orElseThrow(() -> new ServerRejectedException(url, null, 404,
                        "/v1/models lists no base model (every entry has a parent)"));
    }

    /**
     * {@code POST /v1/load_lora_adapter} on {@code url}; an adapter of that name already loaded
     * counts as loaded (another task got there first: names are derived from the directory).
     */
    public void loadLora(String url, String name, String path) {
        Answer a = sendTo(url, "POST", "/v1/load_lora_adapter", VllmProtocol.loadLoraJson(name, path), name, 400);
        if (a.status() == 400 && !VllmProtocol.errorMessage(a.body()).contains("already been loaded")) {
            throw new ServerRejectedException(url, name, 400, VllmProtocol.errorMessage(a.body()));
        }
    }

    /** {@code POST /v1/unload_lora_adapter} on {@code url}; an adapter not loaded counts as unloaded. */
    public void unloadLora(String url, String name) {
        sendTo(url, "POST", "/v1/unload_lora_adapter", VllmProtocol.unloadLoraJson(name), name, 404);
    }

    /** True when {@code GET /health} of {@code url} answers 200 now (one try). */
    public boolean healthy(String url) {
        try {
            HttpResponse<String> r = HTTP.send(builder(url + "/health").timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    record Answer(String url, int status, String body) {
    }

    private Answer sendTo(String url, String method, String path, String body, String model, int... tolerated) {
        return new ServerClient(List.of(url), 0, timeout, retries, backoffMillis, apiKey)
                .send(method, path, body, model, false, tolerated);
    }

    /**
     * Sends with retries over the servers; a 2xx (or a {@code tolerated} status) is returned, a
     * 4xx thrown at once, anything else retried until the attempts run out.
     */
    Answer send(String method, String path, String body, String model, boolean failover, int... tolerated) {
        Exception last = null;
        String lastProblem = "";
        long wait = backoffMillis;
        for (int attempt = 0; attempt <= retries; attempt++) {
            String url = urls.get(failover ? (primary + attempt) % urls.size() : primary);
            try {
                HttpRequest.Builder b = builder(url + path).timeout(timeout);
                b = body == null ? b.GET() : b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body));
                HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
                int status = r.statusCode();
                if (status / 100 == 2 || contains(tolerated, status)) {
                    return new Answer(url, status, r.body());
                }
                if (status / 100 == 4) {
                    throw new ServerRejectedException(url, model, status, VllmProtocol.errorMessage(r.body()));
                }
                lastProblem = url + " answered HTTP " + status + ": " + VllmProtocol.errorMessage(r.body());
                last = null;
            } catch (IOException e) {
                lastProblem = url + ": " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage());
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServerUnavailableException("interrupted waiting for " + url + path, e);
            }
            if (attempt < retries) {
                LOG.warn("rollout server {} {}: {}; retry {}/{} in {} ms", method, path, lastProblem, attempt + 1,
                        retries, wait);
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ServerUnavailableException("interrupted waiting for " + url + path, e);
                }
                wait = Math.min(wait * 2, 30_000);
            }
        }
        throw new ServerUnavailableException("rollout servers " + String.join(",", urls) + ": " + path + " failed "
                + (retries + 1) + " times; last: " + lastProblem, last);
    }

    private HttpRequest.Builder builder(String uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri));
        apiKey.ifPresent(k -> b.header("Authorization", "Bearer " + k));
        return b;
    }

    private static boolean contains(int[] values, int v) {
        for (int x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }
}
