package io.passk.run;

import io.passk.BadInputException;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small CSV file read whole into memory: one header row, then data rows. Run files are a few
 * hundred rows at most, so plain Java is enough (no Spark). Fields may be quoted ({@code "a,b"},
 * {@code ""} for a quote); a field cannot span lines. Every accessor fails with a
 * {@link BadInputException} naming the file, the (1-based) line and the column, so the user knows
 * what to fix.
 */
public final class CsvTable {

    private final Path file;
    private final List<String> header;
    private final Map<String, Integer> columnIndex;
    private final List<Row> rows;

    private CsvTable(Path file, List<String> header, List<Row> rows) {
        this.file = file;
        this.header = List.copyOf(header);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            index.putIfAbsent(header.get(i), i);
        }
        this.columnIndex = Collections.unmodifiableMap(index);
        this.rows = List.copyOf(rows);
    }

    /** Reads {@code file}; fails if it is missing, unreadable, not UTF-8 or has no header row. */
    public static CsvTable read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": file not found");
        } catch (MalformedInputException e) {
            throw new BadInputException(file + ": not a UTF-8 text file", e);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        int first = 0;
        while (first < lines.size() && lines.get(first).isBlank()) {
            first++;
        }
        if (first == lines.size()) {
            throw new BadInputException(file + ": empty file (expected a header row)");
        }
        String headerLine = stripBom(lines.get(first));
        List<String> header = new ArrayList<>();
        for (String h : split(file, first + 1, headerLine)) {
            header.add(h.trim());
        }
        List<Row> rows = new ArrayList<>();
        for (int i = first + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = split(file, i + 1, line);
            if (cells.size() != header.size()) {
                throw new BadInputException(file + ": line " + (i + 1) + " has " + cells.size()
                        + " fields but the header has " + header.size());
            }
            rows.add(new Row(i + 1, cells));
        }
        return new CsvTable(file, header, rows);
    }

    public Path file() {
        return file;
    }

    public List<String> header() {
        return header;
    }

    public List<Row> rows() {
        return rows;
    }

    /** Fails naming the file and the first missing column when any of {@code columns} is absent. */
    public void requireColumns(List<String> columns) {
        for (String c : columns) {
            if (!columnIndex.containsKey(c)) {
                throw new BadInputException(file + ": missing column '" + c + "' (header: "
                        + String.join(",", header) + ")");
            }
        }
    }

    /** The raw text of {@code column} in {@code row}, trimmed. */
    public String text(Row row, String column) {
        Integer i = columnIndex.get(column);
        if (i == null) {
            throw new BadInputException(file + ": missing column '" + column + "'");
        }
        return row.cells().get(i).trim();
    }

    /** A required, finite double. */
    public double finiteDouble(Row row, String column) {
        String s = text(row, column);
        if (s.isEmpty()) {
            throw cell(row, column, s, "is empty (expected a number)");
        }
        return parseFinite(row, column, s);
    }

    /** A finite double, or NaN when the cell is empty (the value was not measured that row). */
    public double optionalDouble(Row row, String column) {
        String s = text(row, column);
        return s.isEmpty() ? Double.NaN : parseFinite(row, column, s);
    }

    /** A required integer. */
    public int integer(Row row, String column) {
        String s = text(row, column);
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw cell(row, column, s, "is not an integer");
        }
    }

    /** A required, non-empty string. */
    public String nonEmpty(Row row, String column) {
        String s = text(row, column);
        if (s.isEmpty()) {
            throw cell(row, column, s, "is empty");
        }
        return s;
    }

    /** A {@link BadInputException} naming file, line, column and value. */
    public BadInputException cell(Row row, String column, String value, String problem) {
        return new BadInputException(file + ": line " + row.line() + ", column '" + column
                + "': value '" + value + "' " + problem);
    }

    private double parseFinite(Row row, String column, String s) {
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw cell(row, column, s, "is not a number");
        }
        if (!Double.isFinite(v)) {
            throw cell(row, column, s, "is not a finite number");
        }
        return v;
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /** Splits one CSV line; quotes protect commas, a doubled quote is a literal quote. */
    static List<String> split(Path file, int lineNumber, String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.toString().isBlank() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
                field.setLength(0);
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new BadInputException(file + ": line " + lineNumber + " has an unterminated quote");
        }
        out.add(field.toString());
        return out;
    }

    /** One data row: its 1-based line number in the file and its raw cells. */
    public record Row(int line, List<String> cells) {
        public Row {
            cells = List.copyOf(cells);
        }
    }
}
