package io.passk.policy;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.passk.hf.DecoderConfig;
import io.passk.hf.DecoderTensors;
import io.passk.hf.GenerationConfig;
import io.passk.hf.ModelDirectory;
import io.passk.hf.TokenizerFiles;
import io.passk.hf.safetensors.DType;
import io.passk.hf.safetensors.FloatTensor;
import io.passk.hf.safetensors.SafetensorsWriter;
import io.passk.random.SeededRandom;
import io.passk.settings.InvalidSettingException;
import io.passk.settings.WarmupSettings;
import io.passk.task.PromptStyle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * passk's character model: a tiny {@code qwen2} Hugging Face model directory over a
 * character-level tokenizer, which {@code transformers}, vLLM and passk's own decoder load like
 * any other. {@link #write} makes a freshly initialised one; {@code passk pretrain} then warms it
 * up ({@link PretrainRun}). The directory:
 * <pre>
 * config.json             qwen2, tied embeddings, width / layers / heads as given (defaults 64 / 2 / 4),
 *                         as many key-value heads as heads, MLP 8/3 x width (rounded up to 16),
 *                         rope_theta 10000, max_position_embeddings = the context
 * model.safetensors       F32, initialised as transformers' Qwen2 _init_weights does with
 *                         initializer_range 0.1: N(0, 0.1) matrices and embeddings, zero biases,
 *                         unit RMSNorm weights, each tensor's draws a function of (seed, tensor name)
 * tokenizer.json          WordLevel: one token per character (Split on every character),
 *                         the Fuse decoder (characters joined as they are)
 * tokenizer_config.json   bos / eos / pad tokens, a chat template {@code <bos>prompt<sep>},
 *                         passk_prompt_style "compact", passk_prompt_template "chat"
 * generation_config.json  bos / eos / pad ids
 * </pre>
 * The vocabulary is {@link Tokenizer}'s, id for id: {@code <pad> <bos> <eos> <sep>} (0..3), then
 * the task alphabets sorted by code point, so the one alphabet list ({@link Tokenizer#forTasks})
 * owns both and an old built-in checkpoint's ids mean the same here. Sampling stops at
 * {@code <eos>}. A prompt is {@code <bos>}, its characters, then {@code <sep>}: the chat template
 * ({@link #CHAT_TEMPLATE}) writes it, so {@code transformers}' {@code apply_chat_template} and
 * vLLM's chat endpoint give the ids passk samples and trains on. Without {@code <sep>} the model
 * cannot tell where a prompt of unknown length ends (a maze's last row looks like any other). A character outside the alphabet is an error of the tokenizer library
 * ({@code unk_token} {@code <unk>} is not in the vocabulary), never a silently dropped character.
 */
public final class CharacterModel {

    /**
     * {@code initializer_range}. Hugging Face's Qwen2 default, 0.02, is for widths in the
     * thousands; at width 64 with tied embeddings it leaves logits and updates tiny, and the
     * 300-step maze warm-up ended at loss 0.75 and 0% greedy held-out accuracy, against 0.60 and
     * 14% with 0.1 (0.05: 0.74 and 3%; 0.15: 0.65 and 13%; 0.2: 0.68 and 1%; docs/models.md).
     */
    static final double INIT_STD = 0.1;
    /**
     * The character model's chat template (Jinja, as transformers and vLLM render it): bos, each
     * message's text as it is (the compact prompt is one user message), then {@code <sep>} as
     * the generation prompt.
     */
    public static final String CHAT_TEMPLATE = "{{ bos_token }}{% for message in messages %}{{ message['content'] }}"
            + "{% endfor %}{% if add_generation_prompt %}<sep>{% endif %}";
    /**
     * The original RoPE base: with head_dim 16 and contexts of a few hundred tokens the slowest
     * pair turns by under a radian, and the faster ones tell nearby characters apart (Qwen's 1e6
     * is for 32k-token contexts).
     */
    static final double ROPE_THETA = 10000.0;
    static final double RMS_NORM_EPS = 1e-6;
    private static final String UNK = "<unk>";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls()
            .create();

    /**
     * The model's shape.
     *
     * @param layers  decoder layers
     * @param width   hidden size
     * @param heads   attention heads (as many key-value heads); must divide the width into an even head size
     * @param context max_position_embeddings: the longest prompt + answer, in characters
     */
    public record Shape(int layers, int width, int heads, int context) {
        public Shape {
            if (layers < 1) {
                throw InvalidSettingException.of(WarmupSettings.LAYERS, "must be >= 1, got " + layers);
            }
            if (width < 1) {
                throw InvalidSettingException.of(WarmupSettings.WIDTH, "must be >= 1, got " + width);
            }
            if (heads < 1 || width % heads != 0 || (width / heads) % 2 != 0) {
                throw new InvalidSettingException("{} must be >= 1 and divide {} " + width
                        + " into an even head size (rotary embeddings turn pairs), got " + heads,
                        WarmupSettings.HEADS, WarmupSettings.WIDTH);
            }
            if (context < 2) {
                throw InvalidSettingException.of(WarmupSettings.CONTEXT, "must be >= 2, got " + context);
            }
        }

        /**
         * SwiGLU's hidden size: 8/3 x width, rounded up to a multiple of 16, so its three matrices
         * hold about the weights of a 4 x width two-matrix MLP (LLaMA's rule); 176 at width 64.
         */
        public int intermediateSize() {
            return (8 * width / 3 + 15) / 16 * 16;
        }
    }

    private CharacterModel() {
    }

    /**
     * Writes a freshly initialised character model into the existing, empty directory {@code dir}.
     *
     * @param alphabet its vocabulary ({@link Tokenizer#forTasks})
     * @param seed     every weight is a function of (seed, tensor name)
     */
    public static void write(Path dir, Tokenizer alphabet, Shape shape, long seed) {
        try {
            writeJson(dir.resolve(DecoderConfig.FILE_NAME), config(alphabet, shape));
            writeJson(dir.resolve(TokenizerFiles.TOKENIZER), tokenizerJson(alphabet));
            writeJson(dir.resolve(TokenizerFiles.TOKENIZER_CONFIG), tokenizerConfig(shape));
            writeJson(dir.resolve(GenerationConfig.FILE_NAME), generationConfig());
        } catch (IOException e) {
            throw new UncheckedIOException("writing model directory " + dir, e);
        }
        DecoderConfig config = DecoderConfig.read(dir.resolve(DecoderConfig.FILE_NAME));
        SafetensorsWriter.write(dir.resolve(ModelDirectory.WEIGHTS), initialWeights(config, seed), DType.F32,
                SafetensorsWriter.PT_METADATA);
    }

    static JsonObject config(Tokenizer alphabet, Shape shape) {
        JsonObject c = new JsonObject();
        JsonArray arch = new JsonArray();
        arch.add("Qwen2ForCausalLM");
        c.add("architectures", arch);
        c.addProperty("model_type", "qwen2");
        c.addProperty("vocab_size", alphabet.vocabSize());
        c.addProperty("hidden_size", shape.width());
        c.addProperty("intermediate_size", shape.intermediateSize());
        c.addProperty("num_hidden_layers", shape.layers());
        c.addProperty("num_attention_heads", shape.heads());
        // as many key-value heads as heads: plain multi-head attention; at this size
        // grouped keys would save nothing worth having
        c.addProperty("num_key_value_heads", shape.heads());
        c.addProperty("hidden_act", "silu");
        c.addProperty("max_position_embeddings", shape.context());
        c.addProperty("rms_norm_eps", RMS_NORM_EPS);
        c.addProperty("rope_theta", ROPE_THETA);
        c.add("rope_scaling", JsonNull.INSTANCE);
        // tied, as Qwen2.5's small models: the output head is the embedding matrix
        c.addProperty("tie_word_embeddings", true);
        c.addProperty("use_sliding_window", false);
        c.add("sliding_window", JsonNull.INSTANCE);
        c.addProperty("max_window_layers", shape.layers());
        c.addProperty("attention_dropout", 0.0);
        c.addProperty("initializer_range", INIT_STD);
        c.addProperty("use_cache", true);
        c.addProperty("torch_dtype", "float32");
        c.addProperty("bos_token_id", Tokenizer.BOS);
        c.addProperty("eos_token_id", Tokenizer.EOS);
        c.addProperty("pad_token_id", Tokenizer.PAD);
        return c;
    }

    /**
     * The tokenizers library's JSON: the specials as added tokens (matched before splitting),
     * every character its own pre-token ({@code Split} on the regex {@code [\s\S]}, isolated),
     * a {@code WordLevel} model from character to id, and the {@code Fuse} decoder (without a
     * decoder the library would join tokens with spaces).
     */
    static JsonObject tokenizerJson(Tokenizer alphabet) {
        JsonObject t = new JsonObject();
        t.addProperty("version", "1.0");
        t.add("truncation", JsonNull.INSTANCE);
        t.add("padding", JsonNull.INSTANCE);
        JsonArray added = new JsonArray();
        for (int id = 0; id < Tokenizer.SPECIALS.length; id++) {
            JsonObject a = new JsonObject();
            a.addProperty("id", id);
            a.addProperty("content", Tokenizer.SPECIALS[id]);
            a.addProperty("single_word", false);
            a.addProperty("lstrip", false);
            a.addProperty("rstrip", false);
            a.addProperty("normalized", false);
            a.addProperty("special", true);
            added.add(a);
        }
        t.add("added_tokens", added);
        t.add("normalizer", JsonNull.INSTANCE);
        JsonObject split = new JsonObject();
        split.addProperty("type", "Split");
        JsonObject pattern = new JsonObject();
        pattern.addProperty("Regex", "[\\s\\S]");
        split.add("pattern", pattern);
        split.addProperty("behavior", "Isolated");
        split.addProperty("invert", false);
        t.add("pre_tokenizer", split);
        t.add("post_processor", JsonNull.INSTANCE);
        JsonObject decoder = new JsonObject();
        decoder.addProperty("type", "Fuse");
        t.add("decoder", decoder);
        JsonObject model = new JsonObject();
        model.addProperty("type", "WordLevel");
        JsonObject vocab = new JsonObject();
        for (int id = 0; id < Tokenizer.SPECIALS.length; id++) {
            vocab.addProperty(Tokenizer.SPECIALS[id], id);
        }
        String chars = alphabet.alphabet();
        int id = Tokenizer.SPECIALS.length;
        for (int i = 0; i < chars.length(); ) {
            int cp = chars.codePointAt(i);
            vocab.addProperty(new String(Character.toChars(cp)), id++);
            i += Character.charCount(cp);
        }
        model.add("vocab", vocab);
        model.addProperty("unk_token", UNK);
        t.add("model", model);
        return t;
    }

    static JsonObject tokenizerConfig(Shape shape) {
        return tokenizerConfig(shape.context());
    }

    /** tokenizer_config.json of a character model whose longest sequence is {@code context} tokens. */
    static JsonObject tokenizerConfig(int context) {
        JsonObject c = new JsonObject();
        JsonObject decoder = new JsonObject();
        for (int id = 0; id < Tokenizer.SPECIALS.length; id++) {
            JsonObject a = new JsonObject();
            a.addProperty("content", Tokenizer.SPECIALS[id]);
            a.addProperty("lstrip", false);
            a.addProperty("normalized", false);
            a.addProperty("rstrip", false);
            a.addProperty("single_word", false);
            a.addProperty("special", true);
            decoder.add(Integer.toString(id), a);
        }
        c.add("added_tokens_decoder", decoder);
        c.addProperty("bos_token", Tokenizer.SPECIALS[Tokenizer.BOS]);
        c.addProperty("eos_token", Tokenizer.SPECIALS[Tokenizer.EOS]);
        c.addProperty("pad_token", Tokenizer.SPECIALS[Tokenizer.PAD]);
        c.addProperty("clean_up_tokenization_spaces", false);
        c.addProperty("model_max_length", context);
        c.addProperty("tokenizer_class", "PreTrainedTokenizerFast");
        c.addProperty("chat_template", CHAT_TEMPLATE);
        c.addProperty(TokenizerFiles.PROMPT_STYLE_KEY, PromptStyle.COMPACT.settingName());
        c.addProperty(TokenizerFiles.PROMPT_TEMPLATE_KEY, io.passk.tokenizer.PromptTemplate.CHAT);
        return c;
    }

    static JsonObject generationConfig() {
        JsonObject g = new JsonObject();
        g.addProperty("bos_token_id", Tokenizer.BOS);
        g.addProperty("eos_token_id", Tokenizer.EOS);
        g.addProperty("pad_token_id", Tokenizer.PAD);
        return g;
    }

    /**
     * transformers' {@code Qwen2PreTrainedModel._init_weights}: linear weights and embeddings
     * N(0, {@link #INIT_STD}), biases 0, RMSNorm weights 1. Tensor {@code name}'s normal draws
     * come from the stream keyed by (seed, hash(name)) through Box-Muller, so they depend on
     * nothing else (not the order tensors are made in, not the Java version).
     */
    static Map<String, FloatTensor> initialWeights(DecoderConfig config, long seed) {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Long>> e : DecoderTensors.expected(config).entrySet()) {
            String name = e.getKey();
            long n = 1;
            for (long d : e.getValue()) {
                n *= d;
            }
            float[] values = new float[Math.toIntExact(n)];
            if (name.endsWith("norm.weight")) {
                java.util.Arrays.fill(values, 1f);
            } else if (!name.endsWith(".bias")) {
                SplittableRandom rnd = new SplittableRandom(SeededRandom.key(seed, SeededRandom.hash(name)));
                for (int i = 0; i < values.length; i += 2) {
                    double u1 = 1.0 - rnd.nextDouble();   // (0, 1]: the log is finite
                    double u2 = rnd.nextDouble();
                    double r = Math.sqrt(-2.0 * Math.log(u1));
                    values[i] = (float) (INIT_STD * r * Math.cos(2 * Math.PI * u2));
                    if (i + 1 < values.length) {
                        values[i + 1] = (float) (INIT_STD * r * Math.sin(2 * Math.PI * u2));
                    }
                }
            }
            out.put(name, new FloatTensor(e.getValue(), values));
        }
        return out;
    }

    /** {@code json} pretty-printed (HTML characters as they are, nulls kept), then a newline: every file above. */
    static void writeJson(Path file, JsonObject json) throws IOException {
        Files.writeString(file, GSON.toJson(json) + "\n", StandardCharsets.UTF_8);
    }
}
