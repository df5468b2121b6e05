package io.passk.hf.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;

/** SwiGLU MLP: {@code down_proj(silu(gate_proj(x)) * up_proj(x))}, no biases. */
public final class Mlp extends CheckpointBlock {
    private final HfLinear gate;
    private final HfLinear up;
    private final HfLinear down;

    public Mlp(String prefix, long hidden, long intermediate) {
        this.gate = addChildBlock("gate_proj", new HfLinear(prefix + ".gate_proj", intermediate, false));
        this.up = addChildBlock("up_proj", new HfLinear(prefix + ".up_proj", intermediate, false));
        this.down = addChildBlock("down_proj", new HfLinear(prefix + ".down_proj", hidden, false));
    }

    /**
     * {@code silu(g) = g * sigmoid(g)} (DJL has no fused SiLU). With autograd off (this thread's
     * grad mode) the two products are taken in place in the sigmoid's array: a prefill's
     * {@code (rows, queries, intermediate)} arrays are tens of MB, and each fresh one costs the
     * kernel zeroing its pages (profiled, 0.5B shape: about 0.1 s each at 32 x 64 tokens, as long
     * as the product itself). The products are the same, so the bits are too.
     */
    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray g = gate.apply(ps, x, training);
        NDArray u = up.apply(ps, x, training);
        NDArray s = Activation.sigmoid(g);
        if (!ai.djl.pytorch.jni.JniUtils.isGradMode()) {   // autograd records nothing: the sigmoid's array is free to reuse
            return down.apply(ps, s.muli(g).muli(u), training);
        }
        return down.apply(ps, g.mul(s).mul(u), training);
    }

    /** The projections by module name ({@code gate_proj}, {@code up_proj}, {@code down_proj}). */
    java.util.Map<String, HfLinear> linears() {
        java.util.Map<String, HfLinear> m = new java.util.LinkedHashMap<>();
        m.put("gate_proj", gate);
        m.put("up_proj", up);
        m.put("down_proj", down);
        return m;
    }
}
