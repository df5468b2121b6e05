package io.passk.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobFilter;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The all-text schema of a CSV input from the header line of its first file, read on the
 * driver. Given to Spark's CSV reader it saves the Spark job that reader otherwise runs to read
 * the header (most of a second of start-up on a small machine). Anything unusual (quotes,
 * duplicate or empty names, an empty or unreadable file) returns null, and Spark reads the
 * header itself as before, with its own naming rules and error messages.
 */
final class CsvHeader {

    private CsvHeader() {
    }

    /**
     * The schema, or null to let Spark read the header. {@code glob}: when non-null, only files
     * whose names match it count (a directory with a README next to the data).
     */
    static StructType schema(String[] paths, String sep, String glob, Configuration conf) {
        try {
            Path first = firstFile(paths, glob, conf);
            if (first == null) {
                return null;
            }
            return fromLine(firstLine(first, conf), sep);
        } catch (IOException | RuntimeException e) {
            return null; // Spark reads it and reports any problem in its words
        }
    }

    /**
     * {@link #schema} of the first input when it is a local, uncompressed {@code .csv} / {@code .tsv}
     * file, or a flat local directory whose first such file (by name, non-empty, matching
     * {@code glob}) is: read with {@code java.nio}, so the local engine needs no Hadoop file system.
     * Empty when that is not the case (the caller then asks {@link #schema}).
     */
    static java.util.Optional<StructType> schemaOfLocal(String[] paths, String sep, String glob) {
        try {
            java.nio.file.Path p = java.nio.file.Path.of(paths[0].startsWith("file:")
                    ? java.net.URI.create(paths[0]).getPath() : paths[0]);
            java.nio.file.Path first = null;
            if (java.nio.file.Files.isRegularFile(p)) {
                first = p;
            } else if (java.nio.file.Files.isDirectory(p)) {
                GlobFilter filter = glob == null ? null : new GlobFilter(glob);
                List<java.nio.file.Path> files = new ArrayList<>();
                try (var l = java.nio.file.Files.list(p)) {
                    for (java.nio.file.Path f : l.toList()) {
                        String n = f.getFileName().toString();
                        if (java.nio.file.Files.isDirectory(f)) {
                            return java.util.Optional.empty();
                        }
                        if (n.startsWith("_") || n.startsWith(".") || (filter != null && !filter.accept(new Path(n)))) {
                            continue;
                        }
                        files.add(f);
                    }
                }
                files.sort(null);
                for (java.nio.file.Path f : files) {
                    if (java.nio.file.Files.size(f) > 0) {
                        first = f;
                        break;
                    }
                }
            }
            String name = first == null ? "" : first.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            if (!name.endsWith(".csv") && !name.endsWith(".tsv")) {
                return java.util.Optional.empty();
            }
            try (BufferedReader r = new BufferedReader(new InputStreamReader(java.nio.file.Files.newInputStream(first),
                    StandardCharsets.UTF_8))) {
                String line = r.readLine();
                return java.util.Optional.ofNullable(fromLine(line == null ? null : line.endsWith("\r")
                        ? line.substring(0, line.length() - 1) : line, sep));
            }
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** The all-text schema of a header line, or null when Spark must read it (quotes, duplicates, ..). */
    private static StructType fromLine(String line, String sep) {
        {
            if (line == null || line.isBlank() || line.indexOf('"') >= 0) {
                return null;
            }
            if (line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            String[] names = line.split(java.util.regex.Pattern.quote(sep), -1);
            Set<String> seen = new HashSet<>();
            StructType t = new StructType();
            for (String n : names) {
                String name = n.trim();
                if (name.isEmpty() || !name.equals(n) || !seen.add(name)) {
                    return null;
                }
                t = t.add(name, DataTypes.StringType);
            }
            return t;
        }
    }

    private static Path firstFile(String[] paths, String glob, Configuration conf) throws IOException {
        Path p = new Path(paths[0]);
        FileSystem fs = p.getFileSystem(conf);
        FileStatus st = fs.getFileStatus(p);
        if (st.isFile()) {
            return p;
        }
        GlobFilter filter = glob == null ? null : new GlobFilter(glob);
        List<Path> files = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true);
        while (it.hasNext()) {
            Path f = it.next().getPath();
            String n = f.getName();
            if (n.startsWith("_") || n.startsWith(".") || (filter != null && !filter.accept(f))) {
                continue;
            }
            files.add(f);
        }
        if (files.isEmpty()) {
            return null;
        }
        // every file's header is the same when Spark enforces one schema: any file will do, but
        // an empty one has no header
        files.sort(null);
        for (Path f : files) {
            if (fs.getFileStatus(f).getLen() > 0) {
                return f;
            }
        }
        return null;
    }

    private static String firstLine(Path f, Configuration conf) throws IOException {
        FileSystem fs = f.getFileSystem(conf);
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(f);
        try (InputStream raw = fs.open(f);
             InputStream in = codec == null ? raw : codec.createInputStream(raw);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line = r.readLine();
            return line == null ? null : line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        }
    }
}
