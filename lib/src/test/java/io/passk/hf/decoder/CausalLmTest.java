package io.passk.hf.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.passk.hf.DecoderTensors;
import io.passk.hf.ModelDirectory;
import io.passk.policy.EngineThreads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CausalLmTest {

    @BeforeAll
    static void threads() {
        EngineThreads.configure(1);   // 2 shared cores: no oversubscription
    }

    /** Full forward of left-padded rows; logits {@code [row][position * vocab + v]} of each row's real columns. */
    static List<float[]> paddedLogits(CausalLm model, NDManager m, List<int[]> rows) {
        LeftPadded batch = LeftPadded.of(rows, 0);
        int w = batch.width();
        int vocab = model.config().vocabSize();
        NDArray logits = model.logits(new ParameterStore(m, false), batch.ids(m, 0, w),
                batch.attention(m, model.rotary(), 0, w, model.dataType()), null, false);
        float[] flat = logits.toType(DataType.FLOAT32, false).toFloatArray();
        List<float[]> out = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            int pad = batch.padLeft(r);
            float[] row = new float[(w - pad) * vocab];
            System.arraycopy(flat, (r * w + pad) * vocab, row, 0, row.length);
            out.add(row);
        }
        return out;
    }

    static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= tol, what + ": max |difference| " + worst + " > " + tol);
    }

    @Test
    void logitsOfABatchOfPromptsOfDifferentLengthsMatchTheNumpyReferenceForQwen2LlamaQwen3AndGpt2() {
        for (String name : DecoderFixtures.MODELS) {
            DecoderFixtures.Reference ref = DecoderFixtures.reference(name);
            try (NDManager m = NDManager.newBaseManager()) {
                CausalLm model = DecoderFixtures.load(name, m);
                List<float[]> got = paddedLogits(model, m, ref.prompts());
                for (int i = 0; i < ref.prompts().size(); i++) {
                    assertClose(ref.logits().get(i), got.get(i), 1e-4, name + " prompt " + i);
                }
            }
        }
    }

    @Test
    void gpt2LogitsMatchTheNumpyFloat64ForwardTo1e5() {
        DecoderFixtures.Reference ref = DecoderFixtures.reference("gpt2");
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm model = DecoderFixtures.load("gpt2", m);
            assertEquals(io.passk.hf.ModelType.GPT2, model.config().modelType());
            assertEquals(null, model.rotary(), "learned positions, no rotary embedding");
            List<float[]> got = paddedLogits(model, m, ref.prompts());
            for (int i = 0; i < ref.prompts().size(); i++) {
                assertClose(ref.logits().get(i), got.get(i), 1e-5, "gpt2 prompt " + i);
            }
        }
    }

    @Test
    void aGpt2FileSavedFromTheBaseModelLoadsUnderTheLmHeadNames(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws java.io.IOException {
        // openai-community/gpt2 stores wte.weight, h.0..., ln_f (GPT2Model) and old causal-mask buffers h.{i}.attn.bias
        Path dir = Files.createDirectories(tmp.resolve("gpt2-base-names"));
        Map<String, io.passk.hf.safetensors.FloatTensor> renamed = new java.util.TreeMap<>();
        try (io.passk.hf.safetensors.SafetensorsFile f = io.passk.hf.safetensors.SafetensorsFile.open(
                DecoderFixtures.modelDir("gpt2").resolve(ModelDirectory.WEIGHTS))) {
            for (String name : f.names()) {
                renamed.put(name.replaceFirst("^transformer\\.", ""), new io.passk.hf.safetensors.FloatTensor(
                        f.info(name).shape(), f.readFloats(name)));
            }
        }
        renamed.put("h.0.attn.bias", io.passk.hf.safetensors.FloatTensor.of(new float[16], 1, 1, 4, 4));
        assertTrue(renamed.containsKey("wte.weight") && renamed.containsKey("lm_head.weight"));
        for (Path f : Files.list(DecoderFixtures.modelDir("gpt2")).toList()) {
            if (!f.getFileName().toString().endsWith(".safetensors")) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        io.passk.hf.safetensors.SafetensorsWriter.write(dir.resolve(ModelDirectory.WEIGHTS), renamed);
        DecoderFixtures.Reference ref = DecoderFixtures.reference("gpt2");
        try (NDManager m = NDManager.newBaseManager()) {
            List<float[]> want = paddedLogits(DecoderFixtures.load("gpt2", m), m, ref.prompts());
            List<float[]> got = paddedLogits(DecoderFixtures.load(dir, m, DataType.FLOAT32), m, ref.prompts());
            for (int i = 0; i < want.size(); i++) {
                assertArrayEquals(want.get(i), got.get(i), "prompt " + i);
            }
        }
    }

    @Test
    void eachRowOfAPaddedBatchGetsTheLogitsItGetsAlone() {
        DecoderFixtures.Reference ref = DecoderFixtures.reference("qwen3");
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm model = DecoderFixtures.load("qwen3", m);
            List<float[]> batched = paddedLogits(model, m, ref.prompts());
            for (int i = 0; i < ref.prompts().size(); i++) {
                float[] alone = paddedLogits(model, m, List.of(ref.prompts().get(i))).get(0);
                assertClose(alone, batched.get(i), 1e-5, "prompt " + i);
            }
        }
    }

    @Test
    void djlForwardOfAnUnpaddedBatchEqualsTheReference() {
        DecoderFixtures.Reference ref = DecoderFixtures.reference("llama");
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm model = DecoderFixtures.load("llama", m);
            int[] p = ref.prompts().get(2);
            long[] ids = new long[p.length];
            for (int i = 0; i < p.length; i++) {
                ids[i] = p[i];
            }
            NDList out = model.forward(new ParameterStore(m, false),
                    new NDList(m.create(ids, new Shape(1, p.length))), false);
            assertEquals(new Shape(1, p.length, 64), out.singletonOrThrow().getShape());
            assertClose(ref.logits().get(2), out.singletonOrThrow().toFloatArray(), 1e-4, "forward");
        }
    }

    @Test
    void bf16AndShardedCheckpointsGiveTheLogitsOfTheF32Checkpoint() {
        List<int[]> prompts = List.of(new int[]{3, 1, 4, 1, 5, 9, 2, 6}, new int[]{5, 3}, new int[]{15, 0, 7, 7, 8});
        String[][] groups = {{"tiny-qwen2", "tiny-qwen2-bf16", "tiny-qwen2-sharded"}, {"tiny-llama", "tiny-llama-sharded-bf16"}};
        for (String[] group : groups) {
            try (NDManager m = NDManager.newBaseManager()) {
                List<float[]> f32 = paddedLogits(DecoderFixtures.load(DecoderFixtures.resource("hf/" + group[0]), m,
                        DataType.FLOAT32), m, prompts);
                for (int g = 1; g < group.length; g++) {
                    List<float[]> other = paddedLogits(DecoderFixtures.load(DecoderFixtures.resource("hf/" + group[g]), m,
                            DataType.FLOAT32), m, prompts);
                    for (int i = 0; i < prompts.size(); i++) {
                        // the weights are BF16-exact, so every variant widens to the same F32 numbers
                        assertArrayEquals(f32.get(i), other.get(i), group[g] + " prompt " + i);
                    }
                }
            }
        }
    }

    @Test
    void parametersCarryTheHuggingFaceTensorNamesAndTheTiedHeadHasNoLmHead() {
        for (String name : DecoderFixtures.MODELS) {
            Path dir = DecoderFixtures.modelDir(name);
            try (NDManager m = NDManager.newBaseManager(); ModelDirectory d = ModelDirectory.open(dir)) {
                CausalLm model = CausalLm.load(d, m, DataType.FLOAT32);
                Map<String, Parameter> params = model.parametersByName();
                assertEquals(List.copyOf(DecoderTensors.expected(d.config()).keySet()), List.copyOf(params.keySet()), name);
                assertEquals(!d.config().tieWordEmbeddings(), params.containsKey("lm_head.weight"), name);
                for (Map.Entry<String, Parameter> e : params.entrySet()) {
                    assertArrayEquals(d.readFloats(e.getKey()), e.getValue().getArray().toFloatArray(), e.getKey());
                }
            }
        }
    }

    @Test
    void aMistralConfigRunsTheLlamaDecoder(@org.junit.jupiter.api.io.TempDir Path tmp) throws java.io.IOException {
        // mistral is llama's decoder without biases; with sliding_window null it attends to everything
        Path dir = Files.createDirectories(tmp.resolve("mistral"));
        for (Path f : Files.list(DecoderFixtures.modelDir("llama")).toList()) {
            Files.copy(f, dir.resolve(f.getFileName()));
        }
        com.google.gson.JsonObject cfg = com.google.gson.JsonParser.parseString(Files.readString(dir.resolve("config.json")))
                .getAsJsonObject();
        cfg.addProperty("model_type", "mistral");
        cfg.add("sliding_window", com.google.gson.JsonNull.INSTANCE);
        Files.writeString(dir.resolve("config.json"), new com.google.gson.GsonBuilder().serializeNulls().create().toJson(cfg));
        DecoderFixtures.Reference ref = DecoderFixtures.reference("llama");
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm model = DecoderFixtures.load(dir, m, DataType.FLOAT32);
            assertEquals(io.passk.hf.ModelType.MISTRAL, model.config().modelType());
            List<float[]> got = paddedLogits(model, m, ref.prompts());
            for (int i = 0; i < ref.prompts().size(); i++) {
                assertClose(ref.logits().get(i), got.get(i), 1e-4, "prompt " + i);
            }
        }
    }

    @Test
    void savedTensorsReloadToTheSameLogits(@org.junit.jupiter.api.io.TempDir Path tmp) throws java.io.IOException {
        Path dir = Files.createDirectories(tmp.resolve("qwen3"));
        for (Path f : Files.list(DecoderFixtures.modelDir("qwen3")).toList()) {
            if (!f.getFileName().toString().endsWith(".safetensors")) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        DecoderFixtures.Reference ref = DecoderFixtures.reference("qwen3");
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm model = DecoderFixtures.load("qwen3", m);
            io.passk.hf.safetensors.SafetensorsWriter.write(dir.resolve(ModelDirectory.WEIGHTS), model.tensors());
            assertArrayEquals(Files.readAllBytes(DecoderFixtures.modelDir("qwen3").resolve(ModelDirectory.WEIGHTS)),
                    Files.readAllBytes(dir.resolve(ModelDirectory.WEIGHTS)), "the fixture's bytes again");
            List<float[]> before = paddedLogits(model, m, ref.prompts());
            List<float[]> after = paddedLogits(DecoderFixtures.load(dir, m, DataType.FLOAT32), m, ref.prompts());
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i));
            }
        }
    }

    @Test
    void float64WeightsGiveTheFloat32LogitsToRounding() {
        DecoderFixtures.Reference ref = DecoderFixtures.reference("qwen2");
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm f64 = DecoderFixtures.load(DecoderFixtures.modelDir("qwen2"), m, DataType.FLOAT64);
            assertEquals(DataType.FLOAT64, f64.dataType());
            List<float[]> got = paddedLogits(f64, m, ref.prompts());
            for (int i = 0; i < ref.prompts().size(); i++) {
                assertClose(ref.logits().get(i), got.get(i), 1e-5, "prompt " + i);
            }
        }
    }
}
