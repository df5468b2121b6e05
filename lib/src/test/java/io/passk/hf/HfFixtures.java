package io.passk.hf;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.passk.hf.safetensors.FloatTensor;
import io.passk.hf.safetensors.SafetensorsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The tiny model directories that src/test/python/hf_fixtures.py generated (committed under
 * src/test/resources/hf/), and editable copies of them for the bad-directory tests.
 */
public final class HfFixtures {

    private HfFixtures() {
    }

    static Path fixture(String name) {
        try {
            return Path.of(HfFixtures.class.getResource("/hf/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing fixture hf/" + name
                    + " (regenerate: python3 src/test/python/hf_fixtures.py generate src/test/resources/hf)", e);
        }
    }

    /** A copy of a fixture directory in {@code parent}, safe to edit. */
    public static Path copy(String name, Path parent) {
        Path from = fixture(name);
        Path to = parent.resolve(name);
        try (Stream<Path> files = Files.list(from)) {
            Files.createDirectories(to);
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    /** Rewrites a JSON file of a directory after {@code edit}. */
    static void editJson(Path file, Consumer<JsonObject> edit) {
        try {
            JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            edit.accept(json);
            Files.writeString(file, new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every tensor of a file as F32. */
    static TreeMap<String, FloatTensor> load(Path file) {
        TreeMap<String, FloatTensor> out = new TreeMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                out.put(name, new FloatTensor(f.info(name).shape(), f.readFloats(name)));
            }
        }
        return out;
    }

    static Map<String, FloatTensor> without(Map<String, FloatTensor> tensors, String name) {
        TreeMap<String, FloatTensor> out = new TreeMap<>(tensors);
        out.remove(name);
        return out;
    }
}
