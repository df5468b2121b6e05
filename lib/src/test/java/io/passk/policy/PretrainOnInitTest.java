package io.passk.policy;

import ai.djl.Device;
import io.passk.hf.HfFixtures;
import io.passk.hf.peft.AdapterDirectory;
import io.passk.hf.peft.LoraConfig;
import io.passk.random.SeededRandom;
import io.passk.task.Problem;
import io.passk.task.PromptStyle;
import io.passk.task.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code passk pretrain --init}: the format warm-up of a given Hugging Face model directory (the
 * tiny qwen2 fixture), in full and with LoRA: the loss falls, and the written model directory or
 * adapter reloads with the log-probs of the trained policy (a second, in-memory warm-up with the
 * same settings: the warm-up is deterministic).
 */
class PretrainOnInitTest {

    @TempDir
    static Path tmp;
    private static Path init;
    private static List<Problem> train;
    private static List<Problem> test;
    private static final Task TASK = new DigitReverse();
    private static final Pretrainer.Settings SETTINGS = new Pretrainer.Settings(30, 16, 1e-2, 4, 10);

    @BeforeAll
    static void setUp() {
        EngineThreads.configure(1);
        init = HfFixtures.copy("tiny-qwen2", tmp);
        train = TASK.generate(1, 3, 64, "train", Set.of());
        test = TASK.generate(2, 3, 8, "test", Set.of());
    }

    @Test
    void aFullWarmUpLowersTheLossAndTheModelDirectoryReloadsWithTheTrainedLogProbs() {
        Path out = tmp.resolve("full");
        PretrainRun.Format format = new PretrainRun.Format(PromptStyle.COMPACT, "chat", "f32");
        PretrainRun.Result r = PretrainRun.onInit(PolicySource.of(init), null, format, SETTINGS, train, test,
                name -> TASK, out, Map.of(), System.err);
        assertTrue(r.report().lastLoss() < r.report().firstLoss(), r.report().toString());
        assertTrue(PolicySource.of(out) instanceof PolicySource.HuggingFace);
        assertEquals(SETTINGS.steps(), HfCheckpoint.stepOf(out));
        assertSameLogProbs(out, null, format);
    }

    @Test
    void aLoraWarmUpLowersTheLossAndTheAdapterReloadsOnItsBaseWithTheTrainedLogProbs() {
        Path out = tmp.resolve("lora");
        LoraConfig lora = new LoraConfig(4, 8.0, 0.0, LoraConfig.parseTargets("q_proj,v_proj,down_proj"));
        PretrainRun.Format format = new PretrainRun.Format(PromptStyle.COMPACT, "plain", "f32");
        PretrainRun.Result r = PretrainRun.onInit(PolicySource.of(init), lora, format, SETTINGS, train, test,
                name -> TASK, out, Map.of(), System.err);
        assertTrue(r.report().lastLoss() < r.report().firstLoss(), r.report().toString());
        assertTrue(AdapterDirectory.isAdapter(out));
        AdapterDirectory adapter = AdapterDirectory.open(out);
        assertEquals(lora, adapter.config());
        assertEquals(init.toAbsolutePath().normalize(), HfPolicy.baseOf(adapter));
        assertSameLogProbs(out, lora, format);
    }

    /** The reloaded {@code out} scores the examples as a second warm-up of the same settings, in memory, does. */
    private static void assertSameLogProbs(Path out, LoraConfig lora, PretrainRun.Format format) {
        PolicySource source = PolicySource.of(init);
        try (PolicyModel trained = lora != null ? HfPolicy.loadForLora(source, lora, SETTINGS.seed(), Device.cpu())
                : source.load(Device.cpu());
             PolicyModel reloaded = PolicySource.of(out).load(Device.cpu())) {
            List<Pretrainer.Example> examples = Pretrainer.encode(trained, test,
                    p -> SampleRequest.of(format.style(), TASK, p), p -> TASK.solve(p), format.template(), 64);
            Pretrainer.train(trained, Pretrainer.encode(trained, train, p -> SampleRequest.of(format.style(), TASK, p),
                    p -> TASK.solve(p), format.template(), 64), SETTINGS, null);
            List<int[]> inputs = examples.stream().map(Pretrainer.Example::input).toList();
            List<int[]> targets = examples.stream().map(Pretrainer.Example::target).toList();
            float[][] expected = trained.tokenLogProbs(inputs, targets, 1.0);
            float[][] got = reloaded.tokenLogProbs(inputs, targets, 1.0);
            for (int i = 0; i < expected.length; i++) {
                assertArrayEquals(expected[i], got[i], 1e-6f, "example " + i);
            }
            assertEquals(SETTINGS.steps(), reloaded.step());
        }
    }

    /** Prompts of three digits (words of the fixture's vocabulary) separated by spaces; answer them reversed. */
    static final class DigitReverse implements Task {
        @Override
        public String name() {
            return "digit-reverse";
        }

        @Override
        public List<Problem> generate(long seed, int difficulty, int count, String split, Set<String> excluded) {
            List<Problem> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = name() + "-" + split + "-" + i;
                SplittableRandom rnd = SeededRandom.of(seed, difficulty, id, i);
                List<String> digits = new ArrayList<>();
                for (int j = 0; j < difficulty; j++) {
                    digits.add(Integer.toString(rnd.nextInt(10)));
                }
                Problem p = new Problem(id, name(), split, difficulty, String.join(" ", digits), "", "");
                out.add(new Problem(id, name(), split, difficulty, p.prompt(), solve(p), ""));
            }
            return out;
        }

        @Override
        public String solve(Problem problem) {
            List<String> digits = new ArrayList<>(List.of(problem.prompt().split(" ")));
            java.util.Collections.reverse(digits);
            return String.join(" ", digits);
        }

        @Override
        public double verify(Problem problem, String response) {
            return solve(problem).equals(response) ? 1.0 : 0.0;
        }

        @Override
        public String alphabet() {
            return "0123456789 ";
        }

        @Override
        public String difficultyRange() {
            return "1..8 digits";
        }

        @Override
        public boolean supportsDifficulty(int difficulty) {
            return difficulty >= 1 && difficulty <= 8;
        }
    }
}
