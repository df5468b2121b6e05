package io.passk.hf;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The hyper-parameters of a decoder, read from a Hugging Face {@code config.json}. Keys a file
 * leaves out take the defaults of the {@code transformers} configuration class of its
 * {@link ModelType}. Refused (bad input naming the file and key): an unknown
 * {@code model_type}, an activation other than SiLU, rotary scaling other than none or
 * "default", sliding-window attention, {@code mlp_bias}, heads that do not divide evenly.
 * A {@code gpt2} file is read under GPT-2's own keys ({@link #parseGpt2}).
 *
 * @param rmsNormEps the norms' epsilon: RMSNorm's {@code rms_norm_eps}, or for gpt2 LayerNorm's
 *     {@code layer_norm_epsilon}
 * @param ropeTheta the rotary base; 0 for gpt2 (learned absolute positions, no rotary)
 * @param hiddenAct the MLP's activation: {@code silu} (SwiGLU) for the rotary families; for gpt2
 *     {@code gelu} (the exact, erf form) or {@code gelu_new} (the tanh approximation, also what
 *     {@code gelu_pytorch_tanh} names)
 * @param qkvBias whether q_proj, k_proj and v_proj have a bias (qwen2 always; llama and qwen3
 *     when {@code attention_bias} is true)
 * @param outputBias whether o_proj has a bias (llama and qwen3 when {@code attention_bias})
 * @param qkNorm whether q and k are RMS-normalised per head before the rotary embedding (qwen3)
 * @param torchDtype the dtype the checkpoint was saved in ({@code torch_dtype} or {@code dtype}),
 *     informational: passk computes in F32
 * @param eosTokenIds the end-of-sequence ids ({@code eos_token_id}, one or a list)
 */
public record DecoderConfig(
        ModelType modelType,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        double rmsNormEps,
        double ropeTheta,
        int maxPositionEmbeddings,
        boolean tieWordEmbeddings,
        boolean qkvBias,
        boolean outputBias,
        boolean qkNorm,
        Optional<String> torchDtype,
        Optional<Integer> bosTokenId,
        List<Integer> eosTokenIds,
        Optional<Integer> padTokenId,
        String hiddenAct) {

    public static final String FILE_NAME = "config.json";
    /** The exact GELU, {@code x * Phi(x)} (erf), as transformers' {@code "gelu"} and PyTorch's default. */
    public static final String GELU = "gelu";
    /** The tanh approximation of GELU, transformers' {@code "gelu_new"} (GPT-2's default). */
    public static final String GELU_TANH = "gelu_new";

    public DecoderConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    /** A config of a rotary family (qwen2, llama, qwen3, mistral): SwiGLU, {@code hiddenAct} "silu". */
    public DecoderConfig(ModelType modelType, int vocabSize, int hiddenSize, int intermediateSize, int numHiddenLayers,
                         int numAttentionHeads, int numKeyValueHeads, int headDim, double rmsNormEps, double ropeTheta,
                         int maxPositionEmbeddings, boolean tieWordEmbeddings, boolean qkvBias, boolean outputBias,
                         boolean qkNorm, Optional<String> torchDtype, Optional<Integer> bosTokenId,
                         List<Integer> eosTokenIds, Optional<Integer> padTokenId) {
        this(modelType, vocabSize, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads, numKeyValueHeads,
                headDim, rmsNormEps, ropeTheta, maxPositionEmbeddings, tieWordEmbeddings, qkvBias, outputBias, qkNorm,
                torchDtype, bosTokenId, eosTokenIds, padTokenId, "silu");
    }

    /** Reads and checks {@code config.json}. */
    public static DecoderConfig read(Path configJson) {
        return parse(HfJson.read(configJson));
    }

    static DecoderConfig parse(HfJson json) {
        String typeName = json.string("model_type").orElseThrow(() -> json.bad("model_type is missing"));
        ModelType type = ModelType.parse(typeName).orElseThrow(() -> json.bad("model_type '" + typeName
                + "' is not supported (passk reads qwen2, llama, qwen3, mistral, gpt2)"));
        if (type.isGpt2()) {
            return parseGpt2(json);
        }
        String act = json.string("hidden_act").orElse("silu");
        if (!act.equals("silu")) {
            throw json.bad("hidden_act '" + act + "' is not supported (passk's decoder uses silu)");
        }
        int hidden = json.requiredPositiveInt("hidden_size");
        int heads = json.requiredPositiveInt("num_attention_heads");
        int kvHeads = json.positiveInt("num_key_value_heads", type == ModelType.MISTRAL ? 8 : heads);
        if (heads % kvHeads != 0) {
            throw json.bad("num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        int headDim;
        if (json.get("head_dim").isPresent()) {
            headDim = json.positiveInt("head_dim", 0);
        } else if (type.defaultHeadDim() > 0) {
            headDim = type.defaultHeadDim();
        } else {
            if (hidden % heads != 0) {
                throw json.bad("hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads
                        + " (and head_dim is not given)");
            }
            headDim = hidden / heads;
        }
        if (headDim % 2 != 0) {
            throw json.bad("head_dim " + headDim + " is odd; rotary embeddings rotate pairs");
        }
        int maxPositions = json.positiveInt("max_position_embeddings", type.defaultMaxPositions());
        checkNoSlidingWindow(json, type, maxPositions);
        if (json.bool("mlp_bias", false)) {
            throw json.bad("mlp_bias true is not supported (passk's MLP has no biases)");
        }
        boolean attentionBias = json.bool("attention_bias", false);
        boolean qkvBias = switch (type) {
            case QWEN2 -> true;
            case LLAMA, QWEN3 -> attentionBias;
            case MISTRAL, GPT2 -> false;
        };
        boolean outputBias = (type == ModelType.LLAMA || type == ModelType.QWEN3) && attentionBias;
        Optional<String> dtype = json.string("torch_dtype").or(() -> json.string("dtype"));
        return new DecoderConfig(
                type,
                json.requiredPositiveInt("vocab_size"),
                hidden,
                json.requiredPositiveInt("intermediate_size"),
                json.requiredPositiveInt("num_hidden_layers"),
                heads,
                kvHeads,
                headDim,
                json.positiveDouble("rms_norm_eps", 1e-6),
                ropeTheta(json),
                maxPositions,
                json.bool("tie_word_embeddings", false),
                qkvBias,
                outputBias,
                type == ModelType.QWEN3,
                dtype,
                json.optionalInt("bos_token_id"),
                json.tokenIds("eos_token_id"),
                json.optionalInt("pad_token_id"),
                "silu");
    }

    /**
     * A {@code gpt2} config.json, under the keys and defaults of transformers' {@code GPT2Config}:
     * {@code n_embd} (768), {@code n_layer} (12), {@code n_head} (12), {@code n_positions} (1024),
     * {@code n_inner} (null: 4 x n_embd), {@code activation_function} ("gelu_new"),
     * {@code layer_norm_epsilon} (1e-5), {@code tie_word_embeddings} (true), {@code vocab_size}
     * (50257), {@code bos_token_id} / {@code eos_token_id} (50256). Refused, because
     * {@code GPT2Attention} would then compute something else: {@code scale_attn_weights} false,
     * {@code scale_attn_by_inverse_layer_idx}, {@code reorder_and_upcast_attn},
     * {@code add_cross_attention}, an activation other than the two GELUs.
     */
    static DecoderConfig parseGpt2(HfJson json) {
        for (String key : List.of("scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn", "add_cross_attention")) {
            if (json.bool(key, false)) {
                throw json.bad(key + " true is not supported (passk's gpt2 attention is plain scaled dot-product)");
            }
        }
        if (!json.bool("scale_attn_weights", true)) {
            throw json.bad("scale_attn_weights false is not supported (passk scales attention by 1/sqrt(head_dim))");
        }
        String act = json.string("activation_function").orElse(GELU_TANH);
        String hiddenAct = switch (act) {
            case "gelu" -> GELU;
            case "gelu_new", "gelu_pytorch_tanh" -> GELU_TANH;
            default -> throw json.bad("activation_function '" + act
                    + "' is not supported (passk's gpt2 MLP reads gelu, gelu_new, gelu_pytorch_tanh)");
        };
        int hidden = json.positiveInt("n_embd", 768);
        int heads = json.positiveInt("n_head", 12);
        if (hidden % heads != 0) {
            throw json.bad("n_embd " + hidden + " is not a multiple of n_head " + heads);
        }
        Optional<Integer> bos = json.optionalInt("bos_token_id").or(() -> Optional.of(50256));
        List<Integer> eos = json.get("eos_token_id").isPresent() ? json.tokenIds("eos_token_id") : List.of(50256);
        Optional<String> dtype = json.string("torch_dtype").or(() -> json.string("dtype"));
        return new DecoderConfig(
                ModelType.GPT2,
                json.positiveInt("vocab_size", 50257),
                hidden,
                json.positiveInt("n_inner", 4 * hidden),
                json.positiveInt("n_layer", 12),
                heads,
                heads,
                hidden / heads,
                json.positiveDouble("layer_norm_epsilon", 1e-5),
                0.0,
                json.positiveInt("n_positions", ModelType.GPT2.defaultMaxPositions()),
                json.bool("tie_word_embeddings", true),
                true,
                true,
                false,
                dtype,
                bos,
                eos,
                json.optionalInt("pad_token_id"),
                hiddenAct);
    }

    /**
     * {@code rope_theta} (default 10000), and no scaling: {@code rope_scaling} (transformers 4)
     * or {@code rope_parameters} (transformers 5, which also carries rope_theta) must be absent,
     * null, or of type "default".
     */
    private static double ropeTheta(HfJson json) {
        checkDefaultRope(json, "rope_scaling");
        checkDefaultRope(json, "rope_parameters");
        Optional<JsonElement> parameters = json.get("rope_parameters");
        JsonElement theta = parameters.map(p -> ((JsonObject) p).get("rope_theta")).orElse(null);
        if (theta == null) {
            return json.positiveDouble("rope_theta", 10000.0);
        }
        if (!theta.isJsonPrimitive() || !theta.getAsJsonPrimitive().isNumber() || !(theta.getAsDouble() > 0)) {
            throw json.bad("rope_parameters.rope_theta is " + theta + ", not a positive number");
        }
        return theta.getAsDouble();
    }

    private static void checkDefaultRope(HfJson json, String key) {
        Optional<JsonElement> value = json.get(key);
        if (value.isEmpty()) {
            return;
        }
        String kind = null;
        if (value.get().isJsonObject()) {
            JsonObject o = value.get().getAsJsonObject();
            JsonElement k = o.has("rope_type") ? o.get("rope_type") : o.get("type");
            kind = k != null && k.isJsonPrimitive() ? k.getAsString() : null;
        }
        if (!"default".equals(kind)) {
            throw json.bad(key + " " + value.get() + " is not supported (passk implements plain rotary"
                    + " embeddings: " + key + " must be null or of type \"default\")");
        }
    }

    private static void checkNoSlidingWindow(HfJson json, ModelType type, int maxPositions) {
        if (json.bool("use_sliding_window", false)) {
            throw json.bad("use_sliding_window true is not supported (passk attends to the whole context)");
        }
        if (type == ModelType.MISTRAL) {
            // MistralConfig defaults sliding_window to 4096 when the key is absent
            int window = json.root.has("sliding_window") ? json.optionalInt("sliding_window").orElse(Integer.MAX_VALUE) : 4096;
            if (window < maxPositions) {
                throw json.bad("sliding_window " + window + " is below max_position_embeddings " + maxPositions
                        + ": sliding-window attention is not supported (a Mistral checkpoint needs sliding_window null)");
            }
        }
        json.get("layer_types").ifPresent(types -> {
            if (types.toString().contains("sliding_attention")) {
                throw json.bad("layer_types has sliding_attention layers, which passk does not implement");
            }
        });
    }

    /** Width of the q projection: heads times head_dim (not always hidden_size, e.g. qwen3). */
    public int qDim() {
        return numAttentionHeads * headDim;
    }

    /** Width of the k and v projections. */
    public int kvDim() {
        return numKeyValueHeads * headDim;
    }
}
