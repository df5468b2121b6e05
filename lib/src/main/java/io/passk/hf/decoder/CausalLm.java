package io.passk.hf.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.passk.hf.DecoderConfig;
import io.passk.hf.DecoderTensors;
import io.passk.hf.ModelDirectory;
import io.passk.hf.safetensors.FloatTensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face {@code *ForCausalLM} decoder (qwen2, llama, qwen3, mistral without sliding
 * window) as one DJL block: {@code model.embed_tokens}, {@link HfDecoderLayer}s
 * {@code model.layers.{i}}, {@code model.norm}, and {@code lm_head} (or, with
 * {@code tie_word_embeddings}, the embedding matrix again). Every parameter's
 * {@link Parameter#getName() name} is its Hugging Face tensor name ({@link DecoderTensors}).
 *
 * <p>{@link #forwardInternal} (DJL's {@code forward}) takes token ids {@code (rows, length)} of
 * an unpadded causal batch and returns logits {@code (rows, length, vocab)}.
 * A {@code gpt2} config builds GPT-2's {@code GPT2LMHeadModel} instead: {@code transformer.wte}
 * plus the learned position embedding {@code transformer.wpe} (looked up at each column's
 * position, a row's first real token at 0), layers {@code transformer.h.{i}}, the LayerNorm
 * {@code transformer.ln_f}, and the head as above.
 * {@link #hidden} and {@link #head} are the general entry: left-padded rows ({@link AttentionInput})
 * and a {@link HfKvCache} for incremental decoding; the head runs only where logits are needed.
 */
public final class CausalLm extends AbstractBlock {

    /** Gives the array of one tensor (by Hugging Face name and shape) when the model is built. */
    @FunctionalInterface
    public interface WeightSource {
        NDArray get(String name, Shape shape);
    }

    private final DecoderConfig config;
    private final Rotary rotary;
    private final Parameter embedding;
    /** gpt2's learned position embedding {@code transformer.wpe}; null for rotary models. */
    private final Parameter positionEmbedding;
    private final HfDecoderLayer[] layers;
    private final CheckpointBlock norm;
    private final HfLinear lmHead;
    private DataType dataType = DataType.FLOAT32;

    public CausalLm(DecoderConfig config) {
        this.config = config;
        boolean gpt2 = config.modelType().isGpt2();
        this.rotary = gpt2 ? null : new Rotary(config.headDim(), config.ropeTheta());
        this.embedding = addParameter(Parameter.builder()
                .setName(gpt2 ? "transformer.wte.weight" : "model.embed_tokens.weight")
                .setType(Parameter.Type.WEIGHT).build());
        this.positionEmbedding = gpt2 ? addParameter(Parameter.builder().setName("transformer.wpe.weight")
                .setType(Parameter.Type.WEIGHT).build()) : null;
        this.layers = new HfDecoderLayer[config.numHiddenLayers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = addChildBlock("layer" + i, new HfDecoderLayer(i, config));
        }
        this.norm = gpt2 ? addChildBlock("ln_f", new HfLayerNorm("transformer.ln_f", config.rmsNormEps()))
                : addChildBlock("norm", new RmsNorm("model.norm", config.rmsNormEps()));
        this.lmHead = config.tieWordEmbeddings() ? null
                : addChildBlock("lm_head", new HfLinear("lm_head", config.vocabSize(), false));
    }

    /**
     * Loads the weights of a checked model directory, widened to F32 by the safetensors reader
     * and created as {@code dtype} (FLOAT32 to run, FLOAT64 for gradient checks) in
     * {@code manager}. Never creates a bfloat16 array.
     */
    public static CausalLm load(ModelDirectory dir, NDManager manager, DataType dtype) {
        return build(dir.config(), (name, shape) -> {
            NDArray a = manager.create(dir.readFloats(name), shape);
            if (dtype == DataType.FLOAT32) {
                return a;
            }
            NDArray cast = a.toType(dtype, false);
            a.close();
            return cast;
        });
    }

    /** A model of {@code config} whose tensors come from {@code source} (all of the same float type). */
    public static CausalLm build(DecoderConfig config, WeightSource source) {
        if (config.numHiddenLayers() < 1) {
            throw new IllegalArgumentException("a decoder needs at least one layer");
        }
        CausalLm model = new CausalLm(config);
        Map<String, List<Long>> shapes = DecoderTensors.expected(config);
        Map<String, Parameter> params = model.parametersByName();
        if (!params.keySet().equals(shapes.keySet())) {
            throw new IllegalStateException("decoder parameters " + params.keySet() + " != tensors " + shapes.keySet());
        }
        DataType dtype = null;
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Shape shape = new Shape(shapes.get(e.getKey()).stream().mapToLong(Long::longValue).toArray());
            NDArray array = source.get(e.getKey(), shape);
            if (!array.getShape().equals(shape)) {
                throw new IllegalArgumentException(e.getKey() + ": shape " + array.getShape() + ", expected " + shape);
            }
            if (dtype != null && array.getDataType() != dtype) {
                throw new IllegalArgumentException(e.getKey() + " is " + array.getDataType() + ", others " + dtype);
            }
            dtype = array.getDataType();
            e.getValue().setArray(array);
        }
        if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT64) {
            throw new IllegalArgumentException("decoder weights must be FLOAT32 or FLOAT64, got " + dtype);
        }
        model.dataType = dtype;
        return model;
    }

    public DecoderConfig config() {
        return config;
    }

    /** The rotary embedding; null for gpt2 (learned positions). */
    public Rotary rotary() {
        return rotary;
    }

    /** FLOAT32 or FLOAT64: the type of every weight, and of the inputs the model expects. */
    public DataType dataType() {
        return dataType;
    }

    /** Every parameter by its Hugging Face tensor name, in {@link DecoderTensors#expected} order. */
    public Map<String, Parameter> parametersByName() {
        Map<String, Parameter> byName = new LinkedHashMap<>();
        getParameters().forEach(p -> byName.put(p.getValue().getName(), p.getValue()));
        Map<String, Parameter> ordered = new LinkedHashMap<>();
        for (String name : DecoderTensors.expected(config).keySet()) {
            if (byName.containsKey(name)) {
                ordered.put(name, byName.get(name));
            }
        }
        byName.forEach(ordered::putIfAbsent);
        return Collections.unmodifiableMap(ordered);
    }

    /**
     * The current weights as F32 tensors by Hugging Face name (a tied model has no
     * {@code lm_head.weight}), ready for {@code SafetensorsWriter}: what a trained decoder saves.
     */
    public Map<String, FloatTensor> tensors() {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        parametersByName().forEach((name, p) -> out.put(name, f32(p.getArray())));
        return out;
    }

    /** The modules a LoRA adapter may target, in the order {@link #attachAdapters} attaches them within a layer. */
    public static final List<String> LORA_MODULES = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj",
            "up_proj", "down_proj");

    /**
     * A model of {@code base}'s configuration over the very same weight arrays (nothing copied):
     * adapters attached to it leave {@code base} as it is, and closing either model's manager
     * must wait until neither is used.
     */
    public static CausalLm sharing(CausalLm base) {
        Map<String, Parameter> params = base.parametersByName();
        return build(base.config, (name, shape) -> params.get(name).getArray());
    }

    /**
     * Attaches a LoRA adapter ({@link LoraAdapter}) to module {@code m} of every layer for each
     * {@code m} in {@code modules} (names of {@link #LORA_MODULES}); the arrays of
     * {@code A [rank, in]} and {@code B [out, rank]} come from {@code source} under their PEFT
     * names ({@link LoraAdapter#nameA}), in this model's {@link #dataType()}.
     *
     * @param scaling {@code alpha / rank}
     * @param dropout probability in [0, 1) of dropping an adapter input in a training forward
     * @return the adapter parameters by name: layer by layer, modules in {@link #LORA_MODULES} order, A before B
     */
    public Map<String, Parameter> attachAdapters(int rank, double scaling, double dropout,
                                                 java.util.Collection<String> modules, WeightSource source) {
        if (rank < 1) {
            throw new IllegalArgumentException("LoRA rank must be >= 1, got " + rank);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        for (String m : modules) {
            if (!LORA_MODULES.contains(m)) {
                throw new IllegalArgumentException("unknown LoRA target module " + m + ", expected one of " + LORA_MODULES);
            }
        }
        if (modules.isEmpty()) {
            throw new IllegalArgumentException("LoRA needs at least one target module");
        }
        if (config.modelType().isGpt2()) {
            throw new IllegalArgumentException("LoRA adapters on a gpt2 model are not supported; fine-tune it fully");
        }
        if (hasAdapters()) {
            throw new IllegalStateException("the model already has adapters");
        }
        for (HfDecoderLayer layer : layers) {
            for (Map.Entry<String, HfLinear> e : layer.linears().entrySet()) {
                if (!modules.contains(e.getKey())) {
                    continue;
                }
                HfLinear linear = e.getValue();
                long in = linear.in();
                String module = linear.prefix();
                NDArray a = adapterArray(source, LoraAdapter.nameA(module), new Shape(rank, in));
                NDArray b = adapterArray(source, LoraAdapter.nameB(module), new Shape(linear.out(), rank));
                linear.attach(new LoraAdapter(module, a, b, scaling, dropout));
            }
        }
        return adapterParameters();
    }

    private NDArray adapterArray(WeightSource source, String name, Shape shape) {
        NDArray array = source.get(name, shape);
        if (!array.getShape().equals(shape)) {
            throw new IllegalArgumentException(name + ": shape " + array.getShape() + ", expected " + shape);
        }
        if (array.getDataType() != dataType) {
            throw new IllegalArgumentException(name + " is " + array.getDataType() + ", the model " + dataType);
        }
        return array;
    }

    /** The attached adapters, layer by layer, modules in {@link #LORA_MODULES} order (empty without LoRA). */
    public List<LoraAdapter> adapters() {
        List<LoraAdapter> out = new java.util.ArrayList<>();
        for (HfDecoderLayer layer : layers) {
            for (HfLinear linear : layer.linears().values()) {
                if (linear.adapter() != null) {
                    out.add(linear.adapter());
                }
            }
        }
        return out;
    }

    public boolean hasAdapters() {
        return !adapters().isEmpty();
    }

    /** The adapter parameters by PEFT name, A before B per module, in {@link #adapters()} order. */
    public Map<String, Parameter> adapterParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (LoraAdapter a : adapters()) {
            out.put(a.a().getName(), a.a());
            out.put(a.b().getName(), a.b());
        }
        return Collections.unmodifiableMap(out);
    }

    /** The adapters' current values as F32 tensors by PEFT name: what an adapter checkpoint saves. */
    public Map<String, FloatTensor> adapterTensors() {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        adapterParameters().forEach((name, p) -> out.put(name, f32(p.getArray())));
        return out;
    }

    /**
     * Keys the dropout masks of the training forwards that follow ({@link LoraAdapter}); the
     * policy sets it from (seed, step, forward) before each one. No effect without dropout.
     */
    public void setDropoutKey(long key) {
        for (LoraAdapter a : adapters()) {
            a.setDropoutKey(key);
        }
    }

    private static FloatTensor f32(NDArray a) {
        float[] values = a.getDataType() == DataType.FLOAT32 ? a.toFloatArray()
                : a.toType(DataType.FLOAT32, false).toFloatArray();
        return FloatTensor.of(values, a.getShape().getShape());
    }

    /**
     * The final hidden states (after {@code model.norm}) of columns {@code [past, past + queries)}.
     *
     * @param ids   {@code (rows, queries)} int64 token ids (any valid id on padding columns)
     * @param in    positions and mask of those columns
     * @param cache null for a full forward; else appended to ({@code past = cache.length()})
     */
    public NDArray hidden(ParameterStore ps, NDArray ids, AttentionInput in, HfKvCache cache, boolean training) {
        NDManager out = ids.getManager();
        NDArray w = ps.getValue(embedding, ids.getDevice(), training);
        NDArray x = ids.getNDArrayInternal().embedding(ids, w, SparseFormat.DENSE).singletonOrThrow();
        if (positionEmbedding != null) {
            NDArray wpe = ps.getValue(positionEmbedding, ids.getDevice(), training);
            NDArray pos = in.positions().toDevice(ids.getDevice(), false);
            x = x.add(pos.getNDArrayInternal().embedding(pos, wpe, SparseFormat.DENSE).singletonOrThrow());
        }
        for (HfDecoderLayer layer : layers) {
            x = scoped(out, x, h -> layer.apply(ps, h, in, cache, training));
        }
        return scoped(out, x, h -> norm.apply(ps, h, training));
    }

    /**
     * {@code f(x)} with every temporary it makes (they land in the manager of their first
     * operand, which is {@code x}'s) freed before returning, {@code x} included: the result alone
     * goes to {@code out}. DJL frees an array only when its manager closes, so without this a
     * forward would hold every layer's temporaries until its caller's manager closes, which
     * multiplies the peak memory by the depth. Closing a handle drops one reference to the
     * native tensor: what autograd saved for the backward pass stays alive until then, so
     * gradients are unchanged, and the values are bit-identical (the same kernels run).
     */
    private static NDArray scoped(NDManager out, NDArray x, java.util.function.UnaryOperator<NDArray> f) {
        try (NDManager scope = out.newSubManager()) {
            x.attach(scope);
            NDArray y = f.apply(x);
            y.attach(out);
            return y;
        }
    }

    /** Vocabulary logits {@code (..., vocab)} of hidden states {@code (..., hidden)}. */
    public NDArray head(ParameterStore ps, NDArray hidden, boolean training) {
        if (lmHead != null) {
            return lmHead.apply(ps, hidden, training);
        }
        return Linear.linear(hidden, ps.getValue(embedding, hidden.getDevice(), training)).singletonOrThrow();
    }

    /** Logits {@code (rows, queries, vocab)}: {@link #head} of {@link #hidden}. */
    public NDArray logits(ParameterStore ps, NDArray ids, AttentionInput in, HfKvCache cache, boolean training) {
        return head(ps, hidden(ps, ids, in, cache, training), training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        AttentionInput in = AttentionInput.unpadded(ids.getManager(), rotary, (int) ids.getShape().get(0),
                (int) ids.getShape().get(1), dataType);
        return new NDList(logits(ps, ids, in, null, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // weights come from a checkpoint (build / load), never from an initializer
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[]{new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.vocabSize())};
    }
}
