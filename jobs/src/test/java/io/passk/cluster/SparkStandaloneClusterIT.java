package io.passk.cluster;

import io.passk.run.EpochMetrics;
import io.passk.testing.SharedSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same jobs on a real Spark standalone cluster (a master and two 1-core workers, separate
 * JVMs on 127.0.0.1, the application jar {@code target/passk-jobs-app.jar} submitted through
 * {@code SparkSubmit}) produce what they produce in local mode, also when a worker is killed
 * while rollouts run and when the driver is killed mid-training and the run is resumed.
 *
 * <p>Sizes are tiny (a 1-layer, width-32 policy; 5x5 mazes with partial-credit rewards so that
 * the learner gets non-zero advantages and really changes the weights); most of the time is
 * JVM and executor start-up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkStandaloneClusterIT {

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(12);
    private static final int WORKER_MEMORY_MB = 1536;
    private static final String MAIN = "io.passk.cli.Passk";
    private static final int EPOCHS = 2;
    private static final int PROMPTS_PER_EPOCH = 8;
    private static final int N = 4;

    private Path root;
    private Path appJar;
    /** Spark's jars and the --add-opens flags the cluster's JVMs run with (a started passk serve gets them too). */
    private List<String> sparkJars;
    private List<String> opens;
    private Path suite;
    private Path init;
    private Path localSample;
    private Path localEval;
    private Path localTrain;
    private StandaloneCluster cluster;
    private boolean failed;
    /** A train run whose driver ran from start to end (the reference for a resumed run). */
    private Path uninterrupted;

    /** Keeps the working directory (logs, outputs) when anything failed. */
    @RegisterExtension
    final TestWatcher keepOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            failed = true;
        }
    };
    private final Map<String, Double> seconds = new LinkedHashMap<>();

    @BeforeAll
    void clusterThenLocalRuns() throws Exception {
        appJar = Path.of(System.getProperty("passk.appJar", "target/passk-jobs-app.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(appJar), "application jar " + appJar + " (built by mvn package)");
        sparkJars = Arrays.stream(Files.readString(Path.of(System.getProperty("passk.sparkClasspath",
                "target/spark-home.classpath"))).trim().split(java.io.File.pathSeparator)).toList();
        opens = StandaloneCluster.split(System.getProperty("passk.addOpens", ""));
        root = Files.createTempDirectory("passk-cluster-it").toRealPath();
        System.err.println("SparkStandaloneClusterIT: working in " + root);
        failed = true;
        long t0 = System.nanoTime();

        cluster = StandaloneCluster.start(root.resolve("cluster"), sparkJars, opens, 2, WORKER_MEMORY_MB);
        seconds.put("cluster start", secs(t0));

        // local mode: the same application jar through SparkSubmit --master local[2], each job in
        // a fresh JVM like the cluster's drivers (so no state of an earlier job in the JVM counts)
        t0 = System.nanoTime();
        suite = root.resolve("suite");
        local("tasks", List.of("tasks", "--task", "maze-partial", "--difficulty", "5", "--train", "24", "--test", "8",
                "--seed", "3", "--out", suite.toString()));
        init = root.resolve("init");
        local("pretrain", List.of("pretrain", "--tasks", suite.toString(), "--out", init.toString(), "--steps", "3",
                "--layers", "1", "--width", "32", "--heads", "2", "--threads", "1"));
        localSample = root.resolve("local-sample");
        local("local-sample", sampleArgs(localSample));
        localEval = root.resolve("local-eval");
        local("local-eval", evalArgs(localEval));
        localTrain = root.resolve("local-train");
        local("local-train", trainArgs(localTrain));
        seconds.put("local runs", secs(t0));
        failed = false;
    }

    @AfterAll
    void stopEverything() throws IOException {
        if (cluster != null) {
            cluster.close();
            List<ProcessHandle> alive = cluster.alive();
            assertTrue(alive.isEmpty(), "processes left running: " + alive.stream().map(h -> h.pid() + " "
                    + h.info().commandLine().orElse("?")).toList());
        }
        System.err.println("SparkStandaloneClusterIT seconds: " + seconds);
        if (!failed && root != null) {
            deleteRecursively(root);
        } else if (root != null) {
            System.err.println("SparkStandaloneClusterIT: kept " + root + " for inspection");
        }
    }

    @Test
    @Order(1)
    void sampleOnTheClusterWritesTheLocalModeRollouts() throws Exception {
        Path out = root.resolve("cluster-sample");
        submitAndWait("sample", sampleArgs(out));
        assertSameRows(localSample, out, 8 * N);
        assertEquals(Files.readString(cluster.stdout("local-sample")), Files.readString(cluster.stdout("sample")),
                "sample summary table");
    }

    @Test
    @Order(2)
    void evalOnTheClusterWritesTheLocalModeEstimates() throws Exception {
        Path out = root.resolve("cluster-eval");
        submitAndWait("eval", evalArgs(out));
        // per problem: the same rows exactly; means over problems are floating-point sums whose
        // order follows the partitioning, so they agree to rounding (1e-12 relative)
        assertSameRows(localEval.resolve("per_problem"), out.resolve("per_problem"), -1);
        assertSameCsv(localEval.resolve("summary.csv"), out.resolve("summary.csv"), 1e-12);
    }

    @Test
    @Order(4)
    void trainKilledDriverThenResumedEndsWithTheUninterruptedCheckpoint() throws Exception {
        Path run = root.resolve("cluster-train-resumed");
        long t0 = System.nanoTime();
        Process driver = cluster.submit("train-killed", appJar, MAIN, clusterConf(), trainArgs(run));
        Path epoch0 = run.resolve("checkpoints").resolve("epoch=0");
        StandaloneCluster.await(() -> Files.isDirectory(epoch0) || !driver.isAlive(), JOB_TIMEOUT,
                () -> epoch0 + "; driver stderr:\n" + StandaloneCluster.tail(cluster.stderr("train-killed"), 40));
        assertTrue(driver.isAlive(), () -> "the driver ended before it could be killed; stderr:\n"
                + StandaloneCluster.tail(cluster.stderr("train-killed"), 40));
        // kill -9 the driver (client mode: the SparkSubmit JVM) during epoch 1
        driver.descendants().forEach(ProcessHandle::destroyForcibly);
        driver.destroyForcibly().waitFor();
        assertFalse(Files.exists(run.resolve("checkpoints").resolve("epoch=1")),
                "the driver was killed after the last epoch, not mid-training");

        List<String> resume = new ArrayList<>(trainArgs(run));
        resume.add("--resume");
        submitAndWait("train-resume", resume);
        seconds.put("train killed + resumed", secs(t0));
        assertTrue(StandaloneCluster.contains(cluster.stderr("train-resume"), "after epoch 0"),
                "the resubmitted run resumed after epoch 0");
        assertSameTraining(run);
        assertTrue(uninterrupted != null, "needs the uninterrupted cluster run of the worker-kill test (run the class)");
        assertSameFinalCheckpoint(uninterrupted, run);
    }

    @Test
    @Order(3)
    void trainSurvivesAWorkerKilledWhileRolloutsRun() throws Exception {
        Path run = root.resolve("cluster-train-worker-lost");
        long t0 = System.nanoTime();
        Process driver = cluster.submit("train-worker-lost", appJar, MAIN, clusterConf(), trainArgs(run));
        Path rollouts = run.resolve("rollouts");
        // epoch 0's rollouts are being written: Spark has set up the job's temporary output
        StandaloneCluster.await(() -> writing(rollouts, ".epoch=0.tmp-") || !driver.isAlive(), JOB_TIMEOUT,
                () -> "epoch 0 rollouts under " + rollouts + "; driver stderr:\n"
                        + StandaloneCluster.tail(cluster.stderr("train-worker-lost"), 40));
        assertTrue(driver.isAlive(), "the driver ended before the fault");
        Process victim = cluster.workers().get(0);
        assertFalse(cluster.childrenOf(victim).isEmpty(), "the worker to kill runs an executor");
        cluster.killWorker(victim);
        assertFalse(Files.exists(rollouts.resolve("epoch=0")), "the worker was killed after the rollouts were done");

        int rc = cluster.waitFor(driver, "train-worker-lost", JOB_TIMEOUT);
        seconds.put("train with a worker killed", secs(t0));
        assertEquals(0, rc, () -> "train with a lost worker failed:\n"
                + StandaloneCluster.tail(cluster.stderr("train-worker-lost"), 60));
        assertTrue(StandaloneCluster.contains(cluster.stderr("train-worker-lost"), "Lost executor"),
                "the driver saw the executor of the killed worker go");
        assertSameTraining(run);
        uninterrupted = run;
        cluster.startWorker(WORKER_MEMORY_MB);   // two workers again for the next submission
    }

    /**
     * {@code --init} a Hugging Face directory (the tiny qwen2 fixture): the cluster's rollouts,
     * held-out curves and final model directory equal local mode's.
     */
    @Test
    @Order(4)
    void trainFromAModelDirectoryOnTheClusterEqualsLocalMode() throws Exception {
        assertClusterTrainEqualsLocal("hf", "train --init HF dir, local + cluster",
                hfTrainArgs(tinyQwen2(), root.resolve("local-train-hf")), hfTrainArgs(tinyQwen2(), root.resolve("cluster-train-hf")),
                List.of("model.safetensors", "config.json", "tokenizer.json", "generation_config.json"));
    }

    /**
     * LoRA on the tiny qwen2 fixture ({@code --lora-rank 4}): the cluster's executors load the
     * base once and each epoch's adapter, and rollouts, held-out curves and the final PEFT adapter
     * directory equal local mode's.
     */
    @Test
    @Order(6)
    void loraTrainingOnTheClusterEqualsLocalMode() throws Exception {
        assertClusterTrainEqualsLocal("lora", "train --lora-rank 4, local + cluster",
                loraTrainArgs(tinyQwen2(), root.resolve("local-train-lora")),
                loraTrainArgs(tinyQwen2(), root.resolve("cluster-train-lora")),
                List.of("adapter_model.safetensors", "adapter_config.json"));
        assertFalse(Files.exists(root.resolve("cluster-train-lora/checkpoints/epoch=" + (EPOCHS - 1))
                .resolve("model.safetensors")), "an adapter, not a model");
    }

    /**
     * {@code passk sample --rollout-server-command} on the cluster: each worker's executor JVM
     * starts its own {@code passk serve} (the command appends its port, its pid, the executor's
     * pid and working directory to a marker file before it becomes the server) and samples from
     * it, and the rows equal a local-mode run of the in-JVM decoder with the same seed; the
     * servers exit with their executors.
     */
    @Test
    @Order(7)
    void sampleThroughAServerEachExecutorStartsEqualsTheLocalDecoder() throws Exception {
        Path local = root.resolve("local-sample-hf");
        Path clustered = root.resolve("cluster-sample-server");
        Path marker = root.resolve("servers.txt");
        long t0 = System.nanoTime();
        local("local-sample-hf", hfSampleArgs(local));
        List<String> args = new ArrayList<>(hfSampleArgs(clustered));
        args.addAll(List.of("--rollout-server-command", serveTemplate(marker), "--partitions", "4"));
        submitAndWait("sample-server", args);
        seconds.put("sample --rollout-server-command, local + cluster", secs(t0));

        List<String> rowColumns = List.of("problem_id", "sample_idx", "response", "response_tokens", "reward",
                "prompt_tokens");
        List<String> want = sortedRows(local, rowColumns);
        assertEquals(8 * N, want.size(), "rows of the local run");
        assertEquals(want, sortedRows(clustered, rowColumns), "server rows vs the local decoder's");

        List<String[]> servers = Files.readAllLines(marker).stream().map(l -> l.split(" ", 4)).toList();
        String seen = String.join("\n", Files.readAllLines(marker));
        assertEquals(2, servers.size(), "one server per executor JVM:\n" + seen);
        assertEquals(2, servers.stream().map(v -> v[0]).distinct().count(), "distinct ports:\n" + seen);
        assertEquals(2, servers.stream().map(v -> v[2]).distinct().count(), "distinct executor JVMs:\n" + seen);
        Path work = root.resolve("cluster").toRealPath();
        Set<String> workers = new HashSet<>();
        for (String[] v : servers) {
            Path cwd = Path.of(v[3]).toRealPath();
            assertTrue(cwd.startsWith(work), "executor directory " + cwd + " under " + work);
            workers.add(work.relativize(cwd).getName(0).toString());   // worker-N/app-.../EXEC
        }
        assertEquals(2, workers.size(), "the executors of two workers:\n" + seen);
        for (String[] v : servers) {
            java.util.Optional<ProcessHandle> server = ProcessHandle.of(Long.parseLong(v[1]));
            try {
                StandaloneCluster.await(() -> server.map(h -> !h.isAlive()).orElse(true), Duration.ofSeconds(60),
                        () -> "passk serve " + v[1] + " (port " + v[0] + ") still running after its executor ended");
            } catch (AssertionError | RuntimeException e) {
                server.ifPresent(ProcessHandle::destroyForcibly);   // not left behind by a failed check
                throw e;
            }
        }
    }

    /** A command template that records the server and then becomes {@code passk serve} from the app jar. */
    private String serveTemplate(Path marker) {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        List<String> cp = new ArrayList<>();
        cp.add(appJar.toString());
        cp.addAll(sparkJars);
        StringBuilder c = new StringBuilder("echo {port} $$ $PPID \"$PWD\" >> ")
                .append(io.passk.rollout.server.ManagedServer.quote(marker.toString())).append("; exec ")
                .append(io.passk.rollout.server.ManagedServer.quote(javaCommand));
        for (String o : opens) {
            c.append(' ').append(io.passk.rollout.server.ManagedServer.quote(o));
        }
        c.append(" -Dai.djl.offline=true -Xmx512m -cp ")
                .append(io.passk.rollout.server.ManagedServer.quote(String.join(File.pathSeparator, cp)))
                .append(" ").append(MAIN).append(" serve --policy {model} --port {port} --served-model-name tiny");
        return c.toString();
    }

    private List<String> hfSampleArgs(Path out) {
        return List.of("sample", "--policy", tinyQwen2().toString(), "--tasks", suite.toString(), "--split", "test",
                "--n", Integer.toString(N), "--max-new-tokens", "4", "--seed", "5", "--out", out.toString());
    }

    private static List<String> sortedRows(Path dir, List<String> columns) {
        List<String> rows = new ArrayList<>();
        for (Row r : SharedSpark.get().read().parquet(dir.toString())
                .selectExpr(columns.toArray(new String[0])).collectAsList()) {
            rows.add(r.toString());
        }
        rows.sort(Comparator.naturalOrder());
        return rows;
    }

    private static Path tinyQwen2() {
        return Path.of(System.getProperty("passk.projectDir", "..")).resolve("lib/src/test/resources/hf/tiny-qwen2")
                .toAbsolutePath().normalize();
    }

    /**
     * Trains in local mode ({@code local-train-NAME}) and on the cluster ({@code train-NAME}); every
     * epoch's rollouts, the held-out curves and the {@code files} of the final checkpoint are equal.
     */
    private void assertClusterTrainEqualsLocal(String name, String timing, List<String> localArgs,
                                               List<String> clusterArgs, List<String> files) throws Exception {
        Path local = root.resolve("local-train-" + name);
        Path clustered = root.resolve("cluster-train-" + name);
        long t0 = System.nanoTime();
        local("local-train-" + name, localArgs);
        submitAndWait("train-" + name, clusterArgs);
        seconds.put(timing, secs(t0));
        for (int e = 0; e < EPOCHS; e++) {
            Path dir = Path.of("rollouts", "epoch=" + e);
            assertSameRows(local.resolve(dir), clustered.resolve(dir), PROMPTS_PER_EPOCH * N);
        }
        assertEquals(Files.readString(local.resolve("heldout.csv")), Files.readString(clustered.resolve("heldout.csv")));
        Path last = Path.of("checkpoints", "epoch=" + (EPOCHS - 1));
        for (String f : files) {
            assertArrayEquals(Files.readAllBytes(local.resolve(last).resolve(f)),
                    Files.readAllBytes(clustered.resolve(last).resolve(f)), "final checkpoint " + f);
        }
    }

    private List<String> loraTrainArgs(Path tiny, Path out) {
        List<String> a = new ArrayList<>(hfTrainArgs(tiny, out));
        a.addAll(List.of("--lora-rank", "4"));
        return a;
    }

    private List<String> hfTrainArgs(Path tiny, Path out) {
        List<String> a = new ArrayList<>(trainArgs(out));
        a.set(a.indexOf("--init") + 1, tiny.toString());
        // the fixture's 64 positions hold the compact prompt, not the instruction one auto picks for it
        a.addAll(List.of("--prompt-style", "compact"));
        return a;
    }

    // ---------------------------------------------------------------- the jobs and their arguments

    private List<String> sampleArgs(Path out) {
        return List.of("sample", "--policy", init.toString(), "--tasks", suite.toString(), "--split", "test",
                "--n", Integer.toString(N), "--max-new-tokens", "8", "--seed", "5", "--partitions", "3",
                "--out", out.toString());
    }

    private List<String> evalArgs(Path out) {
        Path answers = Path.of(System.getProperty("passk.projectDir", "..")).resolve("data/eval-example/answers.csv")
                .toAbsolutePath().normalize();
        return List.of("eval", "--input", answers.toString(), "--k", "1,2,4,8", "--by", "model,task",
                "--bootstrap", "200", "--out", out.toString());
    }

    private List<String> trainArgs(Path out) {
        return List.of("train", "--tasks", suite.toString(), "--init", init.toString(), "--method", "maxk-analytic",
                "--k", "2", "--epochs", Integer.toString(EPOCHS), "--n", Integer.toString(N),
                "--prompts-per-epoch", Integer.toString(PROMPTS_PER_EPOCH), "--eval-every", "1",
                "--eval-problems", "8", "--eval-samples", "4", "--max-new-tokens", "8", "--batch-size", "32",
                "--mini-batches", "2", "--lr", "1e-2", "--seed", "7", "--out", out.toString());
    }

    private Map<String, String> clusterConf() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("spark.executor.cores", "1");
        c.put("spark.executor.memory", "1g");
        c.put("spark.ui.enabled", "false");
        c.put("spark.sql.shuffle.partitions", "4");
        c.put("spark.ui.showConsoleProgress", "false");
        return c;
    }

    private void local(String name, List<String> args) throws Exception {
        long t0 = System.nanoTime();
        Map<String, String> conf = clusterConf();
        conf.put("spark.sql.shuffle.partitions", "3");
        Process p = cluster.submit(name, "local[2]", appJar, MAIN, conf, args);
        int rc = cluster.waitFor(p, name, JOB_TIMEOUT);
        seconds.put(name, secs(t0));
        assertEquals(0, rc, () -> "local " + name + " failed:\n" + StandaloneCluster.tail(cluster.stderr(name), 60));
    }

    private void submitAndWait(String name, List<String> args) throws Exception {
        long t0 = System.nanoTime();
        Process p = cluster.submit(name, appJar, MAIN, clusterConf(), args);
        int rc = cluster.waitFor(p, name, JOB_TIMEOUT);
        seconds.put(name, secs(t0));
        assertEquals(0, rc, () -> "spark-submit " + name + " failed:\n" + StandaloneCluster.tail(cluster.stderr(name), 60));
    }

    // ---------------------------------------------------------------- comparisons

    /**
     * Rollouts of every epoch, held-out curves, the deterministic metrics and the final
     * checkpoint equal local mode's exactly (the learner runs with a fixed PyTorch thread count,
     * so the driver's float arithmetic does not depend on what ran before it), and training
     * changed the weights.
     */
    private void assertSameTraining(Path run) throws IOException {
        for (int e = 0; e < EPOCHS; e++) {
            Path dir = Path.of("rollouts", "epoch=" + e);
            assertSameRows(localTrain.resolve(dir), run.resolve(dir), PROMPTS_PER_EPOCH * N);
            assertUniqueSamples(run.resolve(dir));
        }
        assertEquals(Files.readString(localTrain.resolve("heldout.csv")), Files.readString(run.resolve("heldout.csv")));
        List<Map<String, String>> want = deterministicMetrics(localTrain.resolve("metrics.csv"));
        List<Map<String, String>> got = deterministicMetrics(run.resolve("metrics.csv"));
        assertEquals(want.size(), got.size(), "epochs in metrics.csv");
        for (int i = 0; i < want.size(); i++) {
            for (String c : EpochMetrics.DETERMINISTIC_COLUMNS) {
                assertEquals(want.get(i).get(c), got.get(i).get(c), "epoch " + i + " " + c);
            }
        }
        assertSameFinalCheckpoint(localTrain, run);
        Path last = Path.of("checkpoints", "epoch=" + (EPOCHS - 1));
        assertFalse(Arrays.equals(Files.readAllBytes(init.resolve("model.safetensors")),
                Files.readAllBytes(run.resolve(last).resolve("model.safetensors"))), "training changed the weights");
    }

    /** The final checkpoints' weights are the same bytes. */
    private static void assertSameFinalCheckpoint(Path expectedRun, Path actualRun) throws IOException {
        Path last = Path.of("checkpoints", "epoch=" + (EPOCHS - 1));
        for (String f : List.of("model.safetensors", "config.json", "tokenizer.json")) {
            assertArrayEquals(Files.readAllBytes(expectedRun.resolve(last).resolve(f)),
                    Files.readAllBytes(actualRun.resolve(last).resolve(f)), "final checkpoint " + f + " of " + actualRun
                            + " vs " + expectedRun);
        }
    }

    /** Same multiset of rows (so nothing missing, nothing duplicated); {@code expected} rows if >= 0. */
    private static void assertSameRows(Path expectedDir, Path actualDir, int expected) {
        List<String> want = sortedRows(expectedDir);
        List<String> got = sortedRows(actualDir);
        if (expected >= 0) {
            assertEquals(expected, want.size(), "rows in " + expectedDir);
        }
        assertEquals(want.size(), got.size(), "rows in " + actualDir + " vs " + expectedDir);
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i), got.get(i), "row " + i + " of " + actualDir + " vs " + expectedDir);
        }
    }

    private static List<String> sortedRows(Path dir) {
        SparkSession spark = SharedSpark.get();
        List<String> rows = new ArrayList<>();
        for (Row r : spark.read().parquet(dir.toString()).collectAsList()) {
            rows.add(r.toString());
        }
        rows.sort(Comparator.naturalOrder());
        return rows;
    }

    private static void assertUniqueSamples(Path dir) {
        Set<String> keys = new HashSet<>();
        for (Row r : SharedSpark.get().read().parquet(dir.toString()).select("problem_id", "sample_idx").collectAsList()) {
            assertTrue(keys.add(r.getString(0) + "#" + r.getInt(1)), "duplicated rollout " + r + " in " + dir);
        }
    }

    /** Same header and cells; numeric cells within {@code relTol} relative (absolute near 0). */
    private static void assertSameCsv(Path expected, Path actual, double relTol) throws IOException {
        List<String> want = Files.readAllLines(expected, StandardCharsets.UTF_8);
        List<String> got = Files.readAllLines(actual, StandardCharsets.UTF_8);
        assertEquals(want.size(), got.size(), "lines of " + actual);
        assertEquals(want.get(0), got.get(0), "header of " + actual);
        for (int i = 1; i < want.size(); i++) {
            String[] a = want.get(i).split(",", -1);
            String[] b = got.get(i).split(",", -1);
            assertEquals(a.length, b.length, "cells in line " + (i + 1) + " of " + actual);
            for (int j = 0; j < a.length; j++) {
                if (a[j].equals(b[j])) {
                    continue;
                }
                String where = "line " + (i + 1) + " column " + want.get(0).split(",")[j] + " of " + actual;
                double x = Double.parseDouble(a[j]);
                double y = Double.parseDouble(b[j]);
                assertTrue(Math.abs(x - y) <= relTol * Math.max(1.0, Math.max(Math.abs(x), Math.abs(y))),
                        where + ": " + a[j] + " vs " + b[j]);
            }
        }
    }

    private static List<Map<String, String>> deterministicMetrics(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        List<Map<String, String>> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (String c : EpochMetrics.DETERMINISTIC_COLUMNS) {
                int i = header.indexOf(c);
                assertTrue(i >= 0, "column " + c + " in " + csv);
                row.put(c, v[i]);
            }
            out.add(row);
        }
        return out;
    }

    private static boolean writing(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith(prefix));
        } catch (IOException e) {
            return false;
        }
    }

    private static double secs(long t0) {
        return Math.round((System.nanoTime() - t0) / 1e8) / 10.0;
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
