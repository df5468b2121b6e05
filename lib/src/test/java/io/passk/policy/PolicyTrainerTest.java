package io.passk.policy;

import ai.djl.ndarray.NDArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyTrainerTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void threads() {
        EngineThreads.configure(1);   // 2 shared cores: no oversubscription
    }

    @Test
    void differentiableLogProbsEqualTheScoredOnesAndAStepRaisesARewardedResponse() {
        try (HfPolicy p = TinyQwen.load(tmp, Tokenizer.ofAlphabet("xyz"), 1, 16, 2, 16, 4)) {
            List<int[]> in = List.of(p.encodePrompt("xy", TinyQwen.TEMPLATE), p.encodePrompt("z", TinyQwen.TEMPLATE));
            List<int[]> resp = List.of(p.encodeResponse("zz"), p.encodeResponse("x"));
            float[][] before = p.tokenLogProbs(in, resp, 0.7);
            float[][] seen = new float[2][];
            try (PolicyTrainer t = p.newTrainer(PolicyTrainer.Settings.adam(1e-2))) {
                // a policy-gradient-shaped loss: advantage +1 for row 0, -1 for row 1
                for (int i = 0; i < 5; i++) {
                    int step = i;
                    t.step(b -> {
                        TokenLogProbs lp = b.tokenLogProbs(in, resp, 0.7);
                        if (step == 0) {
                            float[] flat = lp.logProbs().toFloatArray();
                            int w = (int) lp.logProbs().getShape().get(1);
                            seen[0] = java.util.Arrays.copyOfRange(flat, 0, resp.get(0).length);
                            seen[1] = java.util.Arrays.copyOfRange(flat, w, w + resp.get(1).length);
                            assertArrayEquals(new float[]{1, 1, 1, 1, 1, 0}, lp.mask().toFloatArray());
                        }
                        NDArray adv = b.manager().create(new float[]{1f, -1f}).reshape(2, 1);
                        return lp.logProbs().mul(adv).sum().neg().div(lp.mask().sum());
                    });
                }
            }
            assertArrayEquals(before[0], seen[0], 1e-6f);
            assertArrayEquals(before[1], seen[1], 1e-6f);
            assertEquals(5, p.step());
            float[][] after = p.tokenLogProbs(in, resp, 0.7);
            assertTrue(sum(after[0]) > sum(before[0]), "rewarded response became likelier");
            assertTrue(sum(after[1]) < sum(before[1]), "penalised response became less likely");
        }
    }

    private static double sum(float[] a) {
        double s = 0;
        for (float x : a) {
            s += x;
        }
        return s;
    }
}
