package io.passk.hf;

import java.util.Arrays;
import java.util.Optional;

/**
 * The decoder families passk reads, by their {@code config.json} {@code model_type}, with the
 * defaults their {@code transformers} configuration classes give keys a file leaves out.
 * The first four are the same decoder (RMSNorm, rotary embeddings, grouped-query attention,
 * SwiGLU); they differ in attention biases and qwen3's RMSNorm of q and k per head. {@link #GPT2}
 * is the other family: LayerNorm with bias, learned absolute positions, a fused q/k/v projection
 * in {@code Conv1D} layout ({@code [in, out]}), a GELU MLP, biases everywhere but the head.
 */
public enum ModelType {
    /** Qwen2 / Qwen2.5: bias on q, k and v (not on o). */
    QWEN2("qwen2", 32768, 0),
    /** Llama 2 / 3: biases only when {@code attention_bias} is true (then on q, k, v and o). */
    LLAMA("llama", 2048, 0),
    /** Qwen3: RMSNorm of q and k over each head ({@code q_norm}, {@code k_norm}); head_dim defaults to 128. */
    QWEN3("qwen3", 32768, 128),
    /** Mistral without sliding-window attention ({@code sliding_window} null or at least the context). */
    MISTRAL("mistral", 4096 * 32, 0),
    /** GPT-2 ({@code GPT2LMHeadModel}): LayerNorm, learned positions ({@code wpe}), fused {@code c_attn}, GELU MLP. */
    GPT2("gpt2", 1024, 0);

    private final String id;
    private final int defaultMaxPositions;
    private final int defaultHeadDim;

    ModelType(String id, int defaultMaxPositions, int defaultHeadDim) {
        this.id = id;
        this.defaultMaxPositions = defaultMaxPositions;
        this.defaultHeadDim = defaultHeadDim;
    }

    /** The {@code model_type} string. */
    public String id() {
        return id;
    }

    int defaultMaxPositions() {
        return defaultMaxPositions;
    }

    /** Zero when head_dim defaults to hidden_size / num_attention_heads. */
    int defaultHeadDim() {
        return defaultHeadDim;
    }

    /** True for the GPT-2 family's blocks (LayerNorm, learned positions, Conv1D projections), decided once here. */
    public boolean isGpt2() {
        return this == GPT2;
    }

    public static Optional<ModelType> parse(String modelType) {
        return Arrays.stream(values()).filter(t -> t.id.equals(modelType)).findFirst();
    }
}
