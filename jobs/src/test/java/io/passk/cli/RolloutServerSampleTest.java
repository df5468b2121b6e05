package io.passk.cli;

import io.passk.rollout.server.ManagedServer;
import io.passk.serve.CompletionServer;
import io.passk.testing.SharedSpark;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code passk sample --rollout-server URL} and {@code --rollout-server-command TEMPLATE} against
 * {@code passk serve} on the tiny qwen2 fixture: the in-JVM decoder's rows, {@code passk eval}
 * reads them, an unknown model is one line and exit 2.
 */
class RolloutServerSampleTest {
    static final String TINY = HfTrainCommandTest.TINY;

    @TempDir
    static Path tmp;
    static String tasks;
    static CompletionServer server;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        SharedSpark.get();
        tasks = HfTrainCommandTest.digitSums(tmp.resolve("digits"), 4);
        server = CompletionServer.open(Path.of(TINY), "tiny", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                64);
        url = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        ManagedServer.stopAll();
    }

    /** {@code passk serve} in a JVM of its own, as an executor's template would start it. */
    static String serveTemplate() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return ManagedServer.quote(java) + " -Dai.djl.offline=true -cp "
                + ManagedServer.quote(System.getProperty("java.class.path"))
                + " io.passk.cli.Passk serve --policy {model} --port {port} --served-model-name tiny";
    }

    static String[] sample(Path out, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("sample", "--policy", TINY, "--tasks", tasks, "--split",
                "test", "--n", "4", "--max-new-tokens", "3", "--seed", "5", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    static List<Row> rows(Path out) {
        return SharedSpark.get().read().parquet(out.toString()).orderBy("problem_id", "sample_idx")
                .select("problem_id", "sample_idx", "response", "response_tokens", "reward", "prompt_tokens")
                .collectAsList();
    }

    @Test
    void sampleFromARunningServerWritesTheDecodersRowsThatEvalReads() throws Exception {
        Path djl = tmp.resolve("djl");
        Path http = tmp.resolve("http");
        assertEquals(0, CliRun.of(sample(djl)).code());
        CliRun run = CliRun.of(sample(http, "--rollout-server", url + "/"));
        assertEquals(0, run.code(), run.err());
        assertEquals(rows(djl), rows(http));
        String prov = Files.readString(http.resolve("_passk_sample.json"));
        assertTrue(prov.contains("\"rollout_server\": \"" + url + "\""), prov);
        CliRun eval = CliRun.of("eval", "--input", http.toString(), "--k", "1,2", "--out", tmp.resolve("eval").toString());
        assertEquals(0, eval.code(), eval.err());
    }

    @Test
    void sampleStartsItsOwnServerFromTheCommandTemplate() {
        Path out = tmp.resolve("managed");
        int before = ManagedServer.starts();
        CliRun run = CliRun.of(sample(out, "--rollout-server-command", serveTemplate(), "--partitions", "2"));
        assertEquals(0, run.code(), run.err());
        assertEquals(before + 1, ManagedServer.starts(), "one server for the JVM, shared by its tasks");
        Path djl = tmp.resolve("djl-managed");
        assertEquals(0, CliRun.of(sample(djl)).code());
        assertEquals(rows(djl), rows(out));
    }

    @Test
    void anUnknownModelIsOneLineAndExit2() {
        CliRun run = CliRun.of(sample(tmp.resolve("nope"), "--rollout-server", url, "--rollout-model", "Qwen-nope"));
        assertEquals(2, run.code(), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("rollout server " + url + " refused model 'Qwen-nope' (HTTP 404)"), run.err());
        assertFalse(Files.exists(tmp.resolve("nope")));
    }

    @Test
    void contradictoryRolloutOptionsAreRefusedByName() {
        CliRun run = CliRun.of(sample(tmp.resolve("x"), "--rollout-engine", "djl", "--rollout-server", url));
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--rollout-server and --rollout-server-command need --rollout-engine server"),
                run.err());
        CliRun both = CliRun.of(sample(tmp.resolve("y"), "--rollout-engine", "server"));
        assertEquals(2, both.code());
        assertTrue(both.err().contains("--rollout-engine server needs exactly one of --rollout-server and"
                + " --rollout-server-command"), both.err());
    }
}
