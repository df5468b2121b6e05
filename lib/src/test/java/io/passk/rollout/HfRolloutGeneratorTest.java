package io.passk.rollout;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.passk.hf.ModelDirectory;
import io.passk.hf.decoder.CausalLm;
import io.passk.hf.decoder.Generator;
import io.passk.policy.EngineThreads;
import io.passk.policy.HfPolicy;
import io.passk.random.SeededRandom;
import io.passk.task.Problem;
import io.passk.task.TaskSuite;
import io.passk.testing.ReverseTask;
import io.passk.testing.SharedSpark;
import io.passk.tokenizer.HfTokenizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RolloutGenerator} with a Hugging Face model directory as the policy (the tiny qwen2 fixture). */
class HfRolloutGeneratorTest {
    static final Path TINY = Path.of("src/test/resources/hf/tiny-qwen2").toAbsolutePath();
    static final TaskResolver TOY = name -> new ReverseTask();
    static final int N = 5;
    static final int BATCH = 3;
    static final int MAX_NEW = 7;
    static Dataset<Row> problems;
    static List<Problem> list = new ArrayList<>();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void setUp() {
        EngineThreads.configure(1);
        String[] prompts = {"a b c", "1 2 3 4 5", "c", "9 a 8 b 7 c 6", "0 0 0 0"};
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < prompts.length; i++) {
            Problem p = new Problem("reverse-test-" + i, ReverseTask.NAME, "test", 1, prompts[i], "x", "");
            list.add(p);
            rows.add(TaskSuite.toRow(p));
        }
        SparkSession spark = SharedSpark.get();
        problems = spark.createDataFrame(rows, TaskSuite.SCHEMA);
    }

    static RolloutGenerator generator(int epoch) {
        return new RolloutGenerator().setPolicyPath(TINY.toString()).setNumSamples(N).setMaxNewTokens(MAX_NEW)
                .setBatchSize(BATCH).setSeed(42).setEpoch(epoch).setTaskResolver(TOY);
    }

    static List<Row> sorted(Dataset<Row> df) {
        return df.orderBy("problem_id", "sample_idx").collectAsList();
    }

    static int[] ints(List<?> xs) {
        return xs.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
    }

    static float[] floats(List<?> xs) {
        float[] out = new float[xs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) xs.get(i)).floatValue();
        }
        return out;
    }

    @Test
    void rolloutsOfAModelDirectoryAreTheDecodersOwnGenerationsWithTheirPromptIds() {
        List<Row> rows = sorted(generator(3).transform(problems.repartition(2)));
        assertEquals(list.size() * N, rows.size());
        try (ModelDirectory md = ModelDirectory.open(TINY);
             HfTokenizer tok = HfTokenizer.open(md.tokenizer(), md.stopTokenIds());
             NDManager m = NDManager.newBaseManager(Device.cpu())) {
            CausalLm model = CausalLm.load(md, m, DataType.FLOAT32);
            int[] stops = tok.stopIds().stream().mapToInt(Integer::intValue).toArray();
            Generator.Settings settings = new Generator.Settings(1.0, 1.0, MAX_NEW, stops, true);
            int at = 0;
            for (Problem p : list) {
                int[] prompt = tok.encode(p.prompt());   // the plain template: the text as it is
                List<Generator.Request> reqs = new ArrayList<>();
                for (int i = 0; i < N; i++) {
                    reqs.add(new Generator.Request(prompt, SeededRandom.key(42, 3, SeededRandom.hash(p.problemId()), i)));
                }
                List<Generator.Generation> direct = new ArrayList<>();
                for (int from = 0; from < N; from += BATCH) {   // the generator's batches: one problem, BATCH rows
                    direct.addAll(new Generator(model).generate(m, reqs.subList(from, Math.min(N, from + BATCH)),
                            settings));
                }
                for (int i = 0; i < N; i++) {
                    Row r = rows.get(at++);
                    assertEquals(p.problemId(), r.getString(0));
                    assertEquals(i, r.getInt(r.fieldIndex("sample_idx")));
                    assertArrayEquals(prompt, ints(r.getList(r.fieldIndex("prompt_tokens"))), p.problemId());
                    assertArrayEquals(direct.get(i).tokens(), ints(r.getList(r.fieldIndex("response_tokens"))),
                            p.problemId() + "/" + i);
                    assertArrayEquals(direct.get(i).temperedLogprobs(),
                            floats(r.getList(r.fieldIndex("token_logprobs"))), p.problemId() + "/" + i);
                    assertEquals(direct.get(i).finished(), r.getBoolean(r.fieldIndex("finished")));
                    int[] t = direct.get(i).tokens();
                    if (direct.get(i).finished()) {
                        assertTrue(Arrays.stream(stops).anyMatch(s -> s == t[t.length - 1]), "ends at a stop id");
                    }
                }
            }
        }
    }

    @Test
    void rolloutsAreAFunctionOfSeedEpochProblemAndSampleIndexOnly() {
        List<Row> one = sorted(generator(1).transform(problems.repartition(1)));
        List<Row> three = sorted(generator(1).transform(problems.repartition(3).orderBy("prompt")));
        assertEquals(one, three);
        List<Row> other = sorted(generator(2).transform(problems.repartition(1)));
        boolean differs = false;
        for (int i = 0; i < one.size(); i++) {
            int col = one.get(i).fieldIndex("response_tokens");
            differs |= !one.get(i).getList(col).equals(other.get(i).getList(col));
        }
        assertTrue(differs, "another epoch draws other tokens");
        Row first = one.get(0);
        assertNotEquals(first.getList(first.fieldIndex("response_tokens")),
                one.get(1).getList(first.fieldIndex("response_tokens")), "sample_idx keys the draws");
    }

    @Test
    void theChatTemplateWrapsThePromptInTheModelsChatFormat() {
        Row r = sorted(generator(0).setPromptTemplate("chat").transform(problems.limit(1))).get(0);
        try (HfPolicy p = HfPolicy.load(TINY, Device.cpu())) {
            int[] want = p.tokenizer().encode("<|im_start|>user\n" + r.getString(r.fieldIndex("prompt"))
                    + "<|im_end|>\n<|im_start|>assistant\n");
            assertArrayEquals(want, ints(r.getList(r.fieldIndex("prompt_tokens"))));
        }
    }
}
