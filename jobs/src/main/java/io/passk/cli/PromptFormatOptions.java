package io.passk.cli;

import io.passk.settings.TrainSettings;
import picocli.CommandLine.Option;

/**
 * {@code --prompt-template --prompt-style --save-dtype}: what a policy sees and how its weights
 * are saved, for {@code train} and {@code pretrain} alike (defaults: {@link TrainSettings}).
 */
final class PromptFormatOptions {

    @Option(names = "--prompt-template", description = "how the policy renders prompts: auto (the model's own:"
            + " chat for passk's character model, else plain) | plain | plain-bos | chat (default: ${DEFAULT-VALUE})")
    String promptTemplate = TrainSettings.PROMPT_TEMPLATE.defaultValue();

    @Option(names = "--save-dtype", description = "weights of a Hugging Face checkpoint: f32 | bf16, rounded to nearest"
            + " even (default: ${DEFAULT-VALUE})")
    String saveDtype = TrainSettings.SAVE_DTYPE.defaultValue();

    @Option(names = "--prompt-style", description = "what the policy sees: auto | compact (the bare prompt) |"
            + " instruction (the task's system and user messages); auto: compact for the character"
            + " model, instruction for any other Hugging Face model (default: ${DEFAULT-VALUE})")
    String promptStyle = TrainSettings.PROMPT_STYLE.defaultValue();
}
