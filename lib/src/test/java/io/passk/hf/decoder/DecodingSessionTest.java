package io.passk.hf.decoder;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DecodingSessionTest {

    @BeforeAll
    static void threads() {
        io.passk.policy.EngineThreads.configure(1);
    }

    private static int argmax(float[] logits, int offset, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) {
            if (logits[offset + i] > logits[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void kvCacheDecodingOfAPaddedBatchGivesTheLogitsOfTheFullForwardAndTheSameGreedyTokens() {
        int steps = 10;
        for (String name : DecoderFixtures.MODELS) {
            List<int[]> prompts = DecoderFixtures.reference(name).prompts();
            try (NDManager m = NDManager.newBaseManager()) {
                CausalLm model = DecoderFixtures.load(name, m);
                int vocab = model.config().vocabSize();
                int rows = prompts.size();
                List<float[]> cachedSteps = new ArrayList<>();
                List<float[]> fullSteps = new ArrayList<>();
                int[][] cont = new int[rows][steps];
                try (DecodingSession cached = new DecodingSession(model, m, prompts, steps, true);
                     DecodingSession full = new DecodingSession(model, m, prompts, steps, false)) {
                    for (int s = 0; s < steps; s++) {
                        float[] c = cached.logits();
                        float[] f = full.logits();
                        cachedSteps.add(c.clone());
                        fullSteps.add(f.clone());
                        int[] next = new int[rows];
                        int[] nextFull = new int[rows];
                        for (int r = 0; r < rows; r++) {
                            next[r] = argmax(c, r * vocab, vocab);
                            nextFull[r] = argmax(f, r * vocab, vocab);
                            cont[r][s] = next[r];
                        }
                        assertArrayEquals(nextFull, next, name + " step " + s + " greedy tokens");
                        cached.append(next);
                        full.append(next);
                    }
                }
                // one full forward over prompt ++ continuation: its logits at the decoded positions
                List<int[]> whole = new ArrayList<>();
                for (int r = 0; r < rows; r++) {
                    int[] p = prompts.get(r);
                    int[] w = java.util.Arrays.copyOf(p, p.length + steps - 1);
                    System.arraycopy(cont[r], 0, w, p.length, steps - 1);
                    whole.add(w);
                }
                List<float[]> forward = CausalLmTest.paddedLogits(model, m, whole);
                for (int s = 0; s < steps; s++) {
                    for (int r = 0; r < rows; r++) {
                        int pos = prompts.get(r).length - 1 + s;
                        float[] expected = java.util.Arrays.copyOfRange(forward.get(r), pos * vocab, (pos + 1) * vocab);
                        float[] got = java.util.Arrays.copyOfRange(cachedSteps.get(s), r * vocab, (r + 1) * vocab);
                        CausalLmTest.assertClose(expected, got, 1e-5, name + " row " + r + " step " + s);
                        float[] gotFull = java.util.Arrays.copyOfRange(fullSteps.get(s), r * vocab, (r + 1) * vocab);
                        CausalLmTest.assertClose(expected, gotFull, 1e-5, name + " uncached row " + r + " step " + s);
                    }
                }
            }
        }
    }

    @Test
    void severalTokensAppendedBeforeTheNextLogitsRunAsOneCachedChunk() {
        List<int[]> prompts = DecoderFixtures.reference("qwen3").prompts();
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm model = DecoderFixtures.load("qwen3", m);
            try (DecodingSession cached = new DecodingSession(model, m, prompts, 4, true);
                 DecodingSession full = new DecodingSession(model, m, prompts, 4, false)) {
                cached.logits();
                for (int[] t : new int[][]{{1, 2, 3, 4}, {9, 8, 7, 6}, {63, 0, 5, 2}}) {
                    cached.append(t);
                    full.append(t);
                }
                CausalLmTest.assertClose(full.logits(), cached.logits(), 1e-5, "after three appends");
            }
        }
    }

    @Test
    void aSessionRefusesEmptyPromptsAndMoreTokensThanItsCapacity() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm model = DecoderFixtures.load("llama", m);
            assertThrows(IllegalArgumentException.class,
                    () -> new DecodingSession(model, m, List.of(new int[]{1}, new int[0]), 2, true));
            try (DecodingSession s = new DecodingSession(model, m, List.of(new int[]{1, 2}), 1, true)) {
                s.append(new int[]{3});
                assertThrows(IllegalStateException.class, () -> s.append(new int[]{4}));
                assertThrows(IllegalArgumentException.class, () -> s.append(new int[]{4, 5}));
            }
        }
    }
}
