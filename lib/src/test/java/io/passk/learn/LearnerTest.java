package io.passk.learn;

import ai.djl.Device;
import io.passk.policy.HfPolicy;
import io.passk.policy.PolicyTrainer;
import io.passk.policy.TinyQwen;
import io.passk.policy.Tokenizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearnerTest {

    @TempDir
    static Path tmp;
    static Path model;
    HfPolicy policy;

    @BeforeAll
    static void write() {
        model = TinyQwen.write(tmp, Tokenizer.ofAlphabet("abcd"), 1, 16, 2, 16, 5);
    }

    @BeforeEach
    void create() {
        policy = HfPolicy.load(model, Device.cpu());
    }

    @AfterEach
    void close() {
        policy.close();
    }

    TrainingExample example(String prompt, String answer, double advantage, float shift) {
        int[] in = policy.encodePrompt(prompt, TinyQwen.TEMPLATE);
        int[] resp = policy.encodeResponse(answer);
        float[] old = policy.tokenLogProbs(List.of(in), List.of(resp), 1.0)[0].clone();
        for (int i = 0; i < old.length; i++) {
            old[i] += shift;
        }
        return new TrainingExample(in, resp, old, advantage);
    }

    @Test
    void atRatioOneTheLossIsMinusTheTokenMeanAdvantage() {
        List<TrainingExample> batch = List.of(example("ab", "ba", 1.5, 0f), example("cd", "d", -0.5, 0f));
        int tokens = batch.stream().mapToInt(e -> e.response().length).sum();
        double expected = -(1.5 * batch.get(0).response().length - 0.5 * batch.get(1).response().length) / tokens;
        try (PolicyTrainer t = policy.newTrainer(PolicyTrainer.Settings.adam(1e-3))) {
            float loss = t.step(new ClippedSurrogate(batch, null, LearnerConfig.defaults(1e-3), tokens));
            assertEquals(expected, loss, 1e-5);
        }
    }

    @Test
    void ratioAboveTheUpperClipGivesNoGradientForPositiveAdvantage() {
        // old log-probs far below the current ones: ratio >> 1 + eps_high, so the clipped branch
        // (a constant) is the minimum and the weights must not move
        TrainingExample e = example("ab", "ba", 1.0, -5f);
        int[] in = e.input();
        float[] before = policy.tokenLogProbs(List.of(in), List.of(e.response()), 1.0)[0];
        try (PolicyTrainer t = policy.newTrainer(PolicyTrainer.Settings.adam(1e-2))) {
            float loss = t.step(new ClippedSurrogate(List.of(e), null, LearnerConfig.defaults(1e-2), e.response().length));
            assertEquals(-1.28, loss, 1e-5);
        }
        assertArrayEquals(before, policy.tokenLogProbs(List.of(in), List.of(e.response()), 1.0)[0], 1e-6f);
    }

    @Test
    void positiveAdvantageRaisesAndNegativeLowersTheResponseLogProb() {
        TrainingExample good = example("ab", "ba", 1.0, 0f);
        TrainingExample bad = example("ab", "cc", -1.0, 0f);
        float goodBefore = sum(policy.tokenLogProbs(List.of(good.input()), List.of(good.response()), 1.0)[0]);
        float badBefore = sum(policy.tokenLogProbs(List.of(bad.input()), List.of(bad.response()), 1.0)[0]);
        Learner learner = new Learner(new LearnerConfig(3e-3, 0.2, 0.28, 0.0, 2, 3, 1.0, 1.0));
        try (PolicyTrainer t = policy.newTrainer(PolicyTrainer.Settings.adam(3e-3))) {
            Learner.Result r = learner.update(policy, t, null, List.of(good, bad), 1, 0);
            assertEquals(6, r.steps());
        }
        assertTrue(sum(policy.tokenLogProbs(List.of(good.input()), List.of(good.response()), 1.0)[0]) > goodBefore);
        assertTrue(sum(policy.tokenLogProbs(List.of(bad.input()), List.of(bad.response()), 1.0)[0]) < badBefore);
    }

    @Test
    void klPenaltyIsZeroAgainstItselfAndPositiveAfterThePolicyMoves() {
        TrainingExample e = example("ab", "ba", 0.0, 0f);
        float[][] ref = policy.tokenLogProbs(List.of(e.input()), List.of(e.response()), 1.0);
        LearnerConfig kl = new LearnerConfig(1e-2, 0.2, 0.28, 1.0, 1, 1, 1.0, 1.0);
        try (PolicyTrainer t = policy.newTrainer(PolicyTrainer.Settings.adam(1e-2))) {
            assertEquals(0.0, t.step(new ClippedSurrogate(List.of(e), ref, kl, e.response().length)), 1e-6);
            TrainingExample push = example("ab", "ba", 1.0, 0f);
            for (int i = 0; i < 5; i++) {
                t.step(new ClippedSurrogate(List.of(push), null, LearnerConfig.defaults(1e-2), push.response().length));
            }
            assertTrue(t.step(new ClippedSurrogate(List.of(e), ref, kl, e.response().length)) > 1e-6);
        }
    }

    static float sum(float[] a) {
        float s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }
}
