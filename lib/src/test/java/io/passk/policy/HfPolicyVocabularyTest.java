package io.passk.policy;

import ai.djl.Device;
import io.passk.hf.decoder.DecoderFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model directory whose embedding has more rows than its tokenizer has ids (as Qwen2.5's
 * 151,936 rows against 151,669 ids), with padding rows whose logits dominate: the policy never
 * samples them, every sample decodes to text, and the learner's recomputed log-probs are the
 * sampled ones (both renormalised over the tokenizer's ids).
 */
class HfPolicyVocabularyTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void threads() {
        EngineThreads.configure(1);
    }

    @Test
    void paddingRowsAreNeverSampledAndTheLearnerScoresTheSampledDistribution() {
        Path dir = DecoderFixtures.withPaddingRows("qwen2", tmp.resolve("padded"), 8, 50f);
        try (HfPolicy p = HfPolicy.load(dir, Device.cpu())) {
            int ids = p.tokenizer().vocabSize();
            assertEquals(ids + 8, p.model().config().vocabSize());
            List<SampleRequest> requests = List.of(new SampleRequest("p0", "w1 w2 w3"), new SampleRequest("p1", "w7"));
            for (double[] tp : new double[][]{{1.0, 1.0}, {0.8, 0.9}, {0, 1}}) {
                SamplingConfig cfg = new SamplingConfig(16, tp[0], tp[1], 8, 8, 3, 1, true);
                List<Sample> samples = p.sample(requests, cfg, "plain");
                assertEquals(32, samples.size());
                List<int[]> inputs = new ArrayList<>();
                List<int[]> responses = new ArrayList<>();
                for (Sample s : samples) {
                    for (int t : s.tokens()) {
                        assertTrue(t < ids, "sampled id " + t + " outside the tokenizer's 0.." + (ids - 1));
                    }
                    assertTrue(s.response() != null);   // decoded: the tokenizer knows every id
                    inputs.add(p.encodePrompt(s.problemId().equals("p0") ? "w1 w2 w3" : "w7", "plain"));
                    responses.add(s.tokens());
                }
                float[][] lp = p.tokenLogProbs(inputs, responses, tp[0]);
                for (int r = 0; r < samples.size(); r++) {
                    for (int t = 0; t < lp[r].length; t++) {
                        assertEquals(samples.get(r).logprobs()[t], lp[r][t], 1e-4, "T " + tp[0] + " row " + r);
                    }
                }
            }
        }
    }
}
