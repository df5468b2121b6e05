package io.passk.policy;

import io.passk.settings.InvalidSettingException;
import io.passk.settings.WarmupSettings;

/**
 * Shape of the policy network: a decoder-only transformer over a character vocabulary.
 *
 * @param vocabSize     tokens, specials included (set from the {@link Tokenizer})
 * @param contextLength longest sequence (prompt + response) the model can attend over
 * @param layers        transformer layers
 * @param width         model (residual stream) width
 * @param heads         attention heads; {@code width} must be a multiple of it
 * @param ffnMultiplier hidden size of each MLP, in multiples of {@code width}
 * @param initSeed      seed of the random initial weights
 */
public record PolicyConfig(int vocabSize, int contextLength, int layers, int width, int heads,
                           int ffnMultiplier, long initSeed) {

    public PolicyConfig {
        require(vocabSize >= 5, "vocabSize", vocabSize);
        require(contextLength >= 4, "contextLength", contextLength);
        // the shape is what a user sets (WarmupSettings): bad input naming the setting
        if (layers < 1) {
            throw InvalidSettingException.of(WarmupSettings.LAYERS, "must be >= 1, got " + layers);
        }
        if (width < 1) {
            throw InvalidSettingException.of(WarmupSettings.WIDTH, "must be >= 1, got " + width);
        }
        if (heads < 1 || width % heads != 0) {
            throw new InvalidSettingException("{} must be >= 1 and divide {} " + width + ", got " + heads,
                    WarmupSettings.HEADS, WarmupSettings.WIDTH);
        }
        require(ffnMultiplier >= 1, "ffnMultiplier", ffnMultiplier);
    }

    /** A config for a tokenizer with the usual defaults (MLP 4x width). */
    public static PolicyConfig of(Tokenizer tokenizer, int contextLength, int layers, int width,
                                  int heads, long initSeed) {
        return new PolicyConfig(tokenizer.vocabSize(), contextLength, layers, width, heads, 4, initSeed);
    }

    /** Hidden size of each layer's MLP. */
    /** The shapes {@link io.passk.policy.nn.TransformerLM} is built from. */
    public io.passk.policy.nn.TransformerLM.Dims dims() {
        return new io.passk.policy.nn.TransformerLM.Dims(vocabSize, contextLength, layers, width, heads, ffnHidden());
    }

    public int ffnHidden() {
        return ffnMultiplier * width;
    }

    /** Weights outside the embeddings: 12 width^2-ish per layer plus the output head. */
    public long nonEmbeddingParameters() {
        long perLayer = (3L * width * width + 3L * width)        // qkv
                + (long) width * width + width                   // proj
                + 2L * width * ffnHidden() + ffnHidden() + width // mlp
                + 4L * width;                                    // two layer norms
        return layers * perLayer + 2L * width + (long) width * vocabSize + vocabSize;
    }

    /**
     * Forward FLOPs for one new token that attends over {@code keys} positions: 2 per
     * multiply-add of every weight, plus the attention products (QK^T and AV, 2 x 2 x keys x width
     * per layer).
     */
    public double forwardFlopsPerToken(int keys) {
        return 2.0 * nonEmbeddingParameters() + 4.0 * layers * (double) keys * width;
    }

    private static void require(boolean ok, String name, int value) {
        if (!ok) {
            throw new IllegalArgumentException("policy config: bad " + name + " = " + value);
        }
    }
}
