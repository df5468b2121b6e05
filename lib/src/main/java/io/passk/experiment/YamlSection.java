package io.passk.experiment;

import io.passk.BadInputException;
import io.passk.settings.InvalidSettingException;
import io.passk.settings.Setting;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One YAML mapping of a config file, read through typed getters that remember which keys they
 * asked for, so {@link #refuseUnknownKeys()} can name a misspelt key instead of silently using
 * a default. Every problem is a {@link BadInputException} naming the file and the dotted key.
 */
final class YamlSection {

    private final String file;
    private final String path;
    private final Map<String, Object> values;
    private final Set<String> asked = new LinkedHashSet<>();
    private final List<YamlSection> children = new ArrayList<>();

    YamlSection(String file, String path, Map<?, ?> values) {
        this.file = file;
        this.path = path;
        this.values = new LinkedHashMap<>();
        values.forEach((k, v) -> this.values.put(String.valueOf(k), v));
    }

    boolean has(String key) {
        asked.add(key);
        return values.get(key) != null;
    }

    String string(String key, String fallback) {
        Object v = raw(key);
        if (v == null) {
            return required(key, fallback);
        }
        if (v instanceof Map || v instanceof List) {
            throw bad(key, "is not a single value: " + v);
        }
        return String.valueOf(v);
    }

    int integer(String key, Integer fallback) {
        long v = longValue(key, fallback == null ? null : fallback.longValue());
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw bad(key, "is out of range: " + v);
        }
        return (int) v;
    }

    long longValue(String key, Long fallback) {
        Object v = raw(key);
        if (v == null) {
            return required(key, fallback);
        }
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        throw bad(key, "is not an integer: " + v);
    }

    double number(String key, Double fallback) {
        Object v = raw(key);
        if (v == null) {
            return required(key, fallback);
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            // YAML 1.1 reads "1e-4" (no dot) as a string
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw bad(key, "is not a number: " + s);
            }
        }
        throw bad(key, "is not a number: " + v);
    }

    List<Long> longs(String key, List<Long> fallback) {
        Object v = raw(key);
        if (v == null) {
            return required(key, fallback);
        }
        List<?> items = v instanceof List<?> l ? l : List.of(v);
        List<Long> out = new ArrayList<>();
        for (Object o : items) {
            if (!(o instanceof Integer || o instanceof Long)) {
                throw bad(key, "must be a list of integers, found " + o);
            }
            out.add(((Number) o).longValue());
        }
        return out;
    }

    /** One string or a list of strings (null when absent). */
    List<String> strings(String key) {
        Object v = raw(key);
        if (v == null) {
            return null;
        }
        List<?> items = v instanceof List<?> l ? l : List.of(v);
        List<String> out = new ArrayList<>();
        for (Object o : items) {
            if (o == null || o instanceof Map || o instanceof List) {
                throw bad(key, "must be a path or a list of paths, found " + o);
            }
            out.add(String.valueOf(o));
        }
        if (out.isEmpty()) {
            throw bad(key, "must name at least one directory");
        }
        return out;
    }

    List<Integer> integers(String key, List<Integer> fallback) {
        List<Long> longs = longs(key, fallback == null ? null : fallback.stream().map(Integer::longValue).toList());
        return longs.stream().map(Math::toIntExact).toList();
    }

    /** An integer setting under its name here, its default when absent. */
    int integer(Setting<Integer> s) {
        return integer(ownKey(s), s.defaultValue());
    }

    /** A long setting under its name here, its default when absent. */
    long longValue(Setting<Long> s) {
        return longValue(ownKey(s), s.defaultValue());
    }

    /** A number setting under its name here, its default when absent. */
    double number(Setting<Double> s) {
        return number(ownKey(s), s.defaultValue());
    }

    /** A string setting under its name here, its default when absent. */
    String string(Setting<String> s) {
        return string(ownKey(s), s.defaultValue());
    }

    /** The key a setting has in this section (its section is this one, or this is one of its list's items). */
    private String ownKey(Setting<?> s) {
        if (!(path.equals(s.section()) || path.startsWith(s.section() + "["))) {
            throw new IllegalStateException("setting " + s.yamlKey() + " read in section '" + path + "'");
        }
        return s.name();
    }

    /** A nested mapping; an absent key reads as an empty one (every key then takes its default). */
    YamlSection section(String key) {
        Object v = raw(key);
        if (v != null && !(v instanceof Map)) {
            throw bad(key, "must be a mapping of keys to values");
        }
        YamlSection s = new YamlSection(file, dotted(key), v == null ? Map.of() : (Map<?, ?>) v);
        children.add(s);
        return s;
    }

    /** A list of mappings (e.g. the methods). */
    List<YamlSection> sections(String key) {
        Object v = raw(key);
        if (!(v instanceof List<?> list) || list.isEmpty()) {
            throw bad(key, "must be a non-empty list of mappings");
        }
        List<YamlSection> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw new BadInputException(file + ": " + dotted(key) + "[" + i + "] must be a mapping, found " + list.get(i));
            }
            YamlSection s = new YamlSection(file, dotted(key) + "[" + i + "]", m);
            children.add(s);
            out.add(s);
        }
        return out;
    }

    /** Refuses keys no getter asked for, here and in every section read from here. */
    void refuseUnknownKeys() {
        for (String key : values.keySet()) {
            if (!asked.contains(key)) {
                throw new BadInputException(file + ": unknown key '" + dotted(key) + "' (known"
                        + (path.isEmpty() ? "" : " in " + path) + ": " + String.join(", ", asked) + ")");
            }
        }
        children.forEach(YamlSection::refuseUnknownKeys);
    }

    BadInputException bad(String key, String problem) {
        return new BadInputException(file + ": '" + dotted(key) + "' " + problem);
    }

    /** A refused setting of this section, named by its dotted key ({@code 'training.lr' must be > 0}). */
    BadInputException bad(InvalidSettingException e) {
        return new BadInputException(file + ": " + e.render(s -> "'" + dotted(s.name()) + "'"), e);
    }

    private Object raw(String key) {
        asked.add(key);
        return values.get(key);
    }

    private <T> T required(String key, T fallback) {
        if (fallback == null) {
            throw bad(key, "is missing");
        }
        return fallback;
    }

    private String dotted(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
