package io.passk.eval;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    /** Made when a log is first read, not when a file name is matched (InputFormat#ofFileName). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper()
                // Python's json.dumps writes NaN / Infinity: read them, and let the reward check refuse them
                .enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);
    }

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
                    JsonNode doc = parse(line, f, no, "an lm-evaluation-harness sample (JSON object per line)");
                    String where = f + " line " + no;
                    JsonNode id = doc.get("doc_id");
                    if (id == null || !(id.isIntegralNumber() || id.isTextual())) {
                        throw new BadInputException("input " + where + ": no 'doc_id' (expected an lm-evaluation-harness "
                                + "--log_samples file: doc_id, filter, metrics, resps, filtered_resps)");
                    }
                    String filter = doc.path("filter").isTextual() ? doc.get("filter").asText() : "none";
                    String key = lmEvalMetric(doc, metric, where);
                    if (used == null) {
                        used = key;
                    }
                    JsonNode v = doc.get(key);
                    if (v.isArray()) {
                        int i = 0;
                        for (JsonNode x : v) {
                            out.add(new Sample(model, task, filter, id.asText(), i++, number(x, key, where)));
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
                        out.add(new Sample(model, task, filter, id.asText(), 0, number(v, key, where)));
                    }
                }
            } catch (IOException e) {
                throw unreadable(f, e);
            }
        }
        return new Read(out, String.join(",", inputs), used);
    }

    /** The metric of one document that counts: {@code --correct-col}, else the defaults, else the only one. */
    private static String lmEvalMetric(JsonNode doc, Optional<String> metric, String where) {
        List<String> metrics = new ArrayList<>();
        if (doc.path("metrics").isArray()) {
            doc.get("metrics").forEach(x -> metrics.add(x.asText()));
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
    private static int generatedResponses(JsonNode filtered) {
        if (filtered == null || !filtered.isArray()) {
            return 0;
        }
        int texts = 0;
        for (JsonNode req : filtered) {
            if (req.isTextual()) {
                texts++;
            } else if (req.isArray()) {
                for (JsonNode x : req) {
                    if (x.isTextual()) {
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
            JsonNode header = null;
            JsonNode start = null;
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
                        JsonNode s = parse(z, f, n, "an inspect_ai sample (samples/<id>_epoch_<n>.json)");
                        String where = f + " " + n;
                        JsonNode id = s.get("id");
                        JsonNode epoch = s.get("epoch");
                        if (id == null || !(id.isIntegralNumber() || id.isTextual()) || epoch == null
                                || !epoch.isIntegralNumber()) {
                            throw new BadInputException("input " + where + ": no 'id' or integer 'epoch' (expected an "
                                    + "inspect_ai EvalSample)");
                        }
                        JsonNode scores = s.get("scores");
                        if (scores == null || !scores.isObject() || scores.isEmpty()) {
                            throw new BadInputException("input " + where + ": no 'scores' (an unscored sample; "
                                    + "score the log with `inspect score` first)");
                        }
                        String key = inspectScorer(scores, scorer, where);
                        if (used == null) {
                            used = key;
                        }
                        JsonNode value = scores.get(key).get("value");
                        pending.add(new Object[] {id.asText(), epoch.asInt(), valueToFloat(value, key, where)});
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
            JsonNode spec = header != null ? header.path("eval") : start != null ? start.path("eval") : null;
            if (spec == null || !spec.path("task").isTextual() || !spec.path("model").isTextual()) {
                throw new BadInputException("input " + f + ": no header.json (or _journal/start.json) with eval.task "
                        + "and eval.model (expected an inspect_ai .eval log)");
            }
            String task = spec.get("task").asText();
            String model = spec.get("model").asText();
            for (Object[] p : pending) {
                out.add(new Sample(model, task, null, (String) p[0], (Integer) p[1], (Double) p[2]));
            }
        }
        return new Read(out, String.join(",", inputs), used);
    }

    private static String inspectScorer(JsonNode scores, Optional<String> scorer, String where) {
        List<String> names = new ArrayList<>();
        scores.fieldNames().forEachRemaining(names::add);
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
    static double valueToFloat(JsonNode v, String scorer, String where) {
        if (v == null || v.isNull()) {
            return Double.NaN; // refused by the reward check, naming the input
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isBoolean()) {
            return v.asBoolean() ? 1 : 0;
        }
        if (v.isTextual()) {
            String s = v.asText();
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
                + (v.isObject() ? "dict" : "list") + " (several values per sample); passk needs one score per sample");
    }

    private static double number(JsonNode x, String key, String where) {
        if (x == null || x.isNull()) {
            return Double.NaN;
        }
        if (x.isNumber()) {
            return x.asDouble();
        }
        if (x.isBoolean()) {
            return x.asBoolean() ? 1 : 0;
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

    private static JsonNode parse(String line, Path f, long no, String expected) {
        try {
            JsonNode n = Json.MAPPER.readTree(line);
            if (n == null || !n.isObject()) {
                throw new BadInputException("input " + f + " line " + no + ": not a JSON object (expected " + expected + ")");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new BadInputException("input " + f + " line " + no + ": malformed JSON (expected " + expected + "): "
                    + AnswerReader.firstLine(e.getOriginalMessage()));
        }
    }

    private static JsonNode parse(ZipInputStream z, Path f, String entry, String expected) throws IOException {
        try {
            JsonNode n = Json.MAPPER.readTree(new NonClosing(z));
            if (n == null || !n.isObject()) {
                throw new BadInputException("input " + f + " " + entry + ": not a JSON object (expected " + expected + ")");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new BadInputException("input " + f + " " + entry + ": malformed JSON (expected " + expected + "): "
                    + AnswerReader.firstLine(e.getOriginalMessage()));
        }
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

    /** Jackson closes the stream it read; a zip entry's stream must stay open for the next entry. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
