package io.passk.hf.peft;

import io.passk.BadInputException;
import io.passk.fs.AtomicOutput;
import io.passk.hf.DecoderConfig;
import io.passk.hf.HfJson;
import io.passk.hf.PyJson;
import io.passk.hf.safetensors.FloatTensor;
import io.passk.hf.safetensors.SafetensorsFile;
import io.passk.hf.safetensors.SafetensorsWriter;
import io.passk.hf.safetensors.TensorInfo;
import io.passk.hf.safetensors.TensorSource;
import io.passk.progress.ProgressListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A LoRA adapter directory as Hugging Face PEFT saves it ({@code PeftModel.save_pretrained})
 * and loads it ({@code PeftModel.from_pretrained}, vLLM's {@code --lora-modules}):
 * <pre>
 * ADAPTER/
 *   adapter_config.json         LoraConfig as PEFT serialises it (peft_type LORA, task_type CAUSAL_LM,
 *                               r, lora_alpha, lora_dropout, target_modules, base_model_name_or_path, ...)
 *   adapter_model.safetensors   for each layer L and target module M (F32, metadata {"format": "pt"}):
 *                                 base_model.model.model.layers.L.self_attn.M.lora_A.weight  [r, in]
 *                                 base_model.model.model.layers.L.self_attn.M.lora_B.weight  [out, r]
 *                               (mlp.M for gate_proj, up_proj, down_proj)
 *   passk_adapter.json          passk only, ignored by PEFT: format, training step, provenance, and
 *                               the base model's {@link BaseFingerprint}
 * </pre>
 * The adapted weight is {@code W + scaling * B A}, {@code scaling = lora_alpha / r}
 * ({@link LoraConfig#scaling()}); the base model itself is not in the directory,
 * {@code base_model_name_or_path} names it (absolute, when passk writes it).
 *
 * <p>Writing is deterministic (write, open, write gives the same bytes) and atomic.
 * {@link #open} reads and checks the directory on its own; {@link #checkAgainst} checks it
 * against a base model. An adapter written elsewhere (no {@code passk_adapter.json}) is checked
 * by its tensor shapes alone.
 */
public final class AdapterDirectory {

    public static final String CONFIG = "adapter_config.json";
    public static final String WEIGHTS = "adapter_model.safetensors";
    /** passk's own record in an adapter directory (PEFT ignores unknown files). */
    public static final String META = "passk_adapter.json";
    public static final int FORMAT = 1;

    private static final String PREFIX = "base_model.model.model.layers.";
    private static final Pattern NAME = Pattern.compile(
            Pattern.quote(PREFIX) + "(0|[1-9][0-9]*)\\.(self_attn|mlp)\\.([a-z_]+)\\.lora_([AB])\\.weight");

    private final Path path;
    private final LoraConfig config;
    private final Optional<Path> baseDir;
    private final Map<String, FloatTensor> tensors;
    private final long step;
    private final Map<String, String> provenance;
    private final Optional<BaseFingerprint> baseFingerprint;

    private AdapterDirectory(Path path, LoraConfig config, Optional<Path> baseDir, Map<String, FloatTensor> tensors,
                             long step, Map<String, String> provenance, Optional<BaseFingerprint> baseFingerprint) {
        this.path = path;
        this.config = config;
        this.baseDir = baseDir;
        this.tensors = tensors;
        this.step = step;
        this.provenance = provenance;
        this.baseFingerprint = baseFingerprint;
    }

    /**
     * True when {@code dir} holds an {@code adapter_config.json} (a PEFT adapter directory,
     * rather than a model directory). Says nothing of validity: {@link #open} checks that.
     */
    public static boolean isAdapter(Path dir) {
        return Files.isRegularFile(dir.resolve(CONFIG));
    }

    /**
     * The base directory {@code dir}'s adapter_config.json names (relative names resolved
     * against {@code dir}); empty when it names none or cannot be read. Says nothing of
     * validity ({@link #open} checks that): it only tells what kind of model an adapter is on.
     */
    public static Optional<Path> baseNamedBy(Path dir) {
        try {
            com.google.gson.JsonElement root = com.google.gson.JsonParser.parseString(
                    Files.readString(dir.resolve(CONFIG), java.nio.charset.StandardCharsets.UTF_8));
            com.google.gson.JsonElement base = root.isJsonObject()
                    ? root.getAsJsonObject().get("base_model_name_or_path") : null;
            if (base == null || !base.isJsonPrimitive() || !base.getAsJsonPrimitive().isString()) {
                return Optional.empty();
            }
            Path b = Path.of(base.getAsString());
            return Optional.of(b.isAbsolute() ? b : dir.resolve(b));
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The name PEFT's {@code save_pretrained} gives an adapter tensor (the adapter name, such as
     * "default", is not part of saved names), e.g.
     * {@code base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight}.
     *
     * @param module one of {@link LoraConfig#MODULES}
     * @param a true for {@code lora_A} (shape {@code [rank, in]}), false for {@code lora_B}
     *     ({@code [out, rank]})
     */
    public static String tensorName(int layer, String module, boolean a) {
        if (layer < 0) {
            throw new IllegalArgumentException("layer " + layer);
        }
        return PREFIX + layer + "." + LoraConfig.modulePath(module) + (a ? ".lora_A.weight" : ".lora_B.weight");
    }

    /**
     * {@code [out, in]} of a module's base weight in {@code base} (PyTorch's layout): q
     * {@code [heads * head_dim, hidden]}, k and v {@code [kv_heads * head_dim, hidden]}, o
     * {@code [hidden, heads * head_dim]}, gate and up {@code [intermediate, hidden]}, down
     * {@code [hidden, intermediate]} (as {@link io.passk.hf.DecoderTensors}).
     */
    public static long[] baseShape(DecoderConfig base, String module) {
        long h = base.hiddenSize();
        long inter = base.intermediateSize();
        return switch (module) {
            case "q_proj" -> new long[] {base.qDim(), h};
            case "k_proj", "v_proj" -> new long[] {base.kvDim(), h};
            case "o_proj" -> new long[] {h, base.qDim()};
            case "gate_proj", "up_proj" -> new long[] {inter, h};
            case "down_proj" -> new long[] {h, inter};
            default -> throw new IllegalArgumentException("not a LoRA module: " + module);
        };
    }

    /**
     * Every tensor of an adapter of {@code cfg} on {@code base}, by layer, then module
     * ({@link LoraConfig#MODULES} order), A before B: A {@code [rank, in]}, B {@code [out, rank]}.
     */
    public static Map<String, long[]> expectedShapes(DecoderConfig base, LoraConfig cfg) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (int layer = 0; layer < base.numHiddenLayers(); layer++) {
            for (String module : cfg.targets()) {
                long[] w = baseShape(base, module);
                shapes.put(tensorName(layer, module, true), new long[] {cfg.rank(), w[1]});
                shapes.put(tensorName(layer, module, false), new long[] {w[0], cfg.rank()});
            }
        }
        return shapes;
    }

    /**
     * The name of the base weight an adapter tensor adapts
     * ({@code model.layers.0.self_attn.q_proj.weight} for both of q_proj's A and B in layer 0).
     */
    public static String baseWeightName(int layer, String module) {
        return "model.layers." + layer + "." + LoraConfig.modulePath(module) + ".weight";
    }

    /**
     * Writes an adapter into a new directory {@code dir}, atomically (it appears complete or not
     * at all; an existing {@code dir} is refused).
     *
     * @param baseDir the base model directory the adapter applies to (recorded absolute, with its
     *     {@link BaseFingerprint})
     * @param step the training step recorded in passk_adapter.json
     * @param tensors exactly the tensors {@link #expectedShapes} names for the base's config
     * @param provenance free-form strings recorded in passk_adapter.json
     */
    public static void write(Path dir, LoraConfig cfg, Path baseDir, long step, Map<String, FloatTensor> tensors,
                             Map<String, String> provenance, ProgressListener log) {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new BadInputException("adapter " + target + " already exists; choose a new path");
        }
        try (AtomicOutput out = AtomicOutput.begin(target, false, log)) {
            writeFiles(out.localDir(), cfg, baseDir, step, tensors, provenance);
            out.commit();
        }
    }

    /**
     * Writes the adapter's three files into the existing, empty directory {@code dir} (not
     * atomically: for a caller that commits {@code dir} itself, such as the training epoch).
     * Arguments as in {@link #write}.
     */
    public static void writeFiles(Path dir, LoraConfig cfg, Path baseDir, long step, Map<String, FloatTensor> tensors,
                                  Map<String, String> provenance) {
        Path base = baseDir.toAbsolutePath().normalize();
        DecoderConfig baseConfig = DecoderConfig.read(base.resolve(DecoderConfig.FILE_NAME));
        Map<String, long[]> expected = expectedShapes(baseConfig, cfg);
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            FloatTensor t = tensors.get(e.getKey());
            if (t == null || !t.shape().equals(Arrays.stream(e.getValue()).boxed().toList())) {
                throw new IllegalArgumentException("adapter tensor " + e.getKey() + " is "
                        + (t == null ? "missing" : "of shape " + t.shape()) + "; expected " + Arrays.toString(e.getValue()));
            }
        }
        for (String name : tensors.keySet()) {
            if (!expected.containsKey(name)) {
                throw new IllegalArgumentException("adapter tensor " + name + " is not one of " + cfg + " on " + base);
            }
        }
        BaseFingerprint fingerprint = BaseFingerprint.of(base);
        try {
            Files.writeString(dir.resolve(CONFIG), PyJson.dumpsSorted(adapterConfig(cfg, base)), StandardCharsets.UTF_8);
            SafetensorsWriter.write(dir.resolve(WEIGHTS), tensors);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("format", FORMAT);
            meta.put("step", step);
            Map<String, Object> baseJson = new LinkedHashMap<>(fingerprint.toJson());
            baseJson.put("dir", base.toString());
            meta.put("base", baseJson);
            meta.put("provenance", new TreeMap<String, Object>(provenance));
            Files.writeString(dir.resolve(META), PyJson.dumpsSorted(meta) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("writing adapter directory " + dir, e);
        }
    }

    /**
     * The fields of {@code adapter_config.json}: those PEFT 0.13's {@code LoraConfig} serialises
     * (so that PEFT 0.13 and later, which drop keys they do not know, load it), with the values
     * of a plain LoRA adapter for a causal language model.
     */
    static Map<String, Object> adapterConfig(LoraConfig cfg, Path baseDir) {
        Map<String, Object> c = new TreeMap<>();
        c.put("alpha_pattern", Map.of());
        c.put("auto_mapping", null);
        c.put("base_model_name_or_path", baseDir.toString());
        c.put("bias", "none");
        c.put("fan_in_fan_out", false);
        c.put("inference_mode", true);
        c.put("init_lora_weights", true);
        c.put("layer_replication", null);
        c.put("layers_pattern", null);
        c.put("layers_to_transform", null);
        c.put("loftq_config", Map.of());
        // PEFT types lora_alpha as int: an integral alpha is written as Python writes an int
        double alpha = cfg.alpha();
        c.put("lora_alpha", alpha == Math.rint(alpha) && Math.abs(alpha) < 1e15 ? (Object) (long) alpha : (Object) alpha);
        c.put("lora_dropout", cfg.dropout());
        c.put("megatron_config", null);
        c.put("megatron_core", "megatron.core");
        c.put("modules_to_save", null);
        c.put("peft_type", "LORA");
        c.put("r", cfg.rank());
        c.put("rank_pattern", Map.of());
        c.put("revision", null);
        c.put("target_modules", cfg.targets().stream().sorted().toList());
        c.put("task_type", "CAUSAL_LM");
        c.put("use_dora", false);
        c.put("use_rslora", false);
        return c;
    }

    /**
     * Opens and checks an adapter directory on its own: adapter_config.json (a LoRA adapter
     * passk can apply), adapter_model.safetensors (every tensor named as PEFT names it, for a
     * target module, of the config's rank, a float dtype) and, when present,
     * passk_adapter.json. The tensors are read into memory (adapters are small).
     */
    public static AdapterDirectory open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir + ": not a directory (a PEFT adapter directory was expected)");
        }
        Path configFile = dir.resolve(CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new BadInputException(dir + ": not a PEFT adapter directory (no " + CONFIG + ")");
        }
        HfJson json = HfJson.read(configFile);
        String peftType = json.requiredString("peft_type");
        if (!peftType.equals("LORA")) {
            throw json.bad("peft_type '" + peftType + "' is not supported (passk applies LORA adapters only)");
        }
        json.string("task_type").ifPresent(t -> {
            if (!t.equals("CAUSAL_LM")) {
                throw json.bad("task_type '" + t + "' is not supported (passk applies CAUSAL_LM adapters)");
            }
        });
        int rank = json.requiredPositiveInt("r");
        double alpha = json.requiredNumber("lora_alpha");
        if (!(alpha > 0)) {
            throw json.bad("lora_alpha " + alpha + " is not positive");
        }
        double dropout = json.optionalNumber("lora_dropout").orElse(0.0);
        if (!(dropout >= 0 && dropout < 1)) {
            throw json.bad("lora_dropout " + dropout + " is not in [0, 1)");
        }
        List<String> targets = json.requiredStringList("target_modules", "module names (passk does not read patterns)");
        if (targets.isEmpty()) {
            throw json.bad("target_modules is empty");
        }
        for (String t : targets) {
            if (!LoraConfig.MODULES.contains(t)) {
                throw json.bad("target_modules has unknown module '" + t + "' (passk adapts: "
                        + String.join(",", LoraConfig.MODULES) + ")");
            }
        }
        for (String flag : List.of("use_dora", "use_rslora", "fan_in_fan_out", "lora_bias", "use_qalora")) {
            if (json.optionalBoolean(flag).orElse(false)) {
                throw json.bad(flag + " true is not supported (passk applies plain LoRA: W + lora_alpha / r * B A)");
            }
        }
        String bias = json.string("bias").orElse("none");
        if (!bias.equals("none")) {
            throw json.bad("bias '" + bias + "' is not supported (passk adapters train no biases: bias must be \"none\")");
        }
        for (String key : List.of("modules_to_save", "layers_to_transform", "layers_pattern", "layer_replication",
                "rank_pattern", "alpha_pattern", "target_parameters", "trainable_token_indices")) {
            if (!json.isUnset(key)) {
                throw json.bad(key + " " + json.text(key) + " is not supported (passk applies the same LoRA to every"
                        + " layer and saves no other modules)");
            }
        }
        Optional<Path> baseDir = json.string("base_model_name_or_path").map(Path::of);
        LoraConfig config = new LoraConfig(rank, alpha, dropout, targets);

        Path weightsFile = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(weightsFile)) {
            throw new BadInputException(dir + ": no " + WEIGHTS + " (passk reads safetensors adapters only, not adapter_model.bin)");
        }
        Map<String, FloatTensor> tensors = new TreeMap<>();
        try (SafetensorsFile weights = SafetensorsFile.open(weightsFile)) {
            for (String name : weights.names()) {
                TensorInfo info = weights.info(name);
                checkName(weightsFile, name, info, config);
                tensors.put(name, new FloatTensor(info.shape(), weights.readFloats(name)));
            }
        }
        if (tensors.isEmpty()) {
            throw new BadInputException(weightsFile + ": holds no tensors");
        }

        long step = 0;
        Map<String, String> provenance = Map.of();
        Optional<BaseFingerprint> fingerprint = Optional.empty();
        Path metaFile = dir.resolve(META);
        if (Files.exists(metaFile)) {
            HfJson meta = HfJson.read(metaFile);
            int format = meta.requiredPositiveInt("format");
            if (format != FORMAT) {
                throw meta.bad("format " + format + " is not supported (this passk reads format " + FORMAT + ")");
            }
            step = meta.requiredNonNegativeLong("step");
            provenance = meta.stringMap("provenance");
            HfJson b = meta.object("base");
            fingerprint = Optional.of(new BaseFingerprint(b.requiredString("model_type"),
                    b.requiredPositiveInt("vocab_size"), b.requiredPositiveInt("hidden_size"),
                    b.requiredPositiveInt("intermediate_size"), b.requiredPositiveInt("num_hidden_layers"),
                    b.requiredPositiveInt("num_attention_heads"), b.requiredPositiveInt("num_key_value_heads"),
                    b.requiredPositiveInt("head_dim"), b.requiredString("weights_sha256")));
        }
        return new AdapterDirectory(dir, config, baseDir, Collections.unmodifiableMap(tensors), step, provenance,
                fingerprint);
    }

    private static void checkName(Path file, String name, TensorInfo info, LoraConfig config) {
        Matcher m = NAME.matcher(name);
        if (!m.matches() || !LoraConfig.MODULES.contains(m.group(3))
                || !LoraConfig.modulePath(m.group(3)).equals(m.group(2) + "." + m.group(3))) {
            throw new BadInputException(file + ": tensor '" + name + "' is not a LoRA tensor as PEFT names them ("
                    + tensorName(0, "q_proj", true) + ", ...)");
        }
        if (!config.targets().contains(m.group(3))) {
            throw new BadInputException(file + ": tensor '" + name + "' adapts " + m.group(3)
                    + ", which is not in target_modules of " + CONFIG);
        }
        if (!info.dtype().readableAsFloat()) {
            throw new BadInputException(file + ": tensor '" + name + "' is " + info.dtype()
                    + "; adapter weights must be F32, F16 or BF16");
        }
        boolean a = m.group(4).equals("A");
        List<Long> shape = info.shape();
        if (shape.size() != 2 || shape.get(a ? 0 : 1) != config.rank()) {
            throw new BadInputException(file + ": tensor '" + name + "' has shape " + shape + ", but "
                    + (a ? "lora_A is [r, in]" : "lora_B is [out, r]") + " with r " + config.rank() + " in " + CONFIG);
        }
    }

    /**
     * Checks that this adapter applies to the base model in {@code baseDir} of config
     * {@code base}: when passk_adapter.json records the base it was trained on, the
     * {@link BaseFingerprint}s must be equal; and the adapter must hold exactly the tensors
     * {@link #expectedShapes} names for {@code base}, each of that shape.
     */
    public void checkAgainst(Path baseDir, DecoderConfig base) {
        if (baseFingerprint.isPresent()) {
            try (TensorSource weights = BaseFingerprint.openWeights(baseDir)) {
                checkFingerprint(baseDir, BaseFingerprint.of(base, weights));
            }
        }
        checkShapes(baseDir, base);
    }

    /** {@link #checkAgainst(Path, DecoderConfig)} with the base's weights already open. */
    public void checkAgainst(Path baseDir, DecoderConfig base, TensorSource baseWeights) {
        if (baseFingerprint.isPresent()) {
            checkFingerprint(baseDir, BaseFingerprint.of(base, baseWeights));
        }
        checkShapes(baseDir, base);
    }

    private void checkFingerprint(Path baseDir, BaseFingerprint actual) {
        String diff = baseFingerprint.get().firstDifference(actual);
        if (diff != null) {
            throw new BadInputException(path.resolve(META) + ": the adapter was trained on another base model than "
                    + baseDir + " (" + diff + ")");
        }
    }

    private void checkShapes(Path baseDir, DecoderConfig base) {
        Path weightsFile = path.resolve(WEIGHTS);
        Path baseConfig = baseDir.resolve(DecoderConfig.FILE_NAME);
        Map<String, long[]> expected = expectedShapes(base, config);
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            FloatTensor t = tensors.get(e.getKey());
            List<Long> want = Arrays.stream(e.getValue()).boxed().toList();
            if (t == null) {
                throw new BadInputException(weightsFile + ": no tensor '" + e.getKey() + "', which target_modules "
                        + config.targets() + " and " + baseConfig + " (" + base.numHiddenLayers() + " layers) imply");
            }
            if (!t.shape().equals(want)) {
                throw new BadInputException(weightsFile + ": tensor '" + e.getKey() + "' has shape " + t.shape()
                        + ", but " + baseConfig + " implies " + want);
            }
        }
        for (String name : tensors.keySet()) {
            if (!expected.containsKey(name)) {
                throw new BadInputException(weightsFile + ": tensor '" + name + "' does not fit " + baseConfig + " ("
                        + base.numHiddenLayers() + " layers)");
            }
        }
    }

    /** The directory. */
    public Path path() {
        return path;
    }

    /** The LoRA hyper-parameters of adapter_config.json. */
    public LoraConfig config() {
        return config;
    }

    /** {@code base_model_name_or_path}, when the file names one (absolute when passk wrote it). */
    public Optional<Path> baseDir() {
        return baseDir;
    }

    /** Every adapter tensor by its PEFT name, sorted, widened to F32. */
    public Map<String, FloatTensor> tensors() {
        return tensors;
    }

    /** The training step passk_adapter.json records; 0 for an adapter without one. */
    public long step() {
        return step;
    }

    /** passk_adapter.json's provenance; empty for an adapter without one. */
    public Map<String, String> provenance() {
        return provenance;
    }

    /** The base model the adapter was trained on, when passk_adapter.json records it. */
    public Optional<BaseFingerprint> baseFingerprint() {
        return baseFingerprint;
    }
}
