package io.passk.cli;

import io.passk.testing.SharedSpark;
import io.passk.progress.ProgressListener;
import io.passk.train.BaseModel;
import io.passk.run.EpochMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training job end to end in miniature: outputs, resume after kill -9, bad input. */
class TrainCommandTest {

    @TempDir
    static Path tmp;
    static Path base;
    static SparkSession spark;
    static final String TASKS = repoPath("data/tasks/arith");

    @BeforeAll
    static void baseModel() {
        spark = SharedSpark.get();
        base = BaseModel.ensure(spark, TASKS, tmp.resolve("base"),
                new BaseModel.Settings(48, 1, 32, 2, 40, 16, 3e-3, 7), ProgressListener.SILENT);
    }

    static String repoPath(String rel) {
        Path p = Path.of("..").resolve(rel);
        return (Files.exists(p) ? p : Path.of(rel)).toAbsolutePath().normalize().toString();
    }

    static String[] args(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--tasks", TASKS, "--init", base.toString(),
                "--method", "passk-analytic", "--k", "2", "--n", "4", "--prompts-per-epoch", "6", "--epochs", "3",
                "--eval-every", "2", "--eval-problems", "6", "--eval-samples", "4", "--max-new-tokens", "8",
                "--mini-batches", "2", "--lr", "1e-3", "--seed", "5", "--out", out.toString()));
        a.addAll(Arrays.asList(extra));
        return a.toArray(new String[0]);
    }

    @Test
    void aRunWritesCheckpointsRolloutsMetricsHeldoutAndReport() throws Exception {
        Path run = tmp.resolve("complete");
        assertEquals(0, Passk.execute(args(run)));
        for (int e = 0; e < 3; e++) {
            assertTrue(Files.isDirectory(run.resolve("checkpoints/epoch=" + e)), "checkpoint " + e);
            assertEquals(6 * 4, spark.read().parquet(run.resolve("rollouts/epoch=" + e).toString()).count());
        }
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(String.join(",", EpochMetrics.COLUMNS), metrics.get(0));
        assertEquals(4, metrics.size(), "header + one row per epoch");
        List<String> heldout = Files.readAllLines(run.resolve("heldout.csv"));
        assertTrue(heldout.get(1).startsWith("-1,1,"), "initial policy evaluated first: " + heldout);
        assertTrue(heldout.stream().anyMatch(l -> l.startsWith("1,4,")), "after epoch 1 (every 2): " + heldout);
        assertTrue(heldout.stream().anyMatch(l -> l.startsWith("2,4,")), "after the last epoch: " + heldout);
        assertEquals(3, spark.read().parquet(run.resolve("metrics.parquet").toString()).count());
        String json = Files.readString(run.resolve("run.json"));
        assertTrue(json.contains("\"seed\": 5") && json.contains("\"spark\"") && json.contains(TASKS.replace("\\", "\\\\")), json);
        assertTrue(Files.exists(run.resolve("report/index.html")));
    }

    /**
     * kill -9 of the training JVM mid-run, then --resume: the final checkpoint, the rollouts
     * and every deterministic metric equal those of an uninterrupted run.
     */
    @Test
    void resumeAfterKillMinus9ReproducesTheUninterruptedRun() throws Exception {
        Path reference = tmp.resolve("uninterrupted");
        assertEquals(0, Passk.execute(args(reference, "--no-report")));

        Path killed = tmp.resolve("killed");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent")).toList());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Passk.class.getName());
        cmd.addAll(Arrays.asList(args(killed, "--no-report")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("killed.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (!Files.isDirectory(killed.resolve("rollouts/epoch=1")) && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            p.destroyForcibly(); // SIGKILL
            p.waitFor(1, TimeUnit.MINUTES);
        }
        assertTrue(Files.isDirectory(killed.resolve("rollouts/epoch=1")),
                "the child never reached epoch 1: " + Files.readString(tmp.resolve("killed.log")));
        assertFalse(Files.isDirectory(killed.resolve("checkpoints/epoch=2")), "killed too late to test resume");

        assertEquals(0, Passk.execute(args(killed, "--no-report", "--resume")));

        assertArrayEquals(Files.readAllBytes(reference.resolve("checkpoints/epoch=2/model.safetensors")),
                Files.readAllBytes(killed.resolve("checkpoints/epoch=2/model.safetensors")));
        for (int e = 0; e < 3; e++) {
            Dataset<Row> a = spark.read().parquet(reference.resolve("rollouts/epoch=" + e).toString());
            Dataset<Row> b = spark.read().parquet(killed.resolve("rollouts/epoch=" + e).toString());
            assertEquals(0, a.exceptAll(b).count() + b.exceptAll(a).count(), "rollouts of epoch " + e);
        }
        assertEquals(deterministicColumns(reference), deterministicColumns(killed));
        assertEquals(Files.readString(reference.resolve("heldout.csv")), Files.readString(killed.resolve("heldout.csv")));
    }

    static List<String> deterministicColumns(Path run) throws Exception {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        List<String> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            StringBuilder sb = new StringBuilder();
            for (String c : EpochMetrics.DETERMINISTIC_COLUMNS) {
                sb.append(cells[header.indexOf(c)]).append(',');
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void existingRunWithoutResumeIsRefusedAndLeftAlone() throws Exception {
        Path run = tmp.resolve("existing");
        Files.createDirectories(run);
        Files.writeString(run.resolve("keep.txt"), "mine");
        Captured c = Captured.run(args(run));
        assertEquals(2, c.code);
        // a directory that holds no run is not one to resume either
        assertTrue(c.err.contains("is not empty and holds no run") && c.err.contains("choose another --out"), c.err);
        assertEquals(List.of(run.resolve("keep.txt")), Files.list(run).toList());
    }

    @Test
    void resumeOfADirectoryThatIsNotARunSaysSoAndLeavesItAlone() throws Exception {
        Path notARun = tmp.resolve("not-a-run");
        Files.createDirectories(notARun);
        Files.writeString(notARun.resolve("keep.txt"), "mine");
        Captured c = Captured.run(args(notARun, "--resume"));
        assertEquals(2, c.code);
        assertTrue(c.err.contains(notARun + " is not a run directory (no run.json)"), c.err);
        assertFalse(c.err.contains("pass --resume"), c.err);
        assertEquals(List.of(notARun.resolve("keep.txt")), Files.list(notARun).toList());
    }

    @Test
    void resumeWithAnotherConfigurationIsRefusedNamingTheDifference() throws Exception {
        Path run = tmp.resolve("reconfigured");
        assertEquals(0, Passk.execute(args(run, "--epochs", "1", "--no-report")));
        Captured c = Captured.run(args(run, "--epochs", "1", "--no-report", "--resume", "--lr", "5e-3"));
        assertEquals(2, c.code);
        assertTrue(c.err.contains("lr was"), c.err);
    }

    @Test
    void badOptionsExitWithCode2AndOneLine() {
        Captured unknownMethod = Captured.run(args(tmp.resolve("x1"), "--method", "passk-magic"));
        assertEquals(2, unknownMethod.code);
        assertTrue(unknownMethod.err.contains("passk-magic"), unknownMethod.err);
        Captured kOverN = Captured.run(args(tmp.resolve("x2"), "--k", "9"));
        assertEquals(2, kOverN.code);
        assertTrue(kOverN.err.contains("--k 9 exceeds --n 4"), kOverN.err);
        Captured unknownOption = Captured.run(args(tmp.resolve("x3"), "--bogus"));
        assertEquals(2, unknownOption.code);
        assertFalse(Files.exists(tmp.resolve("x1")) || Files.exists(tmp.resolve("x2")) || Files.exists(tmp.resolve("x3")));
    }

    /** Runs the CLI capturing stderr. */
    record Captured(int code, String err) {
        static Captured run(String... args) {
            PrintStream old = System.err;
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            System.setErr(new PrintStream(buf, true));
            try {
                var cli = Passk.commandLine();
                cli.setErr(new java.io.PrintWriter(System.err, true));
                int code = cli.execute(args);
                return new Captured(code, buf.toString());
            } finally {
                System.setErr(old);
            }
        }
    }
}
