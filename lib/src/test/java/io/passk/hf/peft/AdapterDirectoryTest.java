package io.passk.hf.peft;

import static io.passk.hf.peft.PeftFixtures.ADAPTER;
import static io.passk.hf.peft.PeftFixtures.copy;
import static io.passk.hf.peft.PeftFixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.passk.BadInputException;
import io.passk.hf.DecoderConfig;
import io.passk.hf.safetensors.FloatTensor;
import io.passk.hf.safetensors.SafetensorsWriter;
import io.passk.progress.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class AdapterDirectoryTest {

    private static final Path BASE = fixture("tiny-qwen2");
    private static final DecoderConfig QWEN = DecoderConfig.read(BASE.resolve("config.json"));

    /** Random adapter tensors of {@code cfg} for tiny-qwen2. */
    static Map<String, FloatTensor> randomTensors(LoraConfig cfg, long seed) {
        Random rng = new Random(seed);
        Map<String, FloatTensor> out = new TreeMap<>();
        AdapterDirectory.expectedShapes(QWEN, cfg).forEach((name, shape) -> {
            float[] v = new float[(int) (shape[0] * shape[1])];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rng.nextGaussian();
            }
            out.put(name, FloatTensor.of(v, shape));
        });
        return out;
    }

    @Test
    void tensorNamesAreThoseOfPeftSavePretrainedWithoutTheAdapterName() {
        assertEquals("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
                AdapterDirectory.tensorName(0, "q_proj", true));
        assertEquals("base_model.model.model.layers.11.self_attn.o_proj.lora_B.weight",
                AdapterDirectory.tensorName(11, "o_proj", false));
        assertEquals("base_model.model.model.layers.3.mlp.down_proj.lora_A.weight",
                AdapterDirectory.tensorName(3, "down_proj", true));
        assertEquals("model.layers.3.mlp.down_proj.weight", AdapterDirectory.baseWeightName(3, "down_proj"));
    }

    @Test
    void shapesAreRankByInForAAndOutByRankForBFromTheBaseConfig() {
        // tiny-qwen2: hidden 8, 2 heads of head_dim 4, 1 kv head, intermediate 16, 2 layers
        Map<String, long[]> s = AdapterDirectory.expectedShapes(QWEN, LoraConfig.defaults(3));
        assertEquals(2 * 7 * 2, s.size());
        assertArrayEquals(new long[] {3, 8}, s.get("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"));
        assertArrayEquals(new long[] {8, 3}, s.get("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight"));
        assertArrayEquals(new long[] {4, 3}, s.get("base_model.model.model.layers.1.self_attn.k_proj.lora_B.weight"));
        assertArrayEquals(new long[] {4, 3}, s.get("base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight"));
        assertArrayEquals(new long[] {3, 8}, s.get("base_model.model.model.layers.0.self_attn.o_proj.lora_A.weight"));
        assertArrayEquals(new long[] {16, 3}, s.get("base_model.model.model.layers.0.mlp.gate_proj.lora_B.weight"));
        assertArrayEquals(new long[] {16, 3}, s.get("base_model.model.model.layers.0.mlp.up_proj.lora_B.weight"));
        assertArrayEquals(new long[] {3, 16}, s.get("base_model.model.model.layers.1.mlp.down_proj.lora_A.weight"));
        assertArrayEquals(new long[] {8, 3}, s.get("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight"));
        assertEquals(List.of("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
                "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight"), s.keySet().stream().limit(2).toList());
    }

    @Test
    void writtenFilesEqualThosePythonWritesInPeftsLayout(@TempDir Path tmp) {
        // the Python fixture: PEFT 0.13's LoraConfig fields, json.dumps(indent=2, sort_keys=True)
        AdapterDirectory python = AdapterDirectory.open(fixture(ADAPTER));
        Path dir = tmp.resolve("a");
        AdapterDirectory.write(dir, python.config(), BASE, 0, python.tensors(), Map.of(), ProgressListener.SILENT);
        String expected = PeftFixtures.readString(fixture(ADAPTER).resolve(AdapterDirectory.CONFIG))
                .replace("\"passk-test/tiny-qwen2\"", io.passk.hf.PyJson.quote(BASE.toAbsolutePath().normalize().toString(), true));
        assertEquals(expected, PeftFixtures.readString(dir.resolve(AdapterDirectory.CONFIG)));
        assertArrayEquals(bytes(fixture(ADAPTER).resolve(AdapterDirectory.WEIGHTS)),
                bytes(dir.resolve(AdapterDirectory.WEIGHTS)));
    }

    @Test
    void adapterConfigHasThePeftFieldsOfAPlainCausalLmLoraAdapter(@TempDir Path tmp) {
        Path dir = tmp.resolve("a");
        LoraConfig cfg = new LoraConfig(4, 8, 0.05, List.of("v_proj", "q_proj", "down_proj"));
        AdapterDirectory.write(dir, cfg, BASE, 7, randomTensors(cfg, 1), Map.of(), ProgressListener.SILENT);
        JsonObject c = JsonParser.parseString(PeftFixtures.readString(dir.resolve(AdapterDirectory.CONFIG)))
                .getAsJsonObject();
        assertEquals("LORA", c.get("peft_type").getAsString());
        assertEquals("CAUSAL_LM", c.get("task_type").getAsString());
        assertEquals(4, c.get("r").getAsInt());
        assertEquals("8", c.get("lora_alpha").toString());
        assertEquals(0.05, c.get("lora_dropout").getAsDouble());
        assertEquals("[\"down_proj\",\"q_proj\",\"v_proj\"]", c.get("target_modules").toString());
        assertEquals(BASE.toAbsolutePath().normalize().toString(), c.get("base_model_name_or_path").getAsString());
        assertEquals("none", c.get("bias").getAsString());
        for (String f : List.of("fan_in_fan_out", "use_rslora", "use_dora")) {
            assertFalse(c.get(f).getAsBoolean(), f);
        }
        assertTrue(c.get("inference_mode").getAsBoolean());
        assertTrue(c.get("init_lora_weights").getAsBoolean());
        for (String f : List.of("modules_to_save", "layers_to_transform", "layers_pattern", "revision", "auto_mapping",
                "megatron_config", "layer_replication")) {
            assertTrue(c.get(f).isJsonNull(), f);
        }
        for (String f : List.of("rank_pattern", "alpha_pattern", "loftq_config")) {
            assertEquals(new JsonObject(), c.get(f), f);
        }
        assertEquals("megatron.core", c.get("megatron_core").getAsString());
        assertEquals(24, c.size());
    }

    @Test
    void writeOpenWriteIsByteIdenticalAndKeepsStepProvenanceAndValues(@TempDir Path tmp) {
        LoraConfig cfg = new LoraConfig(2, 5, 0.1, List.of("k_proj", "gate_proj"));
        Map<String, FloatTensor> tensors = randomTensors(cfg, 2);
        Path first = tmp.resolve("first");
        AdapterDirectory.write(first, cfg, BASE, 12, tensors, Map.of("run", "r1", "method", "passk"),
                ProgressListener.SILENT);
        AdapterDirectory a = AdapterDirectory.open(first);
        assertEquals(cfg, a.config());
        assertEquals(12, a.step());
        assertEquals(Map.of("run", "r1", "method", "passk"), a.provenance());
        assertEquals(BASE.toAbsolutePath().normalize(), a.baseDir().orElseThrow());
        assertEquals(BaseFingerprint.of(BASE), a.baseFingerprint().orElseThrow());
        for (String name : tensors.keySet()) {
            assertArrayEquals(tensors.get(name).values(), a.tensors().get(name).values(), name);
        }
        a.checkAgainst(BASE, QWEN);
        Path second = tmp.resolve("second");
        AdapterDirectory.write(second, a.config(), a.baseDir().orElseThrow(), a.step(), a.tensors(), a.provenance(),
                ProgressListener.SILENT);
        for (String f : List.of(AdapterDirectory.CONFIG, AdapterDirectory.WEIGHTS, AdapterDirectory.META)) {
            assertArrayEquals(bytes(first.resolve(f)), bytes(second.resolve(f)), f);
        }
        try (var files = Files.list(first)) {
            assertEquals(3, files.count());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void writeRefusesAnExistingDirectory(@TempDir Path tmp) throws IOException {
        LoraConfig cfg = LoraConfig.defaults(1);
        Path dir = Files.createDirectories(tmp.resolve("taken"));
        BadInputException e = assertThrows(BadInputException.class, () -> AdapterDirectory.write(dir, cfg, BASE, 0,
                randomTensors(cfg, 3), Map.of(), ProgressListener.SILENT));
        assertEquals("adapter " + dir.toAbsolutePath().normalize() + " already exists; choose a new path", e.getMessage());
    }

    @Test
    void anAdapterFromElsewhereOpensAndIsCheckedByShapesOnly() {
        AdapterDirectory a = AdapterDirectory.open(fixture(ADAPTER));
        assertEquals(new LoraConfig(2, 3, 0, List.of("q_proj", "k_proj", "o_proj", "up_proj", "down_proj")), a.config());
        assertEquals(1.5, a.config().scaling());
        assertEquals(Path.of("passk-test/tiny-qwen2"), a.baseDir().orElseThrow());
        assertEquals(0, a.step());
        assertTrue(a.baseFingerprint().isEmpty());
        assertEquals(2 * 5 * 2, a.tensors().size());
        a.checkAgainst(BASE, QWEN);
        a.checkAgainst(fixture("tiny-qwen2-bf16"), QWEN);
        assertTrue(AdapterDirectory.isAdapter(fixture(ADAPTER)));
        assertFalse(AdapterDirectory.isAdapter(BASE));
    }

    @Test
    void theFingerprintIsTheSameForTheSameWeightsInAnyLayoutAndDiffersForOtherWeights(@TempDir Path tmp)
            throws IOException {
        BaseFingerprint f = BaseFingerprint.of(BASE);
        assertEquals(f, BaseFingerprint.of(fixture("tiny-qwen2-bf16")));
        assertEquals(f, BaseFingerprint.of(fixture("tiny-qwen2-sharded")));
        assertEquals("qwen2", f.modelType());
        assertEquals(64, f.weightsSha256().length());
        Path other = otherWeights(tmp);
        BaseFingerprint g = BaseFingerprint.of(other);
        assertEquals(f.hiddenSize(), g.hiddenSize());
        assertNotEquals(f.weightsSha256(), g.weightsSha256());
    }

    /** tiny-qwen2 with one weight changed: same config, same header, other weights. */
    private static Path otherWeights(Path tmp) {
        Path other = copy("tiny-qwen2", tmp.resolve("other"));
        Map<String, FloatTensor> w = PeftFixtures.read(other.resolve("model.safetensors"));
        w.get("model.layers.1.mlp.up_proj.weight").values()[0] += 0.5f;
        SafetensorsWriter.write(other.resolve("model.safetensors"), w);
        return other;
    }

    @Test
    void anAdapterTrainedOnAnotherBaseIsRefused(@TempDir Path tmp) {
        LoraConfig cfg = LoraConfig.defaults(2);
        Path dir = tmp.resolve("a");
        AdapterDirectory.write(dir, cfg, BASE, 0, randomTensors(cfg, 4), Map.of(), ProgressListener.SILENT);
        AdapterDirectory a = AdapterDirectory.open(dir);
        Path other = otherWeights(tmp);
        BadInputException e = assertThrows(BadInputException.class, () -> a.checkAgainst(other, QWEN));
        assertTrue(e.getMessage().startsWith(dir.resolve("passk_adapter.json") + ": the adapter was trained on another"
                + " base model than " + other + " (weights_sha256 "), e.getMessage());
        Path llama = fixture("tiny-llama");
        DecoderConfig llamaConfig = DecoderConfig.read(llama.resolve("config.json"));
        BadInputException m = assertThrows(BadInputException.class, () -> a.checkAgainst(llama, llamaConfig));
        assertEquals(dir.resolve("passk_adapter.json") + ": the adapter was trained on another base model than " + llama
                + " (model_type qwen2 (recorded) vs llama)", m.getMessage());
    }

    @Test
    void anAdapterFromElsewhereForAnotherShapeIsRefusedByTensorShape() {
        Path llama = fixture("tiny-llama"); // intermediate 12, not 16
        DecoderConfig llamaConfig = DecoderConfig.read(llama.resolve("config.json"));
        AdapterDirectory a = AdapterDirectory.open(fixture(ADAPTER));
        BadInputException e = assertThrows(BadInputException.class, () -> a.checkAgainst(llama, llamaConfig));
        assertEquals(fixture(ADAPTER).resolve("adapter_model.safetensors") + ": tensor"
                + " 'base_model.model.model.layers.0.mlp.up_proj.lora_B.weight' has shape [16, 2], but "
                + llama.resolve("config.json") + " implies [12, 2]", e.getMessage());
    }

    @Test
    void missingAndExtraTensorsAreRefusedAgainstTheBase(@TempDir Path tmp) {
        Path missing = copy(ADAPTER, tmp.resolve("m"));
        Map<String, FloatTensor> w = PeftFixtures.read(missing.resolve(AdapterDirectory.WEIGHTS));
        w.remove("base_model.model.model.layers.1.self_attn.o_proj.lora_B.weight");
        SafetensorsWriter.write(missing.resolve(AdapterDirectory.WEIGHTS), w);
        BadInputException e = assertThrows(BadInputException.class, () -> AdapterDirectory.open(missing).checkAgainst(BASE, QWEN));
        assertEquals(missing.resolve(AdapterDirectory.WEIGHTS) + ": no tensor"
                + " 'base_model.model.model.layers.1.self_attn.o_proj.lora_B.weight', which target_modules"
                + " [q_proj, k_proj, o_proj, up_proj, down_proj] and " + BASE.resolve("config.json") + " (2 layers) imply",
                e.getMessage());

        Path extra = copy(ADAPTER, tmp.resolve("x"));
        Map<String, FloatTensor> x = PeftFixtures.read(extra.resolve(AdapterDirectory.WEIGHTS));
        x.put("base_model.model.model.layers.2.self_attn.q_proj.lora_A.weight", FloatTensor.of(new float[16], 2, 8));
        SafetensorsWriter.write(extra.resolve(AdapterDirectory.WEIGHTS), x);
        BadInputException f = assertThrows(BadInputException.class, () -> AdapterDirectory.open(extra).checkAgainst(BASE, QWEN));
        assertEquals(extra.resolve(AdapterDirectory.WEIGHTS) + ": tensor"
                + " 'base_model.model.model.layers.2.self_attn.q_proj.lora_A.weight' does not fit "
                + BASE.resolve("config.json") + " (2 layers)", f.getMessage());
    }

    @Test
    void tensorsThatAreNotLoraTensorsOfTheConfigAreRefusedWhenOpened(@TempDir Path tmp) {
        String file = AdapterDirectory.WEIGHTS;
        assertTensorRefused(tmp, "n", t -> t.put("base_model.model.model.layers.0.self_attn.q_proj.lora_A.default.weight",
                FloatTensor.of(new float[16], 2, 8)), "tensor 'base_model.model.model.layers.0.self_attn.q_proj.lora_A"
                + ".default.weight' is not a LoRA tensor as PEFT names them"
                + " (base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight, ...)");
        assertTensorRefused(tmp, "v", t -> t.put("base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight",
                FloatTensor.of(new float[16], 2, 8)), "tensor 'base_model.model.model.layers.0.self_attn.v_proj.lora_A"
                + ".weight' adapts v_proj, which is not in target_modules of adapter_config.json");
        assertTensorRefused(tmp, "p", t -> t.put("base_model.model.model.layers.0.mlp.q_proj.lora_A.weight",
                FloatTensor.of(new float[16], 2, 8)), "tensor 'base_model.model.model.layers.0.mlp.q_proj.lora_A"
                + ".weight' is not a LoRA tensor as PEFT names them"
                + " (base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight, ...)");
        assertTensorRefused(tmp, "r", t -> t.put("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
                FloatTensor.of(new float[24], 3, 8)), "tensor 'base_model.model.model.layers.0.self_attn.q_proj.lora_A"
                + ".weight' has shape [3, 8], but lora_A is [r, in] with r 2 in adapter_config.json");
        assertTensorRefused(tmp, "b", t -> t.put("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight",
                FloatTensor.of(new float[24], 8, 3)), "tensor 'base_model.model.model.layers.0.self_attn.q_proj.lora_B"
                + ".weight' has shape [8, 3], but lora_B is [out, r] with r 2 in adapter_config.json");
        assertTrue(file.endsWith(".safetensors"));
    }

    private static void assertTensorRefused(Path tmp, String name, Consumer<Map<String, FloatTensor>> edit, String message) {
        Path dir = copy(ADAPTER, tmp.resolve(name));
        Map<String, FloatTensor> w = PeftFixtures.read(dir.resolve(AdapterDirectory.WEIGHTS));
        edit.accept(w);
        SafetensorsWriter.write(dir.resolve(AdapterDirectory.WEIGHTS), w);
        assertRefused(dir.resolve(AdapterDirectory.WEIGHTS) + ": " + message, () -> AdapterDirectory.open(dir));
    }

    @Test
    void configsPasskCannotApplyAreRefusedNamingTheFileAndKey(@TempDir Path tmp) {
        assertConfigRefused(tmp, "peft_type 'PREFIX_TUNING' is not supported (passk applies LORA adapters only)",
                c -> c.addProperty("peft_type", "PREFIX_TUNING"));
        assertConfigRefused(tmp, "task_type 'SEQ_CLS' is not supported (passk applies CAUSAL_LM adapters)",
                c -> c.addProperty("task_type", "SEQ_CLS"));
        assertConfigRefused(tmp, "use_dora true is not supported (passk applies plain LoRA: W + lora_alpha / r * B A)",
                c -> c.addProperty("use_dora", true));
        assertConfigRefused(tmp, "use_rslora true is not supported (passk applies plain LoRA: W + lora_alpha / r * B A)",
                c -> c.addProperty("use_rslora", true));
        assertConfigRefused(tmp, "target_modules has unknown module 'lm_head' (passk adapts: q_proj,k_proj,v_proj,"
                + "o_proj,gate_proj,up_proj,down_proj)", c -> c.get("target_modules").getAsJsonArray().add("lm_head"));
        assertConfigRefused(tmp, "target_modules is \"all-linear\", not a list of module names (passk does not read"
                + " patterns)", c -> c.addProperty("target_modules", "all-linear"));
        assertConfigRefused(tmp, "r is missing", c -> c.remove("r"));
        assertConfigRefused(tmp, "peft_type is missing", c -> c.remove("peft_type"));
        assertConfigRefused(tmp, "r is 0, not a positive integer", c -> c.addProperty("r", 0));
        assertConfigRefused(tmp, "lora_alpha is \"16\", not a number", c -> c.addProperty("lora_alpha", "16"));
        assertConfigRefused(tmp, "bias 'all' is not supported (passk adapters train no biases: bias must be \"none\")",
                c -> c.addProperty("bias", "all"));
        JsonArray layers = new JsonArray();
        layers.add(new JsonPrimitive(0));
        assertConfigRefused(tmp, "layers_to_transform [0] is not supported (passk applies the same LoRA to every layer"
                + " and saves no other modules)", c -> c.add("layers_to_transform", layers));
    }

    private static void assertConfigRefused(Path tmp, String message, Consumer<JsonObject> edit) {
        Path dir = copy(ADAPTER, tmp.resolve("c" + Math.abs(message.hashCode())));
        Path file = dir.resolve(AdapterDirectory.CONFIG);
        JsonObject json = JsonParser.parseString(PeftFixtures.readString(file)).getAsJsonObject();
        edit.accept(json);
        PeftFixtures.writeString(file, new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json));
        assertRefused(file + ": " + message, () -> AdapterDirectory.open(dir));
    }

    @Test
    void malformedFilesAndMissingPartsAreRefusedInOneLine(@TempDir Path tmp) throws IOException {
        assertRefused(tmp.resolve("nope") + ": not a directory (a PEFT adapter directory was expected)",
                () -> AdapterDirectory.open(tmp.resolve("nope")));
        assertRefused(BASE + ": not a PEFT adapter directory (no adapter_config.json)", () -> AdapterDirectory.open(BASE));
        Path bad = copy(ADAPTER, tmp.resolve("bad"));
        PeftFixtures.writeString(bad.resolve(AdapterDirectory.CONFIG), "{\"peft_type\": \"LORA\",");
        BadInputException e = assertThrows(BadInputException.class, () -> AdapterDirectory.open(bad));
        assertTrue(e.getMessage().startsWith(bad.resolve(AdapterDirectory.CONFIG) + ": not valid JSON"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        Path noWeights = copy(ADAPTER, tmp.resolve("now"));
        Files.delete(noWeights.resolve(AdapterDirectory.WEIGHTS));
        assertRefused(noWeights + ": no adapter_model.safetensors (passk reads safetensors adapters only, not"
                + " adapter_model.bin)", () -> AdapterDirectory.open(noWeights));
    }

    @Test
    void aDamagedPasskRecordIsRefusedNamingTheKey(@TempDir Path tmp) {
        LoraConfig cfg = LoraConfig.defaults(1);
        Path dir = tmp.resolve("a");
        AdapterDirectory.write(dir, cfg, BASE, 3, randomTensors(cfg, 5), Map.of(), ProgressListener.SILENT);
        Path meta = dir.resolve(AdapterDirectory.META);
        String text = PeftFixtures.readString(meta);
        PeftFixtures.writeString(meta, text.replace("\"step\": 3", "\"steps\": 3"));
        assertRefused(meta + ": step is missing", () -> AdapterDirectory.open(dir));
        PeftFixtures.writeString(meta, text.replace("\"hidden_size\": 8,", ""));
        assertRefused(meta + ": base.hidden_size is missing", () -> AdapterDirectory.open(dir));
    }

    private static void assertRefused(String message, Executable e) {
        BadInputException ex = assertThrows(BadInputException.class, e);
        assertEquals(message, ex.getMessage());
    }

    private static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void tensorsWrittenForAConfigMustBeExactlyItsTensors(@TempDir Path tmp) {
        LoraConfig cfg = LoraConfig.defaults(1);
        Map<String, FloatTensor> t = new TreeMap<>(randomTensors(cfg, 6));
        t.remove(AdapterDirectory.tensorName(1, "up_proj", false));
        assertThrows(IllegalArgumentException.class, () -> AdapterDirectory.write(tmp.resolve("a"), cfg, BASE, 0, t,
                Map.of(), ProgressListener.SILENT));
        assertFalse(Files.exists(tmp.resolve("a")));
        assertEquals(List.of(), Arrays.asList(tmp.toFile().list()));
    }
}
