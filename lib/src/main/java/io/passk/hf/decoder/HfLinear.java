package io.passk.hf.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/**
 * {@code y = x W^T (+ b)} with PyTorch's {@code [out, in]} weight layout, its parameters named
 * {@code PREFIX.weight} and {@code PREFIX.bias} as in the Hugging Face checkpoint; or, as
 * transformers' {@code Conv1D} (GPT-2's projections), {@code y = x W (+ b)} with the weight stored
 * {@code [in, out]}.
 */
public final class HfLinear extends CheckpointBlock {
    private final String prefix;
    private final long out;
    private final Parameter weight;
    private final Parameter bias;
    private final boolean conv1d;
    /** The LoRA update added to the output, or null ({@link CausalLm#attachAdapters}). */
    private volatile LoraAdapter adapter;

    /**
     * @param prefix the module's Hugging Face name, e.g. {@code model.layers.0.mlp.up_proj}
     * @param out    output features
     */
    public HfLinear(String prefix, long out, boolean hasBias) {
        this(prefix, out, hasBias, false);
    }

    /**
     * @param conv1d true for transformers' {@code Conv1D} layout: the weight is {@code [in, out]}
     */
    public HfLinear(String prefix, long out, boolean hasBias, boolean conv1d) {
        this.conv1d = conv1d;
        this.prefix = prefix;
        this.out = out;
        this.weight = addParameter(Parameter.builder().setName(prefix + ".weight").setType(Parameter.Type.WEIGHT).build());
        this.bias = hasBias
                ? addParameter(Parameter.builder().setName(prefix + ".bias").setType(Parameter.Type.BIAS).build())
                : null;
    }

    /** Applies the layer to {@code x (..., in)}: {@code x W^T (+ b)}, plus the adapter's update when one is attached. */
    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        NDArray y;
        if (conv1d) {
            y = b == null ? x.matMul(w) : x.matMul(w).add(b);
        } else {
            y = b == null ? Linear.linear(x, w).singletonOrThrow() : Linear.linear(x, w, b).singletonOrThrow();
        }
        LoraAdapter lora = adapter;
        return lora == null ? y : y.add(lora.apply(ps, x, training));
    }

    /** The module's Hugging Face name, e.g. {@code model.layers.0.mlp.up_proj}. */
    String prefix() {
        return prefix;
    }

    /** Input features, from the loaded weight. */
    long in() {
        return weight.getArray().getShape().get(conv1d ? 0 : 1);
    }

    /** Output features. */
    long out() {
        return out;
    }

    LoraAdapter adapter() {
        return adapter;
    }

    void attach(LoraAdapter lora) {
        if (adapter != null) {
            throw new IllegalStateException(prefix + " already has an adapter");
        }
        this.adapter = lora;
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
