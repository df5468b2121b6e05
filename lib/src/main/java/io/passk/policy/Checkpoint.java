package io.passk.policy;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.passk.BadInputException;
import io.passk.fs.AtomicOutput;
import io.passk.progress.ProgressListener;
import io.passk.policy.nn.TransformerLM;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A policy checkpoint is a directory:
 * <pre>
 * CKPT/
 *   config.json      PolicyConfig (layers, width, heads, context, vocab, init seed)
 *   tokenizer.json   special tokens and alphabet
 *   weights.params   DJL parameter file of the TransformerLM block
 *   checkpoint.json  format, training step, creation time, engine versions, provenance
 * </pre>
 * It is written to a hidden temporary sibling and renamed into place, so a reader sees a
 * complete checkpoint or none.
 */
public final class Checkpoint {
    public static final int FORMAT = 1;
    static final String CONFIG = "config.json";
    static final String TOKENIZER = "tokenizer.json";
    static final String WEIGHTS = "weights.params";
    static final String META = "checkpoint.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private Checkpoint() {
    }

    /** Writes {@code policy} to {@code dir} atomically ({@link AtomicOutput}); refuses an existing {@code dir}. */
    public static void write(Policy policy, Path dir, Map<String, String> provenance) {
        write(policy, dir, provenance, ProgressListener.SILENT);
    }

    /** {@link #write(Policy, Path, Map)}, reporting a removed stale temporary sibling to {@code log}. */
    public static void write(Policy policy, Path dir, Map<String, String> provenance, ProgressListener log) {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new BadInputException("checkpoint " + target + " already exists; choose a new path");
        }
        try (AtomicOutput out = AtomicOutput.begin(target, false, log)) {
            writeFiles(policy, out.localDir(), provenance);
            out.commit();
        }
    }

    /**
     * Writes the checkpoint's files into the existing, empty directory {@code tmp} (not
     * atomically: for a caller that commits {@code tmp} itself, such as the training epoch).
     */
    public static void writeFiles(Policy policy, Path tmp, Map<String, String> provenance) {
        try {
            Files.writeString(tmp.resolve(CONFIG), GSON.toJson(policy.config()), StandardCharsets.UTF_8);
            Files.writeString(tmp.resolve(TOKENIZER), policy.tokenizer().toJson(), StandardCharsets.UTF_8);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                    Files.newOutputStream(tmp.resolve(WEIGHTS))))) {
                policy.model().saveParameters(out);
            }
            JsonObject meta = new JsonObject();
            meta.addProperty("format", FORMAT);
            meta.addProperty("step", policy.step());
            meta.addProperty("created", Instant.now().toString());
            meta.addProperty("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
            meta.addProperty("djl", Engine.getDjlVersion());
            JsonObject prov = new JsonObject();
            new LinkedHashMap<>(provenance).forEach(prov::addProperty);
            meta.add("provenance", prov);
            Files.writeString(tmp.resolve(META), GSON.toJson(meta), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("writing checkpoint " + tmp, e);
        }
    }

    /** Reads a checkpoint onto {@code device}; a missing or damaged file is named in the error. */
    public static Policy read(Path dir, Device device) {
        Path d = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(d)) {
            throw new BadInputException("checkpoint " + d + " is not a directory");
        }
        PolicyConfig config = GSON.fromJson(readText(d.resolve(CONFIG)), PolicyConfig.class);
        Tokenizer tokenizer;
        JsonObject meta;
        try {
            tokenizer = Tokenizer.fromJson(readText(d.resolve(TOKENIZER)));
            meta = JsonParser.parseString(readText(d.resolve(META))).getAsJsonObject();
            // records are built through the canonical constructor by Gson 2.10+, which validates
            config = new PolicyConfig(config.vocabSize(), config.contextLength(), config.layers(),
                    config.width(), config.heads(), config.ffnMultiplier(), config.initSeed());
        } catch (JsonParseException | IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw new BadInputException("checkpoint " + d + ": corrupt metadata: " + e.getMessage(), e);
        }
        if (meta.get("format") == null || meta.get("format").getAsInt() != FORMAT) {
            throw new BadInputException("checkpoint " + d + ": unsupported format " + meta.get("format"));
        }
        NDManager manager = NDManager.newBaseManager(device);
        TransformerLM model = new TransformerLM(config.dims());
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                Files.newInputStream(d.resolve(WEIGHTS))))) {
            model.initialize(manager, DataType.FLOAT32, new Shape(1, config.contextLength()));
            model.loadParameters(manager, in);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            manager.close();
            throw new BadInputException("checkpoint " + d + ": cannot read " + WEIGHTS + ": " + e.getMessage(), e);
        }
        // NaN or infinite weights make every later number meaningless: refused as they are loaded
        for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : model.getParameters()) {
            ai.djl.ndarray.NDArray a = p.getValue().getArray();
            if (!a.isNaN().logicalOr(a.isInfinite()).any().getBoolean()) {
                continue;
            }
            manager.close();
            throw new BadInputException("checkpoint " + d + ": " + WEIGHTS + ": parameter '" + p.getKey()
                    + "' holds NaN or infinite values; weights must be finite numbers");
        }
        return new Policy(config, tokenizer, device, manager, model, meta.get("step").getAsLong());
    }

    /** The training step recorded in a checkpoint, without loading its weights. */
    public static long stepOf(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(d)) {
            throw new BadInputException("checkpoint " + d + " is not a directory");
        }
        if (!Files.exists(d.resolve(META))) {
            // not a passk checkpoint: say what the directory lacks for either kind of policy
            boolean weights = Files.exists(d.resolve(io.passk.hf.ModelDirectory.WEIGHTS))
                    || Files.exists(d.resolve(io.passk.hf.safetensors.ShardedSafetensors.INDEX_NAME));
            throw new BadInputException(weights
                    ? d + ": a Hugging Face model directory without config.json (it has safetensors weights)"
                    : d + ": not a policy: neither a passk checkpoint (no " + META + ") nor a Hugging Face model"
                    + " directory (no config.json and " + io.passk.hf.ModelDirectory.WEIGHTS + ")");
        }
        try {
            return JsonParser.parseString(readText(d.resolve(META))).getAsJsonObject().get("step").getAsLong();
        } catch (RuntimeException e) {
            throw new BadInputException("checkpoint " + d + ": corrupt " + META + ": " + e.getMessage(), e);
        }
    }

    private static String readText(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException("checkpoint file " + f + " cannot be read: " + e.getMessage(), e);
        }
    }
}
