package io.passk.hf.decoder;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.passk.hf.ModelDirectory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorTest {

    @BeforeAll
    static void threads() {
        io.passk.policy.EngineThreads.configure(1);
    }

    private static List<Generator.Request> requests(List<int[]> prompts, long seed) {
        List<Generator.Request> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            out.add(new Generator.Request(prompts.get(i), seed * 1000 + i));
        }
        return out;
    }

    @Test
    void greedyDecodingReproducesTheReferenceContinuationWithAndWithoutTheCache() {
        for (String name : DecoderFixtures.MODELS) {
            DecoderFixtures.Reference ref = DecoderFixtures.reference(name);
            try (NDManager m = NDManager.newBaseManager()) {
                Generator gen = new Generator(DecoderFixtures.load(name, m));
                for (boolean cache : new boolean[]{true, false}) {
                    List<Generator.Generation> out = gen.generate(m, requests(ref.prompts(), 1),
                            new Generator.Settings(0, 1, ref.greedy().get(0).length, new int[0], cache));
                    for (int i = 0; i < out.size(); i++) {
                        assertArrayEquals(ref.greedy().get(i), out.get(i).tokens(), name + " prompt " + i + " cache " + cache);
                        assertFalse(out.get(i).finished());
                    }
                }
            }
        }
    }

    @Test
    void aFixedSeedGivesTheSameSamplesAndTheCacheDoesNotChangeThem() {
        List<int[]> prompts = DecoderFixtures.reference("qwen2").prompts();
        try (NDManager m = NDManager.newBaseManager()) {
            Generator gen = new Generator(DecoderFixtures.load("qwen2", m));
            Generator.Settings s = new Generator.Settings(1.0, 0.9, 12, new int[0], true);
            List<Generator.Generation> a = gen.generate(m, requests(prompts, 7), s);
            List<Generator.Generation> b = gen.generate(m, requests(prompts, 7), s);
            List<Generator.Generation> c = gen.generate(m, requests(prompts, 7),
                    new Generator.Settings(1.0, 0.9, 12, new int[0], false));
            List<Generator.Generation> d = gen.generate(m, requests(prompts, 8), s);
            boolean anyDiffers = false;
            for (int i = 0; i < prompts.size(); i++) {
                assertArrayEquals(a.get(i).tokens(), b.get(i).tokens());
                assertArrayEquals(a.get(i).logprobs(), b.get(i).logprobs());
                assertArrayEquals(a.get(i).tokens(), c.get(i).tokens());
                anyDiffers |= !java.util.Arrays.equals(a.get(i).tokens(), d.get(i).tokens());
            }
            assertTrue(anyDiffers, "another seed draws other tokens");
            // a row's draws are keyed by the row: alone it samples what it sampled in the batch
            List<Generator.Generation> alone = gen.generate(m, List.of(requests(prompts, 7).get(2)), s);
            assertArrayEquals(a.get(2).tokens(), alone.get(0).tokens());
        }
    }

    @Test
    void rowsStopAtEveryEosIdOfConfigAndGenerationConfig() {
        try (NDManager m = NDManager.newBaseManager(); ModelDirectory dir = ModelDirectory.open(DecoderFixtures.modelDir("qwen2"))) {
            List<Integer> stops = dir.stopTokenIds();
            assertEquals(List.of(2, 5), stops);
            int[] stopIds = stops.stream().mapToInt(Integer::intValue).toArray();
            Generator gen = new Generator(CausalLm.load(dir, m, ai.djl.ndarray.types.DataType.FLOAT32));
            List<int[]> prompts = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                prompts.add(new int[]{(i * 7) % 64, (i * 13 + 1) % 64, 9});
            }
            int max = 16;
            List<Generator.Generation> out = gen.generate(m, requests(prompts, 3), new Generator.Settings(1.5, 1, max, stopIds, true));
            Set<Integer> seen = new HashSet<>();
            int unfinished = 0;
            for (Generator.Generation g : out) {
                int[] t = g.tokens();
                for (int j = 0; j < t.length - 1; j++) {
                    assertFalse(stops.contains(t[j]), "a stop id before the end");
                }
                boolean endsAtStop = t.length > 0 && stops.contains(t[t.length - 1]);
                assertEquals(endsAtStop, g.finished());
                if (g.finished()) {
                    seen.add(t[t.length - 1]);
                } else {
                    assertEquals(max, t.length);
                    unfinished++;
                }
                assertEquals(t.length, g.logprobs().length);
                assertEquals(t.length, g.entropies().length);
            }
            assertEquals(Set.of(2, 5), seen, "both the config's and the generation config's eos stop rows");
            assertTrue(unfinished > 0, "some rows reach the length limit");
        }
    }

    @Test
    void sampledLogprobsAreTheModelsOwnAtTemperatureOneAndTheLearnersTemperedOnesOtherwise() {
        List<int[]> prompts = DecoderFixtures.reference("qwen3").prompts();
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm model = DecoderFixtures.load("qwen3", m);
            Generator gen = new Generator(model);
            for (double[] tp : new double[][]{{1.0, 1.0}, {0.7, 0.8}}) {
                List<Generator.Generation> out = gen.generate(m, requests(prompts, 11),
                        new Generator.Settings(tp[0], tp[1], 9, new int[0], true));
                List<int[]> responses = out.stream().map(Generator.Generation::tokens).toList();
                ResponseLogProbs lp = ResponseLogProbs.compute(model, m, new ParameterStore(m, false), prompts,
                        responses, tp[0], false);
                float[] flat = lp.logProbs().toFloatArray();
                int width = (int) lp.logProbs().getShape().get(1);
                for (int r = 0; r < out.size(); r++) {
                    Generator.Generation g = out.get(r);
                    float[] learner = java.util.Arrays.copyOfRange(flat, r * width, r * width + g.tokens().length);
                    CausalLmTest.assertClose(learner, g.temperedLogprobs(), 1e-5, "row " + r + " T " + tp[0]);
                    for (int j = 0; j < g.tokens().length; j++) {
                        if (tp[1] == 1.0) {
                            assertEquals(g.temperedLogprobs()[j], g.logprobs()[j]);
                        } else {
                            assertTrue(g.logprobs()[j] >= g.temperedLogprobs()[j], "the nucleus renormalises upwards");
                        }
                    }
                }
            }
        }
    }

    @Test
    void promptsThatLeaveNoRoomAreRefusedAndTheLimitCapsTheSteps() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm model = DecoderFixtures.load("llama", m);
            Generator gen = new Generator(model);
            int limit = model.config().maxPositionEmbeddings();
            Generator.Settings s = new Generator.Settings(0, 1, 50, new int[0], true);
            assertThrows(IllegalArgumentException.class,
                    () -> gen.generate(m, List.of(new Generator.Request(new int[limit], 1)), s));
            List<Generator.Generation> out = gen.generate(m, List.of(new Generator.Request(new int[limit - 3], 1),
                    new Generator.Request(new int[]{4}, 2)), s);
            assertEquals(3, out.get(0).tokens().length);
            assertEquals(3, out.get(1).tokens().length);
            assertNotEquals(0, out.get(0).entropies()[0]);
        }
    }
}
