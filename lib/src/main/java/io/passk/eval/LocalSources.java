package io.passk.eval;

import io.passk.Columns;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * The inputs of the local engine ({@link LocalEvaluation}) as one DuckDB view {@code src} per
 * run: the answer table with the standard column names (after the column mapping, which
 * {@link InputPlan#mapping} decides for both engines) and {@code __file}, the file each row came
 * from. One reader per format, each the same reader the Spark engine uses where that one is
 * Java ({@link HarnessLogs} for lm-evaluation-harness and inspect_ai logs, {@link EvalplusShape}'s
 * check, {@link LightevalDetails#choose}'s metric choice, {@link CsvHeader}), and DuckDB's own
 * table functions where the file is a table DuckDB reads the way Spark does.
 */
final class LocalSources {

    private LocalSources() {
    }

    /**
     * The view {@code src} and what {@link InputPlan#plan} needs about it.
     *
     * @param types     the columns of {@code src} (standard names) and their types, {@code __file} left out
     * @param labels    the input's own name of each renamed column
     * @param groups    the grouping columns (a format's own ones in front of {@code --by})
     * @param emptyHint added to the message for an input without rows
     * @param files     absolute file path to its URI as Spark names it ({@code _metadata.file_path});
     *                  empty when rows are not traced to files (the Spark engine builds such
     *                  inputs in memory): {@code __file} then holds the input as given
     * @param scan      the table function that reads a plain table (CSV, Parquet, JSON lines), or
     *                  null: the error path reads it again in file order for an example value
     * @param inputName each standard column's name in that table
     */
    record Source(LinkedHashMap<String, InputPlan.Type> types, Map<String, String> labels, List<String> groups,
                  String emptyHint, Map<String, String> files, String scan, Map<String, String> inputName) {
    }

    /** Creates the view {@code src} for {@code cfg}'s inputs in {@code fmt}. */
    static Source open(Statement st, EvalConfig cfg, InputFormat fmt, boolean inferred, String where,
                       Configuration conf) throws SQLException {
        return switch (fmt) {
            case LMEVAL, INSPECT -> harness(st, cfg, fmt, where, conf);
            case LIGHTEVAL -> lighteval(st, cfg, where, conf);
            case EVALPLUS -> evalplus(st, cfg, inferred, where, conf);
            default -> table(st, cfg, fmt, inferred, where, conf);
        };
    }

    // ---- plain tables: CSV, Parquet, JSON lines (and human-eval results) ----

    private static Source table(Statement st, EvalConfig cfg, InputFormat fmt, boolean inferred, String where,
                                Configuration conf) throws SQLException {
        List<String> files = inputFiles(cfg.inputs(), inferred && fmt != InputFormat.PARQUET ? fmt : null);
        if (noRecords(files, fmt)) {
            // Spark reads no columns from such files: the plan refuses the input as empty
            st.execute("CREATE TEMP VIEW src AS SELECT CAST(NULL AS VARCHAR) AS __file WHERE false");
            return new Source(new LinkedHashMap<>(), Map.of(), cfg.groupBy(), "", uris(files, conf), null, Map.of());
        }
        String scan = scan(st, files, cfg.inputs(), inferred ? fmt.glob : null, fmt, conf);
        st.execute("CREATE TEMP VIEW raw AS SELECT * FROM " + scan);
        return mapped(st, cfg.columns(), fmt, where, cfg.groupBy(), "", uris(files, conf), Map.of(), scan);
    }

    /**
     * True for JSON lines files without a non-blank line, or CSV files without a byte: Spark
     * finds no columns in them. Reads up to the first non-blank line of each file.
     */
    private static boolean noRecords(List<String> files, InputFormat fmt) {
        if (fmt == InputFormat.CSV) {
            return files.stream().allMatch(f -> new java.io.File(f).length() == 0);
        }
        if (fmt != InputFormat.JSONL && fmt != InputFormat.HUMANEVAL) {
            return false;
        }
        for (String f : files) {
            // local files only (remote ones go to Spark), gzip the one codec the local engine reads:
            // read with java.nio, so the plain paths need no Hadoop configuration
            java.nio.file.Path p = java.nio.file.Path.of(f.startsWith("file:") ? java.net.URI.create(f).getPath() : f);
            try (java.io.InputStream raw = java.nio.file.Files.newInputStream(p);
                 java.io.InputStream in = f.toLowerCase(java.util.Locale.ROOT).endsWith(".gz")
                         ? new java.util.zip.GZIPInputStream(raw) : raw;
                 java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(in,
                         java.nio.charset.StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!line.isBlank()) {
                        return false;
                    }
                }
            } catch (java.io.IOException e) {
                return false; // DuckDB's read reports it
            }
        }
        return true;
    }

    /**
     * The view {@code src} over the view {@code raw} with the column mapping applied (renames, a
     * derived {@code correct} for {@code --correct-value}).
     */
    private static Source mapped(Statement st, ColumnMapping columns, InputFormat fmt, String where,
                                 List<String> groups, String emptyHint, Map<String, String> files,
                                 Map<String, String> extraLabels, String scan) throws SQLException {
        LinkedHashMap<String, InputPlan.Type> described = describe(st, "raw");
        LinkedHashMap<String, InputPlan.Type> raw = described;
        if (fmt == InputFormat.JSONL || fmt == InputFormat.HUMANEVAL) {
            // Spark's JSON reader orders the columns by name
            LinkedHashMap<String, InputPlan.Type> sorted = new LinkedHashMap<>();
            described.keySet().stream().sorted().forEach(k -> sorted.put(k, described.get(k)));
            raw = sorted;
        }
        InputPlan.Mapping mp = InputPlan.mapping(raw, where, fmt, columns);
        StringBuilder sel = new StringBuilder();
        for (String n : raw.keySet()) {
            if (mp.correctFrom() != null && n.equals("correct")) {
                continue; // replaced by the derived column
            }
            sel.append(q(n)).append(" AS ").append(q(mp.renames().getOrDefault(n, n))).append(", ");
        }
        if (mp.correctFrom() != null) {
            String c = q(mp.correctFrom());
            sel.append("CASE WHEN ").append(c).append(" IS NULL THEN NULL ELSE trim(CAST(").append(c)
                    .append(" AS VARCHAR), ' ') = ").append(lit(mp.correctValue())).append(" END AS \"correct\", ");
        }
        st.execute("CREATE TEMP VIEW src AS SELECT " + sel + "__file FROM raw");
        Map<String, String> labels = new LinkedHashMap<>(mp.labels());
        labels.putAll(extraLabels);
        Map<String, String> inputName = new LinkedHashMap<>();
        raw.keySet().forEach(n -> inputName.put(mp.renames().getOrDefault(n, n), n));
        return new Source(mp.apply(raw), Map.copyOf(labels), groups, emptyHint, files, scan, inputName);
    }

    /** The DuckDB table function reading {@code files} as the Spark engine reads them, with {@code __file}. */
    private static String scan(Statement st, List<String> files, List<String> inputs, String glob, InputFormat fmt,
                               Configuration conf)
            throws SQLException {
        String list = list(files);
        return switch (fmt) {
            case CSV -> csv(list, inputs, glob, conf);
            case PARQUET -> "read_parquet(" + list + ", filename = '__file')";
            case JSONL, HUMANEVAL -> json(st, list);
            default -> throw new IllegalStateException(fmt.toString());
        };
    }

    /**
     * CSV as Spark reads it: a header line, every column text, comma (tab when the first input is
     * named {@code .tsv}, {@link AnswerReader#csvSeparator}), quote {@code "}, escape {@code \}; the header names as {@link CsvHeader}
     * reads them for Spark.
     */
    private static String csv(String list, List<String> inputs, String glob, Configuration conf) {
        String sep = AnswerReader.csvSeparator(inputs.get(0));
        String opts = "header = true, all_varchar = true, delim = " + lit(sep) + ", quote = '\"', escape = '\\', "
                + "strict_mode = true, null_padding = false, filename = '__file'";
        // a local plain file's header is read without Hadoop (conf is null on the local engine's plain paths)
        String[] paths = inputs.toArray(new String[0]);
        java.util.Optional<org.apache.spark.sql.types.StructType> local = CsvHeader.schemaOfLocal(paths, sep, glob);
        org.apache.spark.sql.types.StructType header = local.isPresent() ? local.get()
                : CsvHeader.schema(paths, sep, glob, conf != null ? conf : new Configuration());
        if (header != null) {
            StringBuilder cols = new StringBuilder("{");
            for (String n : header.fieldNames()) {
                cols.append(cols.length() > 1 ? ", " : "").append(lit(n)).append(": 'VARCHAR'");
            }
            opts += ", auto_detect = false, columns = " + cols.append('}');
        }
        return "read_csv(" + list + ", " + opts + ")";
    }

    /**
     * JSON lines with Spark's types: DuckDB infers over every row (as Spark does), and the types
     * Spark does not infer from JSON (dates, times, UUIDs, a column of mixed types) are read as
     * text, as Spark reads them.
     */
    private static String json(Statement st, String list) throws SQLException {
        String base = "read_json(" + list + ", format = 'newline_delimited', sample_size = -1, filename = '__file'";
        LinkedHashMap<String, String> types = new LinkedHashMap<>();
        boolean retype = false;
        try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + base + ")")) {
            while (rs.next()) {
                String n = rs.getString(1);
                String t = rs.getString(2);
                if (n.equals("__file")) {
                    continue;
                }
                if (!sparkJsonType(t)) {
                    t = "VARCHAR";
                    retype = true;
                }
                types.put(n, t);
            }
        }
        if (!retype) {
            return base + ")";
        }
        StringBuilder cols = new StringBuilder("{");
        types.forEach((n, t) -> cols.append(cols.length() > 1 ? ", " : "").append(lit(n)).append(": ").append(lit(t)));
        return base + ", columns = " + cols.append('}') + ")";
    }

    /** A DuckDB type that Spark's JSON reader would also infer (else the column is read as text). */
    private static boolean sparkJsonType(String t) {
        String u = t.toUpperCase(Locale.ROOT);
        if (u.startsWith("STRUCT(") || u.endsWith("[]")) {
            return !u.contains("DATE") && !u.contains("TIME") && !u.contains("UUID") && !u.contains("JSON");
        }
        return u.equals("BOOLEAN") || u.equals("BIGINT") || u.equals("DOUBLE") || u.equals("VARCHAR");
    }

    // ---- evalplus: one JSON document per file ----

    /**
     * evalplus {@code eval_results.json}: the shape checked by {@link EvalplusShape} (as for
     * Spark), then one row per (task, sample, test set) with DuckDB's JSON functions:
     * {@code problem_id}, {@code sample_idx} (the sample's position), {@code tests}
     * ({@code base} / {@code plus}) and {@code status}, correct iff {@code pass}.
     */
    private static Source evalplus(Statement st, EvalConfig cfg, boolean inferred, String where, Configuration conf)
            throws SQLException {
        ColumnMapping m = cfg.columns();
        if (m.correct().isPresent() || m.reward().isPresent() || m.problem().isPresent() || m.sample().isPresent()) {
            throw AnswerReader.evalplusFixedColumns(where);
        }
        List<String> files = inputFiles(cfg.inputs(), inferred ? InputFormat.EVALPLUS : null);
        EvalplusShape.check(files.toArray(new String[0]), null, conf);
        st.execute("CREATE TEMP VIEW raw AS SELECT e.key AS " + q(Columns.PROBLEM_ID)
                + ", CAST(s.key AS INTEGER) AS sample_idx, b.tests AS " + q(AnswerReader.EVALPLUS_GROUP)
                + ", CASE b.tests WHEN 'base' THEN s.value->>'base_status' ELSE s.value->>'plus_status' END AS "
                + q(AnswerReader.EVALPLUS_STATUS) + ", t.filename AS __file FROM read_text(" + list(files)
                + ") t, json_each(t.content, '$.eval') e, json_each(e.value) s, "
                + "(VALUES ('base'), ('plus')) b(tests)");
        List<String> groups = AnswerReader.evalplusGroups(cfg.groupBy());
        ColumnMapping status = new ColumnMapping(Optional.empty(), Optional.of(AnswerReader.EVALPLUS_STATUS),
                Optional.of(AnswerReader.EVALPLUS_PASS), Optional.empty(), Optional.empty());
        return mapped(st, status, InputFormat.EVALPLUS, where, groups, AnswerReader.EVALPLUS_EMPTY, uris(files, conf),
                Map.of("correct", AnswerReader.EVALPLUS_LABEL), null);
    }

    // ---- harness logs read in Java: lm-evaluation-harness, inspect_ai ----

    /**
     * lm-evaluation-harness and inspect_ai logs: parsed by {@link HarnessLogs} (the reader the
     * Spark engine uses), their samples loaded into a DuckDB table.
     */
    private static Source harness(Statement st, EvalConfig cfg, InputFormat fmt, String where, Configuration conf)
            throws SQLException {
        List<String> groups = AnswerReader.harnessGroups(cfg.columns(), fmt, cfg.groupBy(), where);
        boolean lm = fmt == InputFormat.LMEVAL;
        HarnessLogs.Read read = lm ? HarnessLogs.lmEval(cfg.inputs(), cfg.columns().correct(), conf)
                : HarnessLogs.inspect(cfg.inputs(), cfg.columns().correct(), conf);
        boolean binary = read.binary();
        String score = binary ? "correct" : "reward";
        st.execute("CREATE TEMP TABLE raw (" + q(HarnessLogs.MODEL) + " VARCHAR, " + q(HarnessLogs.TASK) + " VARCHAR, "
                + (lm ? q(HarnessLogs.FILTER) + " VARCHAR, " : "") + q(Columns.PROBLEM_ID) + " VARCHAR, sample_idx "
                + "INTEGER, " + score + (binary ? " BOOLEAN" : " DOUBLE") + ", __file VARCHAR)");
        try (PreparedStatement ps = st.getConnection().prepareStatement("INSERT INTO raw VALUES (?, ?, ?, ?, ?"
                + (lm ? ", ?" : "") + ", ?)")) {
            int batch = 0;
            for (HarnessLogs.Sample s : read.samples()) {
                int i = 1;
                ps.setString(i++, s.model());
                ps.setString(i++, s.task());
                if (lm) {
                    ps.setString(i++, s.filter());
                }
                ps.setString(i++, s.problemId());
                ps.setInt(i++, s.sampleIdx());
                if (binary) {
                    ps.setBoolean(i++, s.score() == 1.0);
                } else {
                    ps.setDouble(i++, s.score());
                }
                ps.setString(i, where);
                ps.addBatch();
                if (++batch % 4096 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (read.scoreName() != null) {
            labels.put(score, read.scoreName());
        }
        LinkedHashMap<String, InputPlan.Type> types = describe(st, "raw");
        st.execute("CREATE TEMP VIEW src AS SELECT * FROM raw");
        return new Source(types, Map.copyOf(labels), groups, AnswerReader.harnessEmpty(fmt), Map.of(), null, Map.of());
    }

    // ---- lighteval details Parquet ----

    /**
     * lighteval details: the metric chosen by {@link LightevalDetails#choose} (the rule the Spark
     * engine follows), n and c computed in SQL as {@link LightevalDetails} computes them in Spark.
     */
    private static Source lighteval(Statement st, EvalConfig cfg, String where, Configuration conf)
            throws SQLException {
        List<String> groups = AnswerReader.harnessGroups(cfg.columns(), InputFormat.LIGHTEVAL, cfg.groupBy(), where);
        List<String> files = HarnessLogs.files(cfg.inputs(), InputFormat.LIGHTEVAL, conf).stream()
                .map(p -> p.toUri().getPath()).toList();
        String scan = "read_parquet(" + list(files) + ", filename = '__file')";
        LinkedHashMap<String, InputPlan.Type> top = describeQuery(st, "SELECT * EXCLUDE (__file) FROM " + scan);
        Map<String, LinkedHashMap<String, InputPlan.Type>> structs = new LinkedHashMap<>();
        for (String s : List.of("doc", "model_response", "metric")) {
            if (top.containsKey(s) && top.get(s).name().startsWith("struct<")) {
                structs.put(s, describeQuery(st, "SELECT " + q(s) + ".* FROM " + scan));
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        LightevalDetails.Choice ch = LightevalDetails.choose(top, structs, cfg.columns().correct(), where, labels);
        String v = "CAST(metric." + q(ch.metric()) + " AS DOUBLE)";
        String n;
        String c;
        if (ch.samples() > 0) {
            String texts = "coalesce(len(model_response.text), 0)";
            n = "CAST(least(" + texts + ", " + ch.samples() + ") AS BIGINT)";
            String raw = "(" + v + " * " + ch.samples() + ")";
            // Spark's round is half up; DuckDB's rounds half away from zero: the same for c >= 0,
            // and a negative c is refused either way
            c = "CASE WHEN abs(" + raw + " - round(" + raw + ")) <= 1e-6 THEN CAST(round(" + raw + ") AS BIGINT) END";
        } else {
            n = "CAST(1 AS BIGINT)";
            c = "CASE WHEN " + v + " = 0 OR " + v + " = 1 THEN CAST(" + v + " AS BIGINT) END";
        }
        String id = "CAST(doc.id AS VARCHAR)";
        // details/<model name, e.g. org/name>/<date>/details_<task>_<date>.parquet
        String file = "replace(__file, '\\', '/')";
        String model = "regexp_extract(" + file + ", '/details/(.+)/[^/]+/[^/]+$', 1)";
        String parts = "string_split(" + file + ", '/')";
        st.execute("CREATE TEMP VIEW raw AS SELECT CASE WHEN " + model + " = '' THEN " + parts + "[-3] ELSE " + model
                + " END AS " + q(HarnessLogs.MODEL) + ", regexp_extract(" + parts + "[-1], "
                + lit("(?i)" + HarnessLogs.LIGHTEVAL_FILE.pattern()) + ", 1) AS " + q(HarnessLogs.TASK)
                + ", CASE WHEN " + id + " = '' THEN NULL ELSE " + id + " END AS " + q(Columns.PROBLEM_ID)
                + ", " + n + " AS n, " + c + " AS c, __file FROM " + scan);
        LinkedHashMap<String, InputPlan.Type> types = describe(st, "raw");
        st.execute("CREATE TEMP VIEW src AS SELECT * FROM raw");
        return new Source(types, Map.copyOf(labels), groups, AnswerReader.harnessEmpty(InputFormat.LIGHTEVAL),
                uris(files, conf), null, Map.of());
    }

    // ---- helpers ----

    /**
     * The files the Spark engine reads for {@code inputs}: a local file itself, a directory's
     * visible files (Spark skips names starting with {@code _} or {@code .}), only those of
     * {@code only} (a format inferred from file names) when given.
     */
    static List<String> inputFiles(List<String> inputs, InputFormat only) {
        List<String> all = LocalEvaluation.files(inputs);
        if (all == null) {
            throw new IllegalStateException("not local files: " + inputs); // LocalEvaluation.supports said so
        }
        List<String> out = new ArrayList<>();
        org.apache.hadoop.fs.GlobFilter glob;
        try {
            glob = only == null ? null : new org.apache.hadoop.fs.GlobFilter(only.glob);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (String f : all) {
            java.nio.file.Path p = java.nio.file.Path.of(f).toAbsolutePath().normalize();
            boolean given = inputs.stream().anyMatch(i -> LocalEvaluation.localPath(i).toAbsolutePath().normalize()
                    .equals(p));
            if (glob == null || given || glob.accept(new org.apache.hadoop.fs.Path(p.getFileName().toString()))) {
                out.add(p.toString());
            }
        }
        return out;
    }

    /** Each file's URI as Spark's {@code _metadata.file_path} gives it (e.g. {@code file:/a/b%20c.csv}). */
    static Map<String, String> uris(List<String> files, Configuration conf) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String f : files) {
            m.put(f, "file:" + new org.apache.hadoop.fs.Path(f).toUri().getRawPath());
        }
        return m;
    }

    /** The columns of a view or table with their types, {@code __file} left out. */
    static LinkedHashMap<String, InputPlan.Type> describe(Statement st, String view) throws SQLException {
        return describeQuery(st, "SELECT * EXCLUDE (__file) FROM " + view);
    }

    static LinkedHashMap<String, InputPlan.Type> describeQuery(Statement st, String query) throws SQLException {
        LinkedHashMap<String, InputPlan.Type> t = new LinkedHashMap<>();
        try (ResultSet rs = st.executeQuery("DESCRIBE " + query)) {
            while (rs.next()) {
                t.put(rs.getString(1), type(rs.getString(2)));
            }
        }
        return t;
    }

    /** A DuckDB type as {@link InputPlan} sees it: its class and the name Spark gives the same column. */
    static InputPlan.Type type(String duck) {
        String t = duck.trim().toUpperCase(Locale.ROOT);
        InputPlan.TypeClass cls = switch (t) {
            case "VARCHAR", "JSON" -> InputPlan.TypeClass.STRING;
            case "BOOLEAN" -> InputPlan.TypeClass.BOOLEAN;
            case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER" ->
                    InputPlan.TypeClass.INTEGRAL;
            case "FLOAT", "DOUBLE", "UBIGINT", "HUGEINT" -> InputPlan.TypeClass.FRACTIONAL;
            default -> t.startsWith("DECIMAL") ? InputPlan.TypeClass.FRACTIONAL : InputPlan.TypeClass.OTHER;
        };
        return new InputPlan.Type(cls, sparkName(duck.trim()));
    }

    /** Spark's {@code simpleString} of the type Spark reads for a column DuckDB types {@code t}. */
    static String sparkName(String t) {
        String u = t.toUpperCase(Locale.ROOT);
        if (u.endsWith("[]")) {
            return "array<" + sparkName(t.substring(0, t.length() - 2)) + ">";
        }
        if (u.startsWith("STRUCT(") && u.endsWith(")")) {
            StringBuilder s = new StringBuilder("struct<");
            List<String> fields = splitTop(t.substring(7, t.length() - 1));
            for (int i = 0; i < fields.size(); i++) {
                String f = fields.get(i).trim();
                int sp = nameEnd(f);
                String name = f.substring(0, sp).replaceAll("^\"|\"$", "").replace("\"\"", "\"");
                s.append(i == 0 ? "" : ",").append(name).append(':').append(sparkName(f.substring(sp).trim()));
            }
            return s.append('>').toString();
        }
        if (u.startsWith("MAP(") && u.endsWith(")")) {
            List<String> kv = splitTop(t.substring(4, t.length() - 1));
            return "map<" + sparkName(kv.get(0).trim()) + "," + sparkName(kv.get(1).trim()) + ">";
        }
        if (u.startsWith("DECIMAL")) {
            return u.toLowerCase(Locale.ROOT).replace(" ", "");
        }
        return switch (u) {
            case "VARCHAR", "JSON", "UUID" -> "string";
            case "BOOLEAN" -> "boolean";
            case "TINYINT" -> "tinyint";
            case "SMALLINT", "UTINYINT" -> "smallint";
            case "INTEGER", "USMALLINT" -> "int";
            case "BIGINT", "UINTEGER" -> "bigint";
            case "UBIGINT" -> "decimal(20,0)";
            case "HUGEINT" -> "decimal(38,0)";
            case "FLOAT" -> "float";
            case "DOUBLE" -> "double";
            case "DATE" -> "date";
            case "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S" -> "timestamp_ntz";
            case "TIMESTAMP WITH TIME ZONE" -> "timestamp";
            case "BLOB" -> "binary";
            default -> t.toLowerCase(Locale.ROOT);
        };
    }

    private static int nameEnd(String field) {
        if (field.startsWith("\"")) {
            int i = 1;
            while (i < field.length()) {
                if (field.charAt(i) == '"') {
                    if (i + 1 < field.length() && field.charAt(i + 1) == '"') {
                        i += 2;
                        continue;
                    }
                    return i + 1;
                }
                i++;
            }
            return field.length();
        }
        int sp = field.indexOf(' ');
        return sp < 0 ? field.length() : sp;
    }

    /** Splits at the commas outside parentheses and quotes. */
    private static List<String> splitTop(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
            } else if (!quoted && ch == '(') {
                depth++;
            } else if (!quoted && ch == ')') {
                depth--;
            } else if (!quoted && depth == 0 && ch == ',') {
                out.add(s.substring(from, i));
                from = i + 1;
            }
        }
        out.add(s.substring(from));
        return out;
    }

    static String list(List<String> files) {
        StringBuilder s = new StringBuilder("[");
        for (String p : files) {
            s.append(s.length() > 1 ? ", " : "").append(lit(p));
        }
        return s.append(']').toString();
    }

    static String q(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    static String lit(String v) {
        return '\'' + v.replace("'", "''") + '\'';
    }
}
