package io.passk.policy.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Position-wise MLP {@code fc2(gelu(fc1(x)))} with hidden size {@code multiplier * width}. */
public final class FeedForward extends AbstractBlock {
    private final int width;
    private final int hidden;
    private final Linear fc1;
    private final Linear fc2;

    public FeedForward(int width, int hidden) {
        this.width = width;
        this.hidden = hidden;
        this.fc1 = addChildBlock("fc1", Linear.builder().setUnits(hidden).build());
        this.fc2 = addChildBlock("fc2", Linear.builder().setUnits(width).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray h = Activation.gelu(fc1.forward(ps, inputs, training).singletonOrThrow());
        return fc2.forward(ps, new NDList(h), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        fc1.initialize(manager, dataType, in);
        Shape mid = in.slice(0, in.dimension() - 1).add(hidden);
        fc2.initialize(manager, dataType, mid);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[]{in.slice(0, in.dimension() - 1).add(width)};
    }
}
