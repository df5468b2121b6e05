package io.passk.hf;

import io.passk.BadInputException;
import io.passk.hf.safetensors.SafetensorsFile;
import io.passk.hf.safetensors.ShardedSafetensors;
import io.passk.hf.safetensors.TensorSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A Hugging Face model directory, opened and checked as a whole before any weight is read:
 * <pre>
 * config.json                    decoder hyper-parameters (qwen2, llama, qwen3, mistral, gpt2)
 * model.safetensors              the weights, or:
 * model.safetensors.index.json   + model-0000i-of-0000n.safetensors (shards)
 * tokenizer.json                 the tokenizer
 * tokenizer_config.json          special tokens, chat template (or chat_template.jinja)
 * generation_config.json         optional: more end-of-sequence ids
 * </pre>
 * When both weight layouts are present the single file wins, as in {@code transformers}. A gpt2
 * file saved from the base model ({@code wte.weight}, {@code h.0...}) is read under the
 * {@code transformer.} names ({@link Gpt2BaseNames}).
 * Weights stay in the mapped files until {@link #readFloats} widens one to F32.
 */
public final class ModelDirectory implements AutoCloseable {

    public static final String WEIGHTS = "model.safetensors";

    private final Path path;
    private final DecoderConfig config;
    private final TokenizerFiles tokenizer;
    private final Optional<GenerationConfig> generation;
    private final Path weightsFile;
    private final TensorSource weights;

    private ModelDirectory(Path path, DecoderConfig config, TokenizerFiles tokenizer,
                           Optional<GenerationConfig> generation, Path weightsFile, TensorSource weights) {
        this.path = path;
        this.config = config;
        this.tokenizer = tokenizer;
        this.generation = generation;
        this.weightsFile = weightsFile;
        this.weights = weights;
    }

    /**
     * True when {@code dir} looks like a Hugging Face model directory: a config.json beside
     * safetensors weights (a passk checkpoint also has a config.json, but weights.params).
     * Says nothing of validity: {@link #open} checks that.
     */
    public static boolean isModelDirectory(Path dir) {
        return Files.isRegularFile(dir.resolve(DecoderConfig.FILE_NAME))
                && (Files.exists(dir.resolve(WEIGHTS)) || Files.exists(dir.resolve(ShardedSafetensors.INDEX_NAME)));
    }

    /**
     * Opens {@code dir} and checks every file: the config, the tokenizer files, the optional
     * generation config, each safetensors header, and every tensor's presence, dtype and shape.
     */
    public static ModelDirectory open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir + ": not a directory (a Hugging Face model directory was expected)");
        }
        Path configFile = dir.resolve(DecoderConfig.FILE_NAME);
        DecoderConfig config = DecoderConfig.read(configFile);
        TokenizerFiles tokenizer = TokenizerFiles.read(dir);
        Optional<GenerationConfig> generation = GenerationConfig.readIfPresent(dir);
        checkTokenIds(configFile, config, config.eosTokenIds(), "eos_token_id");
        config.bosTokenId().ifPresent(id -> checkTokenIds(configFile, config, List.of(id), "bos_token_id"));
        generation.ifPresent(g -> checkTokenIds(g.file(), config, g.eosTokenIds(), "eos_token_id"));
        Path single = dir.resolve(WEIGHTS);
        Path index = dir.resolve(ShardedSafetensors.INDEX_NAME);
        Path weightsFile;
        TensorSource weights;
        if (Files.exists(single)) {
            weightsFile = single;
            weights = SafetensorsFile.open(single);
        } else if (Files.exists(index)) {
            weightsFile = index;
            weights = ShardedSafetensors.open(index);
        } else {
            throw new BadInputException(dir + ": no " + WEIGHTS + " or " + ShardedSafetensors.INDEX_NAME
                    + " (passk reads safetensors weights only, not pytorch_model.bin)");
        }
        weights = Gpt2BaseNames.of(config, weights);
        try {
            DecoderTensors.check(config, weights, weightsFile, configFile);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
        return new ModelDirectory(dir, config, tokenizer, generation, weightsFile, weights);
    }

    private static void checkTokenIds(Path file, DecoderConfig config, List<Integer> ids, String key) {
        for (int id : ids) {
            if (id >= config.vocabSize()) {
                throw new BadInputException(file + ": " + key + " " + id + " is not below vocab_size " + config.vocabSize());
            }
        }
    }

    public Path path() {
        return path;
    }

    public DecoderConfig config() {
        return config;
    }

    public TokenizerFiles tokenizer() {
        return tokenizer;
    }

    public Optional<GenerationConfig> generation() {
        return generation;
    }

    /** {@code model.safetensors}, or the shard index. */
    public Path weightsFile() {
        return weightsFile;
    }

    /** The checked weights. */
    public TensorSource weights() {
        return weights;
    }

    /** A decoder tensor widened to F32 (see {@link DecoderTensors} for names). */
    public float[] readFloats(String name) {
        return weights.readFloats(name);
    }

    /**
     * The ids that end a sampled sequence: config.json's eos ids, then generation_config.json's
     * (each once, in that order).
     */
    public List<Integer> stopTokenIds() {
        Set<Integer> ids = new LinkedHashSet<>(config.eosTokenIds());
        generation.ifPresent(g -> ids.addAll(g.eosTokenIds()));
        return List.copyOf(new ArrayList<>(ids));
    }

    @Override
    public void close() {
        weights.close();
    }
}
