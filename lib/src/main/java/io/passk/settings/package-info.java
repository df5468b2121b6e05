/**
 * The user-facing settings, each defined once: its name, its key in an experiment file and its
 * default ({@link io.passk.settings.Setting}; {@link io.passk.settings.TrainSettings} for a
 * training run, {@link io.passk.settings.WarmupSettings} for the base model's warm-up,
 * {@link io.passk.settings.EngineSettings} for DJL's engine). The
 * {@code passk} options and the experiment YAML both read their defaults from here, so the two
 * cannot disagree. Library validation throws {@link io.passk.settings.InvalidSettingException},
 * which names the setting; the command line renders it with the flag, the YAML reader with the
 * dotted key, so a user reads the name they typed.
 *
 * <p>Imports: {@code io.passk.BadInputException} only (no Spark, no DJL).
 *
 * <p>May import: io.passk.
 */
package io.passk.settings;
