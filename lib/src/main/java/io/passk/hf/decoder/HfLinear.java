package io.passk.hf.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/**
 * {@code y = x W^T (+ b)} with PyTorch's {@code [out, in]} weight layout, its parameters named
 * {@code PREFIX.weight} and {@code PREFIX.bias} as in the Hugging Face checkpoint.
 */
public final class HfLinear extends CheckpointBlock {
    private final long out;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * @param prefix the module's Hugging Face name, e.g. {@code model.layers.0.mlp.up_proj}
     * @param out    output features
     */
    public HfLinear(String prefix, long out, boolean hasBias) {
        this.out = out;
        this.weight = addParameter(Parameter.builder().setName(prefix + ".weight").setType(Parameter.Type.WEIGHT).build());
        this.bias = hasBias
                ? addParameter(Parameter.builder().setName(prefix + ".bias").setType(Parameter.Type.BIAS).build())
                : null;
    }

    /** Applies the layer to {@code x (..., in)}. */
    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        return b == null ? Linear.linear(x, w).singletonOrThrow() : Linear.linear(x, w, b).singletonOrThrow();
    }

    /** The weight parameter (the tied head reads the embedding through it). */
    Parameter weight() {
        return weight;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[]{in.slice(0, in.dimension() - 1).add(out)};
    }
}
