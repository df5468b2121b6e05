package io.passk.policy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A policy's sampling ({@link PolicyModel#sample}) on a tiny character model: keyed, batch-free, cache-free. */
class PolicySamplingTest {
    static final String T = TinyQwen.TEMPLATE;
    @TempDir
    static Path tmp;
    static HfPolicy policy;
    static final List<SampleRequest> PROMPTS = List.of(
            new SampleRequest("p0", "abc"), new SampleRequest("p1", "dcbadd"), new SampleRequest("p2", "a"));

    @BeforeAll
    static void init() {
        EngineThreads.configure(1);   // 2 shared cores: no oversubscription
        policy = TinyQwen.load(tmp, Tokenizer.ofAlphabet("abcd"), 2, 32, 4, 32, 7);
    }

    @AfterAll
    static void close() {
        policy.close();
    }

    static SamplingConfig cfg(boolean cache, int batch) {
        return new SamplingConfig(5, 1.0, 1.0, 20, batch, 11, 3, cache);
    }

    @Test
    void kvCacheDecodingGivesSameTokensAndLogprobsAsFullRecomputation() {
        List<Sample> cached = policy.sample(PROMPTS, cfg(true, 8), T);
        List<Sample> full = policy.sample(PROMPTS, cfg(false, 8), T);
        assertEquals(15, cached.size());
        for (int i = 0; i < cached.size(); i++) {
            assertArrayEquals(full.get(i).tokens(), cached.get(i).tokens(), "sample " + i);
            assertArrayEquals(full.get(i).logprobs(), cached.get(i).logprobs(), 1e-5f);
            assertArrayEquals(full.get(i).entropies(), cached.get(i).entropies(), 1e-5f);
        }
    }

    @Test
    void samplesDoNotDependOnBatchComposition() {
        List<Sample> together = policy.sample(PROMPTS, cfg(true, 15), T);
        List<Sample> alone = new ArrayList<>();
        for (SampleRequest r : PROMPTS) {
            alone.addAll(policy.sample(List.of(r), cfg(true, 2), T));
        }
        for (int i = 0; i < together.size(); i++) {
            assertEquals(together.get(i).problemId(), alone.get(i).problemId());
            assertEquals(together.get(i).sampleIdx(), alone.get(i).sampleIdx());
            assertArrayEquals(alone.get(i).tokens(), together.get(i).tokens());
            assertArrayEquals(alone.get(i).logprobs(), together.get(i).logprobs(), 1e-5f);
        }
    }

    @Test
    void rerunIsBitIdenticalAndSeedMatters() {
        List<Sample> a = policy.sample(PROMPTS, cfg(true, 4), T);
        List<Sample> b = policy.sample(PROMPTS, cfg(true, 4), T);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).tokens(), b.get(i).tokens());
            assertArrayEquals(a.get(i).logprobs(), b.get(i).logprobs(), 0f);
        }
        List<Sample> other = policy.sample(PROMPTS, new SamplingConfig(5, 1.0, 1.0, 20, 4, 12, 3, true), T);
        boolean differs = false;
        for (int i = 0; i < a.size(); i++) {
            differs |= !java.util.Arrays.equals(a.get(i).tokens(), other.get(i).tokens());
        }
        assertTrue(differs, "another seed should change some sample");
    }

    @Test
    void recordedLogprobsMatchScoringAndEntropyIsBounded() {
        List<Sample> s = policy.sample(PROMPTS, cfg(true, 15), T);
        List<int[]> inputs = new ArrayList<>();
        List<int[]> responses = new ArrayList<>();
        for (Sample x : s) {
            inputs.add(policy.encodePrompt(PROMPTS.get(Integer.parseInt(x.problemId().substring(1))).prompt(), T));
            responses.add(x.tokens());
        }
        float[][] scored = policy.tokenLogProbs(inputs, responses, 1.0);
        double maxEntropy = Math.log(policy.model().config().vocabSize());
        for (int i = 0; i < s.size(); i++) {
            assertArrayEquals(s.get(i).logprobs(), scored[i], 1e-5f);
            for (float e : s.get(i).entropies()) {
                assertTrue(e >= 0 && e <= maxEntropy + 1e-5, "entropy " + e);
            }
            for (float lp : s.get(i).logprobs()) {
                assertTrue(lp <= 0);
            }
        }
    }

    @Test
    void greedyIsDeterministicAndTopPNarrowsChoices() {
        SamplingConfig greedy = new SamplingConfig(3, 0.0, 1.0, 10, 8, 1, 0, true);
        List<Sample> g = policy.sample(List.of(PROMPTS.get(0)), greedy, T);
        assertArrayEquals(g.get(0).tokens(), g.get(1).tokens());
        assertArrayEquals(g.get(0).tokens(), g.get(2).tokens());
        // top-p tiny keeps only the most likely token: same as greedy
        SamplingConfig nucleus = new SamplingConfig(3, 1.0, 1e-9, 10, 8, 1, 0, true);
        List<Sample> t = policy.sample(List.of(PROMPTS.get(0)), nucleus, T);
        assertArrayEquals(g.get(0).tokens(), t.get(2).tokens());
    }

    @Test
    void unknownCharacterAndOverlongPromptAreRefusedWithTheProblemId() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> policy.sample(List.of(new SampleRequest("bad-1", "abz")), cfg(true, 4), T));
        assertTrue(e.getMessage().contains("bad-1"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> policy.sample(List.of(new SampleRequest("long-1", "a".repeat(40))), cfg(true, 4), T));
        assertTrue(e2.getMessage().contains("long-1"), e2.getMessage());
    }

    @Test
    void responsesStopAtTheContextAsUnfinished() {
        SamplingConfig c = new SamplingConfig(2, 1.0, 1.0, 100, 8, 1, 0, true);
        for (Sample s : policy.sample(List.of(new SampleRequest("p", "abcd")), c, T)) {
            assertTrue(s.tokens().length <= 32 - policy.encodePrompt("abcd", T).length);
            assertEquals(s.finished(), s.tokens().length > 0 && s.tokens()[s.tokens().length - 1] == Tokenizer.EOS);
        }
        assertNotEquals(0, PROMPTS.size());
    }
}
