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
 * {@code h + mlp(post_attention_layernorm(h))}.
 */
public final class HfDecoderLayer extends AbstractBlock {
    private final int index;
    private final RmsNorm inputNorm;
    private final Attention attention;
    private final RmsNorm postNorm;
    private final Mlp mlp;
    private final Rotary rotary;

    public HfDecoderLayer(int index, DecoderConfig c) {
        String p = "model.layers." + index;
        this.index = index;
        this.inputNorm = addChildBlock("input_layernorm", new RmsNorm(p + ".input_layernorm", c.rmsNormEps()));
        this.attention = addChildBlock("self_attn", new Attention(p + ".self_attn", c));
        this.postNorm = addChildBlock("post_attention_layernorm",
                new RmsNorm(p + ".post_attention_layernorm", c.rmsNormEps()));
        this.mlp = addChildBlock("mlp", new Mlp(p + ".mlp", c.hiddenSize(), c.intermediateSize()));
        this.rotary = new Rotary(c.headDim(), c.ropeTheta());
    }

    /** See {@link Attention#apply}. */
    public NDArray apply(ParameterStore ps, NDArray x, AttentionInput in, HfKvCache cache, boolean training) {
        NDArray h = x.add(attention.apply(ps, inputNorm.apply(ps, x, training), in, cache, index, training));
        return h.add(mlp.apply(ps, postNorm.apply(ps, h, training), training));
    }

    /** The layer's seven projections by module name, attention's first (PEFT's target_modules names). */
    java.util.Map<String, HfLinear> linears() {
        java.util.Map<String, HfLinear> m = new java.util.LinkedHashMap<>(attention.linears());
        m.putAll(mlp.linears());
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
