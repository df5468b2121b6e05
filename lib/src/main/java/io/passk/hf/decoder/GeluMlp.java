package io.passk.hf.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import io.passk.hf.DecoderConfig;

/**
 * GPT-2's MLP: {@code c_proj(gelu(c_fc(x)))}, both {@code Conv1D} with biases. The GELU is the
 * config's: the exact {@code x * Phi(x)} (transformers' "gelu", PyTorch's default, computed with
 * erf) or the tanh approximation {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}
 * ("gelu_new", GPT-2's default).
 */
public final class GeluMlp extends CheckpointBlock {
    private final HfLinear fc;
    private final HfLinear proj;
    private final boolean tanh;

    /**
     * @param activation {@link DecoderConfig#GELU} or {@link DecoderConfig#GELU_TANH}
     */
    public GeluMlp(String prefix, long hidden, long inner, String activation) {
        this.fc = addChildBlock("c_fc", new HfLinear(prefix + ".c_fc", inner, true, true));
        this.proj = addChildBlock("c_proj", new HfLinear(prefix + ".c_proj", hidden, true, true));
        this.tanh = switch (activation) {
            case DecoderConfig.GELU -> false;
            case DecoderConfig.GELU_TANH -> true;
            default -> throw new IllegalArgumentException("GPT-2 MLP activation " + activation);
        };
    }

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = fc.apply(ps, x, training);
        return proj.apply(ps, tanh ? geluTanh(h) : Activation.gelu(h), training);
    }

    private static NDArray geluTanh(NDArray x) {
        NDArray inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2.0 / Math.PI));
        return x.mul(0.5).mul(inner.tanh().add(1.0));
    }

    /** The projections by module name ({@code c_fc}, {@code mlp.c_proj}). */
    java.util.Map<String, HfLinear> linears() {
        java.util.Map<String, HfLinear> m = new java.util.LinkedHashMap<>();
        m.put("c_fc", fc);
        m.put("mlp.c_proj", proj);
        return m;
    }
}
