package io.passk.rollout;

import ai.djl.Device;
import io.passk.policy.EngineThreads;
import io.passk.policy.HfPolicy;
import io.passk.policy.Sample;
import io.passk.policy.TinyQwen;
import io.passk.policy.Tokenizer;
import io.passk.task.ChatMessage;
import io.passk.task.Problem;
import io.passk.task.PromptStyle;
import io.passk.task.Task;
import io.passk.task.TaskSuite;
import io.passk.task.Tasks;
import io.passk.testing.SharedSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RolloutGenerator#promptStyle}: under instruction the policy samples after the task's
 * messages (a Hugging Face policy's chat template, or their plain text), while the verifier and
 * the {@code prompt} column keep the compact problem.
 */
class PromptStyleRolloutTest {

    static final Path TINY = Path.of("src/test/resources/hf/tiny-qwen2").toAbsolutePath();
    static final Task ARITH = Tasks.byName("arith");
    static final List<Problem> PROBLEMS = List.of(
            new Problem("arith-test-0", "arith", "test", 1, "3+4=", "7", ""),
            new Problem("arith-test-1", "arith", "test", 2, "(3+4)*3=", "21", ""));

    @TempDir
    static Path tmp;
    static Path wide;
    static Dataset<Row> problems;

    /**
     * The tiny qwen2 fixture with room for an instruction prompt: its 64 positions hold the
     * compact prompt only (rotary embeddings take any position, so only the limit changes).
     */
    @BeforeAll
    static void setUp() throws Exception {
        EngineThreads.configure(1);
        wide = Files.createDirectories(tmp.resolve("tiny-qwen2-wide"));
        try (Stream<Path> files = Files.list(TINY)) {
            for (Path f : files.toList()) {
                Files.copy(f, wide.resolve(f.getFileName()));
            }
        }
        Path config = wide.resolve("config.json");
        String json = Files.readString(config);
        assertTrue(json.contains("\"max_position_embeddings\": 64"), json);
        Files.writeString(config, json.replace("\"max_position_embeddings\": 64", "\"max_position_embeddings\": 512"));
        List<Row> rows = new ArrayList<>();
        PROBLEMS.forEach(p -> rows.add(TaskSuite.toRow(p)));
        problems = SharedSpark.get().createDataFrame(rows, TaskSuite.SCHEMA);
    }

    /** Arithmetic whose verifier scores 1 exactly when it is given the compact problem (whatever the response). */
    static final class SeesCompactProblem implements Task {
        @Override public String name() { return "arith"; }
        @Override public List<Problem> generate(long seed, int difficulty, int count, String split, Set<String> excluded) {
            return ARITH.generate(seed, difficulty, count, split, excluded);
        }
        @Override public String solve(Problem problem) { return ARITH.solve(problem); }
        @Override public double verify(Problem problem, String response) {
            return PROBLEMS.contains(problem) ? 1.0 : 0.0;
        }
        @Override public String difficultyRange() { return ARITH.difficultyRange(); }
        @Override public boolean supportsDifficulty(int difficulty) { return ARITH.supportsDifficulty(difficulty); }
        @Override public String alphabet() { return ARITH.alphabet(); }
        @Override public String instructions() { return ARITH.instructions(); }
    }

    static RolloutGenerator generator(String policy, String style, String template) {
        return new RolloutGenerator().setPolicyPath(policy).setNumSamples(3).setMaxNewTokens(4).setBatchSize(3)
                .setSeed(7).setPromptStyle(style).setPromptTemplate(template)
                .setTaskResolver(name -> new SeesCompactProblem());
    }

    static int[] ints(List<?> xs) {
        return xs.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
    }

    static Problem problem(String id) {
        return PROBLEMS.stream().filter(p -> p.problemId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void underInstructionAndTheChatTemplateTheModelSeesTheChatRenderedMessages() {
        List<Row> rows = generator(wide.toString(), "instruction", "chat").transform(problems).collectAsList();
        assertEquals(PROBLEMS.size() * 3, rows.size());
        try (HfPolicy policy = HfPolicy.load(wide, Device.cpu())) {
            for (Row r : rows) {
                Problem p = problem(r.getString(r.fieldIndex("problem_id")));
                List<ChatMessage> m = PromptStyle.INSTRUCTION.messages(ARITH, p);
                int[] want = policy.tokenizer().encode("<|im_start|>system\n" + m.get(0).content() + "<|im_end|>\n"
                        + "<|im_start|>user\n" + m.get(1).content() + "<|im_end|>\n<|im_start|>assistant\n");
                assertArrayEquals(want, ints(r.getList(r.fieldIndex("prompt_tokens"))), p.problemId());
                assertTrue(want.length > policy.tokenizer().encode(p.prompt()).length + 20,
                        "the instruction is much longer than the compact prompt");
                assertEquals(p.prompt(), r.getString(r.fieldIndex("prompt")), "the prompt column stays compact");
                assertEquals(1.0, r.getDouble(r.fieldIndex("reward")), "the verifier was given the compact problem");
            }
        }
    }

    @Test
    void underInstructionAndThePlainTemplateTheModelSeesThePlainTextOfTheMessages() {
        List<Row> rows = generator(wide.toString(), "instruction", "plain").transform(problems).collectAsList();
        try (HfPolicy policy = HfPolicy.load(wide, Device.cpu())) {
            for (Row r : rows) {
                Problem p = problem(r.getString(r.fieldIndex("problem_id")));
                assertArrayEquals(policy.tokenizer().encode(PromptStyle.INSTRUCTION.render(ARITH, p)),
                        ints(r.getList(r.fieldIndex("prompt_tokens"))), p.problemId());
                assertEquals(1.0, r.getDouble(r.fieldIndex("reward")));
            }
        }
        // compact, the default: the prompt itself, as before the setting
        for (Row r : generator(wide.toString(), "compact", "plain").transform(problems).collectAsList()) {
            try (HfPolicy policy = HfPolicy.load(wide, Device.cpu())) {
                assertArrayEquals(policy.tokenizer().encode(r.getString(r.fieldIndex("prompt"))),
                        ints(r.getList(r.fieldIndex("prompt_tokens"))));
            }
        }
        assertEquals("compact", new RolloutGenerator().getPromptStyle());
    }

    @Test
    void theCharacterModelUnderInstructionSeesTheMessagesThroughItsChatTemplate() {
        Tokenizer tok = Tokenizer.ofAlphabet(PromptStyle.INSTRUCTION.alphabet(ARITH));
        Path ckpt = TinyQwen.write(tmp, tok, 1, 16, 2, 512, 1);
        for (Row r : generator(ckpt.toString(), "instruction", TinyQwen.TEMPLATE).transform(problems).collectAsList()) {
            Problem p = problem(r.getString(r.fieldIndex("problem_id")));
            // the character model's chat template: <bos>, each message's content, then <sep>
            StringBuilder text = new StringBuilder();
            for (ChatMessage m : PromptStyle.INSTRUCTION.messages(ARITH, p)) {
                text.append(m.content());
            }
            int[] body = tok.encode(text.toString());
            int[] want = new int[body.length + 2];
            want[0] = Tokenizer.BOS;
            System.arraycopy(body, 0, want, 1, body.length);
            want[want.length - 1] = Tokenizer.SEP;
            assertArrayEquals(want, ints(r.getList(r.fieldIndex("prompt_tokens"))));
            assertEquals(p.prompt(), r.getString(r.fieldIndex("prompt")));
        }
    }

    @Test
    void aCorrectAnswerInTagsAfterReasoningIsRewardedOnTheCompactProblem() {
        Problem p = PROBLEMS.get(1);
        io.passk.policy.SampleRequest request = RolloutGenerator.request(PromptStyle.INSTRUCTION, ARITH, p);
        assertEquals(p.prompt(), request.prompt());
        assertEquals(PromptStyle.INSTRUCTION.messages(ARITH, p), request.messages());
        assertTrue(RolloutGenerator.request(PromptStyle.COMPACT, ARITH, p).messages().isEmpty());
        int[] ids = {1, 2, 3};
        List<Sample> samples = List.of(
                new Sample(p.problemId(), 0, new int[]{5}, new float[]{-0.5f}, new float[]{0.1f}, true,
                        "3+4 is 7, times 3 is 21. <answer>21</answer>"),
                new Sample(p.problemId(), 1, new int[]{6}, new float[]{-0.7f}, new float[]{0.2f}, true,
                        "<answer>20</answer>"),
                new Sample(p.problemId(), 2, new int[]{7}, new float[]{-0.9f}, new float[]{0.3f}, false,
                        "so \\boxed{21}"));
        List<Row> rows = RolloutGenerator.rows(ARITH, p, ids, samples, 4);
        assertEquals(List.of(1.0, 0.0, 1.0), rows.stream().map(r -> r.getDouble(8)).toList());
        for (Row r : rows) {
            assertEquals(p.prompt(), r.getString(3));
            assertArrayEquals(ids, ints(scala.jdk.javaapi.CollectionConverters.asJava(r.<scala.collection.Seq<Object>>getAs(10))));
            assertEquals(4, r.getInt(11));
        }
    }
}
