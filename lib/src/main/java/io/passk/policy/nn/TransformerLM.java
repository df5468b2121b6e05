package io.passk.policy.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * Decoder-only transformer language model: token + learned position embeddings, {@code layers}
 * {@link DecoderLayer}s, a final layer norm and a linear head to vocabulary logits.
 *
 * <p>{@link #forwardInternal} (DJL's {@code forward}) takes {@code (tokens)} of shape
 * {@code (rows, length)} and returns logits {@code (rows, length, vocab)} for an unpadded causal
 * batch. {@link #logits} is the general entry: left padding (per-row positions and attention
 * bias) and a {@link KvCache} for incremental decoding.
 */
public final class TransformerLM extends AbstractBlock {

    /**
     * The shapes a model is built from (the built-in model's {@code io.passk.policy.PolicyConfig}
     * gives them), held here so that this package reads nothing of its parent.
     *
     * @param ffnHidden the feed-forward layer's hidden width
     */
    public record Dims(int vocabSize, int contextLength, int layers, int width, int heads, int ffnHidden) {
    }

    private final Dims config;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final DecoderLayer[] layers;
    private final LayerNorm finalNorm;
    private final Linear head;

    public TransformerLM(Dims config) {
        this.config = config;
        this.tokenEmbedding = addParameter(Parameter.builder().setName("tokenEmbedding")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(config.vocabSize(), config.width()))
                .optInitializer(new NormalInitializer(0.02f)).build());
        this.positionEmbedding = addParameter(Parameter.builder().setName("positionEmbedding")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(config.contextLength(), config.width()))
                .optInitializer(new NormalInitializer(0.02f)).build());
        this.layers = new DecoderLayer[config.layers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = addChildBlock("layer" + i,
                    new DecoderLayer(config.width(), config.heads(), config.ffnHidden()));
        }
        this.finalNorm = addChildBlock("lnFinal", LayerNorm.builder().axis(2).build());
        this.head = addChildBlock("head", Linear.builder().setUnits(config.vocabSize()).build());
    }

    public Dims dims() {
        return config;
    }

    /**
     * Logits {@code (rows, queries, vocab)} of the next token after each query position.
     *
     * @param tokens    {@code (rows, queries)} int64 token ids
     * @param positions {@code (rows, queries)} int64 absolute positions (0 at a row's first real token)
     * @param bias      attention bias {@code (rows or 1, 1, queries, past + queries)}
     * @param cache     null for a full pass, else appended to (past = {@code cache.length()})
     */
    public NDArray logits(ParameterStore ps, NDArray tokens, NDArray positions, NDArray bias,
                          KvCache cache, boolean training) {
        NDArray tokW = ps.getValue(tokenEmbedding, tokens.getDevice(), training);
        NDArray posW = ps.getValue(positionEmbedding, tokens.getDevice(), training);
        NDArray x = embed(tokens, tokW).add(embed(positions, posW));
        for (int i = 0; i < layers.length; i++) {
            x = layers[i].forward(ps, x, bias, cache, i, training);
        }
        NDArray h = finalNorm.forward(ps, new NDList(x), training).singletonOrThrow();
        return head.forward(ps, new NDList(h), training).singletonOrThrow();
    }

    private static NDArray embed(NDArray ids, NDArray weight) {
        return ids.getNDArrayInternal().embedding(ids, weight, SparseFormat.DENSE).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray tokens = inputs.get(0);
        NDManager m = tokens.getManager();
        int rows = (int) tokens.getShape().get(0);
        int length = (int) tokens.getShape().get(1);
        long[] pos = new long[rows * length];
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < length; t++) {
                pos[r * length + t] = t;
            }
        }
        NDArray positions = m.create(pos, new Shape(rows, length));
        NDArray bias = AttentionBias.causal(m, null, 0, length);
        return new NDList(logits(ps, tokens, positions, bias, null, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape hidden = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.width());
        for (DecoderLayer layer : layers) {
            layer.initialize(manager, dataType, hidden);
        }
        finalNorm.initialize(manager, dataType, hidden);
        head.initialize(manager, dataType, hidden);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[]{new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.vocabSize())};
    }
}
