package io.passk.hf.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.passk.hf.DecoderConfig;

/**
 * Causal self-attention with grouped-query heads ({@code self_attn} of a Hugging Face decoder
 * layer): {@code q_proj}, {@code k_proj}, {@code v_proj} (biases for qwen2), optional per-head
 * {@code q_norm} / {@code k_norm} before the rotary embedding (qwen3), then
 * {@code softmax(q k^T / sqrt(head_dim) + mask) v} and {@code o_proj}. Query head {@code h} reads
 * key/value head {@code h / (heads / kvHeads)}, as {@code repeat_kv} arranges it; the keys and
 * values are not repeated: the queries of a group are stacked against their one key head instead.
 *
 * <p>GPT-2's {@code attn} is the same computation with one fused projection: {@code c_attn}
 * ({@code Conv1D}, hidden to 3 x hidden, bias) whose output splits into q, k and v of hidden
 * columns each (head {@code h} their columns {@code h * head_dim ..}), no rotary embedding, as many
 * key-value heads as heads, and {@code c_proj} ({@code Conv1D}, bias) for the output.
 */
public final class Attention extends AbstractBlock {
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final long hidden;
    private final HfLinear q;
    private final HfLinear k;
    private final HfLinear v;
    private final HfLinear o;
    /** GPT-2's fused q/k/v projection; null for the other families (and then q, k, v are set). */
    private final HfLinear qkv;
    private final RmsNorm qNorm;
    private final RmsNorm kNorm;
    private final Rotary rotary;

    public Attention(String prefix, DecoderConfig c) {
        this.heads = c.numAttentionHeads();
        this.kvHeads = c.numKeyValueHeads();
        this.headDim = c.headDim();
        this.hidden = c.hiddenSize();
        if (c.modelType().isGpt2()) {
            this.qkv = addChildBlock("c_attn", new HfLinear(prefix + ".c_attn", 3L * c.hiddenSize(), true, true));
            this.o = addChildBlock("c_proj", new HfLinear(prefix + ".c_proj", c.hiddenSize(), true, true));
            this.q = null;
            this.k = null;
            this.v = null;
            this.qNorm = null;
            this.kNorm = null;
            this.rotary = null;
            return;
        }
        this.qkv = null;
        this.q = addChildBlock("q_proj", new HfLinear(prefix + ".q_proj", c.qDim(), c.qkvBias()));
        this.k = addChildBlock("k_proj", new HfLinear(prefix + ".k_proj", c.kvDim(), c.qkvBias()));
        this.v = addChildBlock("v_proj", new HfLinear(prefix + ".v_proj", c.kvDim(), c.qkvBias()));
        this.o = addChildBlock("o_proj", new HfLinear(prefix + ".o_proj", c.hiddenSize(), c.outputBias()));
        this.qNorm = c.qkNorm() ? addChildBlock("q_norm", new RmsNorm(prefix + ".q_norm", c.rmsNormEps())) : null;
        this.rotary = new Rotary(c.headDim(), c.ropeTheta());
        this.kNorm = c.qkNorm() ? addChildBlock("k_norm", new RmsNorm(prefix + ".k_norm", c.rmsNormEps())) : null;
    }

    /**
     * @param x     {@code (rows, queries, hidden)}
     * @param in    rotary cos/sin and the additive mask of these queries
     * @param cache earlier columns' keys and values, appended to; null for a full forward
     */
    public NDArray apply(ParameterStore ps, NDArray x, AttentionInput in, HfKvCache cache, int layer, boolean training) {
        Shape s = x.getShape();
        long rows = s.get(0);
        long queries = s.get(1);
        NDArray qh;
        NDArray kh;
        NDArray vh;
        if (qkv != null) {
            ai.djl.ndarray.NDList parts = qkv.apply(ps, x, training).split(3, 2);
            qh = parts.get(0).reshape(rows, queries, heads, headDim).transpose(0, 2, 1, 3);
            kh = parts.get(1).reshape(rows, queries, kvHeads, headDim).transpose(0, 2, 1, 3);
            vh = parts.get(2).reshape(rows, queries, kvHeads, headDim).transpose(0, 2, 1, 3);
        } else {
            qh = q.apply(ps, x, training).reshape(rows, queries, heads, headDim);
            kh = k.apply(ps, x, training).reshape(rows, queries, kvHeads, headDim);
            vh = v.apply(ps, x, training).reshape(rows, queries, kvHeads, headDim).transpose(0, 2, 1, 3);
            if (qNorm != null) {
                qh = qNorm.apply(ps, qh, training);
                kh = kNorm.apply(ps, kh, training);
            }
            qh = Rotary.apply(qh.transpose(0, 2, 1, 3), in.cos(), in.sin());      // (rows, heads, q, hd)
            kh = Rotary.apply(kh.transpose(0, 2, 1, 3), in.cos(), in.sin());      // (rows, kvHeads, q, hd)
        }
        if (cache != null) {
            NDArray[] kv = cache.append(layer, kh, vh);
            kh = kv[0];
            vh = kv[1];
        }
        long keys = kh.getShape().get(2);
        int group = heads / kvHeads;
        // (rows, kvHeads, group * q, hd): the `group` query heads of one key head, stacked
        NDArray grouped = qh.mul(1.0 / Math.sqrt(headDim)).reshape(rows, kvHeads, group * queries, headDim);
        NDArray scores = grouped.matMul(kh.transpose(0, 1, 3, 2))
                .reshape(rows, kvHeads, group, queries, keys)
                .add(in.mask());
        NDArray mixed = scores.softmax(-1).reshape(rows, kvHeads, group * queries, keys).matMul(vh)
                .reshape(rows, heads, queries, headDim).transpose(0, 2, 1, 3)
                .reshape(rows, queries, (long) heads * headDim);
        return o.apply(ps, mixed, training);
    }

    /**
     * The projections by module name ({@code q_proj}, {@code k_proj}, {@code v_proj}, {@code o_proj};
     * gpt2: {@code c_attn}, {@code attn.c_proj}).
     */
    java.util.Map<String, HfLinear> linears() {
        java.util.Map<String, HfLinear> m = new java.util.LinkedHashMap<>();
        if (qkv != null) {
            m.put("c_attn", qkv);
            m.put("attn.c_proj", o);
            return m;
        }
        m.put("q_proj", q);
        m.put("k_proj", k);
        m.put("v_proj", v);
        m.put("o_proj", o);
        return m;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        AttentionInput in = AttentionInput.unpadded(x.getManager(), rotary, (int) x.getShape().get(0),
                (int) x.getShape().get(1), x.getDataType());
        return new NDList(apply(ps, x, in, null, 0, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // weights come from a checkpoint (CausalLm.build)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[]{new Shape(inputShapes[0].get(0), inputShapes[0].get(1), hidden)};
    }
}
