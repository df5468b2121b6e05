package io.passk.cli;

import io.passk.BadInputException;
import io.passk.hf.peft.AdapterDirectory;
import io.passk.hf.peft.LoraConfig;
import io.passk.policy.PolicySource;
import io.passk.settings.TrainSettings;
import picocli.CommandLine.Option;

import java.util.Locale;

/**
 * {@code --lora-rank R [--lora-alpha A] [--lora-dropout P] [--lora-targets q_proj,...]}: train
 * LoRA adapters of a Hugging Face policy instead of every weight ({@link LoraConfig}; defaults:
 * alpha 2 * R, dropout 0, all seven projections). An {@code --init} that is an adapter directory
 * continues that adapter, with its own settings (the options, when given, must agree).
 */
final class LoraOptions {

    @Option(names = "--lora-rank", paramLabel = "R", description = "train LoRA adapters of rank R, the base frozen"
            + " (needs a Hugging Face --init; default: full fine-tune)")
    Integer rank;

    @Option(names = "--lora-alpha", paramLabel = "A", description = "LoRA alpha, scaling A/R (default: 2 * R)")
    Double alpha;

    @Option(names = "--lora-dropout", paramLabel = "P", description = "dropout on the adapters' inputs while training,"
            + " in [0, 1) (default: 0)")
    Double dropout;

    @Option(names = "--lora-targets", paramLabel = "MODULES", description = "comma-separated modules that get adapters"
            + " (default: " + "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj)")
    String targets;

    /**
     * The run's adapters, or null for a full fine-tune.
     *
     * @param init the {@code --init} policy; null when the run starts from the character model its warm-up trains
     * @throws BadInputException LoRA options without {@code --init}, options without
     *                           {@code --lora-rank}, a bad value, options that disagree with an adapter {@code --init}
     */
    LoraConfig config(PolicySource init) {
        boolean given = rank != null || alpha != null || dropout != null || targets != null;
        boolean adapter = init instanceof PolicySource.Adapter;
        if (!given && !adapter) {
            return null;
        }
        if (init == null) {
            throw new BadInputException("--lora-rank needs a Hugging Face --init (a model directory or a LoRA adapter):"
                    + " the warm-up trains a fresh character model fully");
        }
        LoraConfig fromAdapter = adapter ? AdapterDirectory.open(init.dir()).config() : null;
        if (rank == null) {
            if (adapter && !given) {
                return fromAdapter;
            }
            throw new BadInputException("--lora-alpha, --lora-dropout and --lora-targets need --lora-rank");
        }
        LoraConfig cfg = new LoraConfig(rank, alpha != null ? alpha : LoraConfig.defaultAlpha(rank),
                dropout != null ? dropout : TrainSettings.LORA_DROPOUT.defaultValue(),
                LoraConfig.parseTargets(targets != null ? targets : TrainSettings.LORA_TARGETS.defaultValue()));
        if (init instanceof PolicySource.HuggingFace && java.nio.file.Files.isRegularFile(init.dir().resolve("config.json"))) {
            // a missing directory is refused where the policy is checked, naming it
            LoraConfig.checkBase(init.dir().resolve("config.json"));
        }
        if (adapter && !cfg.equals(fromAdapter)) {
            throw new BadInputException(String.format(Locale.ROOT, "--init %s is an adapter of %s, but the --lora-*"
                    + " options say %s: drop them to continue the adapter as it is", init.dir(), fromAdapter, cfg));
        }
        return cfg;
    }
}
