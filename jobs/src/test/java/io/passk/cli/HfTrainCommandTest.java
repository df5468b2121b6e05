package io.passk.cli;

import io.passk.hf.ModelDirectory;
import io.passk.task.Problem;
import io.passk.task.TaskSuite;
import io.passk.testing.SharedSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code passk train --init TINY_DIR}: a Hugging Face directory trained end to end, its
 * checkpoints model directories, and a resume that repeats the run bit for bit.
 */
class HfTrainCommandTest {

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static String tasks;
    static final String TINY = TrainCommandTest.repoPath("lib/src/test/resources/hf/tiny-qwen2");

    /**
     * One-digit sums: the tiny model's vocabulary has the digits, and a response of one digit
     * and a stop id is right now and then, so the advantages (and the update) are not all zero.
     */
    @BeforeAll
    static void suite() {
        spark = SharedSpark.get();
        tasks = digitSums(tmp.resolve("digits"), 10);
    }

    /**
     * A suite of one-digit sums {@code d+0=} (answer d) for d below {@code perSplit} in each of
     * train and test, written to {@code dir}: prompts short enough for the tiny fixture's 64
     * positions; returns the directory.
     */
    static String digitSums(Path dir, int perSplit) {
        List<Row> rows = new ArrayList<>();
        for (String split : List.of("train", "test")) {
            for (int d = 0; d < perSplit; d++) {
                rows.add(TaskSuite.toRow(new Problem("arith-" + split + "-" + d, "arith", split, 1, d + "+0=",
                        Integer.toString(d), "")));
            }
        }
        SharedSpark.get().createDataFrame(rows, TaskSuite.SCHEMA).coalesce(1).write().parquet(dir.toString());
        return dir.toString();
    }

    static String[] args(Path out, String... extra) {
        return argsFrom(tasks, out, TINY, extra);
    }

    /** The small run of {@link #args} on {@code suite} from {@code init} (also {@link HfLoraTrainCommandTest}'s). */
    static String[] argsFrom(String suite, Path out, String init, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--tasks", suite, "--init", init,
                "--method", "passk-analytic", "--k", "2", "--n", "16", "--prompts-per-epoch", "10", "--epochs", "2",
                "--eval-every", "2", "--eval-problems", "4", "--eval-samples", "2", "--max-new-tokens", "3",
                "--mini-batches", "2", "--lr", "1e-2", "--seed", "3", "--no-report", "--out", out.toString(),
                // the fixture's 64 positions hold the compact prompt, not the instruction one auto picks for it
                "--prompt-style", "compact"));
        a.addAll(Arrays.asList(extra));
        return a.toArray(new String[0]);
    }

    static List<String> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /** A model directory with an unknown model_type: sample and train exit 2 naming the file, writing nothing. */
    @Test
    void aBrokenModelDirectoryExitsWith2NamingTheFileAndWritesNothing() throws Exception {
        Path bad = tmp.resolve("bad-model");
        Files.createDirectories(bad);
        for (String f : files(Path.of(TINY))) {
            Files.copy(Path.of(TINY).resolve(f), bad.resolve(f));
        }
        Files.writeString(bad.resolve("config.json"),
                Files.readString(bad.resolve("config.json")).replace("\"qwen2\"", "\"gpt_neox\""));
        Path out = tmp.resolve("bad-sample");
        CliRun sample = CliRun.of("sample", "--policy", bad.toString(), "--tasks", tasks, "--n", "2", "--out",
                out.toString());
        assertEquals(2, sample.code(), sample.err());
        assertTrue(sample.err().contains("config.json") && sample.err().contains("gpt_neox"), sample.err());
        assertFalse(Files.exists(out));
        Path run = tmp.resolve("bad-train");
        List<String> a = new ArrayList<>(Arrays.asList(args(run)));
        a.set(a.indexOf("--init") + 1, bad.toString());
        CliRun train = CliRun.of(a.toArray(new String[0]));
        assertEquals(2, train.code(), train.err());
        assertTrue(train.err().contains("config.json") && train.err().contains("gpt_neox"), train.err());
        assertFalse(Files.exists(run));
    }

    @Test
    void trainingAModelDirectoryWritesModelDirectoriesAndResumesBitForBit() throws Exception {
        Path run = tmp.resolve("run");
        assertEquals(0, Passk.execute(args(run)));
        Path last = run.resolve("checkpoints/epoch=1");
        assertTrue(files(last).containsAll(List.of("config.json", "model.safetensors", "tokenizer.json",
                "tokenizer_config.json", "generation_config.json")), files(last).toString());
        try (ModelDirectory init = ModelDirectory.open(Path.of(TINY)); ModelDirectory out = ModelDirectory.open(last)) {
            assertEquals(init.weights().names(), out.weights().names(), "the same tensor names");
            boolean moved = false;
            for (String name : init.weights().names()) {
                moved |= !Arrays.equals(init.readFloats(name), out.readFloats(name));
            }
            assertTrue(moved, "two epochs of updates changed the weights");
        }
        String json = Files.readString(run.resolve("run.json"));
        assertTrue(json.contains("\"prompt_template\": \"plain\"") && json.contains("\"save_dtype\": \"f32\""), json);

        // delete the last epoch's checkpoint: --resume redoes epoch 1 from epoch 0's model directory
        byte[][] before = new byte[files(last).size()][];
        List<String> names = files(last);
        for (int i = 0; i < names.size(); i++) {
            before[i] = Files.readAllBytes(last.resolve(names.get(i)));
        }
        io.passk.fs.AtomicOutput.deleteRecursively(last);
        assertFalse(Files.exists(last));
        assertEquals(0, Passk.execute(args(run, "--resume")));
        assertEquals(names, files(last));
        for (int i = 0; i < names.size(); i++) {
            assertArrayEquals(before[i], Files.readAllBytes(last.resolve(names.get(i))), names.get(i));
        }
    }
}
