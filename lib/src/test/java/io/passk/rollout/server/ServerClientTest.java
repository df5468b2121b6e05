package io.passk.rollout.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ServerClient} against stand-in servers that answer with vLLM's bodies and statuses:
 * retries with backoff on 503, failover to the next URL, a 4xx as one line, the API key header.
 */
class ServerClientTest {
    static final CompletionRequest REQUEST = new CompletionRequest("m", new int[]{1, 2}, 2, 3, 1.0, 1.0, 7,
            new int[]{151643});

    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    /** A server answering {@code status} then {@code body} to its first {@code failures} requests, then 200. */
    String server(int failures, int status, String failBody, AtomicInteger calls, List<String> auth) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        s.createContext("/v1/completions", ex -> {
            int n = calls.incrementAndGet();
            auth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            ex.getRequestBody().readAllBytes();
            if (n <= failures) {
                send(ex, status, failBody);
            } else {
                send(ex, 200, VllmProtocolTest.VLLM_RESPONSE);
            }
        });
        s.start();
        servers.add(s);
        return "http://127.0.0.1:" + s.getAddress().getPort();
    }

    static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    static String closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    static ServerClient client(List<String> urls, int primary, int retries) {
        return new ServerClient(urls, primary, Duration.ofSeconds(10), retries, 1, Optional.empty());
    }

    @Test
    void a503IsRetriedAndTheAnswerAfterItIsUsed() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        String url = server(2, 503, "{\"error\":{\"message\":\"busy\",\"type\":\"ServiceUnavailable\",\"code\":503}}",
                calls, new ArrayList<>());
        List<Completion> cs = client(List.of(url), 0, 4).complete(REQUEST);
        assertEquals(3, calls.get(), "two 503s, then the answer");
        assertArrayEquals(new int[]{16, 17, 18}, cs.get(0).tokenIds());
    }

    @Test
    void serverErrorsBeyondTheRetriesFailWithOneLineNamingTheServerAndItsMessage() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        String url = server(100, 503, "{\"error\":{\"message\":\"engine overloaded\",\"type\":\"x\",\"code\":503}}",
                calls, new ArrayList<>());
        ServerUnavailableException e = assertThrows(ServerUnavailableException.class,
                () -> client(List.of(url), 0, 3).complete(REQUEST));
        assertEquals(4, calls.get(), "the first attempt and 3 retries");
        assertTrue(e.getMessage().contains(url) && e.getMessage().contains("HTTP 503: engine overloaded"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aServerThatIsDownFailsOverToTheNextOne() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        String down = closedPort();
        String up = server(0, 200, "", calls, new ArrayList<>());
        List<Completion> cs = client(List.of(down, up), 0, 2).complete(REQUEST);
        assertEquals(2, cs.size());
        assertEquals(1, calls.get());
        // partition 1 starts on the second server: no failed attempt at all
        client(List.of(down, up), 1, 0).complete(REQUEST);
        assertEquals(2, calls.get());
    }

    @Test
    void anUnknownModelIsOneLineNamingServerModelAndVllmsMessageWithoutRetry() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        String url = server(100, 404, "{\"error\":{\"message\":\"The model `m` does not exist.\","
                + "\"type\":\"NotFoundError\",\"param\":\"model\",\"code\":404}}", calls, new ArrayList<>());
        ServerRejectedException e = assertThrows(ServerRejectedException.class,
                () -> client(List.of(url), 0, 4).complete(REQUEST));
        assertEquals(1, calls.get(), "a 4xx is not retried");
        assertEquals("rollout server " + url + " refused model 'm' (HTTP 404): The model `m` does not exist.",
                e.getMessage());
        assertInstanceOf(io.passk.BadInputException.class, e, "exit 2");
    }

    @Test
    void theApiKeyGoesAsABearerHeaderAndNeverIntoAMessage() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        List<String> auth = new ArrayList<>();
        String url = server(100, 500, "{\"error\":{\"message\":\"boom\",\"type\":\"x\",\"code\":500}}", calls, auth);
        ServerClient c = new ServerClient(List.of(url), 0, Duration.ofSeconds(5), 1, 1, Optional.of("sk-secret-123"));
        ServerUnavailableException e = assertThrows(ServerUnavailableException.class, () -> c.complete(REQUEST));
        assertEquals(List.of("Bearer sk-secret-123", "Bearer sk-secret-123"), auth);
        assertFalse(e.getMessage().contains("sk-secret"));
    }
}
