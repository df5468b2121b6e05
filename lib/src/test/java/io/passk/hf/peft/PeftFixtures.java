package io.passk.hf.peft;

import io.passk.hf.HfFixtures;

import io.passk.hf.safetensors.FloatTensor;
import io.passk.hf.safetensors.SafetensorsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fixtures of src/test/python/hf_fixtures.py and peft_fixtures.py (committed under
 * src/test/resources/hf/), and editable copies of them.
 */
final class PeftFixtures {

    static final String ADAPTER = "tiny-qwen2-lora";
    static final String MERGED = "tiny-qwen2-lora-merged.safetensors";

    private PeftFixtures() {
    }

    static Path fixture(String name) {
        try {
            return Path.of(PeftFixtures.class.getResource("/hf/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing fixture hf/" + name + " (regenerate: python3"
                    + " src/test/python/peft_fixtures.py generate src/test/resources/hf)", e);
        }
    }

    /** A copy of a fixture directory in {@code parent}, safe to edit (the fixtures share hf/ with {@link HfFixtures}). */
    static Path copy(String name, Path parent) {
        return HfFixtures.copy(name, parent);
    }

    /** Every tensor of a safetensors file, widened to F32. */
    static Map<String, FloatTensor> read(Path file) {
        Map<String, FloatTensor> out = new TreeMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                out.put(name, new FloatTensor(f.info(name).shape(), f.readFloats(name)));
            }
        }
        return out;
    }

    static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeString(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
