package io.passk.hf.safetensors;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The committed Python implementation of the format (src/test/python/hf_fixtures.py), run as
 * an independent reader, and the fixtures it generated (src/test/resources/hf/).
 */
final class PythonOracle {

    static final Path SCRIPT = Path.of("src/test/python/hf_fixtures.py").toAbsolutePath();

    private PythonOracle() {
    }

    /** A committed fixture under src/test/resources/hf/. */
    static Path fixture(String relative) {
        try {
            return Path.of(PythonOracle.class.getResource("/hf/" + relative).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test fixture hf/" + relative
                    + " (regenerate with: python3 " + SCRIPT + " generate src/test/resources/hf)", e);
        }
    }

    private static String python;

    /** A python3 with numpy, or the test is skipped (Debian's python3-numpy; CI installs it). */
    static synchronized String python() {
        if (python != null) {
            return python;
        }
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import numpy").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    python = candidate;
                    return candidate;
                }
            } catch (IOException e) {
                // not installed: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assumeTrue(false, "no python3 with numpy: the Python side of the cross-check is skipped");
        return null;
    }

    /**
     * The Python reader's view of files (one process, as torch imports slowly):
     * {file: {"metadata", "tensors": {name: {dtype, shape, f32_bits, ...}}}}.
     */
    static JsonObject dump(Path... files) throws IOException, InterruptedException {
        Path out = Files.createTempFile("hf-dump", ".json");
        try {
            List<String> command = new java.util.ArrayList<>(List.of(python(), SCRIPT.toString(), "dump"));
            for (Path f : files) {
                command.add(f.toString());
            }
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.PIPE).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("python reader refused " + List.of(files) + ": " + err);
            }
            return JsonParser.parseString(Files.readString(out)).getAsJsonObject();
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
