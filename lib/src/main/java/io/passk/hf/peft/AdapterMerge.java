package io.passk.hf.peft;

import io.passk.hf.PyJson;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.passk.BadInputException;
import io.passk.fs.AtomicOutput;
import io.passk.hf.CopiedFiles;
import io.passk.hf.DecoderConfig;
import io.passk.hf.ModelDirectory;
import io.passk.hf.safetensors.DType;
import io.passk.hf.safetensors.FloatTensor;
import io.passk.hf.safetensors.JsonErrors;
import io.passk.hf.safetensors.ShardedSafetensors;
import io.passk.hf.safetensors.TensorInfo;
import io.passk.hf.safetensors.TensorSource;
import io.passk.progress.ProgressListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * An adapter folded into its base model: {@code W' = W + scaling * B A} for each adapted
 * weight ({@code scaling = lora_alpha / r}, {@link LoraConfig#scaling()}; PEFT's
 * {@code merge_and_unload}), every other tensor unchanged. The merged model is an ordinary
 * Hugging Face directory that needs neither PEFT nor passk to load.
 */
public final class AdapterMerge {

    /**
     * Largest shard {@link #exportMerged} writes, as {@code save_pretrained}'s default
     * {@code max_shard_size="5GB"} (decimal, as transformers parses it).
     */
    public static final long MAX_SHARD_BYTES = 5_000_000_000L;
    /** passk's record of what a merged directory was made from (ignored by other readers). */
    public static final String META = "passk_merged.json";

    // nulls are kept: a dropped "sliding_window": null would mean transformers' default window of 4096
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

    private AdapterMerge() {
    }

    /**
     * Every tensor of {@code base} widened to F32, with each weight the adapter adapts replaced
     * by {@code W + scaling * B A}: {@code (B A)[o][i] = sum_r B[o][r] A[r][i]} accumulated in
     * float64, added to {@code W} in float64, rounded to F32 once. The caller has checked the
     * adapter against the base ({@link AdapterDirectory#checkAgainst}).
     */
    public static Map<String, FloatTensor> merged(TensorSource base, AdapterDirectory adapter) {
        LoraConfig cfg = adapter.config();
        Map<String, String[]> adapted = new TreeMap<>(); // base weight -> {A name, B name}
        for (String name : adapter.tensors().keySet()) {
            if (name.endsWith(".lora_A.weight")) {
                String module = name.substring(0, name.length() - ".lora_A.weight".length());
                String weight = module.substring("base_model.model.".length()) + ".weight";
                adapted.put(weight, new String[] {name, module + ".lora_B.weight"});
            }
        }
        Map<String, FloatTensor> out = new TreeMap<>();
        for (String name : base.names()) {
            TensorInfo info = base.find(name).orElseThrow();
            float[] values = base.readFloats(name);
            String[] ab = adapted.remove(name);
            if (ab != null) {
                FloatTensor a = adapter.tensors().get(ab[0]);
                FloatTensor b = adapter.tensors().get(ab[1]);
                if (b == null) {
                    throw new BadInputException(adapter.path().resolve(AdapterDirectory.WEIGHTS) + ": no tensor '"
                            + ab[1] + "' to go with '" + ab[0] + "'");
                }
                addLowRank(name, info, values, a, b, cfg.scaling());
            }
            out.put(name, new FloatTensor(info.shape(), values));
        }
        if (!adapted.isEmpty()) {
            String weight = adapted.keySet().iterator().next();
            throw new BadInputException(adapter.path().resolve(AdapterDirectory.WEIGHTS) + ": tensor '"
                    + adapted.get(weight)[0] + "' adapts '" + weight + "', which the base model does not have");
        }
        return out;
    }

    private static void addLowRank(String name, TensorInfo info, float[] w, FloatTensor a, FloatTensor b,
                                   double scaling) {
        int rank = a.shape().get(0).intValue();
        int in = a.shape().get(1).intValue();
        int outDim = b.shape().get(0).intValue();
        if (info.shape().size() != 2 || info.shape().get(0) != outDim || info.shape().get(1) != in
                || b.shape().get(1) != rank) {
            throw new BadInputException("adapter for '" + name + "': B " + b.shape() + " A " + a.shape()
                    + " do not fit the base weight " + info.shape());
        }
        float[] av = a.values();
        float[] bv = b.values();
        // rows are independent, so computing them in parallel gives the same bits as in order
        IntStream.range(0, outDim).parallel().forEach(o -> {
            double[] row = new double[in];
            for (int r = 0; r < rank; r++) {
                double bor = bv[o * rank + r];
                int base = r * in;
                for (int i = 0; i < in; i++) {
                    row[i] += bor * av[base + i];
                }
            }
            int wo = o * in;
            for (int i = 0; i < in; i++) {
                w[wo + i] = (float) (w[wo + i] + scaling * row[i]);
            }
        });
    }

    /**
     * Writes the merged model of the adapter in {@code adapterDir} as a complete Hugging Face
     * directory {@code out}, atomically: config.json (the base's, {@code torch_dtype} set to
     * {@code dtype}), the merged weights (model.safetensors, or shards of at most
     * {@link #MAX_SHARD_BYTES} with model.safetensors.index.json, as save_pretrained writes
     * them), the base's tokenizer and generation files ({@link CopiedFiles}) and
     * {@link #META} (adapter, base, step).
     *
     * @param baseDir the base model; null for the adapter's {@code base_model_name_or_path}
     * @param dtype F32 or BF16 (rounded to nearest even)
     * @param overwrite whether an existing {@code out} is replaced (else refused before any work)
     * @return the directory written, absolute
     */
    public static Path exportMerged(Path adapterDir, Path baseDir, Path out, DType dtype, boolean overwrite,
                                    ProgressListener log) {
        if (dtype != DType.F32 && dtype != DType.BF16) {
            throw new IllegalArgumentException("merged weights are F32 or BF16, not " + dtype);
        }
        Path target = out.toAbsolutePath().normalize();
        if (!overwrite && Files.exists(target)) {
            throw new BadInputException("output " + out + " already exists; pass --overwrite to replace it");
        }
        AdapterDirectory adapter = AdapterDirectory.open(adapterDir);
        Path base = baseDir != null ? baseDir : adapter.baseDir().orElseThrow(() -> new BadInputException(
                adapterDir.resolve(AdapterDirectory.CONFIG) + ": base_model_name_or_path is null; pass --base DIR"));
        if (!Files.isDirectory(base)) {
            throw new BadInputException("base model " + base + " (" + (baseDir != null ? "--base"
                    : "base_model_name_or_path of " + adapterDir.resolve(AdapterDirectory.CONFIG))
                    + ") is not a directory; pass --base DIR with the base model's Hugging Face directory");
        }
        Path baseAbs = base.toAbsolutePath().normalize();
        if (target.equals(baseAbs) || target.equals(adapterDir.toAbsolutePath().normalize())) {
            throw new BadInputException("output " + out + " is the base model or the adapter itself; choose another --out");
        }
        try (ModelDirectory model = ModelDirectory.open(base)) {
            adapter.checkAgainst(base, model.config(), model.weights());
            try (AtomicOutput output = AtomicOutput.begin(target, overwrite, log)) {
                Path tmp = output.localDir();
                log.message("merging " + adapter.tensors().size() + " adapter tensors (r " + adapter.config().rank()
                        + ", scaling " + adapter.config().scaling() + ") into " + base);
                Map<String, FloatTensor> weights = merged(model.weights(), adapter);
                writeConfig(base.resolve(DecoderConfig.FILE_NAME), tmp.resolve(DecoderConfig.FILE_NAME), dtype);
                ShardedSafetensors.write(tmp, weights, dtype, MAX_SHARD_BYTES);
                CopiedFiles.copy(base, tmp);
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("adapter", adapterDir.toAbsolutePath().normalize().toString());
                meta.put("base", baseAbs.toString());
                meta.put("dtype", dtype == DType.BF16 ? "bf16" : "f32");
                meta.put("step", adapter.step());
                Files.writeString(tmp.resolve(META), PyJson.dumpsSorted(meta) + "\n", StandardCharsets.UTF_8);
                output.commit();
            } catch (IOException e) {
                throw new UncheckedIOException("writing merged model " + target, e);
            }
        }
        return target;
    }

    /** The base's config.json with torch_dtype set to the saved dtype, as HfCheckpoint writes it. */
    private static void writeConfig(Path from, Path to, DType dtype) throws IOException {
        JsonElement root = JsonErrors.readStrict(from);
        JsonObject config = root.getAsJsonObject().deepCopy();
        config.addProperty("torch_dtype", dtype == DType.BF16 ? "bfloat16" : "float32");
        Files.writeString(to, GSON.toJson(config) + "\n", StandardCharsets.UTF_8);
    }
}
