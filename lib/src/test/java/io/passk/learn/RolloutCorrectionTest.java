package io.passk.learn;

import ai.djl.Device;
import io.passk.policy.EngineThreads;
import io.passk.policy.HfPolicy;
import io.passk.policy.PolicyTrainer;
import io.passk.policy.Sample;
import io.passk.policy.SampleRequest;
import io.passk.policy.SamplingConfig;
import io.passk.policy.TinyQwen;
import io.passk.policy.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Truncated importance weights: the weights and mismatch against plain arithmetic, the weighted loss, djl's equality. */
class RolloutCorrectionTest {

    @Test
    void weightsAreTheCappedRatioAndTheMismatchIsCountedOverTokens() {
        // rollout log-probs; learner log-probs; C = 2
        float[] rollout0 = {-1.0f, -2.0f, -0.5f};
        float[] learner0 = {-1.0f, -1.0f, -1.5f};     // deltas 0, +1 (ratio e > 2: truncated), -1
        float[] rollout1 = {-3.0f};
        float[] learner1 = {-2.5f};                    // delta +0.5, ratio 1.6487
        List<TrainingExample> batch = List.of(new TrainingExample(new int[]{1}, new int[]{4, 5, 6}, rollout0, 1.0),
                new TrainingExample(new int[]{2}, new int[]{7}, rollout1, -1.0));
        RolloutCorrection c = RolloutCorrection.weigh(batch, List.of(learner0, learner1), 2.0);
        assertArrayEquals(new float[]{1f, 2f, (float) Math.exp(-1)}, c.examples().get(0).isWeights(), 1e-7f);
        assertArrayEquals(new float[]{(float) Math.exp(0.5)}, c.examples().get(1).isWeights(), 1e-7f);
        assertArrayEquals(learner0, c.examples().get(0).oldLogProbs(), "the ratio's old policy is the learner's");
        assertEquals((0 + 1 + 1 + 0.5) / 4, c.meanAbsDelta(), 1e-7);
        assertEquals(1.0, c.maxAbsDelta(), 1e-7);
        assertEquals(0.25, c.truncatedFraction(), 1e-12);
        assertEquals(1.0, c.examples().get(0).advantage());
    }

    @Test
    void theWeightedLossIsThePlainJavaTokenMeanOfWeightedSurrogates(@TempDir Path tmp) {
        try (HfPolicy policy = TinyQwen.load(tmp, Tokenizer.ofAlphabet("abcd"), 1, 16, 2, 16, 5)) {
            int[] in0 = policy.encodePrompt("ab", TinyQwen.TEMPLATE);
            int[] r0 = policy.encodeResponse("ba");
            int[] in1 = policy.encodePrompt("cd", TinyQwen.TEMPLATE);
            int[] r1 = policy.encodeResponse("dcc");
            float[][] now = policy.tokenLogProbs(List.of(in0, in1), List.of(r0, r1), 1.0);
            // old log-probs a little off the current ones, so ratios differ from 1 (some beyond the clip)
            float[] old0 = now[0].clone();
            float[] old1 = now[1].clone();
            old0[0] += 0.1f;
            old1[1] -= 0.4f;
            float[] w0 = new float[r0.length];
            float[] w1 = new float[r1.length];
            for (int t = 0; t < w0.length; t++) {
                w0[t] = 0.5f + 0.25f * t;
            }
            for (int t = 0; t < w1.length; t++) {
                w1[t] = 2.0f - 0.5f * t;
            }
            double a0 = 1.5;
            double a1 = -0.75;
            List<TrainingExample> batch = List.of(new TrainingExample(in0, r0, old0, a0, w0),
                    new TrainingExample(in1, r1, old1, a1, w1));
            LearnerConfig cfg = LearnerConfig.defaults(1e-3);
            int tokens = r0.length + r1.length;
            double want = 0;
            float[][] olds = {old0, old1};
            float[][] ws = {w0, w1};
            double[] as = {a0, a1};
            for (int r = 0; r < 2; r++) {
                for (int t = 0; t < now[r].length; t++) {
                    double ratio = Math.exp((double) now[r][t] - olds[r][t]);
                    double clipped = Math.max(1 - cfg.clipLow(), Math.min(1 + cfg.clipHigh(), ratio));
                    want -= ws[r][t] * Math.min(ratio * as[r], clipped * as[r]);
                }
            }
            want /= tokens;
            try (PolicyTrainer t = policy.newTrainer(PolicyTrainer.Settings.adam(1e-3))) {
                assertEquals(want, t.step(new ClippedSurrogate(batch, null, cfg, tokens)), 1e-5);
            }
        }
    }

    @Test
    void withTheInJvmDecoderTheLearnersRecomputedLogprobsAreTheRolloutsOwn() {
        EngineThreads.configure(1);
        Path tiny = Path.of("src/test/resources/hf/tiny-qwen2").toAbsolutePath();
        try (HfPolicy p = HfPolicy.load(tiny, Device.cpu())) {
            List<Sample> samples = p.sample(List.of(new SampleRequest("q", "a b c"), new SampleRequest("r", "1 2")),
                    new SamplingConfig(3, 1.0, 1.0, 6, 3, 7, 0, true), "plain");
            List<TrainingExample> batch = new ArrayList<>();
            for (Sample s : samples) {
                String prompt = s.problemId().equals("q") ? "a b c" : "1 2";
                batch.add(new TrainingExample(p.encodePrompt(prompt, "plain"), s.tokens(), s.logprobs(), 1.0));
            }
            RolloutCorrection c = RolloutCorrection.of(p, batch, 1.0, 2.0);
            // the same engine and weights: the mismatch is float rounding, no weight is truncated
            assertEquals(0.0, c.maxAbsDelta(), 1e-5);
            assertEquals(0.0, c.truncatedFraction());
            for (TrainingExample e : c.examples()) {
                for (float w : e.isWeights()) {
                    assertEquals(1.0, w, 1e-5);
                }
            }
            assertNull(batch.get(0).isWeights(), "a djl batch carries no weights");
        }
    }
}
