package io.passk.settings;

import io.passk.BadInputException;
import io.passk.advantage.AdvantageMethod;
import io.passk.learn.LearnerConfig;
import io.passk.policy.CharacterModel;
import io.passk.policy.SamplingConfig;
import io.passk.advantage.spark.AdvantageMix;
import io.passk.train.KSchedule;
import io.passk.train.TrainConfig;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InvalidSettingExceptionTest {

    @Test
    void theMessageNamesTheSettingsAndRenderSubstitutesWhatTheUserTyped() {
        InvalidSettingException e = new InvalidSettingException("{} 9 exceeds {} 4: too few", TrainSettings.K,
                TrainSettings.N);
        assertEquals("k 9 exceeds n 4: too few", e.getMessage());
        assertEquals("--k 9 exceeds --n 4: too few", e.render(s -> "--" + s.name()));
        assertEquals("'training.k' 9 exceeds 'training.n' 4: too few", e.render(s -> "'" + s.yamlKey() + "'"));
        assertEquals(List.of(TrainSettings.K, TrainSettings.N), e.settings());
        assertInstanceOf(BadInputException.class, e);
        assertThrows(IllegalArgumentException.class, () -> new InvalidSettingException("{} only", TrainSettings.K,
                TrainSettings.N));
    }

    @Test
    void itSurvivesJavaSerializationAsASparkTaskFailureWould() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(InvalidSettingException.of(TrainSettings.TOP_P, "must be in (0, 1], got 0.0"));
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            InvalidSettingException back = (InvalidSettingException) in.readObject();
            assertEquals("--top-p must be in (0, 1], got 0.0", back.render(s -> "--" + s.name().replace('_', '-')));
            assertEquals(TrainSettings.TOP_P, back.settings().get(0));
        }
    }

    @Test
    void libraryValidationNamesTheSettingNotAFlag() {
        assertRefused(TrainSettings.EPOCHS, "epochs must be >= 1, got 0", () -> train(16, 4, 0, 2));
        assertRefused(TrainSettings.N, "n must be >= 1, got 0", () -> train(0, 1, 6, 2));
        assertRefused(TrainSettings.K, "k 8 exceeds n 4", () -> train(4, 8, 6, 2));
        assertRefused(TrainSettings.EVAL_EVERY, "eval_every must be >= 1, got 0", () -> train(16, 4, 6, 0));
        assertRefused(TrainSettings.LR, "lr must be > 0, got -1.0",
                () -> new LearnerConfig(-1, 0.2, 0.28, 0, 4, 1, 1.0, 1.0));
        assertRefused(TrainSettings.CLIP_LOW, "clip_low", () -> new LearnerConfig(1e-4, 1.5, 0.28, 0, 4, 1, 1.0, 1.0));
        assertRefused(TrainSettings.LEARNER_PASSES, "learner_passes must be >= 1, got 0",
                () -> new LearnerConfig(1e-4, 0.2, 0.28, 0, 4, 0, 1.0, 1.0));
        assertRefused(TrainSettings.TOP_P, "top_p must be in (0, 1], got 0.0",
                () -> new SamplingConfig(4, 1.0, 0.0, 8, 8, 1, 0, true));
        assertRefused(WarmupSettings.HEADS, "heads must be >= 1 and divide width 64 into an even head size",
                () -> new CharacterModel.Shape(2, 64, 3, 32));
    }

    @Test
    void namesAreUniqueWithinASectionAndEverySettingIsListed() {
        Set<String> keys = new HashSet<>();
        for (Setting<?> s : concat(TrainSettings.ALL, WarmupSettings.ALL)) {
            assertTrue(keys.add(s.yamlKey()), "twice: " + s.yamlKey());
        }
        assertEquals(22, TrainSettings.ALL.size());
        assertEquals(8, WarmupSettings.ALL.size());
    }

    private static List<Setting<?>> concat(List<Setting<?>> a, List<Setting<?>> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static TrainConfig train(int n, int k, int epochs, int evalEvery) {
        return new TrainConfig("t", new io.passk.policy.PolicySource.HuggingFace(java.nio.file.Path.of("i"), io.passk.task.PromptStyle.COMPACT),
                AdvantageMethod.PASSK_ANALYTIC, KSchedule.parse("constant", k, epochs), AdvantageMix.parse("none"), 32,
                epochs, LearnerConfig.defaults(1e-4), new io.passk.rollout.Sampling(n, 1.0, 48, 64),
                new TrainConfig.Heldout(evalEvery, 100, 16), 0, 1, TrainConfig.ModelFormat.DEFAULT, null);
    }

    private static void assertRefused(Setting<?> setting, String message, Runnable r) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, r::run);
        assertEquals(setting, e.settings().get(0));
        assertTrue(e.getMessage().contains(message), "expected '" + message + "' in: " + e.getMessage());
        assertTrue(!e.getMessage().contains("--"), e.getMessage());
    }
}
