package io.passk.rollout.server;

import com.sun.net.httpserver.HttpServer;
import io.passk.policy.EngineThreads;
import io.passk.rollout.server.RolloutConfig;
import io.passk.rollout.RolloutGenerator;
import io.passk.rollout.TaskResolver;
import io.passk.serve.CompletionServer;
import io.passk.task.Problem;
import io.passk.task.TaskSuite;
import io.passk.testing.ReverseTask;
import io.passk.testing.SharedSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RolloutGenerator} with the server engine against {@code passk serve} ({@link CompletionServer})
 * on the tiny qwen2 fixture: the rows the in-JVM decoder writes, a server that dies mid-stage, an
 * unknown model name.
 */
class ServerRolloutTest {
    static final Path TINY = Path.of("src/test/resources/hf/tiny-qwen2").toAbsolutePath();
    static final TaskResolver TOY = name -> new ReverseTask();
    static final int N = 4;
    static Dataset<Row> problems;
    static CompletionServer server;
    static String url;

    @BeforeAll
    static void setUp() throws IOException {
        EngineThreads.configure(1);
        String[] prompts = {"a b c", "1 2 3 4 5", "c", "9 a 8 b 7 c 6", "0 0 0 0", "b a"};
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < prompts.length; i++) {
            rows.add(TaskSuite.toRow(new Problem("reverse-" + i, ReverseTask.NAME, "test", 1, prompts[i], "x", "")));
        }
        problems = SharedSpark.get().createDataFrame(rows, TaskSuite.SCHEMA);
        server = CompletionServer.open(TINY, "tiny", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        url = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void tearDown() {
        server.close();
    }

    static RolloutConfig servers(List<String> urls, String model) {
        return new RolloutConfig(RolloutConfig.SERVER, urls, "", model, 8, 60, 60, 3, 2.0);
    }

    static RolloutGenerator generator() {
        return new RolloutGenerator().setPolicyPath(TINY.toString()).setNumSamples(N).setMaxNewTokens(6)
                .setBatchSize(N).setSeed(11).setEpoch(2).setTaskResolver(TOY);
    }

    static List<Row> sorted(Dataset<Row> df) {
        return df.orderBy("problem_id", "sample_idx").collectAsList();
    }

    /** Same ids, text, reward and flags; log-probs to float rounding; entropy the mean surprisal. */
    static void assertSameRows(List<Row> want, List<Row> got) {
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            Row w = want.get(i);
            Row g = got.get(i);
            for (String col : List.of("problem_id", "sample_idx", "prompt", "response", "response_tokens", "reward",
                    "finished", "prompt_tokens", "epoch")) {
                assertEquals(w.<Object>getAs(col), g.<Object>getAs(col), col + " of row " + i);
            }
            List<Float> wl = w.getList(w.fieldIndex("token_logprobs"));
            List<Float> gl = g.getList(g.fieldIndex("token_logprobs"));
            double surprisal = 0;
            for (int t = 0; t < wl.size(); t++) {
                assertEquals(wl.get(t), gl.get(t), 1e-5, "log-prob " + t + " of row " + i);
                surprisal -= gl.get(t);
            }
            assertEquals(gl.isEmpty() ? 0 : surprisal / gl.size(), g.getFloat(g.fieldIndex("token_entropy")), 1e-5);
        }
    }

    @Test
    void theServerEngineWritesTheRowsOfTheInJvmDecoder() {
        List<Row> djl = sorted(generator().transform(problems.repartition(2)));
        List<Row> http = sorted(generator().setRollout(servers(List.of(url), "")).transform(problems.repartition(2)));
        assertSameRows(djl, http);
        // a rerun (a retried task, a resumed run) asks for the same rows
        List<Row> again = sorted(generator().setRollout(servers(List.of(url), "tiny")).transform(problems.repartition(3)));
        assertSameRows(http, again);
    }

    @Test
    void aServerKilledMidStageLosesAndDuplicatesNoRow() throws IOException {
        // a proxy to the real server that dies after 5 completions; its tasks fail over to the server itself
        AtomicInteger served = new AtomicInteger();
        HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        HttpClient http = HttpClient.newHttpClient();
        proxy.createContext("/", ex -> {
            if (served.incrementAndGet() > 5) {
                new Thread(() -> proxy.stop(0)).start();
                ex.close();   // the connection drops mid-request
                return;
            }
            try {
                byte[] body = ex.getRequestBody().readAllBytes();
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url + ex.getRequestURI()))
                        .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                ex.sendResponseHeaders(r.statusCode(), r.body().length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(r.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        proxy.start();
        String dying = "http://127.0.0.1:" + proxy.getAddress().getPort();
        List<Row> rows = sorted(generator().setRollout(servers(List.of(dying, url), "tiny"))
                .transform(problems.repartition(2)));
        proxy.stop(0);
        assertTrue(served.get() > 5, "the proxy died mid-stage");
        Set<String> keys = new HashSet<>();
        for (Row r : rows) {
            assertTrue(keys.add(r.getString(0) + "/" + r.getInt(r.fieldIndex("sample_idx"))), "duplicate row");
        }
        assertEquals(6 * N, keys.size(), "every (problem, sample) once");
        assertSameRows(sorted(generator().setRollout(servers(List.of(url), "tiny")).transform(problems)), rows);
    }

    @Test
    void anUnknownModelNameIsOneLineOfBadInputNamingServerAndModel() {
        Exception e = assertThrows(Exception.class, () -> generator().setRollout(servers(List.of(url), "Qwen-nope"))
                .transform(problems).collectAsList());
        ServerRejectedException r = null;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ServerRejectedException s) {
                r = s;
            }
        }
        assertInstanceOf(ServerRejectedException.class, r, e.toString());
        assertEquals("rollout server " + url + " refused model 'Qwen-nope' (HTTP 404): The model `Qwen-nope` does not"
                + " exist (GET /v1/models lists [tiny])", r.getMessage());
    }
}
