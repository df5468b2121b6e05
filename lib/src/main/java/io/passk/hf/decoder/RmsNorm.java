package io.passk.hf.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * Root-mean-square norm over the last axis: {@code w * x / sqrt(mean(x^2) + eps)} (no mean
 * subtraction, no bias), parameter {@code PREFIX.weight}.
 */
public final class RmsNorm extends CheckpointBlock {
    private final double eps;
    private final Parameter weight;

    public RmsNorm(String prefix, double eps) {
        this.eps = eps;
        this.weight = addParameter(Parameter.builder().setName(prefix + ".weight").setType(Parameter.Type.GAMMA).build());
    }

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray meanSquare = x.square().mean(new int[]{-1}, true);
        return x.div(meanSquare.add(eps).sqrt()).mul(w);
    }
}
