package io.passk.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.passk.BadInputException;
import io.passk.fs.AtomicOutput;
import io.passk.progress.ProgressListener;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads {@code RUN/run.json}, the run's provenance. The training loop writes
 * {@code name}, {@code method}, {@code k}, {@code seed}, {@code config} (the whole configuration,
 * compared on {@code --resume}) and {@code provenance} (versions, master, start time). The reader
 * accepts any JSON object with at least {@code method} (string), {@code k} (integer) and
 * {@code seed} (integer); {@code name} is optional. Any other keys are kept, flattened, for display.
 */
public final class RunJson {

    public static final String FILE_NAME = "run.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** Writes {@code file} (pretty JSON, the keys in the order above) atomically. */
    public static void write(Path file, String name, String method, int k, long seed, Map<String, Object> config,
                             Map<String, Object> provenance, ProgressListener log) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("method", method);
        json.put("k", k);
        json.put("seed", seed);
        json.put("config", config);
        json.put("provenance", provenance);
        AtomicOutput.writeString(file, toJson(json), log);
    }

    /** The recorded {@code config} object (null when absent), to compare with the configuration of a resume. */
    public static JsonElement config(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject().get("config");
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /** Pretty JSON as run.json and the experiment's files are written. */
    public static String toJson(Object value) {
        return GSON.toJson(value);
    }

    /** The top-level keys of a recorded configuration that differ from {@code now}, for a refused resume. */
    public static String differences(JsonElement before, JsonElement now) {
        if (before == null || !before.isJsonObject()) {
            return "no recorded config";
        }
        List<String> diffs = new ArrayList<>();
        JsonObject b = before.getAsJsonObject();
        JsonObject n = now.getAsJsonObject();
        for (String key : n.keySet()) {
            if (!n.get(key).equals(b.get(key))) {
                diffs.add(key + " was " + b.get(key) + ", now " + n.get(key));
            }
        }
        for (String key : b.keySet()) {
            // a key written only for a non-default value (prompt_style) is absent when it is back at the default
            if (!n.has(key)) {
                diffs.add(key + " was " + b.get(key) + ", now absent (the default)");
            }
        }
        return String.join("; ", diffs);
    }

    private RunJson() {
    }

    /** Parses {@code file}; {@code defaultName} is the name when the file has no {@code name}. */
    public static RunInfo read(Path file, String defaultName) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": file not found");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new BadInputException(file + ": not valid JSON (" + e.getMessage() + ")", e);
        }
        if (!root.isJsonObject()) {
            throw new BadInputException(file + ": expected a JSON object");
        }
        JsonObject o = root.getAsJsonObject();
        String name = o.has("name") ? string(file, o, "name") : defaultName;
        if (name.isBlank()) {
            throw new BadInputException(file + ": key 'name' is blank");
        }
        String method = string(file, o, "method");
        long k = integer(file, o, "k");
        if (k < 1 || k > Integer.MAX_VALUE) {
            throw new BadInputException(file + ": key 'k': value " + k + " is not a positive int");
        }
        long seed = integer(file, o, "seed");
        Map<String, String> config = new LinkedHashMap<>();
        flatten("", o, config);
        return new RunInfo(name, method, (int) k, seed, config);
    }

    private static JsonPrimitive primitive(Path file, JsonObject o, String key, String expected) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw new BadInputException(file + ": missing key '" + key + "' (" + expected + ")");
        }
        if (!e.isJsonPrimitive()) {
            throw new BadInputException(file + ": key '" + key + "': value " + e + " is not " + expected);
        }
        return e.getAsJsonPrimitive();
    }

    private static String string(Path file, JsonObject o, String key) {
        JsonPrimitive p = primitive(file, o, key, "a string");
        if (!p.isString()) {
            throw new BadInputException(file + ": key '" + key + "': value " + p + " is not a string");
        }
        return p.getAsString();
    }

    private static long integer(Path file, JsonObject o, String key) {
        JsonPrimitive p = primitive(file, o, key, "an integer");
        try {
            if (p.isNumber()) {
                return new BigDecimal(p.getAsString()).longValueExact();
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // fall through to the message below
        }
        throw new BadInputException(file + ": key '" + key + "': value " + p + " is not an integer");
    }

    private static void flatten(String prefix, JsonElement e, Map<String, String> out) {
        if (e.isJsonObject()) {
            JsonObject o = e.getAsJsonObject();
            if (o.size() == 0 && !prefix.isEmpty()) {
                out.put(prefix, "{}");
            }
            for (Map.Entry<String, JsonElement> entry : o.entrySet()) {
                String key = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
                flatten(key, entry.getValue(), out);
            }
        } else if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            out.put(prefix, e.getAsString());
        } else {
            // numbers, booleans, null and arrays read best as their JSON text
            out.put(prefix, e.toString());
        }
    }
}
