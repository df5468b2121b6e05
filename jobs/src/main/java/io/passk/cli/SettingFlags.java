package io.passk.cli;

import io.passk.settings.Setting;

/**
 * Which flag of a command sets a library {@link Setting}, so a refused setting is reported with
 * what the user typed ({@code --epochs must be >= 1}) rather than the setting's name. The default
 * flag is {@code --} and the name with '-' for '_' ({@code prompts_per_epoch} is
 * {@code --prompts-per-epoch}); a command whose flag differs overrides {@link #flag}.
 */
interface SettingFlags {

    /** The flag of {@code setting} in this command; null when no option of it sets it. */
    default String flag(Setting<?> setting) {
        return defaultFlag(setting);
    }

    static String defaultFlag(Setting<?> setting) {
        String rollout = RolloutServerOptions.flag(setting);
        if (rollout != null) {
            return rollout;
        }
        return "--" + setting.name().replace('_', '-');
    }
}
