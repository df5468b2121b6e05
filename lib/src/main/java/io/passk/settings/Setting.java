package io.passk.settings;

/**
 * One setting: the name library messages use, where it lives in an experiment file, and its
 * default (what {@code passk} options and the experiment YAML both fall back to).
 *
 * @param name         name in library messages and in {@code run.json}, e.g. {@code epochs}
 * @param section      the experiment file's section that holds it, e.g. {@code training}
 * @param defaultValue the default of the option and of the YAML key
 * @param <T>          Integer, Long, Double or String
 *
 * <p>Serializable, like the {@link InvalidSettingException} that carries it: one thrown in a
 * Spark task reaches the driver whole, and the job still exits 2 naming the setting.
 */
public record Setting<T extends java.io.Serializable>(String name, String section, T defaultValue)
        implements java.io.Serializable {

    public Setting {
        if (name == null || name.isEmpty() || section == null || section.isEmpty() || defaultValue == null) {
            throw new IllegalArgumentException("a setting needs a name, a section and a default");
        }
    }

    /** The experiment file's dotted key, e.g. {@code training.epochs}. */
    public String yamlKey() {
        return section + "." + name;
    }

    @Override
    public String toString() {
        return name;
    }
}
