package io.passk.hf;

import io.passk.BadInputException;
import io.passk.hf.safetensors.TensorInfo;
import io.passk.hf.safetensors.TensorSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors of a decoder by their Hugging Face names, with the shapes its
 * {@link DecoderConfig} implies ({@code [out, in]} for a linear weight, as PyTorch stores it):
 * <pre>
 * model.embed_tokens.weight                          [vocab, hidden]
 * model.layers.{i}.input_layernorm.weight            [hidden]
 * model.layers.{i}.self_attn.q_proj.weight           [heads * head_dim, hidden]   (+ .bias [heads * head_dim] if qkvBias)
 * model.layers.{i}.self_attn.k_proj.weight           [kv_heads * head_dim, hidden] (+ .bias if qkvBias)
 * model.layers.{i}.self_attn.v_proj.weight           [kv_heads * head_dim, hidden] (+ .bias if qkvBias)
 * model.layers.{i}.self_attn.o_proj.weight           [hidden, heads * head_dim]   (+ .bias [hidden] if outputBias)
 * model.layers.{i}.self_attn.q_norm.weight           [head_dim]                   (qwen3)
 * model.layers.{i}.self_attn.k_norm.weight           [head_dim]                   (qwen3)
 * model.layers.{i}.post_attention_layernorm.weight   [hidden]
 * model.layers.{i}.mlp.gate_proj.weight              [intermediate, hidden]
 * model.layers.{i}.mlp.up_proj.weight                [intermediate, hidden]
 * model.layers.{i}.mlp.down_proj.weight              [hidden, intermediate]
 * model.norm.weight                                  [hidden]
 * lm_head.weight                                     [vocab, hidden]              (unless tie_word_embeddings)
 * </pre>
 * and for {@code gpt2} ({@code GPT2LMHeadModel}; its {@code Conv1D} weights are {@code [in, out]}):
 * <pre>
 * transformer.wte.weight                             [vocab, hidden]
 * transformer.wpe.weight                             [n_positions, hidden]
 * transformer.h.{i}.ln_1.weight, .bias               [hidden]
 * transformer.h.{i}.attn.c_attn.weight               [hidden, 3 * hidden]   .bias [3 * hidden]
 * transformer.h.{i}.attn.c_proj.weight               [hidden, hidden]       .bias [hidden]
 * transformer.h.{i}.ln_2.weight, .bias               [hidden]
 * transformer.h.{i}.mlp.c_fc.weight                  [hidden, n_inner]      .bias [n_inner]
 * transformer.h.{i}.mlp.c_proj.weight                [n_inner, hidden]      .bias [hidden]
 * transformer.ln_f.weight, .bias                     [hidden]
 * lm_head.weight                                     [vocab, hidden]        (unless tie_word_embeddings)
 * </pre>
 */
public final class DecoderTensors {

    private DecoderTensors() {
    }

    /** Every tensor the decoder needs, in layer order, with its shape. */
    public static Map<String, List<Long>> expected(DecoderConfig c) {
        if (c.modelType().isGpt2()) {
            return expectedGpt2(c);
        }
        Map<String, List<Long>> t = new LinkedHashMap<>();
        long h = c.hiddenSize();
        t.put("model.embed_tokens.weight", List.of((long) c.vocabSize(), h));
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String p = "model.layers." + i + ".";
            t.put(p + "input_layernorm.weight", List.of(h));
            for (String proj : List.of("q", "k", "v")) {
                long out = proj.equals("q") ? c.qDim() : c.kvDim();
                t.put(p + "self_attn." + proj + "_proj.weight", List.of(out, h));
                if (c.qkvBias()) {
                    t.put(p + "self_attn." + proj + "_proj.bias", List.of(out));
                }
            }
            t.put(p + "self_attn.o_proj.weight", List.of(h, (long) c.qDim()));
            if (c.outputBias()) {
                t.put(p + "self_attn.o_proj.bias", List.of(h));
            }
            if (c.qkNorm()) {
                t.put(p + "self_attn.q_norm.weight", List.of((long) c.headDim()));
                t.put(p + "self_attn.k_norm.weight", List.of((long) c.headDim()));
            }
            t.put(p + "post_attention_layernorm.weight", List.of(h));
            t.put(p + "mlp.gate_proj.weight", List.of((long) c.intermediateSize(), h));
            t.put(p + "mlp.up_proj.weight", List.of((long) c.intermediateSize(), h));
            t.put(p + "mlp.down_proj.weight", List.of(h, (long) c.intermediateSize()));
        }
        t.put("model.norm.weight", List.of(h));
        if (!c.tieWordEmbeddings()) {
            t.put("lm_head.weight", List.of((long) c.vocabSize(), h));
        }
        return t;
    }

    private static Map<String, List<Long>> expectedGpt2(DecoderConfig c) {
        Map<String, List<Long>> t = new LinkedHashMap<>();
        long h = c.hiddenSize();
        long inner = c.intermediateSize();
        t.put("transformer.wte.weight", List.of((long) c.vocabSize(), h));
        t.put("transformer.wpe.weight", List.of((long) c.maxPositionEmbeddings(), h));
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String p = "transformer.h." + i + ".";
            t.put(p + "ln_1.weight", List.of(h));
            t.put(p + "ln_1.bias", List.of(h));
            t.put(p + "attn.c_attn.weight", List.of(h, 3 * h));
            t.put(p + "attn.c_attn.bias", List.of(3 * h));
            t.put(p + "attn.c_proj.weight", List.of(h, h));
            t.put(p + "attn.c_proj.bias", List.of(h));
            t.put(p + "ln_2.weight", List.of(h));
            t.put(p + "ln_2.bias", List.of(h));
            t.put(p + "mlp.c_fc.weight", List.of(h, inner));
            t.put(p + "mlp.c_fc.bias", List.of(inner));
            t.put(p + "mlp.c_proj.weight", List.of(inner, h));
            t.put(p + "mlp.c_proj.bias", List.of(h));
        }
        t.put("transformer.ln_f.weight", List.of(h));
        t.put("transformer.ln_f.bias", List.of(h));
        if (!c.tieWordEmbeddings()) {
            t.put("lm_head.weight", List.of((long) c.vocabSize(), h));
        }
        return t;
    }

    /**
     * Checks that {@code weights} holds exactly the decoder's tensors, each a float type of the
     * expected shape. Tolerated extras, as {@code transformers} tolerates them: rotary
     * {@code inv_freq} buffers of old checkpoints and {@code lm_head.weight} of a tied model.
     * Any other extra tensor is refused: the decoder would ignore it and compute other logits
     * than the model's authors.
     *
     * @param weightsFile the file named when a tensor is missing (model.safetensors or the index)
     */
    public static void check(DecoderConfig config, TensorSource weights, Path weightsFile, Path configFile) {
        Map<String, List<Long>> expected = expected(config);
        for (Map.Entry<String, List<Long>> e : expected.entrySet()) {
            String name = e.getKey();
            TensorInfo info = weights.find(name).orElseThrow(() -> new BadInputException(weightsFile + ": no tensor '"
                    + name + "', which a " + config.modelType().id() + " decoder with the shape of " + configFile.getFileName()
                    + " needs"));
            if (!info.shape().equals(e.getValue())) {
                throw new BadInputException(weights.fileOf(name) + ": tensor '" + name + "' has shape " + info.shape()
                        + ", but " + configFile.getFileName() + " implies " + e.getValue());
            }
            if (!info.dtype().readableAsFloat()) {
                throw new BadInputException(weights.fileOf(name) + ": tensor '" + name + "' is " + info.dtype()
                        + "; decoder weights must be F32, F16 or BF16");
            }
        }
        for (String name : weights.names()) {
            // gpt2: the causal-mask buffers older transformers saved ({@code attn.bias}, {@code attn.masked_bias})
            boolean tolerated = name.endsWith(".rotary_emb.inv_freq")
                    || (config.modelType().isGpt2() && (name.endsWith(".attn.bias") || name.endsWith(".attn.masked_bias")))
                    || (name.equals("lm_head.weight") && config.tieWordEmbeddings());
            if (!expected.containsKey(name) && !tolerated) {
                throw new BadInputException(weights.fileOf(name) + ": tensor '" + name + "' is not part of a "
                        + config.modelType().id() + " decoder as " + configFile.getFileName() + " describes it ("
                        + config.numHiddenLayers() + " layers, qkv bias " + config.qkvBias() + ", tied embeddings "
                        + config.tieWordEmbeddings() + "); passk would ignore it");
            }
        }
    }
}
