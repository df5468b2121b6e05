package io.passk.policy;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.passk.BadInputException;
import io.passk.hf.CopiedFiles;
import io.passk.hf.DecoderConfig;
import io.passk.hf.ModelDirectory;
import io.passk.hf.safetensors.DType;
import io.passk.hf.safetensors.SafetensorsWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained {@link HfPolicy} saved as a Hugging Face model directory, loadable unchanged by
 * {@code transformers} and vLLM:
 * <pre>
 * CKPT/
 *   config.json              the source's, with torch_dtype set to the saved dtype
 *   model.safetensors        every weight under its Hugging Face name (F32, or BF16 rounded to nearest even)
 *   tokenizer.json, tokenizer_config.json, and where the source has them: generation_config.json,
 *   chat_template.jinja, special_tokens_map.json, vocab.json, merges.txt, tokenizer.model   (copied)
 *   passk_checkpoint.json    training step and provenance (ignored by other readers)
 * </pre>
 * Nothing written depends on the time or the machine, so saving the same weights twice gives
 * the same bytes (save, load, save is byte-identical).
 */
public final class HfCheckpoint {
    public static final int FORMAT = 1;
    /** passk's own record in a saved model directory. */
    public static final String META = "passk_checkpoint.json";
    /** Files copied from the source directory when present (besides the two tokenizer files). */
    static final List<String> COPIED = CopiedFiles.NAMES;
    // nulls kept: "sliding_window": null means no window, while a missing key means the default (4096)
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

    private HfCheckpoint() {
    }

    /** Writes {@code policy} into the existing, empty directory {@code dir}; {@code saveDtype} f32 or bf16. */
    static void writeFiles(HfPolicy policy, Path dir, Map<String, String> provenance, String saveDtype) {
        DType dtype = "bf16".equals(saveDtype) ? DType.BF16 : DType.F32;
        Path src = policy.source();
        try {
            JsonObject config = JsonParser.parseString(Files.readString(src.resolve(DecoderConfig.FILE_NAME),
                    StandardCharsets.UTF_8)).getAsJsonObject();
            config.addProperty("torch_dtype", dtype == DType.BF16 ? "bfloat16" : "float32");
            Files.writeString(dir.resolve(DecoderConfig.FILE_NAME), GSON.toJson(config) + "\n", StandardCharsets.UTF_8);
            SafetensorsWriter.write(dir.resolve(ModelDirectory.WEIGHTS), policy.model().tensors(), dtype,
                    SafetensorsWriter.PT_METADATA);
            for (String name : COPIED) {
                if (Files.isRegularFile(src.resolve(name))) {
                    Files.copy(src.resolve(name), dir.resolve(name));
                }
            }
            JsonObject meta = new JsonObject();
            meta.addProperty("format", FORMAT);
            meta.addProperty("step", policy.step());
            meta.addProperty("dtype", saveDtype);
            JsonObject prov = new JsonObject();
            new LinkedHashMap<>(provenance).forEach(prov::addProperty);
            meta.add("provenance", prov);
            Files.writeString(dir.resolve(META), GSON.toJson(meta) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("writing model directory " + dir, e);
        }
    }

    /** The training step a passk-written model directory records; 0 for any other model directory. */
    public static long stepOf(Path dir) {
        Path f = dir.resolve(META);
        if (!Files.exists(f)) {
            return 0;
        }
        try {
            JsonElement step = JsonParser.parseString(Files.readString(f, StandardCharsets.UTF_8))
                    .getAsJsonObject().get("step");
            return step.getAsLong();
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(f + ": corrupt (no readable step): " + e.getMessage(), e);
        }
    }
}
