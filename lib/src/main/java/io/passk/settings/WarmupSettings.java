package io.passk.settings;

import java.util.List;

/**
 * The settings of the base model's warm-up (supervised training on the suite's reference
 * answers): {@code passk pretrain}, the base model {@code passk train} builds when none exists,
 * and an experiment file's {@code base_model} section, with their shared defaults.
 */
public final class WarmupSettings {

    static final String BASE_MODEL = "base_model";

    /** Context length in tokens (0: fit the suite). */
    public static final Setting<Integer> CONTEXT = new Setting<>("context", BASE_MODEL, 0);
    /** Transformer layers. */
    public static final Setting<Integer> LAYERS = new Setting<>("layers", BASE_MODEL, 2);
    /** Model width. */
    public static final Setting<Integer> WIDTH = new Setting<>("width", BASE_MODEL, 64);
    /** Attention heads (must divide the width). */
    public static final Setting<Integer> HEADS = new Setting<>("heads", BASE_MODEL, 4);
    /** Adam steps of the warm-up. */
    public static final Setting<Integer> STEPS = new Setting<>("warmup_steps", BASE_MODEL, 300);
    /** Problems per warm-up step. */
    public static final Setting<Integer> BATCH_SIZE = new Setting<>("batch_size", BASE_MODEL, 32);
    /** Adam learning rate of the warm-up. */
    public static final Setting<Double> LEARNING_RATE = new Setting<>("learning_rate", BASE_MODEL, 3e-3);
    /** Seed of the initial weights and the mini-batches. */
    public static final Setting<Long> SEED = new Setting<>("seed", BASE_MODEL, 1L);

    /** Every setting above, in {@code experiment.json} order. */
    public static final List<Setting<?>> ALL = List.of(CONTEXT, LAYERS, WIDTH, HEADS, STEPS, BATCH_SIZE,
            LEARNING_RATE, SEED);

    private WarmupSettings() {
    }
}
