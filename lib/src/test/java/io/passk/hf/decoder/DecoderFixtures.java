package io.passk.hf.decoder;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.passk.hf.ModelDirectory;
import io.passk.hf.safetensors.SafetensorsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tiny decoders of src/test/python/decoder_fixtures.py (committed under
 * src/test/resources/hf-decoder/NAME/{model,reference}) and the hidden-8 ones of hf_fixtures.py
 * (src/test/resources/hf/), with the reference values the numpy forward wrote.
 */
public final class DecoderFixtures {
    static final List<String> MODELS = List.of("qwen2", "llama", "qwen3", "gpt2");
    /** The fixtures LoRA adapters attach to (not gpt2: passk adapts the rotary families' projections only). */
    static final List<String> LORA_MODELS = List.of("qwen2", "llama", "qwen3");

    private DecoderFixtures() {
    }

    static Path resource(String path) {
        try {
            return Path.of(DecoderFixtures.class.getResource("/" + path).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing fixture " + path + " (regenerate: python3"
                    + " src/test/python/decoder_fixtures.py generate src/test/resources/hf-decoder)", e);
        }
    }

    static Path modelDir(String name) {
        return resource("hf-decoder/" + name + "/model");
    }

    static CausalLm load(Path dir, NDManager manager, DataType dtype) {
        try (ModelDirectory d = ModelDirectory.open(dir)) {
            return CausalLm.load(d, manager, dtype);
        }
    }

    public static CausalLm load(String name, NDManager manager) {
        return load(modelDir(name), manager, DataType.FLOAT32);
    }

    /** The reference prompts, greedy continuations and logits of one fixture model. */
    record Reference(List<int[]> prompts, List<int[]> greedy, List<float[]> logits) {
    }

    static Reference reference(String name) {
        Path dir = resource("hf-decoder/" + name + "/reference");
        try {
            JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("prompts.json"))).getAsJsonObject();
            List<int[]> prompts = ids(json.getAsJsonArray("prompts"));
            List<float[]> logits = new ArrayList<>();
            try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("logits.safetensors"))) {
                for (int i = 0; i < prompts.size(); i++) {
                    logits.add(f.readFloats("logits_" + i));
                }
            }
            return new Reference(prompts, ids(json.getAsJsonArray("greedy")), logits);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<int[]> ids(JsonArray rows) {
        List<int[]> out = new ArrayList<>();
        for (JsonElement row : rows) {
            JsonArray a = row.getAsJsonArray();
            int[] ids = new int[a.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = a.get(i).getAsInt();
            }
            out.add(ids);
        }
        return out;
    }

    /**
     * A copy (in {@code target}) of the fixture model {@code name} (an untied head) whose
     * embedding and head have {@code extra} more rows than its tokenizer has ids, as Qwen2.5 pads
     * its vocabulary: embedding rows of zeros, and head rows {@code +-scale} times real head
     * rows {@code 0, 1, ..}, so that in every context one padding row's logit is {@code scale}
     * times a real one's and dominates the softmax. The real rows are the fixture's, untouched.
     */
    public static Path withPaddingRows(String name, Path target, int extra, float scale) {
        Path src = modelDir(name);
        try {
            Files.createDirectories(target);
            for (String f : List.of("tokenizer.json", "tokenizer_config.json", "generation_config.json")) {
                if (Files.exists(src.resolve(f))) {
                    Files.copy(src.resolve(f), target.resolve(f));
                }
            }
            JsonObject config = JsonParser.parseString(Files.readString(src.resolve("config.json"))).getAsJsonObject();
            int vocab = config.get("vocab_size").getAsInt();
            if (config.get("tie_word_embeddings").getAsBoolean()) {
                throw new IllegalArgumentException(name + " ties its head: padding rows need an untied one");
            }
            config.addProperty("vocab_size", vocab + extra);
            Files.writeString(target.resolve("config.json"), config.toString());
            java.util.Map<String, io.passk.hf.safetensors.FloatTensor> tensors = new java.util.LinkedHashMap<>();
            try (SafetensorsFile f = SafetensorsFile.open(src.resolve("model.safetensors"))) {
                for (String t : f.names()) {
                    float[] v = f.readFloats(t);
                    long[] shape = f.info(t).shape().stream().mapToLong(Long::longValue).toArray();
                    if (t.equals("model.embed_tokens.weight") || t.equals("lm_head.weight")) {
                        int hidden = (int) shape[1];
                        float[] padded = java.util.Arrays.copyOf(v, (vocab + extra) * hidden);
                        if (t.equals("lm_head.weight")) {
                            for (int e = 0; e < extra; e++) {
                                float sign = e % 2 == 0 ? scale : -scale;
                                for (int j = 0; j < hidden; j++) {
                                    padded[(vocab + e) * hidden + j] = sign * v[(e / 2) * hidden + j];
                                }
                            }
                        }
                        v = padded;
                        shape = new long[]{vocab + extra, hidden};
                    }
                    tensors.put(t, io.passk.hf.safetensors.FloatTensor.of(v, shape));
                }
            }
            io.passk.hf.safetensors.SafetensorsWriter.write(target.resolve("model.safetensors"), tensors);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
