package io.passk.cli;

import io.passk.settings.WarmupSettings;
import picocli.CommandLine.Option;

/** {@code --layers --width --heads --context}: the shape of a new policy (defaults: {@link WarmupSettings}). */
final class ModelShapeOptions {

    @Option(names = "--layers", description = "transformer layers (default: ${DEFAULT-VALUE})")
    int layers = WarmupSettings.LAYERS.defaultValue();

    @Option(names = "--width", description = "model width (default: ${DEFAULT-VALUE})")
    int width = WarmupSettings.WIDTH.defaultValue();

    @Option(names = "--heads", description = "attention heads, a divisor of the width (default: ${DEFAULT-VALUE})")
    int heads = WarmupSettings.HEADS.defaultValue();

    @Option(names = "--context", description = "context length in tokens, 0 = fit the suite (default: ${DEFAULT-VALUE})")
    int context = WarmupSettings.CONTEXT.defaultValue();
}
