package io.passk.eval;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.passk.BadInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The per-sample logs of two evaluation harnesses, read into one row per sampled answer
 * ({@link Sample}): lm-evaluation-harness {@code samples_<task>_<date>.jsonl} (optionally
 * {@code .gz}) and inspect_ai {@code .eval} logs. Both are JSON, read here with Jackson (a log is
 * the size of a benchmark, not of a training corpus); lighteval's Parquet details are read by the
 * engine ({@link AnswerReader}).
 *
 * <p>Which score counts ({@code --correct-col} names another):
 * <ul>
 *   <li>lm-evaluation-harness: the document's metric {@code exact_match}, else {@code acc}, else
 *       its only metric. A list value holds one score per repeat (one sample each); a number or
 *       boolean is one sample, and is refused when it stands for several generated responses (an
 *       estimate over the repeats, such as {@code pass@k}, is not a per-sample score). Problem:
 *       {@code doc_id}; groups: {@code model} (the directory holding the file, where the harness
 *       writes {@code <model_name_sanitized>/}), {@code task} (from the file name), {@code filter}.</li>
 *   <li>inspect_ai: each sample's only scorer (with several, {@code --correct-col} is required).
 *       The value maps to a number as inspect's {@code value_to_float} does: {@code C} 1,
 *       {@code P} 0.5, {@code I} and {@code N} 0, yes/true 1, no/false 0, numbers and numeric
 *       text as they are. Problem: the sample {@code id}; sample: its {@code epoch}; groups:
 *       {@code model} and {@code task} from {@code header.json}.</li>
 * </ul>
 * A log whose scores are all 0 or 1 reads as {@code correct}; any other value makes the log a
 * reward input ({@code reward}, so max@k applies; correct iff reward &ge; 1).
 */
public final class HarnessLogs {

    /** Grouping columns every harness log adds in front of {@code --by}. */
    public static final String MODEL = "model";
    public static final String TASK = "task";
    /** lm-evaluation-harness: the filter a document's responses went through. */
    public static final String FILTER = "filter";

    /** lm-evaluation-harness's per-sample file name: {@code samples_<task>_<date_id>.jsonl}. */
    static final Pattern LMEVAL_FILE = Pattern.compile(
            "samples_(.+)_(\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}(?:\\.\\d+)?)\\.jsonl", Pattern.CASE_INSENSITIVE);
    /** lighteval's details file name: {@code details_<task>_<date_id>.parquet}. */
    static final Pattern LIGHTEVAL_FILE = Pattern.compile(
            "details_(.+)_(\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}(?:\\.\\d+)?)\\.parquet", Pattern.CASE_INSENSITIVE);
    /** lm-evaluation-harness metrics tried, in order, when {@code --correct-col} is not given. */
    static final List<String> LMEVAL_DEFAULT_METRICS = List.of("exact_match", "acc");

    /** Python's {@code json.dumps} writes bare NaN / Infinity / -Infinity: read them, and let the reward check refuse them. */
    private static final Pattern NON_FINITE = Pattern.compile("NaN|-?Infinity");
    private static final Pattern INTEGRAL = Pattern.compile("-?\\d+");

    private HarnessLogs() {
    }

    /**
     * One sampled answer of a harness log.
     *
     * @param model     the model (group)
     * @param task      the task (group)
     * @param filter    lm-evaluation-harness's filter (group), null for inspect_ai
     * @param problemId the document / sample id
     * @param sampleIdx the repeat (lm-evaluation-harness) or epoch (inspect_ai)
     * @param score     the score as a number (NaN stays NaN: refused by the reward check)
     */
    public record Sample(String model, String task, String filter, String problemId, int sampleIdx, double score) {
    }

    /** The samples read, the files they came from, and the name of the score that counted. */
    public record Read(List<Sample> samples, String where, String scoreName) {
        /** True when every score is 0 or 1 (a binary input; otherwise rewards). */
        public boolean binary() {
            for (Sample s : samples) {
                if (!(s.score() == 0.0 || s.score() == 1.0)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Reads lm-evaluation-harness sample files (a directory: every {@code samples_*.jsonl[.gz]} below it). */
    public static Read lmEval(List<String> inputs, Optional<String> metric, Configuration conf) {
        List<Path> files = files(inputs, InputFormat.LMEVAL, conf);
        List<Sample> out = new ArrayList<>();
        String used = null;
        for (Path f : files) {
            String name = stripGz(f.getName());
            Matcher m = LMEVAL_FILE.matcher(name);
            String task = m.matches() ? m.group(1) : name.replaceFirst("\\.jsonl$", "");
            String model = f.getParent() == null ? "" : f.getParent().getName();
            try (BufferedReader r = reader(f, conf)) {
                String line;
                long no = 0;
                while ((line = r.readLine()) != null) {
                    no++;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonObject doc = parse(line, f, no, "an lm-evaluation-harness sample (JSON object per line)");
                    String where = f + " line " + no;
                    JsonElement id = doc.get("doc_id");
                    if (!(isIntegral(id) || isText(id))) {
                        throw new BadInputException("input " + where + ": no 'doc_id' (expected an lm-evaluation-harness "
                                + "--log_samples file: doc_id, filter, metrics, resps, filtered_resps)");
                    }
                    String filter = isText(doc.get("filter")) ? doc.get("filter").getAsString() : "none";
                    String key = lmEvalMetric(doc, metric, where);
                    if (used == null) {
                        used = key;
                    }
                    JsonElement v = doc.get(key);
                    if (v.isJsonArray()) {
                        int i = 0;
                        for (JsonElement x : v.getAsJsonArray()) {
                            out.add(new Sample(model, task, filter, id.getAsString(), i++, number(x, key, where)));
                        }
                        if (i == 0) {
                            throw new BadInputException("input " + where + ": metric '" + key + "' is an empty list");
                        }
                    } else {
                        int responses = generatedResponses(doc.get("filtered_resps"));
                        if (responses > 1) {
                            throw new BadInputException("input " + where + ": metric '" + key + "' is one value for "
                                    + responses + " responses (an estimate over the repeats, not a per-sample "
                                    + "score); pick a per-sample metric (a list, one score per repeat) with --correct-col");
                        }
                        out.add(new Sample(model, task, filter, id.getAsString(), 0, number(v, key, where)));
                    }
                }
            } catch (IOException e) {
                throw unreadable(f, e);
            }
        }
        return new Read(out, String.join(",", inputs), used);
    }

    /** The metric of one document that counts: {@code --correct-col}, else the defaults, else the only one. */
    private static String lmEvalMetric(JsonObject doc, Optional<String> metric, String where) {
        List<String> metrics = new ArrayList<>();
        if (doc.get("metrics") instanceof com.google.gson.JsonArray names) {
            names.forEach(x -> metrics.add(x.isJsonPrimitive() ? x.getAsString() : x.toString()));
        }
        if (metric.isPresent()) {
            if (!doc.has(metric.get())) {
                throw new BadInputException("input " + where + ": --correct-col " + metric.get()
                        + ": no such metric; the document has " + describe(metrics));
            }
            return metric.get();
        }
        for (String d : LMEVAL_DEFAULT_METRICS) {
            if (doc.has(d)) {
                return d;
            }
        }
        List<String> present = metrics.stream().filter(doc::has).toList();
        if (present.size() == 1) {
            return present.get(0);
        }
        throw new BadInputException("input " + where + ": no exact_match or acc metric"
                + (present.isEmpty() ? " (and no 'metrics' list naming one; expected an lm-evaluation-harness "
                + "--log_samples file)" : "; pick one of " + present + " with --correct-col"));
    }

    /** How many generated texts a document's {@code filtered_resps} holds (0 for log-likelihood pairs). */
    private static int generatedResponses(JsonElement filtered) {
        if (filtered == null || !filtered.isJsonArray()) {
            return 0;
        }
        int texts = 0;
        for (JsonElement req : filtered.getAsJsonArray()) {
            if (isText(req)) {
                texts++;
            } else if (req.isJsonArray()) {
                for (JsonElement x : req.getAsJsonArray()) {
                    if (isText(x)) {
                        texts++;
                    }
                }
            }
        }
        return texts;
    }

    /** Reads inspect_ai {@code .eval} logs (a directory: every {@code *.eval} below it). */
    public static Read inspect(List<String> inputs, Optional<String> scorer, Configuration conf) {
        List<Path> files = files(inputs, InputFormat.INSPECT, conf);
        List<Sample> out = new ArrayList<>();
        String used = null;
        for (Path f : files) {
            JsonObject header = null;
            JsonObject start = null;
            // the zip is read front to back: header.json is written last, so samples wait for it
            List<Object[]> pending = new ArrayList<>();
            boolean anyEntry = false;
            try (ZipInputStream z = new ZipInputStream(f.getFileSystem(conf).open(f))) {
                ZipEntry e;
                while ((e = z.getNextEntry()) != null) {
                    anyEntry = true;
                    String n = e.getName();
                    if (n.equals("header.json")) {
                        header = parse(z, f, n, "inspect_ai's header.json");
                    } else if (n.equals("_journal/start.json")) {
                        start = parse(z, f, n, "inspect_ai's _journal/start.json");
                    } else if (n.startsWith("samples/") && n.endsWith(".json")) {
                        JsonObject s = parse(z, f, n, "an inspect_ai sample (samples/<id>_epoch_<n>.json)");
                        String where = f + " " + n;
                        JsonElement id = s.get("id");
                        JsonElement epoch = s.get("epoch");
                        if (!(isIntegral(id) || isText(id)) || !isIntegral(epoch)) {
                            throw new BadInputException("input " + where + ": no 'id' or integer 'epoch' (expected an "
                                    + "inspect_ai EvalSample)");
                        }
                        JsonObject scores = s.get("scores") instanceof JsonObject o ? o : null;
                        if (scores == null || scores.isEmpty()) {
                            throw new BadInputException("input " + where + ": no 'scores' (an unscored sample; "
                                    + "score the log with `inspect score` first)");
                        }
                        String key = inspectScorer(scores, scorer, where);
                        if (used == null) {
                            used = key;
                        }
                        JsonElement score = scores.get(key);
                        JsonElement value = score instanceof JsonObject o ? o.get("value") : null;
                        pending.add(new Object[] {id.getAsString(), epoch.getAsInt(), valueToFloat(value, key, where)});
                    }
                }
            } catch (java.util.zip.ZipException ex) {
                throw new BadInputException("input " + f + ": not a zip archive (expected an inspect_ai .eval log): "
                        + ex.getMessage());
            } catch (IOException ex) {
                throw unreadable(f, ex);
            }
            if (!anyEntry) {
                throw new BadInputException("input " + f + ": not a zip archive or empty (expected an inspect_ai "
                        + ".eval log: header.json, samples/<id>_epoch_<n>.json)");
            }
            JsonObject of = header != null ? header : start;
            JsonObject spec = of != null && of.get("eval") instanceof JsonObject e ? e : null;
            if (spec == null || !isText(spec.get("task")) || !isText(spec.get("model"))) {
                throw new BadInputException("input " + f + ": no header.json (or _journal/start.json) with eval.task "
                        + "and eval.model (expected an inspect_ai .eval log)");
            }
            String task = spec.get("task").getAsString();
            String model = spec.get("model").getAsString();
            for (Object[] p : pending) {
                out.add(new Sample(model, task, null, (String) p[0], (Integer) p[1], (Double) p[2]));
            }
        }
        return new Read(out, String.join(",", inputs), used);
    }

    private static String inspectScorer(JsonObject scores, Optional<String> scorer, String where) {
        List<String> names = new ArrayList<>(scores.keySet());
        if (scorer.isPresent()) {
            if (!scores.has(scorer.get())) {
                throw new BadInputException("input " + where + ": --correct-col " + scorer.get()
                        + ": no such scorer; the sample has " + describe(names));
            }
            return scorer.get();
        }
        if (names.size() != 1) {
            throw new BadInputException("input " + where + ": several scorers " + names
                    + "; pick one with --correct-col");
        }
        return names.get(0);
    }

    /**
     * A score value as inspect_ai's default {@code value_to_float} reads it: numbers and booleans
     * as they are; {@code C} 1, {@code P} 0.5, {@code I} / {@code N} 0; yes/true 1, no/false 0;
     * numeric text parsed. A list or dict (several values per sample) is refused.
     */
    static double valueToFloat(JsonElement v, String scorer, String where) {
        if (v == null || v.isJsonNull()) {
            return Double.NaN; // refused by the reward check, naming the input
        }
        if (isNumber(v)) {
            return v.getAsDouble();
        }
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean()) {
            return v.getAsBoolean() ? 1 : 0;
        }
        if (isText(v)) {
            String s = v.getAsString();
            switch (s) {
                case "C":
                    return 1;
                case "P":
                    return 0.5;
                case "I":
                case "N":
                    return 0;
                default:
                    break;
            }
            String l = s.toLowerCase(Locale.ROOT).trim();
            if (l.equals("yes") || l.equals("true")) {
                return 1;
            }
            if (l.equals("no") || l.equals("false")) {
                return 0;
            }
            try {
                return Double.parseDouble(l);
            } catch (NumberFormatException e) {
                throw new BadInputException("input " + where + ": scorer '" + scorer + "' value '" + s
                        + "' is not C/I/P/N, yes/no, true/false or a number");
            }
        }
        throw new BadInputException("input " + where + ": scorer '" + scorer + "' value is a "
                + (v.isJsonObject() ? "dict" : "list") + " (several values per sample); passk needs one score per sample");
    }

    private static double number(JsonElement x, String key, String where) {
        if (x == null || x.isJsonNull()) {
            return Double.NaN;
        }
        if (isNumber(x)) {
            return x.getAsDouble();
        }
        if (x.isJsonPrimitive() && x.getAsJsonPrimitive().isBoolean()) {
            return x.getAsBoolean() ? 1 : 0;
        }
        throw new BadInputException("input " + where + ": metric '" + key + "' value " + x
                + " is not a number, a boolean or a list of them");
    }

    /** The input files of {@code fmt}: files as given, directories listed recursively (hidden files skipped). */
    static List<Path> files(List<String> inputs, InputFormat fmt, Configuration conf) {
        List<Path> out = new ArrayList<>();
        for (String p : inputs) {
            Path path = new Path(p);
            try {
                FileSystem fs = path.getFileSystem(conf);
                if (!fs.exists(path)) {
                    throw new BadInputException("input " + p + " does not exist");
                }
                FileStatus st = fs.getFileStatus(path);
                if (st.isFile()) {
                    out.add(st.getPath());
                    continue;
                }
                int before = out.size();
                RemoteIterator<LocatedFileStatus> it = fs.listFiles(path, true);
                while (it.hasNext()) {
                    Path f = it.next().getPath();
                    if (InputFormat.ofFileName(f.getName()) == fmt && !f.getName().startsWith(".")) {
                        out.add(f);
                    }
                }
                if (out.size() == before) {
                    throw new BadInputException("input " + p + ": no " + fmt.fileDescription() + " file in it");
                }
            } catch (IOException e) {
                throw new BadInputException("input " + p + " is unreadable: " + e.getMessage(), e);
            }
        }
        out.sort(null);
        return out;
    }

    private static BufferedReader reader(Path f, Configuration conf) throws IOException {
        InputStream in = f.getFileSystem(conf).open(f);
        if (f.getName().toLowerCase(Locale.ROOT).endsWith(".gz")) {
            try {
                in = new GZIPInputStream(in, 1 << 16);
            } catch (java.util.zip.ZipException e) {
                in.close();
                throw new BadInputException("input " + f + ": not gzip data (the name ends in .gz): " + e.getMessage());
            }
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    private static JsonObject parse(String line, Path f, long no, String expected) {
        return object(line, "input " + f + " line " + no, expected);
    }

    private static JsonObject parse(ZipInputStream z, Path f, String entry, String expected) throws IOException {
        // read the entry whole: the parser must not close the zip stream, which holds the next entries
        return object(new String(z.readAllBytes(), StandardCharsets.UTF_8), "input " + f + " " + entry, expected);
    }

    /**
     * One JSON object. Gson's parser is lenient, as Python's json module is about NaN and
     * Infinity (bare, as {@code json.dumps} writes them: read as text, then as the number by
     * {@link #isNumber}); the whole text must be one value.
     */
    private static JsonObject object(String text, String where, String expected) {
        JsonElement n;
        try {
            n = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new BadInputException(where + ": malformed JSON (expected " + expected + "): "
                    + AnswerReader.firstLine(cause.getMessage()));
        }
        if (!n.isJsonObject()) {
            throw new BadInputException(where + ": not a JSON object (expected " + expected + ")");
        }
        return n.getAsJsonObject();
    }

    /**
     * A JSON number, or Python's bare NaN / Infinity / -Infinity, which Gson's lenient parser reads
     * as text (as it does the same words quoted: either way the reward check refuses the value).
     */
    private static boolean isNumber(JsonElement x) {
        if (!(x instanceof JsonPrimitive p)) {
            return false;
        }
        return p.isNumber() || p.isString() && NON_FINITE.matcher(p.getAsString()).matches();
    }

    private static boolean isIntegral(JsonElement x) {
        return x instanceof JsonPrimitive p && p.isNumber() && INTEGRAL.matcher(p.getAsString()).matches();
    }

    private static boolean isText(JsonElement x) {
        return x instanceof JsonPrimitive p && p.isString();
    }

    private static BadInputException unreadable(Path f, IOException e) {
        if (e instanceof java.io.EOFException || e instanceof java.util.zip.ZipException) {
            return new BadInputException("input " + f + ": truncated or corrupt compressed data: " + e.getMessage());
        }
        return new BadInputException("input " + f + " is unreadable: " + e.getMessage(), e);
    }

    static String stripGz(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }

    private static String describe(List<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

}
