package io.passk.cli;

import ai.djl.Device;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.passk.policy.HfPolicy;
import io.passk.policy.TinyQwen;
import io.passk.policy.Tokenizer;
import io.passk.task.Problem;
import io.passk.task.PromptStyle;
import io.passk.task.Tasks;
import io.passk.testing.SharedSpark;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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

/** {@code passk train --prompt-style}: parsed and refused like the other settings, resolved, recorded, resumed. */
class PromptStyleTrainTest {

    @TempDir
    static Path tmp;
    static String tasks;
    /** The tiny qwen2 fixture with 512 positions: its own 64 hold the compact prompt only. */
    static Path wide;

    @BeforeAll
    static void setUp() throws Exception {
        tasks = HfTrainCommandTest.digitSums(tmp.resolve("digits"), 4);
        Path tiny = Path.of(TrainCommandTest.repoPath("lib/src/test/resources/hf/tiny-qwen2"));
        wide = Files.createDirectories(tmp.resolve("tiny-qwen2-wide"));
        try (Stream<Path> files = Files.list(tiny)) {
            for (Path f : files.toList()) {
                Files.copy(f, wide.resolve(f.getFileName()));
            }
        }
        Path config = wide.resolve("config.json");
        Files.writeString(config, Files.readString(config)
                .replace("\"max_position_embeddings\": 64", "\"max_position_embeddings\": 512"));
    }

    static String[] args(String init, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--tasks", tasks, "--init", init, "--k", "2", "--n", "4",
                "--prompts-per-epoch", "4", "--epochs", "1", "--eval-every", "1", "--eval-problems", "2",
                "--eval-samples", "2", "--max-new-tokens", "3", "--mini-batches", "1", "--seed", "3", "--no-report",
                "--out", out.toString()));
        a.addAll(Arrays.asList(extra));
        return a.toArray(new String[0]);
    }

    static JsonObject runJson(Path run) throws Exception {
        return JsonParser.parseString(Files.readString(run.resolve("run.json"))).getAsJsonObject();
    }

    @Test
    void theOptionDefaultsToAutoAndTakesTheStyleInAnyCase() {
        TrainCommand defaults = new TrainCommand();
        new CommandLine(defaults).parseArgs();
        assertEquals("auto", defaults.config(Path.of("base")).format().promptStyle());
        TrainCommand set = new TrainCommand();
        new CommandLine(set).parseArgs("--prompt-style", " Instruction ");
        assertEquals("instruction", set.config(Path.of("base")).format().promptStyle());
    }

    @Test
    void aBadPromptStyleExitsWith2NamingTheFlagAndWritesNothing() {
        Path out = tmp.resolve("bad-style");
        CliRun run = CliRun.of(args(wide.toString(), out, "--prompt-style", "chatty"));
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains("passk train: --prompt-style must be auto, compact or instruction, got chatty"),
                run.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void aCharacterModelThatCannotEncodeTheInstructionPromptExitsWith2InOneLine() {
        Tokenizer tok = Tokenizer.forTasks(Tasks.all());   // the alphabet passk pretrain gives its models
        Path ckpt = TinyQwen.write(tmp, tok, 1, 16, 2, 64, 1);
        Path out = tmp.resolve("builtin-instruction");
        CliRun run = CliRun.of(args(ckpt.toString(), out, "--prompt-style", "instruction"));
        assertEquals(2, run.code(), run.err());
        List<String> lines = run.err().lines().filter(l -> l.startsWith("passk train:")).toList();
        assertEquals(1, lines.size(), run.err());
        assertTrue(lines.get(0).startsWith("passk train: --prompt-style instruction: the character model " + ckpt
                + " cannot encode the instruction prompt of problem arith-"), lines.get(0));
        assertTrue(lines.get(0).endsWith("use --prompt-style compact"), lines.get(0));
        assertFalse(Files.exists(out), "refused before the run directory is made");
    }

    @Test
    void aHuggingFaceRunSamplesTheChatRenderedInstructionRecordsItAndResumesWithIt() throws Exception {
        Path run = tmp.resolve("hf-instruction");
        CliRun first = CliRun.of(args(wide.toString(), run, "--prompt-template", "chat"));
        assertEquals(0, first.code(), first.err());
        JsonObject json = runJson(run);
        assertEquals("instruction", json.getAsJsonObject("config").get("prompt_style").getAsString(),
                "auto, resolved for a Hugging Face model");
        assertEquals("instruction", json.getAsJsonObject("provenance").get("prompt_style").getAsString());

        List<Row> rollouts = SharedSpark.get().read().parquet(run.resolve("rollouts/epoch=0").toString())
                .collectAsList();
        assertEquals(16, rollouts.size());
        try (HfPolicy policy = HfPolicy.load(wide, Device.cpu())) {
            for (Row r : rollouts) {
                String prompt = r.getString(r.fieldIndex("prompt"));
                Problem p = new Problem(r.getString(r.fieldIndex("problem_id")), "arith", "train", 1, prompt, "", "");
                var m = PromptStyle.INSTRUCTION.messages(Tasks.byName("arith"), p);
                int[] want = policy.tokenizer().encode("<|im_start|>system\n" + m.get(0).content() + "<|im_end|>\n"
                        + "<|im_start|>user\n" + m.get(1).content() + "<|im_end|>\n<|im_start|>assistant\n");
                List<Integer> got = r.getList(r.fieldIndex("prompt_tokens"));
                assertArrayEquals(want, got.stream().mapToInt(Integer::intValue).toArray(), prompt);
                assertTrue(prompt.matches("[0-9]\\+0="), "the prompt column is the compact prompt: " + prompt);
            }
        }

        // --resume re-resolves auto to what run.json records; a conflicting style is refused by name
        assertEquals(0, CliRun.of(args(wide.toString(), run, "--prompt-template", "chat", "--resume")).code());
        CliRun conflicting = CliRun.of(args(wide.toString(), run, "--prompt-template", "chat", "--resume",
                "--prompt-style", "compact"));
        assertEquals(2, conflicting.code(), conflicting.err());
        assertTrue(conflicting.err().contains("different configuration") && conflicting.err().contains("prompt_style"),
                conflicting.err());
    }

    @Test
    void aRunJsonWithoutThePromptStyleResumesCompactEvenForAHuggingFaceModel() throws Exception {
        Path run = tmp.resolve("hf-compact");
        CliRun first = CliRun.of(args(wide.toString(), run, "--prompt-style", "compact"));
        assertEquals(0, first.code(), first.err());
        assertFalse(runJson(run).getAsJsonObject("config").has("prompt_style"),
                "a compact run's run.json is what runs wrote before the setting");
        String before = Files.readString(run.resolve("run.json"));
        // without its epoch the resume samples again: auto would be instruction for this model, but the run is compact
        io.passk.fs.AtomicOutput.deleteRecursively(run.resolve("checkpoints/epoch=0"));
        CliRun resumed = CliRun.of(args(wide.toString(), run, "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(Files.isDirectory(run.resolve("checkpoints/epoch=0")));
        assertEquals(before, Files.readString(run.resolve("run.json")));
        List<Row> rollouts = SharedSpark.get().read().parquet(run.resolve("rollouts/epoch=0").toString())
                .collectAsList();
        try (HfPolicy policy = HfPolicy.load(wide, Device.cpu())) {
            for (Row r : rollouts) {
                List<Integer> got = r.getList(r.fieldIndex("prompt_tokens"));
                assertArrayEquals(policy.tokenizer().encode(r.getString(r.fieldIndex("prompt"))),
                        got.stream().mapToInt(Integer::intValue).toArray());
            }
        }
    }
}
