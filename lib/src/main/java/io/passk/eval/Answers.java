package io.passk.eval;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * An evaluation input, read and typed but not yet validated row by row. All columns are
 * expressions over {@link #source} (the raw file DataFrame), so the same expressions serve the
 * one-pass aggregation and, on the error path only, a query that finds an offending row.
 *
 * @param source    the DataFrame as read from the files
 * @param where     the input paths, for messages
 * @param kind      what the rows hold
 * @param groups    grouping columns as strings, named as given with {@code --by}
 * @param problemId {@code problem_id} as a string
 * @param sampleId  the sample id column ({@code sample_id} or {@code sample_idx}), or null
 * @param correct   1 if the sample is correct else 0 (int); for {@link Kind#COUNTS} null
 * @param reward    the reward as a double (only {@link Kind#REWARD}), else null
 * @param n         pre-counted n (only {@link Kind#COUNTS}), as long
 * @param c         pre-counted c (only {@link Kind#COUNTS}), as long
 * @param checks    row checks; a row is bad when any check's condition holds
 * @param emptyHint added to the message for an input without rows (e.g. what the format expects)
 * @param renamed   standard column name to the input's own name, for each column read under
 *                  another name ({@link ColumnMapping} or a known alias)
 */
public record Answers(Dataset<Row> source, String where, Kind kind, List<String> groups,
                      List<Column> groupCols, Column problemId, String sampleIdName, Column sampleId,
                      Column correct, Column reward, Column n, Column c, List<Check> checks,
                      String emptyHint, java.util.Map<String, String> renamed) {

    /** What one input row holds. */
    public enum Kind {
        /** one sample per row, {@code correct} boolean */
        BINARY,
        /** one sample per row, {@code reward} in [0,1] (and possibly {@code correct}) */
        REWARD,
        /** one problem per row, pre-counted {@code n, c} */
        COUNTS
    }

    /**
     * One row-level validity rule ({@link InputPlan.Check}: column, label, what is wrong) as Spark
     * columns.
     *
     * @param spec   the rule
     * @param bad    true for an offending row
     * @param values the raw values the message shows ({@link InputPlan#shown})
     */
    public record Check(InputPlan.Check spec, Column bad, Column[] values) {
    }

    /** Any check fails (false when there are no checks). */
    public Column anyBad() {
        Column any = null;
        for (Check ch : checks) {
            any = any == null ? ch.bad() : any.or(ch.bad());
        }
        return any == null ? org.apache.spark.sql.functions.lit(false) : any;
    }
}
