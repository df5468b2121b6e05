package io.passk.report.run;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.passk.BadInputException;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code RUN/run.json}, the run's provenance: a JSON object with at least {@code method}
 * (string), {@code k} (integer) and {@code seed} (integer); {@code name} is optional. Any other
 * keys (configuration, versions, input paths) are kept, flattened, for display.
 */
public final class RunJson {

    public static final String FILE_NAME = "run.json";

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
