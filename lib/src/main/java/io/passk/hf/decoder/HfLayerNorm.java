package io.passk.hf.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * Layer normalisation over the last axis, as {@code torch.nn.LayerNorm} (GPT-2's {@code ln_1},
 * {@code ln_2}, {@code ln_f}): {@code (x - mean(x)) / sqrt(var(x) + eps) * weight + bias} with the
 * biased variance {@code mean((x - mean(x))^2)}; parameters {@code PREFIX.weight} and
 * {@code PREFIX.bias}. Runs PyTorch's fused {@code layer_norm} kernel (DJL passes eps as a float).
 */
public final class HfLayerNorm extends CheckpointBlock {
    private final double eps;
    private final Parameter weight;
    private final Parameter bias;

    public HfLayerNorm(String prefix, double eps) {
        this.eps = eps;
        this.weight = addParameter(Parameter.builder().setName(prefix + ".weight").setType(Parameter.Type.GAMMA).build());
        this.bias = addParameter(Parameter.builder().setName(prefix + ".bias").setType(Parameter.Type.BETA).build());
    }

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        Shape last = new Shape(x.getShape().get(x.getShape().dimension() - 1));
        return x.getNDArrayInternal().layerNorm(x, last, w, b, (float) eps).singletonOrThrow();
    }
}
