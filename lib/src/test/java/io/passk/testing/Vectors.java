package io.passk.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the exact reference values (test resources {@code vectors/*.csv}, computed by enumerating
 * every k-subset with rational arithmetic; docs/reference.md#reference-vectors) as header-keyed rows.
 */
public final class Vectors {
    private Vectors() {
    }

    public static List<Map<String, String>> read(String name) {
        String resource = "vectors/" + name;
        try (InputStream in = Vectors.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + resource);
            }
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            String[] header = lines.get(0).split(",", -1);
            List<Map<String, String>> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.length; i++) {
                    row.put(header[i], i < cells.length ? cells[i] : "");
                }
                rows.add(row);
            }
            if (rows.isEmpty()) {
                throw new IllegalStateException("no rows in " + resource);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read reference vectors " + resource, e);
        }
    }

    public static double[] doubles(String spaceSeparated) {
        String[] parts = spaceSeparated.trim().split("\\s+");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Double.parseDouble(parts[i]);
        }
        return out;
    }
}
