package io.passk.settings;

import io.passk.BadInputException;

import java.util.List;
import java.util.function.Function;

/**
 * A setting with a value the library refuses. The message is a template whose {@code {}}
 * placeholders stand for the settings involved, in order; {@link #getMessage()} fills them with
 * the settings' names ("epochs must be >= 1, got 0"), {@link #render} with whatever the user
 * typed instead: the command line its flags ("--epochs must be >= 1, got 0"), the experiment
 * reader its dotted keys ("'training.epochs' must be >= 1, got 0").
 */
public final class InvalidSettingException extends BadInputException {

    private final String template;
    private final List<Setting<?>> settings;

    /**
     * @param template the message, one {@code {}} per entry of {@code settings}
     * @param settings the settings the placeholders name, in order
     */
    public InvalidSettingException(String template, Setting<?>... settings) {
        super(fill(template, List.of(settings), Setting::name));
        this.template = template;
        this.settings = List.of(settings);
        if (count(template) != settings.length) {
            throw new IllegalArgumentException("template '" + template + "' does not name " + settings.length
                    + " setting(s)");
        }
    }

    /** {@code setting} and a problem: "{@code NAME must be >= 1, got 0}". */
    public static InvalidSettingException of(Setting<?> setting, String problem) {
        return new InvalidSettingException("{} " + problem, setting);
    }

    /** The settings the message names, in order (the first is the one refused). */
    public List<Setting<?>> settings() {
        return settings;
    }

    /** The message with each setting named by {@code label} (a flag, a dotted key). */
    public String render(Function<Setting<?>, String> label) {
        return fill(template, settings, label);
    }

    private static String fill(String template, List<Setting<?>> settings, Function<Setting<?>, String> label) {
        StringBuilder sb = new StringBuilder();
        int from = 0;
        for (Setting<?> s : settings) {
            int at = template.indexOf("{}", from);
            if (at < 0) {
                break;
            }
            sb.append(template, from, at).append(label.apply(s));
            from = at + 2;
        }
        return sb.append(template.substring(from)).toString();
    }

    private static int count(String template) {
        int n = 0;
        for (int at = template.indexOf("{}"); at >= 0; at = template.indexOf("{}", at + 2)) {
            n++;
        }
        return n;
    }
}
