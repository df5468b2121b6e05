package io.passk.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads ../shared/vectors/*.csv (the exact reference values) as header-keyed rows. */
public final class Vectors {
    private Vectors() {
    }

    public static Path sharedDir() {
        String prop = System.getProperty("passk.shared");
        Path p = prop != null ? Path.of(prop) : Path.of("..", "..", "shared");
        if (!Files.isDirectory(p)) {
            // run from the module dir or the repo root
            for (Path c : List.of(Path.of("../shared"), Path.of("../../shared"))) {
                if (Files.isDirectory(c)) {
                    return c;
                }
            }
        }
        return p;
    }

    public static List<Map<String, String>> read(String name) {
        Path file = sharedDir().resolve("vectors").resolve(name);
        try {
            List<String> lines = Files.readAllLines(file);
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
                throw new IllegalStateException("no rows in " + file);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read reference vectors " + file.toAbsolutePath(), e);
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
