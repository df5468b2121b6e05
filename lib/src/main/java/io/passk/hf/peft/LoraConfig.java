package io.passk.hf.peft;

import io.passk.BadInputException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The hyper-parameters of a LoRA adapter (Hu et al. 2021, as Hugging Face PEFT implements it):
 * each adapted linear layer {@code y = W x} becomes {@code y = W x + scaling * B (A dropout(x))}
 * with {@code A} of shape {@code [rank, in]}, {@code B} of shape {@code [out, rank]} and
 * {@code scaling = alpha / rank} ({@link #scaling()}).
 *
 * <p>Defaults ({@link #defaults(int)}, {@link #DEFAULT_RANK}): rank 8 (PEFT's default {@code r}),
 * alpha = 2 * rank (16 at rank 8, the common choice; PEFT's own default alpha 8 would halve
 * the update's scale), dropout 0 (PEFT's default; also keeps sampling and the learner
 * deterministic), every linear layer of the decoder as target ({@link #MODULES}).
 *
 * <p>The constructor checks every value; each refusal is one line naming the command-line
 * option ({@code --lora-rank}, {@code --lora-alpha}, {@code --lora-dropout},
 * {@code --lora-targets}). Targets are kept once each, in {@link #MODULES} order.
 *
 * @param rank {@code r}, the inner dimension of {@code B A}, at least 1
 * @param alpha {@code lora_alpha}, positive
 * @param dropout {@code lora_dropout}, applied to the adapter's input while training, in [0, 1)
 * @param targets the adapted modules, each one of {@link #MODULES}
 */
public record LoraConfig(int rank, double alpha, double dropout, List<String> targets) {

    /**
     * The seven linear layers of a decoder layer that LoRA can adapt, in the order they run:
     * attention {@code self_attn.q_proj, k_proj, v_proj, o_proj}, then MLP
     * {@code mlp.gate_proj, up_proj, down_proj} (see {@link #modulePath}).
     */
    public static final List<String> MODULES = List.of("q_proj", "k_proj", "v_proj", "o_proj",
            "gate_proj", "up_proj", "down_proj");
    /** The attention projections among {@link #MODULES} (the others are the MLP's). */
    public static final List<String> ATTENTION_MODULES = List.of("q_proj", "k_proj", "v_proj", "o_proj");
    /** PEFT's default {@code r}. */
    public static final int DEFAULT_RANK = 8;
    /** PEFT's default {@code lora_dropout}. */
    public static final double DEFAULT_DROPOUT = 0.0;

    public LoraConfig {
        if (rank < 1) {
            throw new BadInputException("--lora-rank " + rank + ": must be at least 1");
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new BadInputException("--lora-alpha " + alpha + ": must be a positive number");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new BadInputException("--lora-dropout " + dropout + ": must be in [0, 1)");
        }
        if (targets == null || targets.isEmpty()) {
            throw new BadInputException("--lora-targets is empty: name at least one of " + String.join(",", MODULES));
        }
        Set<String> given = new LinkedHashSet<>();
        for (String t : targets) {
            if (!MODULES.contains(t)) {
                throw new BadInputException("unknown --lora-targets module '" + t + "' (known: "
                        + String.join(",", MODULES) + ")");
            }
            given.add(t);
        }
        targets = MODULES.stream().filter(given::contains).toList();
    }

    /**
     * Refuses LoRA on a base passk does not adapt: a {@code gpt2} model (its fused {@code c_attn}
     * and {@code Conv1D} projections have no q/k/v/o/gate/up/down modules; fine-tune it fully).
     *
     * @param configJson the base's config.json
     */
    public static void checkBase(java.nio.file.Path configJson) {
        if (io.passk.hf.DecoderConfig.read(configJson).modelType().isGpt2()) {
            throw new BadInputException(configJson + ": a gpt2 model, which passk does not adapt with LoRA"
                    + " (its projections are fused Conv1D modules); drop --lora-rank to fine-tune it fully");
        }
    }

    /** The defaults at {@code rank}: alpha 2 * rank, dropout 0, all {@link #MODULES}. */
    public static LoraConfig defaults(int rank) {
        return new LoraConfig(rank, defaultAlpha(rank), DEFAULT_DROPOUT, MODULES);
    }

    /** The alpha used when none is given: 2 * rank. */
    public static double defaultAlpha(int rank) {
        return 2.0 * rank;
    }

    /**
     * The modules of a {@code --lora-targets} value: comma-separated names, blanks around them
     * ignored (checked by the constructor).
     */
    public static List<String> parseTargets(String commaSeparated) {
        List<String> out = new ArrayList<>();
        for (String part : commaSeparated.split(",", -1)) {
            String t = part.strip();
            if (t.isEmpty()) {
                throw new BadInputException("--lora-targets '" + commaSeparated + "': empty module name (known: "
                        + String.join(",", MODULES) + ")");
            }
            out.add(t);
        }
        return out;
    }

    /**
     * {@code scaling = alpha / rank}: the factor of {@code B A} in the adapted layer, PEFT's rule
     * without rank-stabilised LoRA ({@code use_rslora} false; rsLoRA would divide by sqrt(rank)).
     */
    public double scaling() {
        return alpha / rank;
    }

    /** Whether {@code module} (one of {@link #MODULES}) is an attention projection. */
    public static boolean isAttention(String module) {
        return ATTENTION_MODULES.contains(module);
    }

    /**
     * The module's path inside a decoder layer, as in the Hugging Face tensor names
     * ({@code self_attn.q_proj}, {@code mlp.down_proj}).
     */
    public static String modulePath(String module) {
        if (!MODULES.contains(module)) {
            throw new IllegalArgumentException("not a LoRA module: " + module);
        }
        return (isAttention(module) ? "self_attn." : "mlp.") + module;
    }
}
