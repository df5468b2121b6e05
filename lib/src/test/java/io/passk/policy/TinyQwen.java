package io.passk.policy;

import ai.djl.Device;
import io.passk.task.Task;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * The tests' policy: a freshly initialised character model ({@link CharacterModel}, a tiny qwen2
 * model directory) of a given shape and seed, written under a test's temporary directory and
 * loaded as the Hugging Face decoder ({@link HfPolicy}), the one path every policy takes.
 * Shapes are kept tiny (one or two layers, width 8 to 32): the tests prove behaviour, not skill.
 */
public final class TinyQwen {

    /** The prompt template of the character model's runs (what {@code passk pretrain} warms it up in). */
    public static final String TEMPLATE = PretrainRun.CHARACTER_TEMPLATE;

    private TinyQwen() {
    }

    /**
     * Writes a fresh character model over {@code alphabet} into a new directory under {@code parent}
     * (named by its shape and seed) and returns that directory.
     */
    public static Path write(Path parent, Tokenizer alphabet, int layers, int width, int heads, int context,
                             long seed) {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(parent),
                    "tiny-qwen-" + layers + "x" + width + "h" + heads + "c" + context + "s" + seed + "-");
            CharacterModel.write(dir, alphabet, new CharacterModel.Shape(layers, width, heads, context), seed);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #write} over the alphabets of {@code tasks}. */
    public static Path write(Path parent, Collection<? extends Task> tasks, int layers, int width, int heads,
                             int context, long seed) {
        return write(parent, Tokenizer.forTasks(tasks), layers, width, heads, context, seed);
    }

    /** {@link #write}, then loaded on the CPU. */
    public static HfPolicy load(Path parent, Tokenizer alphabet, int layers, int width, int heads, int context,
                                long seed) {
        return HfPolicy.load(write(parent, alphabet, layers, width, heads, context, seed), Device.cpu());
    }
}
