package io.passk.task;

import io.passk.BadInputException;
import io.passk.Columns;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A task suite on disk: Parquet rows {@code problem_id, task, split, difficulty, prompt,
 * solution, meta} (one row per {@link Problem}). Written by {@link TaskSuiteWriter}; other
 * stages load problems back with {@link #read} or {@link #problems}.
 */
public final class TaskSuite {

    public static final String TASK = "task";
    public static final String SPLIT = "split";
    public static final String DIFFICULTY = "difficulty";
    public static final String PROMPT = "prompt";
    public static final String SOLUTION = "solution";
    public static final String META = "meta";

    /** The row schema, in column order. */
    public static final StructType SCHEMA = new StructType(new StructField[]{
            DataTypes.createStructField(Columns.PROBLEM_ID, DataTypes.StringType, false),
            DataTypes.createStructField(TASK, DataTypes.StringType, false),
            DataTypes.createStructField(SPLIT, DataTypes.StringType, false),
            DataTypes.createStructField(DIFFICULTY, DataTypes.IntegerType, false),
            DataTypes.createStructField(PROMPT, DataTypes.StringType, false),
            DataTypes.createStructField(SOLUTION, DataTypes.StringType, false),
            DataTypes.createStructField(META, DataTypes.StringType, false),
    });

    private TaskSuite() {
    }

    public static Row toRow(Problem p) {
        return RowFactory.create(p.problemId(), p.task(), p.split(), p.difficulty(), p.prompt(), p.solution(), p.meta());
    }

    /** A row of {@link #SCHEMA} (by column name) back to a problem; nulls are bad input. */
    public static Problem fromRow(Row r, String source) {
        String id = r.getAs(Columns.PROBLEM_ID);
        for (String c : SCHEMA.fieldNames()) {
            if (r.isNullAt(r.fieldIndex(c))) {
                throw new BadInputException("task suite " + source + ": null in column '" + c + "'"
                        + (id == null ? "" : " of problem " + id));
            }
        }
        return new Problem(id, r.getAs(TASK), r.getAs(SPLIT), ((Number) r.getAs(DIFFICULTY)).intValue(),
                r.getAs(PROMPT), r.getAs(SOLUTION), r.getAs(META));
    }

    /**
     * Reads a suite directory as a DataFrame with exactly the {@link #SCHEMA} columns (in that
     * order; {@code difficulty} stored as a long or short is cast to int). A missing directory,
     * unreadable Parquet, a missing column or a column of the wrong type is bad input naming the
     * directory and column.
     */
    public static Dataset<Row> read(SparkSession spark, String dir) {
        Dataset<Row> df;
        try {
            Path path = new Path(dir);
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(path)) {
                throw new BadInputException("task suite " + dir + " does not exist");
            }
            df = spark.read().parquet(dir);
        } catch (BadInputException e) {
            throw e;
        } catch (Exception e) { // Spark's exceptions are checked in Java's eyes but thrown unchecked
            throw new BadInputException("task suite " + dir + ": cannot read Parquet: " + firstLine(e), e);
        }
        StructType schema = df.schema();
        Set<String> have = new HashSet<>(Arrays.asList(schema.fieldNames()));
        List<org.apache.spark.sql.Column> cols = new ArrayList<>();
        for (StructField want : SCHEMA.fields()) {
            if (!have.contains(want.name())) {
                throw new BadInputException("task suite " + dir + ": missing column '" + want.name()
                        + "' (has: " + String.join(", ", schema.fieldNames()) + ")");
            }
            DataType got = schema.apply(want.name()).dataType();
            boolean ok = got.equals(want.dataType())
                    || (want.name().equals(DIFFICULTY) && (got.equals(DataTypes.LongType) || got.equals(DataTypes.ShortType)));
            if (!ok) {
                throw new BadInputException("task suite " + dir + ": column '" + want.name() + "' has type "
                        + got.simpleString() + ", expected " + want.dataType().simpleString());
            }
            cols.add(functions.col(want.name()).cast(want.dataType()).as(want.name()));
        }
        return df.select(cols.toArray(new org.apache.spark.sql.Column[0]));
    }

    /**
     * All problems of a suite (suites are small: collected to the driver), sorted by split,
     * difficulty and id. Nulls, duplicate ids and unknown task names are bad input.
     */
    public static List<Problem> problems(SparkSession spark, String dir) {
        List<Row> rows;
        try {
            rows = read(spark, dir).orderBy(SPLIT, DIFFICULTY, Columns.PROBLEM_ID).collectAsList();
        } catch (BadInputException e) {
            throw e;
        } catch (Exception e) { // e.g. SparkException for a corrupt footer, thrown from Scala
            throw new BadInputException("task suite " + dir + ": cannot read Parquet: " + firstLine(e), e);
        }
        List<Problem> out = new ArrayList<>(rows.size());
        Set<String> ids = new HashSet<>();
        for (Row r : rows) {
            Problem p = fromRow(r, dir);
            if (!ids.add(p.problemId())) {
                throw new BadInputException("task suite " + dir + ": duplicate problem_id " + p.problemId());
            }
            Tasks.byName(p.task());
            out.add(p);
        }
        return out;
    }

    /** The problems of one split (e.g. {@code train}). */
    public static List<Problem> problems(SparkSession spark, String dir, String split) {
        return problems(spark, dir).stream().filter(p -> p.split().equals(split)).toList();
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
