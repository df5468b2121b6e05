package io.passk.cli;

import io.passk.testing.SharedSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pretrain -> sample on a tiny arith suite, through the command line. */
class PolicyCommandsTest {
    @TempDir
    static Path tmp;
    static String suite;
    static String ckpt;

    @BeforeAll
    static void pretrainTinyPolicy() {
        SharedSpark.get();
        suite = tmp.resolve("suite").toString();
        ckpt = tmp.resolve("ckpt").toString();
        assertEquals(0, Passk.execute("tasks", "--task", "arith", "--difficulty", "1", "--train", "40",
                "--test", "6", "--seed", "1", "--out", suite));
        assertEquals(0, Passk.execute("pretrain", "--tasks", suite, "--out", ckpt, "--steps", "3",
                "--layers", "1", "--width", "16", "--heads", "2", "--threads", "1"));
    }

    @Test
    void pretrainWritesACompleteCheckpoint() {
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                "generation_config.json", "passk_checkpoint.json")) {
            assertTrue(Files.isRegularFile(Path.of(ckpt, f)), f);
        }
        assertEquals(2, Passk.execute("pretrain", "--tasks", suite, "--out", ckpt, "--steps", "1"),
                "an existing checkpoint is never overwritten");
    }

    @Test
    void sampleWritesRolloutsThatEvalCanReadAndRerunsIdentically() {
        String out1 = tmp.resolve("rollouts1").toString();
        String out2 = tmp.resolve("rollouts2").toString();
        String[] common = {"sample", "--policy", ckpt, "--tasks", suite, "--n", "3", "--max-new-tokens", "8",
                "--batch-size", "2", "--seed", "5"};
        assertEquals(0, Passk.execute(concat(common, "--out", out1)));
        assertEquals(0, Passk.execute(concat(common, "--out", out2, "--partitions", "3")));
        SparkSession spark = SharedSpark.get();
        Dataset<Row> a = spark.read().parquet(out1);
        assertEquals(18, a.count());
        List<String> cols = Arrays.asList(a.columns());
        assertTrue(cols.containsAll(List.of("problem_id", "task", "sample_idx", "prompt", "response",
                "response_tokens", "token_logprobs", "token_entropy", "reward", "finished", "epoch")), cols.toString());
        assertTrue(Files.isDirectory(Path.of(out1, "epoch=0")));
        assertTrue(Files.isRegularFile(Path.of(out1, "_passk_sample.json")));
        List<Row> r1 = a.orderBy("problem_id", "sample_idx").collectAsList();
        List<Row> r2 = spark.read().parquet(out2).select(a.columns()[0], Arrays.copyOfRange(a.columns(), 1, a.columns().length))
                .orderBy("problem_id", "sample_idx").collectAsList();
        assertEquals(r1, r2, "same rollouts whatever the partitioning");
        assertEquals(2, Passk.execute(concat(common, "--out", out1)), "existing output without --overwrite");
    }

    @Test
    void badSampleInputExitsTwoAndWritesNothing() {
        String out = tmp.resolve("never").toString();
        assertEquals(2, Passk.execute("sample", "--policy", tmp.resolve("missing").toString(), "--tasks", suite,
                "--out", out));
        assertEquals(2, Passk.execute("sample", "--policy", ckpt, "--tasks", suite, "--top-p", "0", "--out", out));
        assertEquals(2, Passk.execute("sample", "--policy", ckpt, "--tasks", suite, "--split", "nope", "--out", out));
        assertEquals(2, Passk.execute("sample", "--policy", ckpt, "--tasks", suite, "--prompt-style", "chatty",
                "--out", out));
        assertFalse(Files.exists(Path.of(out)));
    }

    @Test
    void benchSampleRunsOnATinyModel() {
        assertEquals(0, Passk.execute("bench", "sample", "--layers", "1", "--width", "16", "--heads", "2",
                "--context", "32", "--batch", "2", "--prompt-length", "4", "--lengths", "2,4,8", "--matmul", "64",
                "--repeats", "1", "--threads", "1", "--plot", tmp.resolve("bench.png").toString()));
        assertTrue(Files.isRegularFile(tmp.resolve("bench.png")));
        assertEquals(2, Passk.execute("bench", "sample", "--context", "16", "--lengths", "32"));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
