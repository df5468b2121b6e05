package io.passk.train;

import io.passk.advantage.spark.AdvantageMix;
import io.passk.advantage.AdvantageMethod;
import io.passk.learn.LearnerConfig;
import io.passk.policy.HfPolicy;
import io.passk.policy.PolicySource;
import io.passk.rollout.Sampling;
import io.passk.policy.TinyQwen;
import io.passk.policy.Tokenizer;
import io.passk.progress.ProgressListener;
import io.passk.run.RunJson;
import io.passk.settings.InvalidSettingException;
import io.passk.settings.TrainSettings;
import io.passk.task.Problem;
import io.passk.task.PromptStyle;
import io.passk.task.Task;
import io.passk.task.Tasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code prompt_style}: auto follows the policy, a resumed run keeps what it recorded, run.json shows only instruction. */
class PromptStyleResolutionTest {

    static final String TINY_HF = Path.of("src/test/resources/hf/tiny-qwen2").toAbsolutePath().toString();
    static final Problem ARITH = new Problem("arith-test-0", "arith", "test", 1, "(3+4)*3=", "21", "");

    @TempDir
    Path tmp;

    static TrainConfig config(String init, String style) {
        return new TrainConfig("tasks", PolicySource.of(init), AdvantageMethod.PASSK_ANALYTIC,
                KSchedule.parse("constant", 4, 6), AdvantageMix.parse("none"), 32, 6, LearnerConfig.defaults(1e-4),
                new Sampling(16, 1.0, 48, 64), new TrainConfig.Heldout(2, 100, 16), 0, 1,
                TrainConfig.ModelFormat.DEFAULT.withPromptStyle(style), null);
    }

    @Test
    void autoIsInstructionForAHuggingFaceDirectoryAndCompactForTheBuiltInModel() {
        assertEquals(TrainSettings.PROMPT_STYLE.defaultValue(), config(TINY_HF, "auto").format().promptStyle());
        assertEquals(PromptStyle.INSTRUCTION, config(TINY_HF, "auto").resolvedPromptStyle());
        // a passk checkpoint, or the base model a run warm-up trains into a directory that does not exist yet
        assertEquals(PromptStyle.COMPACT, config(tmp.resolve("runs/base-maze").toString(), "auto").resolvedPromptStyle());
        assertEquals(PromptStyle.COMPACT, config(TINY_HF, "compact").resolvedPromptStyle(), "a set style is kept");
        assertEquals(PromptStyle.INSTRUCTION, config("base", "instruction").resolvedPromptStyle());
    }

    @Test
    void runJsonRecordsThePromptStyleOnlyWhenItIsInstruction() {
        Map<String, Object> compact = config(TINY_HF, "compact").toMap();
        assertFalse(compact.containsKey("prompt_style"), "a compact run's configuration is what it was before");
        assertEquals(compact, config(TINY_HF, "auto").toMap(), "an unresolved auto is not recorded");
        Map<String, Object> instruction = config(TINY_HF, "instruction").toMap();
        assertEquals("instruction", instruction.get("prompt_style"));
        instruction.remove("prompt_style");
        assertEquals(compact, instruction, "nothing else differs");
        assertEquals(List.copyOf(compact.keySet()).subList(compact.size() - 2, compact.size()),
                List.of("prompt_template", "save_dtype"), "the key is appended after the existing ones");
    }

    @Test
    void anUnknownPromptStyleIsRefusedNamingTheSetting() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> config("base", "chatty"));
        assertSame(TrainSettings.PROMPT_STYLE, e.settings().get(0));
        assertEquals("prompt_style must be auto, compact or instruction, got chatty", e.getMessage());
    }

    @Test
    void autoResolvesOnceAtRunStartAndAResumedRunKeepsWhatItsRunJsonRecords() {
        Path fresh = tmp.resolve("fresh");
        assertEquals("instruction", PassAtKTraining.resolveFormat(config(TINY_HF, "auto"), fresh, false)
                .format().promptStyle());
        assertEquals("instruction", PassAtKTraining.resolveFormat(config(TINY_HF, "auto"), fresh, true)
                .format().promptStyle(), "--resume of a run not yet started resolves like a new run");
        assertEquals("compact", PassAtKTraining.resolveFormat(config(tmp.resolve("runs/base-x").toString(), "auto"),
                fresh, false).format().promptStyle(), "the character model a warm-up writes there");

        // a run.json written before the setting existed: its run sampled the compact prompt
        Path old = tmp.resolve("old");
        Map<String, Object> recorded = new LinkedHashMap<>(config(TINY_HF, "compact").toMap());
        RunJson.write(old.resolve(RunJson.FILE_NAME), "old", "passk-analytic", 4, 1, recorded, Map.of(),
                ProgressListener.SILENT);
        TrainConfig resumed = PassAtKTraining.resolveFormat(config(TINY_HF, "auto"), old, true);
        assertEquals("compact", resumed.format().promptStyle());
        assertEquals(recorded, resumed.toMap(), "so its configuration still compares equal");
        assertEquals("instruction", PassAtKTraining.resolveFormat(config(TINY_HF, "auto"), old, false)
                .format().promptStyle(), "without --resume nothing is read (the run directory is refused later)");

        Path instruction = tmp.resolve("instruction");
        RunJson.write(instruction.resolve(RunJson.FILE_NAME), "i", "passk-analytic", 4, 1,
                config("base", "instruction").toMap(), Map.of(), ProgressListener.SILENT);
        assertEquals("instruction", PassAtKTraining.resolveFormat(config("base", "auto"), instruction, true)
                .format().promptStyle());
        // a set style is never replaced: a conflicting one is then refused by the configuration comparison
        assertEquals("compact", PassAtKTraining.resolveFormat(config("base", "compact"), instruction, true)
                .format().promptStyle());
    }

    private Path characterModel(String alphabet, int context) {
        return TinyQwen.write(tmp, Tokenizer.ofAlphabet(alphabet), 1, 16, 2, context, 1);
    }

    @Test
    void aCharacterModelThatCannotEncodeTheInstructionPromptIsRefusedInOneLine() {
        Task arith = Tasks.byName("arith");
        // what passk pretrain builds: the tasks' own alphabets
        Path pretrained = characterModel(Tokenizer.forTasks(Tasks.all()).alphabet(), 64);
        PassAtKTraining.checkBuiltInEncodes(config(pretrained.toString(), "compact"), List.of(ARITH), List.of());
        PassAtKTraining.checkBuiltInEncodes(config(pretrained.toString(), "auto"), List.of(ARITH), List.of());
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> PassAtKTraining
                .checkBuiltInEncodes(config(pretrained.toString(), "instruction"), List.of(), List.of(ARITH)));
        assertSame(TrainSettings.PROMPT_STYLE, e.settings().get(0));
        assertTrue(e.getMessage().startsWith("prompt_style instruction: the character model " + pretrained
                + " cannot encode the instruction prompt of problem arith-test-0 ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("use prompt_style compact"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());

        String text = PromptStyle.INSTRUCTION.render(arith, ARITH);
        Path small = characterModel(PromptStyle.INSTRUCTION.alphabet(arith), 64);
        InvalidSettingException tooLong = assertThrows(InvalidSettingException.class, () -> PassAtKTraining
                .checkBuiltInEncodes(config(small.toString(), "instruction"), List.of(ARITH), List.of()));
        int tokens;
        try (HfPolicy p = HfPolicy.load(small, ai.djl.Device.cpu())) {
            tokens = p.encodeMessages(PromptStyle.INSTRUCTION.messages(arith, ARITH),
                    config(small.toString(), "instruction").format().promptTemplate()).length;
        }
        assertTrue(tooLong.getMessage().contains("is " + tokens + " tokens, the character model "
                + small + " has a context of 64"), tooLong.getMessage());

        Path wide = characterModel(PromptStyle.INSTRUCTION.alphabet(arith), text.length() + 16);
        PassAtKTraining.checkBuiltInEncodes(config(wide.toString(), "instruction"), List.of(ARITH), List.of(ARITH));
    }

    @Test
    void theQwen2CharacterModelIsCompactByDefaultAndRefusesTheInstructionStyleInOneLine() throws Exception {
        Path dir = java.nio.file.Files.createDirectories(tmp.resolve("qwen2-character"));
        io.passk.policy.CharacterModel.write(dir, Tokenizer.forTasks(Tasks.all()),
                new io.passk.policy.CharacterModel.Shape(1, 16, 2, 64), 1);
        assertEquals(PromptStyle.COMPACT, config(dir.toString(), "auto").resolvedPromptStyle());
        PassAtKTraining.checkBuiltInEncodes(config(dir.toString(), "auto"), List.of(ARITH), List.of(ARITH));
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> PassAtKTraining
                .checkBuiltInEncodes(config(dir.toString(), "instruction"), List.of(ARITH), List.of()));
        assertTrue(e.getMessage().endsWith("use prompt_style compact"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
