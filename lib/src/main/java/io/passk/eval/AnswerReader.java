package io.passk.eval;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.passk.BadInputException;
import io.passk.Columns;
import io.passk.spark.SparkCorrectness;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * Reads an evaluation input (Parquet, JSON lines or CSV) and types its columns
 * (docs/eval.md#input). Only the schema is looked at here, on the driver;
 * value checks are expressions that the evaluation evaluates inside its one aggregation.
 *
 * <p>Accepted rows: {@code problem_id} (string or integer) plus {@code correct} (boolean;
 * integer 0/1; in CSV also true/false text) and/or {@code reward} (a number in [0,1]; when
 * there is no {@code correct}, a sample is correct iff {@code reward >= 1}); or pre-counted
 * {@code problem_id, n, c}. Optional {@code sample_id} or {@code sample_idx} (duplicates within
 * a problem are bad input) and grouping columns.
 */
public final class AnswerReader {

    public static final List<String> SAMPLE_ID_COLUMNS = List.of("sample_id", "sample_idx");

    private AnswerReader() {
    }

    /** Reads {@code inputs} in {@code format} (inferred from file names when empty) and types the columns. */
    public static Answers read(SparkSession spark, List<String> inputs, Optional<InputFormat> format,
                               List<String> groupBy) {
        InputFormat fmt = format.orElseGet(
                () -> InputFormat.infer(inputs, spark.sparkContext().hadoopConfiguration()));
        return read(spark, inputs, fmt, format.isEmpty(), ColumnMapping.NONE, groupBy);
    }

    /**
     * Reads {@code inputs} in {@code fmt}; {@code inferred}: the format came from file names, so a
     * directory's other files (a README, say) are skipped.
     */
    public static Answers read(SparkSession spark, List<String> inputs, InputFormat fmt, boolean inferred,
                               List<String> groupBy) {
        return read(spark, inputs, fmt, inferred, ColumnMapping.NONE, groupBy);
    }

    /**
     * Reads {@code inputs} in {@code fmt} with the columns renamed by {@code mapping} (and, where
     * unambiguous, by the known aliases: human-eval's {@code task_id} and {@code passed}).
     * evalplus input adds the grouping column {@link #EVALPLUS_GROUP} ({@code base} / {@code plus})
     * in front of {@code groupBy}.
     */
    public static Answers read(SparkSession spark, List<String> inputs, InputFormat fmt, boolean inferred,
                               ColumnMapping mapping, List<String> groupBy) {
        String where = String.join(",", inputs);
        ColumnMapping m = mapping;
        List<String> groups = groupBy;
        if (fmt == InputFormat.LMEVAL || fmt == InputFormat.INSPECT || fmt == InputFormat.LIGHTEVAL) {
            return harness(spark, inputs, fmt, mapping, groupBy, where);
        }
        if (fmt == InputFormat.EVALPLUS) {
            if (m.correct().isPresent() || m.reward().isPresent() || m.problem().isPresent()
                    || m.sample().isPresent()) {
                throw new BadInputException("input " + where + ": --format evalplus has fixed columns; "
                        + "--problem-col, --correct-col, --reward-col and --sample-col do not apply");
            }
            m = new ColumnMapping(Optional.empty(), Optional.of(EVALPLUS_STATUS), Optional.of(EVALPLUS_PASS),
                    Optional.empty(), Optional.empty());
            if (!groupBy.contains(EVALPLUS_GROUP)) {
                groups = new ArrayList<>(groupBy);
                groups.add(0, EVALPLUS_GROUP);
            }
        }
        Dataset<Row> src = load(spark, inputs, fmt, inferred, where);
        Mapped mapped = map(src, where, fmt, m);
        if (fmt == InputFormat.EVALPLUS) {
            mapped.labels().put("correct", "base_status/plus_status");
        }
        return type(mapped.frame(), where, fmt, groups, mapped.labels(),
                fmt == InputFormat.EVALPLUS ? " (no samples under 'eval': is it an evalplus eval_results.json?)" : "");
    }

    /**
     * A harness log ({@link HarnessLogs}): lm-evaluation-harness and inspect_ai logs parsed in
     * Java into one row per sample; lighteval's details Parquet read by Spark into one
     * pre-counted row per document. The harness's groups ({@code model}, {@code task}, and
     * lm-evaluation-harness's {@code filter}) come in front of {@code --by}.
     */
    private static Answers harness(SparkSession spark, List<String> inputs, InputFormat fmt, ColumnMapping m,
                                   List<String> groupBy, String where) {
        if (m.reward().isPresent() || m.problem().isPresent() || m.sample().isPresent()
                || m.correctValue().isPresent()) {
            throw new BadInputException("input " + where + ": --format " + fmt.cliName() + " has fixed columns; "
                    + "only --correct-col (the metric or scorer that counts) applies");
        }
        List<String> own = fmt == InputFormat.LMEVAL
                ? List.of(HarnessLogs.MODEL, HarnessLogs.TASK, HarnessLogs.FILTER)
                : List.of(HarnessLogs.MODEL, HarnessLogs.TASK);
        List<String> groups = new ArrayList<>();
        for (String g : own) {
            if (!groupBy.contains(g)) {
                groups.add(g);
            }
        }
        groups.addAll(groupBy);
        for (String g : groupBy) {
            if (!own.contains(g)) {
                throw new BadInputException("input " + where + ": --by " + g + ": --format " + fmt.cliName()
                        + " has the grouping columns " + own + " only");
            }
        }
        java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
        Dataset<Row> frame;
        if (fmt == InputFormat.LIGHTEVAL) {
            frame = LightevalDetails.read(spark, inputs, m.correct(), where, labels);
        } else {
            org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
            HarnessLogs.Read read = fmt == InputFormat.LMEVAL ? HarnessLogs.lmEval(inputs, m.correct(), conf)
                    : HarnessLogs.inspect(inputs, m.correct(), conf);
            frame = samples(spark, read, fmt == InputFormat.LMEVAL);
            if (read.scoreName() != null) {
                labels.put(read.binary() ? "correct" : "reward", read.scoreName());
            }
        }
        return type(frame, where, fmt, groups, labels, " (no samples: expected " + fmt.fileDescription() + " files)");
    }

    /**
     * The samples of a harness log as a frame: {@code model}, {@code task}, ({@code filter}),
     * {@code problem_id}, {@code sample_idx} and {@code correct} (every score 0 or 1) or
     * {@code reward}.
     */
    static Dataset<Row> samples(SparkSession spark, HarnessLogs.Read read, boolean filter) {
        boolean binary = read.binary();
        StructType schema = new StructType()
                .add(HarnessLogs.MODEL, DataTypes.StringType)
                .add(HarnessLogs.TASK, DataTypes.StringType);
        if (filter) {
            schema = schema.add(HarnessLogs.FILTER, DataTypes.StringType);
        }
        schema = schema.add(Columns.PROBLEM_ID, DataTypes.StringType)
                .add("sample_idx", DataTypes.IntegerType)
                .add(binary ? "correct" : "reward", binary ? DataTypes.BooleanType : DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>(read.samples().size());
        for (HarnessLogs.Sample x : read.samples()) {
            Object v = binary ? (Object) (x.score() == 1.0) : (Object) x.score();
            rows.add(filter ? org.apache.spark.sql.RowFactory.create(x.model(), x.task(), x.filter(), x.problemId(),
                    x.sampleIdx(), v)
                    : org.apache.spark.sql.RowFactory.create(x.model(), x.task(), x.problemId(), x.sampleIdx(), v));
        }
        return spark.createDataFrame(rows, schema);
    }

    /** evalplus: the grouping column that tells base tests from plus tests. */
    public static final String EVALPLUS_GROUP = "tests";
    /** evalplus: the status of one sample on one test set ({@code pass}, {@code fail}, ..). */
    static final String EVALPLUS_STATUS = "status";
    static final String EVALPLUS_PASS = "pass";
    /** human-eval's names for problem id and correctness, used when the standard names are absent. */
    static final String HUMANEVAL_PROBLEM = "task_id";
    static final String HUMANEVAL_CORRECT = "passed";

    /** A frame with the standard column names, and the input's own name of each renamed column. */
    record Mapped(Dataset<Row> frame, java.util.Map<String, String> labels) {
    }

    /**
     * Renames the mapped columns to the standard names. A role with no option falls back to a
     * known alias only when the standard column is absent (human-eval's {@code task_id},
     * {@code passed}), so a file with the standard names reads as before.
     */
    static Mapped map(Dataset<Row> src, String where, InputFormat fmt, ColumnMapping m) {
        List<String> names = Arrays.asList(src.schema().fieldNames());
        java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
        Optional<String> problem = m.problem();
        Optional<String> correct = m.correct();
        boolean json = fmt == InputFormat.JSONL || fmt == InputFormat.HUMANEVAL;
        if (problem.isEmpty() && !names.contains(Columns.PROBLEM_ID) && names.contains(HUMANEVAL_PROBLEM)
                && (json || fmt == InputFormat.HUMANEVAL)) {
            problem = Optional.of(HUMANEVAL_PROBLEM);
        }
        if (correct.isEmpty() && m.reward().isEmpty() && !names.contains("correct") && !names.contains("reward")
                && names.contains(HUMANEVAL_CORRECT) && json
                // a JSON lines file only when passed is boolean; --format humaneval always (a
                // wrong type is then reported on 'passed')
                && (fmt == InputFormat.HUMANEVAL
                        || src.schema().apply(HUMANEVAL_CORRECT).dataType() instanceof BooleanType)) {
            correct = Optional.of(HUMANEVAL_CORRECT);
        }
        Dataset<Row> f = src;
        f = rename(f, names, where, problem, Columns.PROBLEM_ID, "--problem-col", labels);
        f = rename(f, names, where, m.reward(), "reward", "--reward-col", labels);
        f = rename(f, names, where, m.sample(), "sample_id", "--sample-col", labels);
        if (m.correctValue().isPresent()) {
            String c = correct.get();
            need(names, where, c, "--correct-col");
            if (!c.equals("correct") && names.contains("correct")) {
                throw clash(where, "--correct-col", c, "correct");
            }
            // text status: correct iff equal to the value (trimmed); null stays null (checked)
            Column raw = col(c);
            f = f.withColumn("correct", when(raw.isNull(), lit(null).cast(DataTypes.BooleanType))
                    .otherwise(trim(raw.cast(DataTypes.StringType)).equalTo(m.correctValue().get())));
            labels.put("correct", c);
        } else {
            f = rename(f, names, where, correct, "correct", "--correct-col", labels);
        }
        return new Mapped(f, labels);
    }

    private static Dataset<Row> rename(Dataset<Row> f, List<String> names, String where, Optional<String> from,
                                       String to, String option, java.util.Map<String, String> labels) {
        if (from.isEmpty() || from.get().equals(to)) {
            return f;
        }
        need(names, where, from.get(), option);
        if (names.contains(to)) {
            throw clash(where, option, from.get(), to);
        }
        labels.put(to, from.get());
        return f.withColumnRenamed(from.get(), to);
    }

    private static void need(List<String> names, String where, String column, String option) {
        if (!names.contains(column)) {
            throw new BadInputException("input " + where + ": " + option + " " + column + ": missing column '"
                    + column + "'; found columns " + String.join(", ", names));
        }
    }

    private static BadInputException clash(String where, String option, String column, String standard) {
        return new BadInputException("input " + where + ": " + option + " " + column + " maps to '" + standard
                + "', but the input also has a column '" + standard + "'; rename or drop one of them");
    }

    static Dataset<Row> load(SparkSession spark, List<String> inputs, InputFormat fmt, boolean inferred,
                             String where) {
        DataFrameReader r = spark.read();
        if (inferred && fmt != InputFormat.PARQUET) {
            // a directory may hold a README next to the data; read only this format's files
            r = r.option("pathGlobFilter", fmt.glob);
        }
        String[] paths = inputs.toArray(new String[0]);
        try {
            switch (fmt) {
                case PARQUET:
                    return r.parquet(paths);
                case JSONL:
                case HUMANEVAL:
                    return r.option("mode", "FAILFAST").json(paths);
                case EVALPLUS:
                    // its shape checked on the driver first: Spark's parser would fail inside a task
                    EvalplusShape.check(paths, inferred ? fmt.glob : null, spark.sparkContext().hadoopConfiguration());
                    return evalplus(r, paths);
                case CSV: {
                    // all columns as text: types are checked (and offending values named) by us
                    String sep = inputs.get(0).toLowerCase().endsWith(".tsv") ? "\t" : ",";
                    r = r.option("header", true).option("mode", "FAILFAST").option("sep", sep);
                    // the header read here, so Spark runs no job to read it (start-up time)
                    StructType header = CsvHeader.schema(paths, sep, inferred ? fmt.glob : null,
                            spark.sparkContext().hadoopConfiguration());
                    if (header != null) {
                        r = r.schema(header);
                    }
                    return r.csv(paths);
                }
                default:
                    throw new IllegalStateException(fmt.toString());
            }
        } catch (Exception e) { // Spark's exceptions are checked ones thrown from Scala
            BadInputException b = readFailure(e, where, fmt);
            if (b != null) {
                throw b;
            }
            throw sneaky(e);
        }
    }

    /**
     * evalplus {@code eval_results.json} as rows: each file is one JSON document whose
     * {@code eval} maps a task id to its samples ({@code base_status}, {@code plus_status}, ..);
     * one row per (task, sample, test set): {@code problem_id} (the task id), {@code sample_idx}
     * (the sample's position), {@link #EVALPLUS_GROUP} ({@code base} or {@code plus}) and
     * {@code status}. Parsed by Spark (whole file as text, then {@code from_json}), so it runs
     * on the executors like every other format.
     */
    private static Dataset<Row> evalplus(DataFrameReader r, String[] paths) {
        StructType sample = new StructType()
                .add("base_status", DataTypes.StringType)
                .add("plus_status", DataTypes.StringType);
        StructType doc = new StructType().add("eval", DataTypes.createMapType(DataTypes.StringType,
                DataTypes.createArrayType(sample)));
        Dataset<Row> text = r.option("wholetext", true).text(paths);
        return text.select(from_json(col("value"), doc, java.util.Map.of("mode", "FAILFAST")).as("d"))
                .select(explode(col("d.eval")).as(new String[] {"__task", "__samples"}))
                .select(col("__task"), posexplode(col("__samples")).as(new String[] {"__pos", "__s"}))
                .select(col("__task").as(Columns.PROBLEM_ID), col("__pos").as("sample_idx"),
                        expr("stack(2, 'base', __s.base_status, 'plus', __s.plus_status)")
                                .as(new String[] {EVALPLUS_GROUP, EVALPLUS_STATUS}));
    }

    /**
     * A Spark failure caused by the input files (missing, corrupt, unparsable) as bad input,
     * or null when it is something else.
     */
    public static BadInputException readFailure(Throwable e, String where, InputFormat fmt) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BadInputException b) {
                return b;
            }
            String cond = t instanceof SparkThrowable st && st.getCondition() != null ? st.getCondition() : "";
            String msg = String.valueOf(t.getMessage());
            boolean known = READ_FAILURES.stream().anyMatch(k -> cond.startsWith(k) || msg.contains(k));
            if (known || t instanceof java.io.FileNotFoundException
                    || t instanceof org.apache.parquet.io.ParquetDecodingException) {
                return new BadInputException("input " + where + " (" + fmt.cliName()
                        + ") is unreadable or corrupt: " + detail(msg), e);
            }
        }
        return null;
    }

    /** Rethrows any throwable unchanged (Spark throws checked exceptions from Scala code). */
    @SuppressWarnings("unchecked")
    public static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }

    /** The most telling line of a (possibly multi-line, nested) Spark message. */
    static String detail(String msg) {
        for (String line : msg.split("\n")) {
            for (String key : READ_FAILURES) {
                int i = line.indexOf(key);
                if (i >= 0) {
                    return line.substring(Math.max(0, line.lastIndexOf('[', i))).trim();
                }
            }
        }
        return firstLine(msg);
    }

    private static final List<String> READ_FAILURES = List.of("FAILED_READ_FILE", "MALFORMED_RECORD",
            "CANNOT_READ_FILE_FOOTER", "PATH_NOT_FOUND", "UNABLE_TO_INFER_SCHEMA", "MALFORMED_CSV",
            "Malformed records", "is not a Parquet file", "CANNOT_READ");

    static String firstLine(String s) {
        int i = s.indexOf('\n');
        return (i < 0 ? s : s.substring(0, i)).trim();
    }

    /** Checks the schema and builds the typed column expressions and row checks. */
    static Answers type(Dataset<Row> src, String where, InputFormat fmt, List<String> groupBy) {
        return type(src, where, fmt, groupBy, java.util.Map.of(), "");
    }

    /**
     * {@link #type(Dataset, String, InputFormat, List)} of a mapped frame: {@code labels} gives
     * the input's own name of a renamed column (messages name it), {@code emptyHint} is added to
     * the message for an input without rows.
     */
    static Answers type(Dataset<Row> src, String where, InputFormat fmt, List<String> groupBy,
                        java.util.Map<String, String> labels, String emptyHint) {
        StructType schema = src.schema();
        List<String> names = Arrays.asList(schema.fieldNames());
        if (names.isEmpty()) {
            throw new BadInputException("input " + where + " is empty (no columns, no rows)");
        }
        boolean text = fmt == InputFormat.CSV;
        List<Answers.Check> checks = new ArrayList<>();

        Column pid = idColumn(src, where, Columns.PROBLEM_ID, labels, true);
        checks.add(new Answers.Check(Columns.PROBLEM_ID, "null", col(Columns.PROBLEM_ID).isNull(), lit("null")));

        List<Column> groupCols = new ArrayList<>();
        for (String g : groupBy) {
            groupCols.add(idColumn(src, where, g, labels, true).as(g));
            checks.add(new Answers.Check(g, "null (grouping column)", col(g).isNull(), lit("null")));
        }

        String sidName = null;
        Column sid = null;
        for (String s : SAMPLE_ID_COLUMNS) {
            if (names.contains(s)) {
                sidName = labels.getOrDefault(s, s);
                sid = idColumn(src, where, s, labels, false);
                checks.add(new Answers.Check(s, "null", col(s).isNull(), lit("null")));
                break;
            }
        }

        boolean hasCorrect = names.contains("correct");
        boolean hasReward = names.contains("reward");
        boolean hasCounts = names.contains("n") && names.contains("c");
        Answers.Kind kind;
        Column correct = null;
        Column reward = null;
        Column n = null;
        Column c = null;
        if (hasReward) {
            kind = Answers.Kind.REWARD;
        } else if (hasCorrect) {
            kind = Answers.Kind.BINARY;
        } else if (hasCounts) {
            kind = Answers.Kind.COUNTS;
        } else if (fmt == InputFormat.HUMANEVAL || HUMANEVAL_PROBLEM.equals(labels.get(Columns.PROBLEM_ID))) {
            // human-eval results name correctness 'passed': the column this format needs
            throw new BadInputException("input " + where + " (human-eval results): missing column '" + HUMANEVAL_CORRECT
                    + "' (boolean, one per sample, as human-eval's evaluate_functional_correctness writes it); "
                    + "found columns " + inputNames(schema, labels));
        } else {
            throw new BadInputException("input " + where + ": missing column: need problem_id plus 'correct' "
                    + "(boolean) or 'reward' (double in [0,1]), or pre-counted 'n' and 'c'; found columns "
                    + inputNames(schema, labels));
        }
        if (hasReward) {
            DataType t = type(schema, "reward");
            Column raw = col("reward");
            if (t instanceof NumericType) {
                reward = raw.cast(DataTypes.DoubleType);
            } else if (t instanceof StringType && text) {
                reward = raw.try_cast(DataTypes.DoubleType);
            } else {
                throw wrongType(src, where, "reward", labels, t, "a number in [0,1]");
            }
            Column bad = reward.isNull().or(isnan(reward)).or(reward.lt(0)).or(reward.gt(1));
            checks.add(new Answers.Check("reward", "null, NaN, not a number or outside [0,1]",
                    bad, coalesce(raw.cast(DataTypes.StringType), lit("null"))));
        }
        if (hasCorrect) {
            DataType t = type(schema, "correct");
            Column raw = col("correct");
            if (t instanceof BooleanType) {
                correct = when(raw, 1).otherwise(0);
                checks.add(new Answers.Check("correct", "null", raw.isNull(), lit("null")));
            } else if (isIntegral(t)) {
                correct = raw.cast(DataTypes.IntegerType);
                checks.add(new Answers.Check("correct", "not 0/1 (or true/false)",
                        raw.isNull().or(raw.notEqual(0).and(raw.notEqual(1))),
                        coalesce(raw.cast(DataTypes.StringType), lit("null"))));
            } else if (t instanceof StringType && text) {
                Column v = lower(trim(raw));
                correct = when(v.isin("true", "1"), 1).when(v.isin("false", "0"), 0);
                checks.add(new Answers.Check("correct", "not a boolean (true/false/1/0)",
                        correct.isNull(), coalesce(raw, lit("null"))));
            } else {
                throw wrongType(src, where, "correct", labels, t, "boolean");
            }
        } else if (hasReward) {
            correct = when(SparkCorrectness.isCorrect(reward), 1).otherwise(0);
        }
        if (kind == Answers.Kind.COUNTS) {
            n = countColumn(src, where, schema, "n", text);
            c = countColumn(src, where, schema, "c", text);
            checks.add(new Answers.Check("n", "null, not an integer or < 1", n.isNull().or(n.lt(1)),
                    coalesce(col("n").cast(DataTypes.StringType), lit("null"))));
            checks.add(new Answers.Check("c", "null, not an integer, < 0 or > n",
                    c.isNull().or(c.lt(0)).or(n.isNotNull().and(c.gt(n))),
                    concatText(coalesce(col("c").cast(DataTypes.StringType), lit("null")),
                            lit(" (n="), coalesce(col("n").cast(DataTypes.StringType), lit("null")), lit(")"))));
        }
        List<Answers.Check> safe = checks.stream()
                .map(ch -> new Answers.Check(labels.getOrDefault(ch.column(), ch.column()), ch.problem(),
                        coalesce(ch.bad(), lit(false)), ch.shown()))
                .collect(Collectors.toList());
        return new Answers(src, where, kind, List.copyOf(groupBy), groupCols, pid, sidName, sid, correct,
                reward, n, c, safe, emptyHint, java.util.Map.copyOf(labels));
    }

    /** The columns as the input names them (a renamed column under its own name). */
    private static String inputNames(StructType schema, java.util.Map<String, String> labels) {
        return Arrays.stream(schema.fieldNames()).map(f -> labels.getOrDefault(f, f))
                .collect(Collectors.joining(", "));
    }

    private static Column concatText(Column... cs) {
        return org.apache.spark.sql.functions.concat(cs);
    }

    private static DataType type(StructType schema, String name) {
        return schema.apply(name).dataType();
    }

    private static boolean isIntegral(DataType t) {
        return t.equals(DataTypes.ByteType) || t.equals(DataTypes.ShortType) || t.equals(DataTypes.IntegerType)
                || t.equals(DataTypes.LongType);
    }

    /** An identifier column (problem id, group, sample id) as a string: text or integer. */
    private static Column idColumn(Dataset<Row> src, String where, String name, java.util.Map<String, String> labels,
                                   boolean asString) {
        StructType schema = src.schema();
        if (!Arrays.asList(schema.fieldNames()).contains(name)) {
            throw new BadInputException("input " + where + ": missing column '" + name + "'; found columns "
                    + inputNames(schema, labels));
        }
        DataType t = type(schema, name);
        if (!(t instanceof StringType) && !isIntegral(t)) {
            throw wrongType(src, where, name, labels, t, "a string or an integer");
        }
        return asString ? col(name).cast(DataTypes.StringType) : col(name);
    }

    private static Column countColumn(Dataset<Row> src, String where, StructType schema, String name, boolean text) {
        DataType t = type(schema, name);
        if (isIntegral(t)) {
            return col(name).cast(DataTypes.LongType);
        }
        if (t instanceof StringType && text) {
            // "3.5" must not pass as 3: parse as long only when the text is an integer
            return when(col(name).rlike("^\\s*[+-]?[0-9]+\\s*$"), trim(col(name)).try_cast(DataTypes.LongType));
        }
        throw wrongType(src, where, name, java.util.Map.of(), t, "an integer");
    }

    /** Names the column, its type and one value (found by a one-row query: error path only). */
    private static BadInputException wrongType(Dataset<Row> src, String where, String name,
                                               java.util.Map<String, String> labels, DataType t, String expected) {
        String example;
        try {
            Row[] rows = (Row[]) src.select(col(name).cast(DataTypes.StringType))
                    .where(col(name).isNotNull()).limit(1).collect();
            example = rows.length == 0 ? "(all null)" : "'" + rows[0].getString(0) + "'";
        } catch (RuntimeException e) {
            example = "(unreadable)";
        }
        return new BadInputException("input " + where + ": column '" + labels.getOrDefault(name, name)
                + "' has type " + t.simpleString()
                + ", expected " + expected + "; e.g. value " + example);
    }
}
