package io.passk.policy.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-norm transformer layer: {@code x + attn(ln1(x))}, then {@code x + ffn(ln2(x))}.
 */
public final class DecoderLayer extends AbstractBlock {
    private final LayerNorm norm1;
    private final CausalSelfAttention attention;
    private final LayerNorm norm2;
    private final FeedForward feedForward;

    public DecoderLayer(int width, int heads, int hidden) {
        this.norm1 = addChildBlock("ln1", LayerNorm.builder().axis(2).build());
        this.attention = addChildBlock("attn", new CausalSelfAttention(width, heads));
        this.norm2 = addChildBlock("ln2", LayerNorm.builder().axis(2).build());
        this.feedForward = addChildBlock("ffn", new FeedForward(width, hidden));
    }

    /** See {@link CausalSelfAttention#attend}. */
    public NDArray forward(ParameterStore ps, NDArray x, NDArray bias, KvCache cache, int layer,
                           boolean training) {
        NDArray a = attention.attend(ps, norm1.forward(ps, new NDList(x), training).singletonOrThrow(),
                bias, cache, layer, training);
        NDArray h = x.add(a);
        NDArray f = feedForward.forward(ps, norm2.forward(ps, new NDList(h), training), training)
                .singletonOrThrow();
        return h.add(f);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray bias = AttentionBias.causal(x.getManager(), null, 0, (int) x.getShape().get(1));
        return new NDList(forward(ps, x, bias, null, 0, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        norm1.initialize(manager, dataType, inputShapes[0]);
        attention.initialize(manager, dataType, inputShapes[0]);
        norm2.initialize(manager, dataType, inputShapes[0]);
        feedForward.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[]{inputShapes[0]};
    }
}
