package io.passk.eval;

import com.google.gson.JsonParseException;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.passk.BadInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobFilter;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of evalplus {@code eval_results.json} files, checked on the driver before Spark
 * reads them (one streaming pass, nothing kept): a JSON object whose {@code eval} maps each task
 * id to a list of sample objects, each with {@code base_status} and {@code plus_status} strings
 * ({@code pass}; anything else, {@code fail} or {@code timeout}, is a failure; a null is refused
 * later, naming the task, by the row checks).
 * Spark's own parser would report a wrong shape as a malformed record under a stack trace, and
 * read a number as a status that is silently a failure: a status must be a string, so
 * {@code 1} is refused. The refusal names the file, the JSON path and what was expected.
 */
final class EvalplusShape {

    static final String STATUS_RULE = "a string (\"pass\"; anything else, e.g. \"fail\", is a failure)";

    private EvalplusShape() {
    }

    /** Checks every evalplus file of {@code paths} ({@code glob}: only matching files of a directory). */
    static void check(String[] paths, String glob, Configuration conf) {
        for (String p : paths) {
            Path path = new Path(p);
            List<Path> files;
            try {
                files = files(path, glob, conf);
            } catch (IOException e) {
                return; // missing or unlistable: Spark's read names it (AnswerReader.readFailure)
            }
            for (Path f : files) {
                checkFile(f, conf);
            }
        }
    }

    private static List<Path> files(Path p, String glob, Configuration conf) throws IOException {
        FileSystem fs = p.getFileSystem(conf);
        FileStatus st = fs.getFileStatus(p);
        List<Path> out = new ArrayList<>();
        if (st.isFile()) {
            out.add(p);
            return out;
        }
        GlobFilter filter = glob == null ? null : new GlobFilter(glob);
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true);
        while (it.hasNext()) {
            Path f = it.next().getPath();
            String n = f.getName();
            if (!n.startsWith("_") && !n.startsWith(".") && (filter == null || filter.accept(f))) {
                out.add(f);
            }
        }
        return out;
    }

    static void checkFile(Path f, Configuration conf) {
        String where = "input " + f;
        try {
            FileSystem fs = f.getFileSystem(conf);
            CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(f);
            try (InputStream raw = fs.open(f);
                 InputStream in = codec == null ? raw : codec.createInputStream(raw);
                 JsonReader r = new JsonReader(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))) {
                document(r, where);
            }
        } catch (EOFException e) {
            throw new BadInputException(where + " (evalplus): the JSON ends early (a truncated file?)", e);
        } catch (IOException | JsonParseException | IllegalStateException e) {
            String msg = String.valueOf(e.getMessage());
            throw new BadInputException(where + " (evalplus) is not valid JSON: " + msg.replace("\n", " ")
                    .replaceAll(" See https?://\\S+", ""), e);
        }
    }

    private static void document(JsonReader r, String where) throws IOException {
        if (r.peek() != JsonToken.BEGIN_OBJECT) {
            throw shape(where, "$", "an object with 'eval' (evalplus eval_results.json)", r.peek());
        }
        boolean sawEval = false;
        r.beginObject();
        while (r.hasNext()) {
            String key = r.nextName();
            if (!key.equals("eval")) {
                r.skipValue();
                continue;
            }
            sawEval = true;
            if (r.peek() != JsonToken.BEGIN_OBJECT) {
                throw shape(where, "$.eval", "an object mapping each task id to its list of samples", r.peek());
            }
            r.beginObject();
            while (r.hasNext()) {
                String task = r.nextName();
                String at = "$.eval['" + task + "']";
                if (r.peek() != JsonToken.BEGIN_ARRAY) {
                    throw shape(where, at, "a list of sample objects with base_status and plus_status"
                            + (r.peek() == JsonToken.BEGIN_OBJECT ? " (an object here is the old evalplus layout "
                            + "{\"base\": [[status, details], ...]}; rerun evalplus' evaluate to write the current one)"
                            : ""), r.peek());
                }
                r.beginArray();
                for (int i = 0; r.hasNext(); i++) {
                    sample(r, where, at + "[" + i + "]");
                }
                r.endArray();
            }
            r.endObject();
        }
        r.endObject();
        if (r.peek() != JsonToken.END_DOCUMENT) {
            throw shape(where, "$", "one JSON document", r.peek());
        }
        if (!sawEval) {
            throw new BadInputException(where + " (evalplus): no 'eval' key; expected an evalplus eval_results.json "
                    + "({\"eval\": {task_id: [samples]}})");
        }
    }

    private static void sample(JsonReader r, String where, String at) throws IOException {
        if (r.peek() != JsonToken.BEGIN_OBJECT) {
            throw shape(where, at, "a sample object with base_status and plus_status", r.peek());
        }
        r.beginObject();
        while (r.hasNext()) {
            String key = r.nextName();
            if (key.equals("base_status") || key.equals("plus_status")) {
                JsonToken t = r.peek();
                if (t == JsonToken.NULL) {
                    r.nextNull();
                } else if (t == JsonToken.STRING) {
                    r.nextString();
                } else {
                    throw shape(where, at + "." + key, STATUS_RULE, t);
                }
            } else {
                r.skipValue();
            }
        }
        r.endObject();
    }

    private static BadInputException shape(String where, String at, String expected, JsonToken found) {
        return new BadInputException(where + " (evalplus): " + at + " should be " + expected + ", found "
                + describe(found));
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case BEGIN_ARRAY -> "an array";
            case BEGIN_OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case END_DOCUMENT -> "the end of the file";
            default -> t.toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
