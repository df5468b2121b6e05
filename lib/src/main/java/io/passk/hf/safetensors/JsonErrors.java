package io.passk.hf.safetensors;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import io.passk.BadInputException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Strict JSON files of a model directory, and Gson's parse errors as one line without its advice
 * to parse leniently (passk's JSON is strict).
 */
public final class JsonErrors {

    private JsonErrors() {
    }

    /** {@code file} parsed as strict JSON; a missing or malformed file is bad input naming it. */
    public static JsonElement readStrict(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonReader json = new JsonReader(reader);
            json.setStrictness(Strictness.STRICT);
            return JsonParser.parseReader(json);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file");
        } catch (IOException | JsonParseException e) {
            throw new BadInputException(file + ": not valid JSON: " + oneLine(e), e);
        }
    }

    /** "at line 1 column 71 path $.w.dtype"-style text of a Gson exception, on one line. */
    public static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int advice = m.indexOf("\nSee https://");
        if (advice >= 0) {
            m = m.substring(0, advice);
        }
        m = m.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON ", "malformed JSON ");
        return m.replaceAll("\\s+", " ").trim();
    }
}
