package io.passk.hf.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.passk.random.SeededRandom;

import java.util.SplittableRandom;

/**
 * The low-rank update of one {@link HfLinear} (LoRA, Hu et al. 2021, as PEFT computes it):
 * {@code delta(x) = scaling * dropout(x) A^T B^T} with {@code A [rank, in]}, {@code B [out, rank]}
 * and {@code scaling = alpha / rank}, added to the frozen {@code x W^T (+ b)}. Its two parameters
 * carry PEFT's saved names, {@code base_model.model.PREFIX.lora_A.weight} and
 * {@code ...lora_B.weight}, so an adapter file's tensors map onto them one to one.
 *
 * <p>Dropout (inverted: kept inputs scaled by {@code 1 / (1 - p)}) acts only in training
 * forwards, and its mask is drawn on the host from {@code key(dropoutKey, hash(name of A))}: a
 * function of the key the policy sets per forward ({@link CausalLm#setDropoutKey}), never of
 * the engine's global random generator.
 */
public final class LoraAdapter {
    /** PEFT's prefix of every adapter tensor of a causal LM ({@code PeftModelForCausalLM.base_model.model}). */
    public static final String PEFT_PREFIX = "base_model.model.";

    private final String module;
    private final Parameter a;
    private final Parameter b;
    private final double scaling;
    private final double dropout;
    private volatile long dropoutKey;

    LoraAdapter(String module, NDArray aArray, NDArray bArray, double scaling, double dropout) {
        this.module = module;
        this.a = Parameter.builder().setName(nameA(module)).setType(Parameter.Type.WEIGHT).build();
        this.b = Parameter.builder().setName(nameB(module)).setType(Parameter.Type.WEIGHT).build();
        a.setArray(aArray);
        b.setArray(bArray);
        this.scaling = scaling;
        this.dropout = dropout;
    }

    /** PEFT's saved name of the {@code A} matrix of the module {@code module} (a Hugging Face prefix). */
    public static String nameA(String module) {
        return PEFT_PREFIX + module + ".lora_A.weight";
    }

    /** PEFT's saved name of the {@code B} matrix of the module {@code module}. */
    public static String nameB(String module) {
        return PEFT_PREFIX + module + ".lora_B.weight";
    }

    /**
     * PEFT's initial {@code A} of a module with {@code in} input features: Kaiming-uniform with
     * {@code a = sqrt(5)} as {@code nn.init.kaiming_uniform_} draws it, i.e. uniform on
     * {@code [-1/sqrt(in), 1/sqrt(in))}, here from {@code SplittableRandom(key(seed, hash(name)))}
     * so that each tensor is a function of (run seed, tensor name) alone. {@code B} starts at zero.
     */
    public static float[] kaimingUniformA(long seed, String name, int rank, long in) {
        double bound = 1.0 / Math.sqrt(in);
        SplittableRandom rnd = new SplittableRandom(SeededRandom.key(seed, SeededRandom.hash(name)));
        float[] out = new float[Math.multiplyExact(rank, Math.toIntExact(in))];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (bound * (2 * rnd.nextDouble() - 1));
        }
        return out;
    }

    /** The Hugging Face prefix of the adapted module, e.g. {@code model.layers.0.self_attn.q_proj}. */
    public String module() {
        return module;
    }

    public Parameter a() {
        return a;
    }

    public Parameter b() {
        return b;
    }

    public double scaling() {
        return scaling;
    }

    void setDropoutKey(long key) {
        this.dropoutKey = key;
    }

    /** {@code scaling * dropout(x) A^T B^T} of {@code x (..., in)}. */
    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray wa = ps.getValue(a, x.getDevice(), training);
        NDArray wb = ps.getValue(b, x.getDevice(), training);
        NDArray in = training && dropout > 0 ? x.mul(dropoutMask(x)) : x;
        NDArray low = Linear.linear(in, wa).singletonOrThrow();
        return Linear.linear(low, wb).singletonOrThrow().mul(scaling);
    }

    private NDArray dropoutMask(NDArray x) {
        Shape shape = x.getShape();
        float[] mask = new float[Math.toIntExact(shape.size())];
        SplittableRandom rnd = new SplittableRandom(SeededRandom.key(dropoutKey, SeededRandom.hash(a.getName())));
        float kept = (float) (1.0 / (1.0 - dropout));
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rnd.nextDouble() < dropout ? 0f : kept;
        }
        NDArray m = x.getManager().create(mask, shape);
        return m.getDataType() == x.getDataType() ? m : m.toType(x.getDataType(), false);
    }
}
