package io.passk.spark;

import io.passk.BadInputException;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * The schema check every passk Spark stage runs from {@code transformSchema} (an
 * {@code Evaluator}, which has none, from {@code evaluate}), in the manner of Spark MLlib's
 * {@code SchemaUtils.checkColumnType}: a missing or mistyped column is a
 * {@link BadInputException} (the CLI's exit 2) whose message names the stage, the param (or
 * "column" for a fixed name), the column, its type and the type expected. One message shape:
 * <pre>
 * PassAtKAdvantage: rewardCol 'score' is missing; columns are problem_id, sample_idx, reward
 * PassAtKEvaluator: labelCol 'model' has type string, expected boolean or numeric
 * </pre>
 */
public final class StageSchema {

    private StageSchema() {
    }

    /** A set of accepted column types and how the message names it. */
    public record ColumnType(String expected, Predicate<DataType> accepts) {

        public static final ColumnType STRING = new ColumnType("string", t -> t.equals(DataTypes.StringType));
        public static final ColumnType NUMERIC = new ColumnType("numeric", t -> t instanceof NumericType);
        /** Whole numbers: byte, short, int or long. */
        public static final ColumnType INTEGER = new ColumnType("integer (int, long, short or byte)",
                t -> t.equals(DataTypes.IntegerType) || t.equals(DataTypes.LongType)
                        || t.equals(DataTypes.ShortType) || t.equals(DataTypes.ByteType));
        public static final ColumnType STRING_OR_NUMERIC = new ColumnType("string or numeric",
                t -> t.equals(DataTypes.StringType) || t instanceof NumericType);
        public static final ColumnType BOOLEAN_OR_NUMERIC = new ColumnType("boolean or numeric",
                t -> t instanceof BooleanType || t instanceof NumericType);
        /** A grouping key: anything Spark can group by (a map cannot). */
        public static final ColumnType GROUPABLE = new ColumnType("a groupable type (not a map)",
                t -> !(t instanceof MapType));
    }

    /**
     * The type of column {@code column}, which must exist and be of {@code type}.
     *
     * @param stage  the stage's name, first in the message
     * @param role   the param that named the column ({@code rewardCol}), or {@code column}
     */
    public static DataType require(String stage, StructType schema, String role, String column, ColumnType type) {
        if (!has(schema, column)) {
            throw new BadInputException(stage + ": " + role + " '" + column + "' is missing; columns are "
                    + String.join(", ", schema.fieldNames()));
        }
        return requireType(stage, schema, role, column, type);
    }

    /** Like {@link #require} for an optional column: absent is fine, present must be of {@code type}. */
    public static void requireIfPresent(String stage, StructType schema, String role, String column,
                                        ColumnType type) {
        if (has(schema, column)) {
            requireType(stage, schema, role, column, type);
        }
    }

    /** An output column must not exist yet (a stage never overwrites its input). */
    public static void requireAbsent(String stage, StructType schema, String role, String column) {
        if (has(schema, column)) {
            throw new BadInputException(stage + ": " + role + " '" + column + "' already exists");
        }
    }

    public static boolean has(StructType schema, String column) {
        return Arrays.asList(schema.fieldNames()).contains(column);
    }

    private static DataType requireType(String stage, StructType schema, String role, String column,
                                        ColumnType type) {
        DataType t = schema.apply(column).dataType();
        if (!type.accepts().test(t)) {
            throw new BadInputException(stage + ": " + role + " '" + column + "' has type " + t.simpleString()
                    + ", expected " + type.expected());
        }
        return t;
    }
}
