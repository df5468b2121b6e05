package io.passk.hf;

import io.passk.hf.safetensors.TensorInfo;
import io.passk.hf.safetensors.TensorSource;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The tensors of a GPT-2 checkpoint saved from the base {@code GPT2Model} (as
 * {@code openai-community/gpt2} is: {@code wte.weight}, {@code h.0.attn.c_attn.weight}, ...)
 * under the {@code GPT2LMHeadModel} names passk's decoder uses ({@code transformer.wte.weight},
 * ...), as transformers maps them when it loads such a file ({@code base_model_prefix}
 * "transformer"). {@code lm_head.*} keeps its name.
 */
final class Gpt2BaseNames implements TensorSource {
    static final String PREFIX = "transformer.";
    private final TensorSource base;

    private Gpt2BaseNames(TensorSource base) {
        this.base = base;
    }

    /**
     * {@code weights} itself, or, for a gpt2 model whose file has {@code wte.weight} but no
     * {@code transformer.wte.weight}, a view under the prefixed names.
     */
    static TensorSource of(DecoderConfig config, TensorSource weights) {
        boolean baseNames = config.modelType().isGpt2() && weights.find(PREFIX + "wte.weight").isEmpty()
                && weights.find("wte.weight").isPresent();
        return baseNames ? new Gpt2BaseNames(weights) : weights;
    }

    private static String stored(String name) {
        return name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
    }

    @Override
    public SortedSet<String> names() {
        SortedSet<String> out = new TreeSet<>();
        for (String n : base.names()) {
            out.add(n.startsWith("lm_head.") ? n : PREFIX + n);
        }
        return out;
    }

    @Override
    public Optional<TensorInfo> find(String name) {
        if (!name.startsWith(PREFIX) && !name.startsWith("lm_head.")) {
            return Optional.empty();
        }
        return base.find(stored(name));
    }

    @Override
    public Path fileOf(String name) {
        return base.fileOf(stored(name));
    }

    @Override
    public float[] readFloats(String name) {
        return base.readFloats(stored(name));
    }

    @Override
    public void close() {
        base.close();
    }
}
