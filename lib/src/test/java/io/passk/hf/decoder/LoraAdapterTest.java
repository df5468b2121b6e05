package io.passk.hf.decoder;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.passk.policy.EngineThreads;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoraAdapterTest {
    static final List<int[]> ROWS = List.of(new int[]{1, 5, 7, 3}, new int[]{2, 9}, new int[]{4, 4, 8});

    @BeforeAll
    static void threads() {
        EngineThreads.configure(1);
    }

    /** PEFT's initialisation: A Kaiming-uniform from (seed, name), B zero. */
    static CausalLm.WeightSource fresh(NDManager m, long seed) {
        return (name, shape) -> name.endsWith("lora_A.weight")
                ? m.create(LoraAdapter.kaimingUniformA(seed, name, (int) shape.get(0), shape.get(1)), shape)
                : m.zeros(shape, DataType.FLOAT32);
    }

    /** Both factors random (B no longer zero), from (seed, name). */
    static CausalLm.WeightSource random(NDManager m, long seed) {
        return (name, shape) -> {
            SplittableRandom rnd = new SplittableRandom(io.passk.random.SeededRandom.hash(name) ^ seed);
            float[] v = new float[(int) shape.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (rnd.nextDouble() - 0.5);
            }
            return m.create(v, shape);
        };
    }

    @Test
    void withBZeroTheAdaptedModelsLogitsEqualTheBaseModelsExactlyForEveryFixture() {
        for (String name : DecoderFixtures.LORA_MODELS) {
            try (NDManager m = NDManager.newBaseManager()) {
                CausalLm base = DecoderFixtures.load(name, m);
                List<float[]> expected = CausalLmTest.paddedLogits(base, m, ROWS);
                CausalLm adapted = CausalLm.sharing(base);
                Map<String, Parameter> params = adapted.attachAdapters(4, 2.0, 0.0, CausalLm.LORA_MODULES, fresh(m, 7));
                assertEquals(base.config().numHiddenLayers() * 7 * 2, params.size(), name);
                assertFalse(base.hasAdapters(), "the base model is left as it was");
                List<float[]> actual = CausalLmTest.paddedLogits(adapted, m, ROWS);
                for (int r = 0; r < ROWS.size(); r++) {
                    assertArrayEquals(expected.get(r), actual.get(r), name + " row " + r);
                }
            }
        }
    }

    @Test
    void theAdaptedForwardEqualsTheBaseWithMergedWeightsWPlusScalingTimesBA() {
        double scaling = 16.0 / 4;
        List<String> targets = List.of("q_proj", "v_proj", "down_proj");
        for (String name : DecoderFixtures.LORA_MODELS) {
            try (NDManager m = NDManager.newBaseManager()) {
                CausalLm base = DecoderFixtures.load(name, m);
                CausalLm adapted = CausalLm.sharing(base);
                adapted.attachAdapters(4, scaling, 0.0, targets, random(m, 11));
                List<float[]> lora = CausalLmTest.paddedLogits(adapted, m, ROWS);
                Map<String, Parameter> baseParams = base.parametersByName();
                Map<String, NDArray> merged = new java.util.HashMap<>();
                for (LoraAdapter a : adapted.adapters()) {
                    NDArray w = baseParams.get(a.module() + ".weight").getArray();
                    merged.put(a.module() + ".weight",
                            w.add(a.b().getArray().matMul(a.a().getArray()).mul(scaling)));
                }
                CausalLm mergedModel = CausalLm.build(base.config(), (n, shape) -> merged.getOrDefault(n,
                        baseParams.get(n).getArray()));
                List<float[]> expected = CausalLmTest.paddedLogits(mergedModel, m, ROWS);
                for (int r = 0; r < ROWS.size(); r++) {
                    CausalLmTest.assertClose(expected.get(r), lora.get(r), 1e-5, name + " row " + r);
                    assertFalse(Arrays.equals(expected.get(r), CausalLmTest.paddedLogits(base, m, ROWS).get(r)),
                            "the adapters change the logits");
                }
            }
        }
    }

    @Test
    void gradientsReachOnlyTheAdaptersTheBaseWeightsRecordNone() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm base = DecoderFixtures.load("qwen2", m);
            CausalLm adapted = CausalLm.sharing(base);
            Map<String, Parameter> params = adapted.attachAdapters(2, 1.0, 0.0, List.of("q_proj", "up_proj"),
                    random(m, 3));
            params.values().forEach(p -> p.getArray().setRequiresGradient(true));
            try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray ids = step.create(new long[]{1, 5, 7, 3}, new Shape(1, 4));
                // the policy's path (hidden, head): DJL's Block.forward would mark every parameter trainable
                NDArray loss = adapted.logits(new ParameterStore(step, false), ids,
                        AttentionInput.unpadded(step, adapted.rotary(), 1, 4, DataType.FLOAT32), null, true)
                        .square().mean();
                gc.backward(loss);
            }
            for (Parameter p : params.values()) {
                float[] g = p.getArray().getGradient().toFloatArray();
                double norm = 0;
                for (float x : g) {
                    norm += x * x;
                }
                assertTrue(norm > 0, p.getName() + " got a gradient");
            }
            for (Parameter p : base.parametersByName().values()) {
                assertFalse(p.getArray().hasGradient(), p.getName() + " is frozen: no gradient recorded");
            }
        }
    }

    @Test
    void dropoutActsOnlyInTrainingWithMasksThatAreAFunctionOfTheKey() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm base = DecoderFixtures.load("llama", m);
            CausalLm plain = CausalLm.sharing(base);
            plain.attachAdapters(4, 1.0, 0.0, CausalLm.LORA_MODULES, random(m, 5));
            CausalLm dropped = CausalLm.sharing(base);
            dropped.attachAdapters(4, 1.0, 0.5, CausalLm.LORA_MODULES, random(m, 5));
            NDArray ids = m.create(new long[]{1, 5, 7, 3, 2, 9}, new Shape(1, 6));
            float[] evalPlain = forward(plain, m, ids, false);
            assertArrayEquals(evalPlain, forward(dropped, m, ids, false), "no dropout outside training");
            dropped.setDropoutKey(42);
            float[] first = forward(dropped, m, ids, true);
            float[] again = forward(dropped, m, ids, true);
            assertArrayEquals(first, again, "same key, same masks");
            assertFalse(Arrays.equals(evalPlain, first), "dropout changed the training forward");
            dropped.setDropoutKey(43);
            assertFalse(Arrays.equals(first, forward(dropped, m, ids, true)), "another key, other masks");
        }
    }

    private static float[] forward(CausalLm model, NDManager m, NDArray ids, boolean training) {
        AttentionInput in = AttentionInput.unpadded(m, model.rotary(), 1, (int) ids.getShape().get(1), DataType.FLOAT32);
        return model.logits(new ParameterStore(m, false), ids, in, null, training).toFloatArray();
    }

    @Test
    void kaimingUniformAIsPeftsBoundAndAFunctionOfSeedAndName() {
        float[] a = LoraAdapter.kaimingUniformA(1, "x.lora_A.weight", 8, 64);
        assertArrayEquals(a, LoraAdapter.kaimingUniformA(1, "x.lora_A.weight", 8, 64));
        assertNotEquals(a[0], LoraAdapter.kaimingUniformA(2, "x.lora_A.weight", 8, 64)[0]);
        assertNotEquals(a[0], LoraAdapter.kaimingUniformA(1, "y.lora_A.weight", 8, 64)[0]);
        double max = 0;
        double sumSq = 0;
        for (float v : a) {
            max = Math.max(max, Math.abs(v));
            sumSq += v * v;
        }
        assertTrue(max < 1 / 8.0, "within 1/sqrt(in)");
        // uniform on [-b, b): variance b^2 / 3 = 1 / (3 * 64)
        assertEquals(1.0 / 192, sumSq / a.length, 0.25 / 192);
    }

    @Test
    void anUnknownTargetModuleAndRankZeroAreRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm base = DecoderFixtures.load("qwen2", m);
            assertThrows(IllegalArgumentException.class,
                    () -> CausalLm.sharing(base).attachAdapters(2, 1, 0, List.of("qkv_proj"), fresh(m, 1)));
            assertThrows(IllegalArgumentException.class,
                    () -> CausalLm.sharing(base).attachAdapters(0, 1, 0, List.of("q_proj"), fresh(m, 1)));
            assertEquals("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
                    LoraAdapter.nameA("model.layers.0.self_attn.q_proj"));
            List<String> names = new ArrayList<>(CausalLm.sharing(base)
                    .attachAdapters(2, 1, 0, List.of("o_proj"), fresh(m, 1)).keySet());
            assertEquals(List.of("base_model.model.model.layers.0.self_attn.o_proj.lora_A.weight",
                    "base_model.model.model.layers.0.self_attn.o_proj.lora_B.weight",
                    "base_model.model.model.layers.1.self_attn.o_proj.lora_A.weight",
                    "base_model.model.model.layers.1.self_attn.o_proj.lora_B.weight"), names);
        }
    }
}
