package io.passk.hf;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.passk.BadInputException;
import io.passk.hf.safetensors.JsonErrors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One JSON file of a model directory, with typed getters whose errors name the file and the key. */
final class HfJson {

    final Path file;
    final JsonObject root;

    private HfJson(Path file, JsonObject root) {
        this.file = file;
        this.root = root;
    }

    /** Reads a JSON object file (strict JSON). */
    static HfJson read(Path file) {
        JsonElement root = JsonErrors.readStrict(file);
        if (!root.isJsonObject()) {
            throw new BadInputException(file + ": not a JSON object");
        }
        return new HfJson(file, root.getAsJsonObject());
    }

    BadInputException bad(String message) {
        return new BadInputException(file + ": " + message);
    }

    /** The value of a key, empty when the key is absent or null (Hugging Face treats both alike). */
    Optional<JsonElement> get(String key) {
        JsonElement e = root.get(key);
        return e == null || e.isJsonNull() ? Optional.empty() : Optional.of(e);
    }

    int requiredInt(String key) {
        return optionalInt(key).orElseThrow(() -> bad(key + " is missing"));
    }

    Optional<Integer> optionalInt(String key) {
        return get(key).map(e -> asInt(e, key));
    }

    /** A positive integer, or {@code fallback} when absent. */
    int positiveInt(String key, int fallback) {
        return checkPositive(key, optionalInt(key).orElse(fallback));
    }

    int requiredPositiveInt(String key) {
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

    Optional<String> string(String key) {
        return get(key).map(e -> {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw bad(key + " is " + e + ", not a string");
            }
            return e.getAsString();
        });
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
