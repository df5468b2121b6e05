package io.passk.hf;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.passk.BadInputException;
import io.passk.hf.safetensors.JsonErrors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One JSON file of a model or adapter directory (config.json, generation_config.json,
 * tokenizer_config.json, adapter_config.json, passk_adapter.json), read strictly, with typed
 * getters whose errors name the file and the key (a nested object's keys as {@code outer.key}).
 * A key that is absent and one that is null read alike, as Hugging Face treats them.
 */
public final class HfJson {

    final Path file;
    final JsonObject root;
    /** {@code "outer."} for a nested object ({@link #object}), empty at the top. */
    private final String prefix;

    private HfJson(Path file, String prefix, JsonObject root) {
        this.file = file;
        this.prefix = prefix;
        this.root = root;
    }

    /** Reads a JSON object file (strict JSON). */
    public static HfJson read(Path file) {
        JsonElement root = JsonErrors.readStrict(file);
        if (!root.isJsonObject()) {
            throw new BadInputException(file + ": not a JSON object");
        }
        return new HfJson(file, "", root.getAsJsonObject());
    }

    /** A problem with this file: {@code FILE: [outer.]MESSAGE}. */
    public BadInputException bad(String message) {
        return new BadInputException(file + ": " + prefix + message);
    }

    /** The value of a key, empty when the key is absent or null (Hugging Face treats both alike). */
    Optional<JsonElement> get(String key) {
        JsonElement e = root.get(key);
        return e == null || e.isJsonNull() ? Optional.empty() : Optional.of(e);
    }

    private JsonElement required(String key) {
        return get(key).orElseThrow(() -> bad(key + " is missing"));
    }

    private static boolean isNumber(JsonElement e) {
        return e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber();
    }

    public int requiredInt(String key) {
        return optionalInt(key).orElseThrow(() -> bad(key + " is missing"));
    }

    public Optional<Integer> optionalInt(String key) {
        return get(key).map(e -> asInt(e, key));
    }

    /** A positive integer, or {@code fallback} when absent. */
    int positiveInt(String key, int fallback) {
        return checkPositive(key, optionalInt(key).orElse(fallback));
    }

    public int requiredPositiveInt(String key) {
        return checkPositive(key, requiredInt(key));
    }

    private int checkPositive(String key, int v) {
        if (v <= 0) {
            throw bad(key + " is " + v + ", not a positive integer");
        }
        return v;
    }

    double positiveDouble(String key, double fallback) {
        double v = get(key).map(e -> {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw bad(key + " is " + e + ", not a number");
            }
            return e.getAsDouble();
        }).orElse(fallback);
        if (!(v > 0) || Double.isInfinite(v)) {
            throw bad(key + " is " + v + ", not a positive number");
        }
        return v;
    }

    boolean bool(String key, boolean fallback) {
        return get(key).map(e -> {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
                throw bad(key + " is " + e + ", not true or false");
            }
            return e.getAsBoolean();
        }).orElse(fallback);
    }

    /** A string, empty when absent. */
    public Optional<String> string(String key) {
        return get(key).map(e -> {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw bad(key + " is " + e + ", not a string");
            }
            return e.getAsString();
        });
    }

    public String requiredString(String key) {
        return string(key).orElseThrow(() -> bad(key + " is missing"));
    }

    /** true or false, empty when absent. */
    public Optional<Boolean> optionalBoolean(String key) {
        return get(key).map(e -> {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
                throw bad(key + " is " + e + ", not true or false");
            }
            return e.getAsBoolean();
        });
    }

    /** A number, empty when absent. */
    public Optional<Double> optionalNumber(String key) {
        return get(key).map(e -> {
            if (!isNumber(e)) {
                throw bad(key + " is " + e + ", not a number");
            }
            return e.getAsDouble();
        });
    }

    public double requiredNumber(String key) {
        return optionalNumber(key).orElseThrow(() -> bad(key + " is missing"));
    }

    /** A whole number at least 0 (a step count). */
    public long requiredNonNegativeLong(String key) {
        JsonElement e = required(key);
        if (isNumber(e)) {
            try {
                long v = e.getAsBigDecimal().longValueExact();
                if (v < 0) {
                    throw bad(key + " is " + v + ", not at least 0");
                }
                return v;
            } catch (ArithmeticException ignored) {
                // falls through to the message below
            }
        }
        throw bad(key + " is " + e + ", not a whole number");
    }

    /** A list of strings; {@code what} says what the list holds, for messages. */
    public List<String> requiredStringList(String key, String what) {
        JsonElement e = required(key);
        if (!e.isJsonArray()) {
            throw bad(key + " is " + e + ", not a list of " + what);
        }
        List<String> out = new ArrayList<>();
        for (JsonElement item : (JsonArray) e) {
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                throw bad(key + " has " + item + ", not a string");
            }
            out.add(item.getAsString());
        }
        return out;
    }

    /** True when the key is absent, null, false, or an empty list or object (PEFT's "not used"). */
    public boolean isUnset(String key) {
        return get(key).map(e -> (e.isJsonArray() && e.getAsJsonArray().isEmpty())
                || (e.isJsonObject() && e.getAsJsonObject().isEmpty())
                || (e.isJsonPrimitive() && e.getAsJsonPrimitive().equals(new JsonPrimitive(false)))).orElse(true);
    }

    /** The value of a key, as JSON text (for messages). */
    public String text(String key) {
        return get(key).map(JsonElement::toString).orElse("null");
    }

    /** A nested object; its problems name the key as {@code key.inner}. */
    public HfJson object(String key) {
        JsonElement e = required(key);
        if (!e.isJsonObject()) {
            throw bad(key + " is " + e + ", not an object");
        }
        return new HfJson(file, prefix + key + ".", e.getAsJsonObject());
    }

    /** A nested object of strings, sorted by key. */
    public Map<String, String> stringMap(String key) {
        HfJson o = object(key);
        Map<String, String> out = new TreeMap<>();
        for (String k : o.root.keySet()) {
            out.put(k, o.requiredString(k));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Token ids given as one integer or a list of integers ({@code eos_token_id}); empty when absent. */
    List<Integer> tokenIds(String key) {
        List<Integer> ids = new ArrayList<>();
        get(key).ifPresent(e -> {
            if (e.isJsonArray()) {
                for (JsonElement id : (JsonArray) e) {
                    ids.add(tokenId(id, key));
                }
            } else {
                ids.add(tokenId(e, key));
            }
        });
        return List.copyOf(ids);
    }

    private int tokenId(JsonElement e, String key) {
        int id = asInt(e, key);
        if (id < 0) {
            throw bad(key + " holds " + id + ", not a token id");
        }
        return id;
    }

    private int asInt(JsonElement e, String key) {
        if (e.isJsonPrimitive() && ((JsonPrimitive) e).isNumber()) {
            try {
                return e.getAsBigDecimal().intValueExact();
            } catch (ArithmeticException ignored) {
                // falls through to the message below
            }
        }
        throw bad(key + " is " + e + ", not an integer");
    }
}
