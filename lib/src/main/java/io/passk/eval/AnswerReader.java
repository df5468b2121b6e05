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
                throw evalplusFixedColumns(where);
            }
            m = new ColumnMapping(Optional.empty(), Optional.of(EVALPLUS_STATUS), Optional.of(EVALPLUS_PASS),
                    Optional.empty(), Optional.empty());
            groups = evalplusGroups(groupBy);
        }
        Dataset<Row> src = load(spark, inputs, fmt, inferred, where);
        Mapped mapped = map(src, where, fmt, m);
        if (fmt == InputFormat.EVALPLUS) {
            mapped.labels().put("correct", EVALPLUS_LABEL);
        }
        return type(mapped.frame(), where, fmt, groups, mapped.labels(), fmt == InputFormat.EVALPLUS ? EVALPLUS_EMPTY : "");
    }

    /** evalplus: the label of its correctness in messages. */
    static final String EVALPLUS_LABEL = "base_status/plus_status";
    /** evalplus: the hint of an input without samples. */
    static final String EVALPLUS_EMPTY = " (no samples under 'eval': is it an evalplus eval_results.json?)";

    static BadInputException evalplusFixedColumns(String where) {
        return new BadInputException("input " + where + ": --format evalplus has fixed columns; "
                + "--problem-col, --correct-col, --reward-col and --sample-col do not apply");
    }

    /** evalplus: {@link #EVALPLUS_GROUP} in front of {@code --by}. */
    static List<String> evalplusGroups(List<String> groupBy) {
        if (groupBy.contains(EVALPLUS_GROUP)) {
            return groupBy;
        }
        List<String> groups = new ArrayList<>(groupBy);
        groups.add(0, EVALPLUS_GROUP);
        return groups;
    }

    /**
     * A harness log ({@link HarnessLogs}): lm-evaluation-harness and inspect_ai logs parsed in
     * Java into one row per sample; lighteval's details Parquet read by Spark into one
     * pre-counted row per document. The harness's groups ({@code model}, {@code task}, and
     * lm-evaluation-harness's {@code filter}) come in front of {@code --by}.
     */
    private static Answers harness(SparkSession spark, List<String> inputs, InputFormat fmt, ColumnMapping m,
                                   List<String> groupBy, String where) {
        List<String> groups = harnessGroups(m, fmt, groupBy, where);
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
        return type(frame, where, fmt, groups, labels, harnessEmpty(fmt));
    }

    /** A harness log's hint for an input without samples. */
    static String harnessEmpty(InputFormat fmt) {
        return " (no samples: expected " + fmt.fileDescription() + " files)";
    }

    /**
     * A harness log's grouping columns: its own ({@code model}, {@code task}, lm-evaluation-harness's
     * {@code filter}) in front of {@code --by}, which may name only those; only {@code --correct-col}
     * of the column options applies.
     */
    static List<String> harnessGroups(ColumnMapping m, InputFormat fmt, List<String> groupBy, String where) {
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
        return groups;
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
        InputPlan.Mapping mp = InputPlan.mapping(types(src.schema()), where, fmt, m);
        Dataset<Row> f = src;
        for (java.util.Map.Entry<String, String> r : mp.renames().entrySet()) {
            f = f.withColumnRenamed(r.getKey(), r.getValue());
        }
        if (mp.correctFrom() != null) {
            // text status: correct iff equal to the value (trimmed); null stays null (checked)
            Column raw = col(mp.correctFrom());
            f = f.withColumn("correct", when(raw.isNull(), lit(null).cast(DataTypes.BooleanType))
                    .otherwise(trim(raw.cast(DataTypes.StringType)).equalTo(mp.correctValue())));
        }
        return new Mapped(f, new java.util.LinkedHashMap<>(mp.labels()));
    }

    /** A Spark schema as {@link InputPlan} sees it: each column's type class and Spark's name of it. */
    static java.util.LinkedHashMap<String, InputPlan.Type> types(StructType schema) {
        java.util.LinkedHashMap<String, InputPlan.Type> t = new java.util.LinkedHashMap<>();
        for (org.apache.spark.sql.types.StructField f : schema.fields()) {
            DataType d = f.dataType();
            InputPlan.TypeClass c = d instanceof StringType ? InputPlan.TypeClass.STRING
                    : d instanceof BooleanType ? InputPlan.TypeClass.BOOLEAN
                    : isIntegral(d) ? InputPlan.TypeClass.INTEGRAL
                    : d instanceof NumericType ? InputPlan.TypeClass.FRACTIONAL : InputPlan.TypeClass.OTHER;
            t.put(f.name(), new InputPlan.Type(c, d.simpleString()));
        }
        return t;
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
                    String sep = csvSeparator(inputs.get(0));
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

    /** The CSV separator: a tab when the first input is named {@code .tsv} (also compressed, {@code .tsv.gz}), else a comma. */
    static String csvSeparator(String firstInput) {
        String n = firstInput.toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".tsv") || n.matches(".*\\.tsv\\.[a-z0-9]+$") ? "\t" : ",";
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
                // the words do not depend on the engine (the local engine says the same)
                return InputValidation.corrupt(where, fmt, List.of(where.split(",")), e);
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
        InputPlan.Plan plan = InputPlan.plan(types(src.schema()), where, fmt, groupBy, labels, emptyHint,
                name -> example(src, name, where));
        List<Column> groupCols = new ArrayList<>();
        for (String g : groupBy) {
            groupCols.add(col(g).cast(DataTypes.StringType).as(g));
        }
        Column pid = col(Columns.PROBLEM_ID).cast(DataTypes.StringType);
        Column sid = plan.sampleId() == null ? null : col(plan.sampleId());
        Column reward = null;
        if (plan.kind() == Answers.Kind.REWARD) {
            reward = plan.rewardText() ? col("reward").try_cast(DataTypes.DoubleType)
                    : col("reward").cast(DataTypes.DoubleType);
        }
        Column correct = switch (plan.correct()) {
            case BOOLEAN -> when(col("correct"), 1).otherwise(0);
            case INTEGRAL -> col("correct").cast(DataTypes.IntegerType);
            case TEXT -> correctText(col("correct"));
            case FROM_REWARD -> when(SparkCorrectness.isCorrect(reward), 1).otherwise(0);
            case NONE -> null;
        };
        Column n = null;
        Column c = null;
        if (plan.kind() == Answers.Kind.COUNTS) {
            n = count(col("n"), plan.countsText());
            c = count(col("c"), plan.countsText());
        }
        List<Answers.Check> checks = new ArrayList<>();
        for (InputPlan.Check ch : plan.checks()) {
            Column raw = col(ch.column());
            Column bad = switch (ch.rule()) {
                case NULL, CORRECT_BOOLEAN -> raw.isNull();
                case REWARD -> reward.isNull().or(isnan(reward)).or(reward.lt(0)).or(reward.gt(1));
                case CORRECT_01 -> raw.isNull().or(raw.notEqual(0).and(raw.notEqual(1)));
                case CORRECT_TEXT -> correct.isNull();
                case COUNT_N -> n.isNull().or(n.lt(1));
                case COUNT_C -> c.isNull().or(c.lt(0)).or(n.isNotNull().and(c.gt(n)));
            };
            checks.add(new Answers.Check(ch, coalesce(bad, lit(false)),
                    ch.rule() == InputPlan.Rule.COUNT_C ? new Column[] {raw, col("n")} : new Column[] {raw}));
        }
        return new Answers(src, where, plan.kind(), List.copyOf(groupBy), groupCols, pid, plan.sampleLabel(), sid,
                correct, reward, n, c, checks, emptyHint, java.util.Map.copyOf(labels));
    }

    /** CSV correctness text: true/1 correct, false/0 incorrect (trimmed of spaces, any case), else null. */
    private static Column correctText(Column raw) {
        Column v = lower(trim(raw));
        return when(v.isin("true", "1"), 1).when(v.isin("false", "0"), 0);
    }

    /** A count column as a long: integers as they are; CSV text only when it is an integer ("3.5" is not 3). */
    private static Column count(Column raw, boolean text) {
        return text ? when(raw.rlike("^\\s*[+-]?[0-9]+\\s*$"), trim(raw).try_cast(DataTypes.LongType))
                : raw.cast(DataTypes.LongType);
    }

    /**
     * The path of the file each row came from (Spark's {@code _metadata.file_path}, a URI), or
     * {@code where} for a frame built in memory (harness logs) or one Spark does not trace to a file.
     */
    static Column fileOf(Dataset<Row> src, String where) {
        try {
            src.select(col("_metadata.file_path")).schema();
            return col("_metadata.file_path");
        } catch (Exception noMetadata) {
            return lit(where);
        }
    }

    /**
     * One non-null value of column {@code name}, quoted as messages show it ({@link InputPlan}):
     * the first in the first file (by URI). Error path only.
     */
    static String example(Dataset<Row> src, String name, String where) {
        // row ids increase in file order within a file (a file's splits are read in order)
        Row[] rows = (Row[]) src.select(col(name), fileOf(src, where).as("__file"),
                        org.apache.spark.sql.functions.monotonically_increasing_id().as("__row"))
                .where(col(name).isNotNull())
                .orderBy(col("__file").asc_nulls_first(), col("__row").asc()).limit(1).collect();
        return InputPlan.quotedExample(rows.length == 0 ? null : javaValue(rows[0].get(0)), rows.length > 0);
    }

    /** A value Spark returned, with rows and Scala sequences as Java lists (for {@link InputPlan#show}). */
    static Object javaValue(Object v) {
        if (v instanceof Row r) {
            java.util.List<Object> l = new ArrayList<>();
            for (int i = 0; i < r.length(); i++) {
                l.add(javaValue(r.get(i)));
            }
            return new StructValue(l);
        }
        if (v instanceof scala.collection.Seq<?> s) {
            java.util.List<Object> l = new ArrayList<>();
            scala.collection.Iterator<?> it = s.iterator();
            while (it.hasNext()) {
                l.add(javaValue(it.next()));
            }
            return l;
        }
        return v;
    }

    /** A struct value for {@link InputPlan#show}. */
    record StructValue(List<Object> fields) {
        @Override
        public String toString() {
            return "{" + fields.stream().map(InputPlan::show).collect(Collectors.joining(", ")) + "}";
        }
    }

    private static boolean isIntegral(DataType t) {
        return t.equals(DataTypes.ByteType) || t.equals(DataTypes.ShortType) || t.equals(DataTypes.IntegerType)
                || t.equals(DataTypes.LongType);
    }

}
