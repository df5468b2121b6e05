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

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray g = gate.apply(ps, x, training);
        NDArray silu = g.mul(Activation.sigmoid(g));
        return down.apply(ps, silu.mul(up.apply(ps, x, training)), training);
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
