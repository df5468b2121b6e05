package io.passk.hf.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.passk.hf.DecoderConfig;

/**
 * {@code model.layers.{i}}: {@code h = x + self_attn(input_layernorm(x))}, then
 * {@code h + mlp(post_attention_layernorm(h))}; for gpt2 {@code transformer.h.{i}}:
 * {@code h = x + attn(ln_1(x))}, then {@code h + mlp(ln_2(h))} (LayerNorms, {@link GeluMlp}).
 */
public final class HfDecoderLayer extends AbstractBlock {
    private final int index;
    private final CheckpointBlock inputNorm;
    private final Attention attention;
    private final CheckpointBlock postNorm;
    private final CheckpointBlock mlp;
    private final java.util.Map<String, HfLinear> mlpLinears;
    private final Rotary rotary;

    public HfDecoderLayer(int index, DecoderConfig c) {
        this.index = index;
        if (c.modelType().isGpt2()) {
            String p = "transformer.h." + index;
            this.inputNorm = addChildBlock("ln_1", new HfLayerNorm(p + ".ln_1", c.rmsNormEps()));
            this.attention = addChildBlock("attn", new Attention(p + ".attn", c));
            this.postNorm = addChildBlock("ln_2", new HfLayerNorm(p + ".ln_2", c.rmsNormEps()));
            GeluMlp gelu = addChildBlock("mlp", new GeluMlp(p + ".mlp", c.hiddenSize(), c.intermediateSize(),
                    c.hiddenAct()));
            this.mlp = gelu;
            this.mlpLinears = gelu.linears();
            this.rotary = null;
            return;
        }
        String p = "model.layers." + index;
        this.inputNorm = addChildBlock("input_layernorm", new RmsNorm(p + ".input_layernorm", c.rmsNormEps()));
        this.attention = addChildBlock("self_attn", new Attention(p + ".self_attn", c));
        this.postNorm = addChildBlock("post_attention_layernorm",
                new RmsNorm(p + ".post_attention_layernorm", c.rmsNormEps()));
        Mlp swiglu = addChildBlock("mlp", new Mlp(p + ".mlp", c.hiddenSize(), c.intermediateSize()));
        this.mlp = swiglu;
        this.mlpLinears = swiglu.linears();
        this.rotary = new Rotary(c.headDim(), c.ropeTheta());
    }

    /** See {@link Attention#apply}. */
    public NDArray apply(ParameterStore ps, NDArray x, AttentionInput in, HfKvCache cache, boolean training) {
        NDArray h = x.add(attention.apply(ps, inputNorm.apply(ps, x, training), in, cache, index, training));
        return h.add(mlp.apply(ps, postNorm.apply(ps, h, training), training));
    }

    /** The layer's projections by module name, attention's first (PEFT's target_modules names; gpt2 see {@link Attention#linears}). */
    java.util.Map<String, HfLinear> linears() {
        java.util.Map<String, HfLinear> m = new java.util.LinkedHashMap<>(attention.linears());
        m.putAll(mlpLinears);
        return m;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        AttentionInput in = AttentionInput.unpadded(x.getManager(), rotary, (int) x.getShape().get(0),
                (int) x.getShape().get(1), x.getDataType());
        return new NDList(apply(ps, x, in, null, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // weights come from a checkpoint (CausalLm.build)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[]{inputShapes[0]};
    }
}
