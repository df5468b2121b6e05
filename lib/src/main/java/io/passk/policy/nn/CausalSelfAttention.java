package io.passk.policy.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head causal self-attention: {@code softmax(Q K^T / sqrt(d_head) + bias) V}, with the
 * query/key/value projections fused in one {@code qkv} linear layer and an output projection
 * {@code proj}. With a {@link KvCache} the keys and values of earlier positions come from the
 * cache and only the new positions are projected.
 */
public final class CausalSelfAttention extends AbstractBlock {
    private final int width;
    private final int heads;
    private final Linear qkv;
    private final Linear proj;

    public CausalSelfAttention(int width, int heads) {
        if (width % heads != 0) {
            throw new IllegalArgumentException("width " + width + " is not a multiple of heads " + heads);
        }
        this.width = width;
        this.heads = heads;
        this.qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * width).build());
        this.proj = addChildBlock("proj", Linear.builder().setUnits(width).build());
    }

    /**
     * @param x     input {@code (rows, queries, width)}
     * @param bias  additive mask {@code (rows or 1, 1, queries, keys)}, see {@link AttentionBias}
     * @param cache keys/values of earlier positions, appended to; null for a full forward pass
     */
    public NDArray attend(ParameterStore ps, NDArray x, NDArray bias, KvCache cache, int layer,
                          boolean training) {
        Shape s = x.getShape();
        long rows = s.get(0);
        long queries = s.get(1);
        long headDim = width / heads;
        NDList parts = qkv.forward(ps, new NDList(x), training).singletonOrThrow().split(3, 2);
        // scale q (rows x queries x width) rather than the scores (rows x heads x queries x keys)
        NDArray q = toHeads(parts.get(0).mul(1.0 / Math.sqrt(headDim)), rows, queries, headDim);
        NDArray k = toHeads(parts.get(1), rows, queries, headDim);
        NDArray v = toHeads(parts.get(2), rows, queries, headDim);
        if (cache != null) {
            NDArray[] kv = cache.append(layer, k, v);
            k = kv[0];
            v = kv[1];
        }
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).add(bias);
        NDArray mixed = scores.softmax(-1).matMul(v)             // (rows, heads, queries, headDim)
                .transpose(0, 2, 1, 3).reshape(rows, queries, width);
        return proj.forward(ps, new NDList(mixed), training).singletonOrThrow();
    }

    private NDArray toHeads(NDArray a, long rows, long queries, long headDim) {
        return a.reshape(rows, queries, heads, headDim).transpose(0, 2, 1, 3);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray bias = AttentionBias.causal(x.getManager(), null, 0, (int) x.getShape().get(1));
        return new NDList(attend(ps, x, bias, null, 0, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        qkv.initialize(manager, dataType, inputShapes[0]);
        proj.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[]{inputShapes[0]};
    }
}
