package io.passk.hf.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Root-mean-square norm over the last axis: {@code w * x / sqrt(mean(x^2) + eps)} (no mean
 * subtraction, no bias), parameter {@code PREFIX.weight}.
 */
public final class RmsNorm extends AbstractBlock {
    private final double eps;
    private final Parameter weight;

    public RmsNorm(String prefix, double eps) {
        this.eps = eps;
        this.weight = addParameter(Parameter.builder().setName(prefix + ".weight").setType(Parameter.Type.GAMMA).build());
    }

    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray meanSquare = x.square().mean(new int[]{-1}, true);
        return x.div(meanSquare.add(eps).sqrt()).mul(w);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
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
