package io.passk.cli;

import io.passk.rollout.server.ManagedServer;
import io.passk.rollout.server.ModelCard;
import io.passk.rollout.server.ServerClient;
import io.passk.serve.CompletionServer;
import io.passk.testing.SharedSpark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code passk train --rollout-engine server} end to end on the tiny qwen2 fixture against
 * {@code passk serve}: LoRA through a running server (each epoch's adapter loaded into it), a
 * full fine-tune through servers the command template starts (restarted on each checkpoint),
 * the mismatch columns of metrics.csv, and the refused combination.
 */
class RolloutServerTrainTest {

    @TempDir
    static Path tmp;
    static String tasks;
    static CompletionServer server;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        SharedSpark.get();
        tasks = HfTrainCommandTest.digitSums(tmp.resolve("digits"), 6);
        server = CompletionServer.open(Path.of(HfTrainCommandTest.TINY), "tiny",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        url = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        ManagedServer.stopAll();
    }

    static String[] args(Path out, String... extra) {
        String[] base = HfTrainCommandTest.argsFrom(tasks, out, HfTrainCommandTest.TINY, "--n", "4",
                "--prompts-per-epoch", "4", "--eval-problems", "2");
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    /** metrics.csv's mismatch cells of every epoch: small (one engine, one set of weights), nothing truncated. */
    static void assertSmallMismatch(Path run) throws Exception {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        int mean = header.indexOf("mismatch_mean_abs_logprob");
        int max = header.indexOf("mismatch_max_abs_logprob");
        int truncated = header.indexOf("is_truncated_fraction");
        assertTrue(mean > 0 && max > 0 && truncated > 0, lines.get(0));
        assertEquals(3, lines.size(), "two epochs");
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            assertTrue(Double.parseDouble(cells[mean]) < 1e-4, line);
            assertTrue(Double.parseDouble(cells[max]) < 1e-3, line);
            assertEquals(0.0, Double.parseDouble(cells[truncated]), line);
        }
    }

    @Test
    void loraTrainsThroughARunningServerThatLoadsEachEpochsAdapter() throws Exception {
        Path run = tmp.resolve("lora-run");
        ServerClient client = new ServerClient(List.of(url), 0, Duration.ofSeconds(10), 0, 10);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    client.models(url).stream().filter(m -> !m.isBase()).map(ModelCard::id).forEach(seen::add);
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // the server is busy: look again
                }
            }
        });
        watcher.setDaemon(true);
        watcher.start();
        CliRun r = CliRun.of(args(run, "--lora-rank", "2", "--rollout-server", url));
        watcher.interrupt();
        assertEquals(0, r.code(), r.err());
        assertTrue(seen.stream().anyMatch(id -> id.startsWith("lora-run-epoch=0-")), seen.toString());
        assertTrue(seen.stream().anyMatch(id -> id.contains("epoch=1")), "epoch 1's adapter sampled the held-out: "
                + seen);
        assertSmallMismatch(run);
        String json = Files.readString(run.resolve("run.json"));
        assertTrue(json.contains("\"engine\": \"server\"") && json.contains(url), json);
    }

    @Test
    void aFullFineTuneRestartsTheCommandTemplatesServerOnEachCheckpoint() throws Exception {
        Path run = tmp.resolve("full-run");
        int before = ManagedServer.starts();
        CliRun r = CliRun.of(args(run, "--rollout-server-command", RolloutServerSampleTest.serveTemplate()));
        assertEquals(0, r.code(), r.err());
        // the initial model, epoch 0's checkpoint (epoch 1's rollouts), epoch 1's (its held-out evaluation)
        assertEquals(before + 3, ManagedServer.starts());
        assertSmallMismatch(run);
    }

    @Test
    void aFullFineTuneAgainstServersSomeoneElseRunsIsRefusedInOneLine() {
        CliRun r = CliRun.of(args(tmp.resolve("refused"), "--rollout-server", url));
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--rollout-server cannot follow a full fine-tune") && r.err().contains("--lora-rank")
                && r.err().contains("--rollout-server-command"), r.err());
        assertTrue(!Files.exists(tmp.resolve("refused")));
    }
}
