package io.passk.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.passk.BadInputException;
import io.passk.hf.safetensors.DType;
import io.passk.hf.safetensors.FloatTensor;
import io.passk.hf.safetensors.SafetensorsWriter;
import io.passk.hf.safetensors.ShardedSafetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirectoryTest {

    @TempDir
    Path tmp;

    @Test
    void tinyQwen2DirectoryOpensWithItsConfigTokenizerAndStopIds() {
        try (ModelDirectory m = ModelDirectory.open(HfFixtures.fixture("tiny-qwen2"))) {
            DecoderConfig c = m.config();
            assertEquals(ModelType.QWEN2, c.modelType());
            assertEquals(List.of(16, 8, 16, 2, 2, 1, 4), List.of(c.vocabSize(), c.hiddenSize(), c.intermediateSize(),
                    c.numHiddenLayers(), c.numAttentionHeads(), c.numKeyValueHeads(), c.headDim()));
            assertEquals(1e6, c.ropeTheta());
            assertTrue(c.qkvBias());
            assertFalse(c.tieWordEmbeddings());
            assertEquals(m.path().resolve("model.safetensors"), m.weightsFile());
            TokenizerFiles t = m.tokenizer();
            assertEquals(Optional.empty(), t.bosToken());
            assertEquals(Optional.of("<|im_end|>"), t.eosToken());
            assertEquals(Optional.of("<|endoftext|>"), t.padToken());
            assertTrue(t.chatTemplate().orElseThrow().startsWith("{% for message in messages %}"));
            assertEquals(List.of(2, 0), m.generation().orElseThrow().eosTokenIds());
            assertEquals(List.of(2, 0), m.stopTokenIds());
            assertEquals(DecoderTensors.expected(c).keySet(), m.weights().names());
            assertEquals(16 * 8, m.readFloats("model.embed_tokens.weight").length);
        }
    }

    @Test
    void tinyLlamaDirectoryOpensTiedWithAnAddedTokenBosAndNoGenerationConfig() {
        try (ModelDirectory m = ModelDirectory.open(HfFixtures.fixture("tiny-llama"))) {
            DecoderConfig c = m.config();
            assertEquals(ModelType.LLAMA, c.modelType());
            assertTrue(c.tieWordEmbeddings());
            assertFalse(c.qkvBias());
            assertEquals(2, c.headDim());
            assertEquals(5e5, c.ropeTheta());
            assertEquals(1e-5, c.rmsNormEps());
            assertFalse(m.weights().names().contains("lm_head.weight"));
            assertEquals(Optional.of("<s>"), m.tokenizer().bosToken());
            assertEquals(Optional.of("</s>"), m.tokenizer().eosToken());
            assertEquals(Optional.empty(), m.tokenizer().padToken());
            assertEquals(Optional.empty(), m.tokenizer().chatTemplate());
            assertEquals(Optional.empty(), m.generation());
            assertEquals(List.of(2, 3), m.stopTokenIds());
        }
    }

    @Test
    void bf16AndShardedVariantsGiveTheSameFloatsAsF32() {
        assertSameFloats("tiny-qwen2", "tiny-qwen2-bf16", "tiny-qwen2-sharded");
        assertSameFloats("tiny-llama", "tiny-llama-sharded-bf16");
        try (ModelDirectory sharded = ModelDirectory.open(HfFixtures.fixture("tiny-qwen2-sharded"))) {
            assertEquals(sharded.path().resolve(ShardedSafetensors.INDEX_NAME), sharded.weightsFile());
        }
    }

    private static void assertSameFloats(String reference, String... variants) {
        try (ModelDirectory ref = ModelDirectory.open(HfFixtures.fixture(reference))) {
            for (String variant : variants) {
                try (ModelDirectory other = ModelDirectory.open(HfFixtures.fixture(variant))) {
                    assertEquals(ref.config(), other.config());
                    for (String name : DecoderTensors.expected(ref.config()).keySet()) {
                        assertArrayEquals(ref.readFloats(name), other.readFloats(name), variant + " " + name);
                    }
                }
            }
        }
    }

    @Test
    void huggingFaceDirectoriesAreToldApartFromPasskCheckpoints() throws IOException {
        assertTrue(ModelDirectory.isModelDirectory(HfFixtures.fixture("tiny-qwen2")));
        assertTrue(ModelDirectory.isModelDirectory(HfFixtures.fixture("tiny-llama-sharded-bf16")));
        Path passk = Files.createDirectories(tmp.resolve("passk-checkpoint"));
        Files.writeString(passk.resolve("config.json"), "{}");
        Files.writeString(passk.resolve("weights.params"), "");
        assertFalse(ModelDirectory.isModelDirectory(passk));
    }

    @Test
    void expectedTensorsFollowEachArchitecture() {
        try (ModelDirectory m = ModelDirectory.open(HfFixtures.fixture("tiny-qwen2"))) {
            Map<String, List<Long>> e = DecoderTensors.expected(m.config());
            assertEquals(List.of(8L, 8L), e.get("model.layers.1.self_attn.q_proj.weight"));
            assertEquals(List.of(4L, 8L), e.get("model.layers.1.self_attn.k_proj.weight"));
            assertEquals(List.of(4L), e.get("model.layers.0.self_attn.v_proj.bias"));
            assertFalse(e.containsKey("model.layers.0.self_attn.o_proj.bias"));
            assertEquals(List.of(8L, 16L), e.get("model.layers.0.mlp.down_proj.weight"));
            assertEquals(List.of(16L, 8L), e.get("lm_head.weight"));
            assertEquals(1 + 2 * 12 + 2, e.size());
        }
        DecoderConfig qwen3 = config("qwen3", "\"head_dim\": 6, \"num_key_value_heads\": 1");
        Map<String, List<Long>> q3 = DecoderTensors.expected(qwen3);
        assertEquals(List.of(12L, 8L), q3.get("model.layers.0.self_attn.q_proj.weight"));
        assertEquals(List.of(8L, 12L), q3.get("model.layers.0.self_attn.o_proj.weight"));
        assertEquals(List.of(6L), q3.get("model.layers.0.self_attn.q_norm.weight"));
        assertEquals(List.of(6L), q3.get("model.layers.0.self_attn.k_norm.weight"));
        assertFalse(q3.containsKey("model.layers.0.self_attn.q_proj.bias"));
        Map<String, List<Long>> biasedLlama = DecoderTensors.expected(config("llama", "\"attention_bias\": true"));
        assertEquals(List.of(8L), biasedLlama.get("model.layers.0.self_attn.o_proj.bias"));
        assertEquals(List.of(8L), biasedLlama.get("model.layers.0.self_attn.q_proj.bias"));
        assertFalse(DecoderTensors.expected(config("mistral", "\"sliding_window\": null"))
                .containsKey("model.layers.0.self_attn.q_proj.bias"));
    }

    @Test
    void javaWrittenQwen3DirectoryOpens() {
        Path dir = HfFixtures.copy("tiny-qwen2", tmp);
        HfFixtures.editJson(dir.resolve("config.json"), c -> {
            c.addProperty("model_type", "qwen3");
            c.addProperty("head_dim", 6);
        });
        DecoderConfig config = DecoderConfig.read(dir.resolve("config.json"));
        Random rng = new Random(3);
        TreeMap<String, FloatTensor> weights = new TreeMap<>();
        DecoderTensors.expected(config).forEach((name, shape) -> {
            float[] v = new float[(int) shape.stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b)];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rng.nextGaussian();
            }
            weights.put(name, new FloatTensor(shape, v));
        });
        SafetensorsWriter.write(dir.resolve("model.safetensors"), weights, DType.BF16, SafetensorsWriter.PT_METADATA);
        try (ModelDirectory m = ModelDirectory.open(dir)) {
            assertTrue(m.config().qkNorm());
            assertEquals(6, m.readFloats("model.layers.1.self_attn.k_norm.weight").length);
        }
    }

    @Test
    void chatTemplateJinjaFileWinsOverTokenizerConfig() throws IOException {
        Path dir = HfFixtures.copy("tiny-qwen2", tmp);
        Files.writeString(dir.resolve("chat_template.jinja"), "{{ messages[0]['content'] }}");
        try (ModelDirectory m = ModelDirectory.open(dir)) {
            assertEquals(Optional.of("{{ messages[0]['content'] }}"), m.tokenizer().chatTemplate());
        }
        HfFixtures.editJson(dir.resolve("tokenizer_config.json"), t -> {
            JsonArray named = new JsonArray();
            JsonObject rag = new JsonObject();
            rag.addProperty("name", "rag");
            rag.addProperty("template", "R");
            JsonObject def = new JsonObject();
            def.addProperty("name", "default");
            def.addProperty("template", "D");
            named.add(rag);
            named.add(def);
            t.add("chat_template", named);
        });
        Files.delete(dir.resolve("chat_template.jinja"));
        try (ModelDirectory m = ModelDirectory.open(dir)) {
            assertEquals(Optional.of("D"), m.tokenizer().chatTemplate());
        }
    }

    @Test
    void inverseFrequencyBuffersOfOldCheckpointsAreTolerated() {
        Path dir = HfFixtures.copy("tiny-llama", tmp);
        TreeMap<String, FloatTensor> w = HfFixtures.load(dir.resolve("model.safetensors"));
        w.put("model.layers.0.self_attn.rotary_emb.inv_freq", FloatTensor.of(new float[] {1f}, 1));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), w);
        try (ModelDirectory m = ModelDirectory.open(dir)) {
            assertEquals(ModelType.LLAMA, m.config().modelType());
        }
    }

    // ------------------------------------------------------------- bad directories: one line naming file and key/tensor

    @Test
    void unknownModelTypeIsRefused() {
        Path dir = HfFixtures.copy("tiny-qwen2", tmp);
        HfFixtures.editJson(dir.resolve("config.json"), c -> c.addProperty("model_type", "gemma2"));
        assertRefused(dir, dir.resolve("config.json"), "model_type 'gemma2'");
    }

    @Test
    void ropeScalingOtherThanDefaultIsRefused() {
        Path dir = HfFixtures.copy("tiny-llama", tmp);
        HfFixtures.editJson(dir.resolve("config.json"), c -> {
            JsonObject scaling = new JsonObject();
            scaling.addProperty("rope_type", "dynamic");
            scaling.addProperty("factor", 2.0);
            c.add("rope_scaling", scaling);
        });
        assertRefused(dir, dir.resolve("config.json"), "rope_scaling", "dynamic");
    }

    @Test
    void missingTensorIsRefusedNamingTheWeightsFileAndTensor() {
        Path dir = HfFixtures.copy("tiny-qwen2", tmp);
        Path weights = dir.resolve("model.safetensors");
        SafetensorsWriter.write(weights, HfFixtures.without(HfFixtures.load(weights), "model.layers.1.mlp.up_proj.weight"));
        assertRefused(dir, weights, "model.layers.1.mlp.up_proj.weight");
    }

    @Test
    void missingQkvBiasOfQwen2IsRefused() {
        Path dir = HfFixtures.copy("tiny-qwen2", tmp);
        Path weights = dir.resolve("model.safetensors");
        SafetensorsWriter.write(weights, HfFixtures.without(HfFixtures.load(weights), "model.layers.0.self_attn.k_proj.bias"));
        assertRefused(dir, weights, "model.layers.0.self_attn.k_proj.bias");
    }

    @Test
    void misshapenTensorIsRefusedNamingTheFileTensorAndBothShapes() {
        Path dir = HfFixtures.copy("tiny-qwen2", tmp);
        Path weights = dir.resolve("model.safetensors");
        TreeMap<String, FloatTensor> w = HfFixtures.load(weights);
        w.put("model.norm.weight", FloatTensor.of(new float[9], 9));
        SafetensorsWriter.write(weights, w);
        assertRefused(dir, weights, "model.norm.weight", "[9]", "[8]");
    }

    @Test
    void tensorTransposedIsRefused() {
        Path dir = HfFixtures.copy("tiny-llama", tmp);
        Path weights = dir.resolve("model.safetensors");
        TreeMap<String, FloatTensor> w = HfFixtures.load(weights);
        w.put("model.layers.0.mlp.gate_proj.weight", FloatTensor.of(w.get("model.layers.0.mlp.gate_proj.weight").values(), 8, 12));
        SafetensorsWriter.write(weights, w);
        assertRefused(dir, weights, "model.layers.0.mlp.gate_proj.weight", "[8, 12]", "[12, 8]");
    }

    @Test
    void tensorOfAnotherArchitectureOrLayerIsRefused() {
        Path dir = HfFixtures.copy("tiny-llama", tmp);
        Path weights = dir.resolve("model.safetensors");
        TreeMap<String, FloatTensor> w = HfFixtures.load(weights);
        w.put("model.layers.2.input_layernorm.weight", FloatTensor.of(new float[8], 8));
        SafetensorsWriter.write(weights, w);
        assertRefused(dir, weights, "model.layers.2.input_layernorm.weight", "not part of a llama decoder");
    }

    @Test
    void integerWeightIsRefused() throws IOException {
        Path dir = HfFixtures.copy("tiny-qwen2", tmp);
        Path weights = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        String before = "\"model.norm.weight\":{\"dtype\":\"F32\"";
        assertTrue(text.contains(before));
        // same byte size: F32 [8] and I32 [8]
        Files.write(weights, text.replace(before, "\"model.norm.weight\":{\"dtype\":\"I32\"")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertRefused(dir, weights, "model.norm.weight", "I32");
    }

    @Test
    void truncatedWeightsFileIsRefusedNamingTheTensorItCuts() throws IOException {
        Path dir = HfFixtures.copy("tiny-qwen2-bf16", tmp);
        Path weights = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(bytes, bytes.length - 10));
        assertRefused(dir, weights, "model.norm.weight", "truncated");
    }

    @Test
    void corruptHeaderIsRefused() throws IOException {
        Path dir = HfFixtures.copy("tiny-llama", tmp);
        Path weights = dir.resolve("model.safetensors");
        String text = new String(Files.readAllBytes(weights), java.nio.charset.StandardCharsets.ISO_8859_1);
        // same length, so only the JSON breaks: a single-quoted string is not JSON
        Files.write(weights, text.replaceFirst("\"dtype\":\"F32\"", "\"dtype\":'F32\"")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertRefused(dir, weights, "header is not valid safetensors JSON");
    }

    @Test
    void shardMissingFromTheIndexOrTensorMissingFromItsShardIsRefused() throws IOException {
        Path dir = HfFixtures.copy("tiny-qwen2-sharded", tmp);
        Path index = dir.resolve(ShardedSafetensors.INDEX_NAME);
        Path shard2 = dir.resolve("model-00002-of-00003.safetensors");
        String name = HfFixtures.load(shard2).firstKey();
        HfFixtures.editJson(index, i -> i.getAsJsonObject("weight_map").remove(name));
        assertRefused(dir, shard2, name, "not mapped");

        SafetensorsWriter.write(shard2, HfFixtures.without(HfFixtures.load(shard2), name));
        assertRefused(dir, index, name, "no tensor");

        HfFixtures.editJson(index, i -> i.getAsJsonObject("weight_map").addProperty(name, "model-00002-of-00003.safetensors"));
        assertRefused(dir, shard2, name, "no tensor");

        Files.delete(shard2);
        assertRefused(dir, index, "model-00002-of-00003.safetensors", "does not exist");
    }

    @Test
    void shardOutsideTheDirectoryIsRefused() {
        Path dir = HfFixtures.copy("tiny-qwen2-sharded", tmp);
        Path index = dir.resolve(ShardedSafetensors.INDEX_NAME);
        HfFixtures.editJson(index, i -> i.getAsJsonObject("weight_map").addProperty("model.norm.weight", "../x.safetensors"));
        assertRefused(dir, index, "model.norm.weight", "not a file beside the index");
    }

    @Test
    void missingTokenizerFilesAreRefused() throws IOException {
        Path dir = HfFixtures.copy("tiny-qwen2", tmp);
        Files.delete(dir.resolve("tokenizer.json"));
        assertRefused(dir, dir.resolve("tokenizer.json"), "no such file");
        Path other = HfFixtures.copy("tiny-llama", tmp);
        Files.delete(other.resolve("tokenizer_config.json"));
        assertRefused(other, other.resolve("tokenizer_config.json"), "no such file");
    }

    @Test
    void badSpecialTokenIsRefusedNamingTheKey() {
        Path dir = HfFixtures.copy("tiny-qwen2", tmp);
        HfFixtures.editJson(dir.resolve("tokenizer_config.json"), t -> t.addProperty("eos_token", 5));
        assertRefused(dir, dir.resolve("tokenizer_config.json"), "eos_token");
    }

    @Test
    void missingWeightsAreRefused() throws IOException {
        Path dir = HfFixtures.copy("tiny-llama", tmp);
        Files.delete(dir.resolve("model.safetensors"));
        Files.writeString(dir.resolve("pytorch_model.bin"), "pickle");
        assertRefused(dir, dir, "no model.safetensors");
    }

    @Test
    void eosIdOutsideTheVocabularyIsRefused() {
        Path dir = HfFixtures.copy("tiny-qwen2", tmp);
        HfFixtures.editJson(dir.resolve("generation_config.json"), g -> {
            JsonArray ids = new JsonArray();
            ids.add(2);
            ids.add(16);
            g.add("eos_token_id", ids);
        });
        assertRefused(dir, dir.resolve("generation_config.json"), "eos_token_id 16", "vocab_size 16");
    }

    @Test
    void nullEosInGenerationConfigAddsNoStopIds() {
        Path dir = HfFixtures.copy("tiny-qwen2", tmp);
        HfFixtures.editJson(dir.resolve("generation_config.json"), g -> g.add("eos_token_id", JsonNull.INSTANCE));
        try (ModelDirectory m = ModelDirectory.open(dir)) {
            assertEquals(List.of(2), m.stopTokenIds());
        }
    }

    @Test
    void configThatIsNotJsonOrNotADirectoryIsRefused() throws IOException {
        Path dir = HfFixtures.copy("tiny-qwen2", tmp);
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": ");
        assertRefused(dir, dir.resolve("config.json"), "not valid JSON");
        Path file = tmp.resolve("plain-file");
        Files.writeString(file, "x");
        assertRefused(file, file, "not a directory");
    }

    // ------------------------------------------------------------- helpers

    private static DecoderConfig config(String type, String extra) {
        com.google.gson.JsonObject c = com.google.gson.JsonParser.parseString("{\"model_type\": \"" + type + "\","
                + " \"hidden_size\": 8, \"intermediate_size\": 16, \"num_hidden_layers\": 1, \"num_attention_heads\": 2,"
                + " \"num_key_value_heads\": 1, \"vocab_size\": 16, " + extra + "}").getAsJsonObject();
        try {
            Path f = Files.createTempFile("config", ".json");
            Files.writeString(f, c.toString());
            try {
                return DecoderConfig.read(f);
            } finally {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertRefused(Path dir, Path named, String... parts) {
        BadInputException e = assertThrows(BadInputException.class, () -> ModelDirectory.open(dir).close());
        assertMessage(e, named, parts);
    }

    static void assertMessage(Exception e, Path file, String... parts) {
        String m = e.getMessage();
        assertTrue(m.contains(file.toString()), () -> "message does not name " + file + ": " + m);
        for (String part : parts) {
            assertTrue(m.contains(part), () -> "message lacks '" + part + "': " + m);
        }
        assertFalse(m.contains("\n"), () -> "message is not one line: " + m);
    }
}
