package io.passk.hf.peft;

import static io.passk.hf.peft.PeftFixtures.ADAPTER;
import static io.passk.hf.peft.PeftFixtures.MERGED;
import static io.passk.hf.peft.PeftFixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.passk.BadInputException;
import io.passk.hf.ModelDirectory;
import io.passk.hf.safetensors.DType;
import io.passk.hf.safetensors.FloatTensor;
import io.passk.hf.safetensors.HalfFloats;
import io.passk.hf.safetensors.SafetensorsFile;
import io.passk.hf.safetensors.TensorSource;
import io.passk.progress.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterMergeTest {

    private static final Path BASE = fixture("tiny-qwen2");
    private static final double TOLERANCE = 1e-6;

    @Test
    void mergedWeightsEqualThePythonOracleAndUnadaptedTensorsStayBitIdentical() {
        Map<String, FloatTensor> expected = PeftFixtures.read(fixture(MERGED));
        AdapterDirectory adapter = AdapterDirectory.open(fixture(ADAPTER));
        Map<String, FloatTensor> merged;
        Map<String, FloatTensor> base = PeftFixtures.read(BASE.resolve("model.safetensors"));
        try (TensorSource weights = SafetensorsFile.open(BASE.resolve("model.safetensors"))) {
            merged = AdapterMerge.merged(weights, adapter);
        }
        assertEquals(expected.keySet(), merged.keySet());
        int changed = 0;
        for (String name : expected.keySet()) {
            assertEquals(expected.get(name).shape(), merged.get(name).shape(), name);
            float[] want = expected.get(name).values();
            float[] got = merged.get(name).values();
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], TOLERANCE, name + "[" + i + "]");
            }
            boolean adapted = name.matches("model\\.layers\\.\\d\\.(self_attn\\.(q|k|o)_proj|mlp\\.(up|down)_proj)\\.weight");
            if (adapted) {
                changed++;
                assertFalse(java.util.Arrays.equals(base.get(name).values(), got), name + " should change");
            } else {
                assertArrayEquals(base.get(name).values(), got, name + " is not adapted");
            }
        }
        assertEquals(2 * 5, changed);
    }

    @Test
    void anAdapterWithBZeroMergesToExactlyTheBase(@TempDir Path tmp) {
        LoraConfig cfg = LoraConfig.defaults(4);
        Map<String, FloatTensor> tensors = new TreeMap<>(AdapterDirectoryTest.randomTensors(cfg, 9));
        tensors.replaceAll((name, t) -> name.endsWith("lora_B.weight")
                ? new FloatTensor(t.shape(), new float[t.values().length]) : t);
        Path dir = tmp.resolve("zero");
        AdapterDirectory.write(dir, cfg, BASE, 0, tensors, Map.of(), ProgressListener.SILENT);
        Map<String, FloatTensor> base = PeftFixtures.read(BASE.resolve("model.safetensors"));
        try (TensorSource weights = SafetensorsFile.open(BASE.resolve("model.safetensors"))) {
            Map<String, FloatTensor> merged = AdapterMerge.merged(weights, AdapterDirectory.open(dir));
            for (String name : base.keySet()) {
                assertArrayEquals(base.get(name).values(), merged.get(name).values(), name);
            }
        }
    }

    @Test
    void exportWritesAHuggingFaceDirectoryOfTheMergedWeightsWithTheBasesTokenizer(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("merged");
        List<String> log = new ArrayList<>();
        Path written = AdapterMerge.exportMerged(fixture(ADAPTER), BASE, out, DType.F32, false, log::add);
        assertEquals(out.toAbsolutePath().normalize(), written);
        assertEquals(1, log.size());
        try (ModelDirectory m = ModelDirectory.open(out)) {
            Map<String, FloatTensor> expected = PeftFixtures.read(fixture(MERGED));
            for (String name : expected.keySet()) {
                float[] want = expected.get(name).values();
                float[] got = m.readFloats(name);
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], TOLERANCE, name);
                }
            }
        }
        for (String f : List.of("tokenizer.json", "tokenizer_config.json", "generation_config.json")) {
            assertArrayEquals(Files.readAllBytes(BASE.resolve(f)), Files.readAllBytes(out.resolve(f)), f);
        }
        JsonObject config = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
        JsonObject baseConfig = JsonParser.parseString(Files.readString(BASE.resolve("config.json"))).getAsJsonObject();
        assertEquals("float32", config.get("torch_dtype").getAsString());
        baseConfig.addProperty("torch_dtype", "float32");
        assertEquals(baseConfig, config);
        JsonObject meta = JsonParser.parseString(Files.readString(out.resolve(AdapterMerge.META))).getAsJsonObject();
        assertEquals(fixture(ADAPTER).toAbsolutePath().normalize().toString(), meta.get("adapter").getAsString());
        assertEquals(BASE.toAbsolutePath().normalize().toString(), meta.get("base").getAsString());
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(out), files.toList()); // no temporary sibling left
        }
    }

    @Test
    void bf16ExportIsTheMergedF32WeightsRoundedToNearestEven(@TempDir Path tmp) {
        Path out = tmp.resolve("bf16");
        AdapterMerge.exportMerged(fixture(ADAPTER), BASE, out, DType.BF16, false, ProgressListener.SILENT);
        Path f32 = tmp.resolve("f32");
        AdapterMerge.exportMerged(fixture(ADAPTER), BASE, f32, DType.F32, false, ProgressListener.SILENT);
        Map<String, FloatTensor> wide = PeftFixtures.read(f32.resolve("model.safetensors"));
        try (SafetensorsFile f = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            for (String name : wide.keySet()) {
                assertEquals(DType.BF16, f.info(name).dtype());
                float[] got = f.readFloats(name);
                float[] w = wide.get(name).values();
                for (int i = 0; i < w.length; i++) {
                    assertEquals(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(w[i])), got[i], 0.0, name);
                }
            }
        }
        assertTrue(PeftFixtures.readString(out.resolve("config.json")).contains("\"torch_dtype\": \"bfloat16\""));
    }

    @Test
    void theDefaultBaseIsTheOneTheAdapterRecords(@TempDir Path tmp) {
        LoraConfig cfg = new LoraConfig(2, 4, 0, List.of("v_proj"));
        Path adapter = tmp.resolve("a");
        AdapterDirectory.write(adapter, cfg, BASE, 5, AdapterDirectoryTest.randomTensors(cfg, 11), Map.of(),
                ProgressListener.SILENT);
        Path out = tmp.resolve("m");
        AdapterMerge.exportMerged(adapter, null, out, DType.F32, false, ProgressListener.SILENT);
        assertTrue(PeftFixtures.readString(out.resolve(AdapterMerge.META)).contains("\"step\": 5"));
        Map<String, FloatTensor> merged = PeftFixtures.read(out.resolve("model.safetensors"));
        Map<String, FloatTensor> base = PeftFixtures.read(BASE.resolve("model.safetensors"));
        assertFalse(java.util.Arrays.equals(base.get("model.layers.0.self_attn.v_proj.weight").values(),
                merged.get("model.layers.0.self_attn.v_proj.weight").values()));
        assertArrayEquals(base.get("model.layers.0.self_attn.q_proj.weight").values(),
                merged.get("model.layers.0.self_attn.q_proj.weight").values());
    }

    @Test
    void aMissingBaseAnExistingOutputAndAMismatchedBaseAreRefusedBeforeWriting(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("m");
        BadInputException noBase = assertThrows(BadInputException.class,
                () -> AdapterMerge.exportMerged(fixture(ADAPTER), null, out, DType.F32, false, ProgressListener.SILENT));
        assertEquals("base model passk-test/tiny-qwen2 (base_model_name_or_path of "
                + fixture(ADAPTER).resolve("adapter_config.json") + ") is not a directory; pass --base DIR with the base"
                + " model's Hugging Face directory", noBase.getMessage());
        Path llama = fixture("tiny-llama");
        BadInputException other = assertThrows(BadInputException.class,
                () -> AdapterMerge.exportMerged(fixture(ADAPTER), llama, out, DType.F32, false, ProgressListener.SILENT));
        assertTrue(other.getMessage().contains("has shape [16, 2], but " + llama.resolve("config.json")), other.getMessage());
        assertFalse(Files.exists(out));
        try (var files = Files.list(tmp)) {
            assertEquals(0, files.count());
        }
        Files.createDirectories(out);
        BadInputException exists = assertThrows(BadInputException.class,
                () -> AdapterMerge.exportMerged(fixture(ADAPTER), BASE, out, DType.F32, false, ProgressListener.SILENT));
        assertEquals("output " + out + " already exists; pass --overwrite to replace it", exists.getMessage());
        AdapterMerge.exportMerged(fixture(ADAPTER), BASE, out, DType.F32, true, ProgressListener.SILENT);
        assertTrue(Files.exists(out.resolve("model.safetensors")));
    }
}
