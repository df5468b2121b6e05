package io.passk.hf.decoder;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ids the tokenizer cannot decode (an embedding's padding rows, holes in a vocabulary) are never
 * sampled, and sampling and scoring renormalise over the same decodable ids. The model is the
 * qwen2 fixture with 8 padding rows whose logits are 50 times real ones, so that unmasked they
 * take nearly all the mass in every context.
 */
class DecodableTest {
    static final int EXTRA = 8;

    @TempDir
    Path tmp;

    private static BitSet firstIds(int n) {
        BitSet b = new BitSet();
        b.set(0, n);
        return b;
    }

    private static List<Generator.Request> requests(List<int[]> prompts, int copies, long key) {
        List<Generator.Request> out = new ArrayList<>();
        for (int c = 0; c < copies; c++) {
            for (int i = 0; i < prompts.size(); i++) {
                out.add(new Generator.Request(prompts.get(i), key * 1000 + c * 100 + i));
            }
        }
        return out;
    }

    @Test
    void theSetIsTheTokenizersIdsBelowTheModelsVocabulary() {
        BitSet known = firstIds(5);
        known.clear(2);
        known.set(9);   // an id beyond the model's rows: irrelevant
        Decodable d = Decodable.of(7, known);
        assertEquals(7, d.vocab());
        assertEquals(4, d.count());
        assertArrayEquals(new int[]{2, 5, 6}, d.excluded());
        assertTrue(d.allows(0) && d.allows(4));
        assertFalse(d.allows(2) || d.allows(5) || d.allows(9) || d.allows(-1));
        assertTrue(Decodable.all(7).isAll());
        assertTrue(Decodable.of(7, firstIds(7)).isAll());
        assertThrows(IllegalArgumentException.class, () -> Decodable.of(3, new BitSet()));
    }

    @Test
    void paddingRowsAreNeverSampledAndTheRealIdsKeepTheUnpaddedModelsDistribution() {
        Path dir = DecoderFixtures.withPaddingRows("qwen2", tmp.resolve("padded"), EXTRA, 50f);
        List<int[]> prompts = DecoderFixtures.reference("qwen2").prompts();
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm plain = DecoderFixtures.load("qwen2", m);
            CausalLm padded = DecoderFixtures.load(dir, m, ai.djl.ndarray.types.DataType.FLOAT32);
            int vocab = plain.config().vocabSize();
            assertEquals(vocab + EXTRA, padded.config().vocabSize());
            Decodable real = Decodable.of(vocab + EXTRA, firstIds(vocab));

            // unmasked, the padding rows win nearly every draw: the masked runs below could fail
            List<Generator.Generation> unmasked = new Generator(padded).generate(m, requests(prompts, 2, 1),
                    new Generator.Settings(1.0, 1.0, 6, new int[0], true));
            long padIds = unmasked.stream().flatMapToInt(g -> java.util.Arrays.stream(g.tokens()))
                    .filter(t -> t >= vocab).count();
            assertTrue(padIds > 40, padIds + " padding ids of 48 unmasked draws");

            Generator masked = new Generator(padded, real);
            Generator reference = new Generator(plain);
            for (double[] tp : new double[][]{{0, 1}, {1.0, 1.0}, {0.7, 0.8}, {1.3, 1.0}}) {
                Generator.Settings s = new Generator.Settings(tp[0], tp[1], 10, new int[0], true);
                List<Generator.Generation> got = masked.generate(m, requests(prompts, 3, 7), s);
                List<Generator.Generation> want = reference.generate(m, requests(prompts, 3, 7), s);
                List<int[]> responses = new ArrayList<>();
                List<int[]> rowPrompts = new ArrayList<>();
                for (int r = 0; r < got.size(); r++) {
                    Generator.Generation g = got.get(r);
                    for (int t : g.tokens()) {
                        assertTrue(t < vocab, "T " + tp[0] + " top-p " + tp[1] + ": sampled padding id " + t);
                    }
                    // the same draws over the same renormalised distribution: the same tokens
                    assertArrayEquals(want.get(r).tokens(), g.tokens(), "row " + r + " T " + tp[0]);
                    CausalLmTest.assertClose(want.get(r).temperedLogprobs(), g.temperedLogprobs(), 1e-5, "row " + r);
                    CausalLmTest.assertClose(want.get(r).logprobs(), g.logprobs(), 1e-5, "row " + r);
                    CausalLmTest.assertClose(want.get(r).entropies(), g.entropies(), 1e-4, "row " + r);
                    responses.add(g.tokens());
                    rowPrompts.add(prompts.get(r % prompts.size()));
                }
                // the learner's log pi_T over the decodable ids is what the sampler recorded
                ResponseLogProbs lp = ResponseLogProbs.compute(padded, real, m, new ParameterStore(m, false),
                        rowPrompts, responses, tp[0], false);
                float[] flat = lp.logProbs().toFloatArray();
                int width = (int) lp.logProbs().getShape().get(1);
                for (int r = 0; r < got.size(); r++) {
                    float[] learner = java.util.Arrays.copyOfRange(flat, r * width, r * width + responses.get(r).length);
                    CausalLmTest.assertClose(got.get(r).temperedLogprobs(), learner, 1e-5, "learner row " + r);
                }
                // unmasked scoring would not be: the padding rows hold most of the mass
                ResponseLogProbs full = ResponseLogProbs.compute(padded, m, new ParameterStore(m, false),
                        rowPrompts, responses, tp[0], false);
                float[] fullFlat = full.logProbs().toFloatArray();
                assertTrue(fullFlat[0] < flat[0] - 1, "unmasked " + fullFlat[0] + " vs masked " + flat[0]);
            }
            assertThrows(IllegalArgumentException.class, () -> ResponseLogProbs.compute(padded, real, m,
                    new ParameterStore(m, false), List.of(prompts.get(0)), List.of(new int[]{1, vocab + 2}), 1, false));
        }
    }

    @Test
    void aHoleInTheVocabularyIsNeverSampledEvenWhenItIsTheArgmax() {
        List<int[]> prompts = DecoderFixtures.reference("qwen2").prompts();
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm model = DecoderFixtures.load("qwen2", m);
            int vocab = model.config().vocabSize();
            Generator.Settings greedy = new Generator.Settings(0, 1, 1, new int[0], true);
            int[] first = new Generator(model).generate(m, requests(prompts.subList(0, 1), 1, 3), greedy).get(0).tokens();
            BitSet known = firstIds(vocab);
            known.clear(first[0]);
            Decodable d = Decodable.of(vocab, known);
            int[] masked = new Generator(model, d).generate(m, requests(prompts.subList(0, 1), 1, 3), greedy).get(0).tokens();
            assertTrue(masked[0] != first[0], "greedy skips the excluded argmax " + first[0]);
            List<Generator.Generation> sampled = new Generator(model, d).generate(m, requests(prompts, 20, 5),
                    new Generator.Settings(2.0, 1.0, 8, new int[0], true));
            for (Generator.Generation g : sampled) {
                for (int t : g.tokens()) {
                    assertTrue(t != first[0], "sampled the excluded id " + t);
                }
            }
        }
    }
}
