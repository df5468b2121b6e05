package io.passk.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.passk.BadInputException;
import io.passk.Columns;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Validates an input from the totals of its per-problem table: the bad-row and duplicate counts
 * that {@link ProblemTable} computed during its scan, summed while {@code per_problem/} is
 * written ({@link ProblemPass.Fold}, the eval job). Only when something is wrong does it run a query to find an example row (file,
 * problem, value).
 */
public final class InputValidation {

    /** Counts over the whole input. */
    public record Totals(long problems, long rows, long minN, String minNProblem, List<String> minNGroup) {
    }

    private InputValidation() {
    }

    /** Totals folded during the single pass ({@link ProblemPass.Fold}). */
    static Totals check(Answers a, ProblemPass.Fold f) {
        return judge(a, f.problems, f.rows, f.bad, f.unverified, f.minN, f.minKey);
    }

    /**
     * Judges the totals of the per-problem table: empty input, bad rows (then a query for an
     * example), duplicate sample ids (the exact check, only when some problem's ids were not
     * proven duplicate-free). {@code minKey}: group values then problem_id of the smallest n.
     */
    static Totals judge(Answers a, long problemsCount, long rows, long bad, long unverified, long minN,
                        List<String> minKey) {
        if (problemsCount == 0 || (a.kind() != Answers.Kind.COUNTS && rows == 0)) {
            throw new BadInputException("input " + a.where() + " is empty: no rows" + a.emptyHint());
        }
        if (bad > 0) {
            throw explainBadRows(a, bad);
        }
        if (unverified > 0) {
            BadInputException dup = findDuplicate(a);
            if (dup != null) {
                throw dup;
            }
        }
        int g = a.groups().size();
        return new Totals(problemsCount, rows, minN, minKey.get(g), List.copyOf(minKey.subList(0, g)));
    }

    /** Error path: count per check, then one offending row of the first failing check. */
    static BadInputException explainBadRows(Answers a, long bad) {
        List<Column> counts = new ArrayList<>();
        for (Answers.Check ch : a.checks()) {
            counts.add(sum(when(ch.bad(), 1L).otherwise(0L)));
        }
        Row c = a.source().agg(counts.get(0), counts.subList(1, counts.size()).toArray(new Column[0])).first();
        for (int i = 0; i < a.checks().size(); i++) {
            long nBad = c.isNullAt(i) ? 0 : c.getLong(i);
            if (nBad == 0) {
                continue;
            }
            Answers.Check ch = a.checks().get(i);
            Row ex = example(a, ch.bad(), ch.shown());
            String value = ex == null ? "?" : ex.getString(0);
            String where = ex == null ? "" : " (problem_id=" + ex.getString(1) + ", file " + ex.getString(2) + ")";
            return new BadInputException("input " + a.where() + ": column '" + ch.column() + "': " + nBad
                    + " row(s) " + ch.problem() + ", e.g. value '" + value + "'" + where);
        }
        // no row check fails: the count came from a problem too large to count (ProblemTable)
        return new BadInputException("input " + a.where() + ": a problem has 2^32 or more samples, more than "
                + "this evaluation counts exactly; split it (e.g. by a grouping column)");
    }

    /** One row matching {@code bad}: (shown value, problem_id, file). */
    private static Row example(Answers a, Column bad, Column shown) {
        Column pid = col(Columns.PROBLEM_ID).cast(DataTypes.StringType);
        Row[] r;
        try {
            r = (Row[]) a.source().where(bad)
                    .select(shown, pid, col("_metadata.file_path")).limit(1).collect();
        } catch (Exception noMetadata) { // a frame built in memory (harness logs) has no _metadata
            r = (Row[]) a.source().where(bad).select(shown, pid, lit(a.where())).limit(1).collect();
        }
        return r.length == 0 ? null : r[0];
    }

    /**
     * The exact duplicate check, run only when some problem's ids are not provably
     * {min..max} (text ids, gaps): a groupBy over (groups, problem_id, sample id). Returns the
     * error naming one duplicate, or null when there is none.
     */
    static BadInputException findDuplicate(Answers a) {
        List<Column> keys = new ArrayList<>(a.groupCols());
        keys.add(a.problemId().as(Columns.PROBLEM_ID));
        keys.add(a.sampleId().cast(DataTypes.StringType).as("__sid"));
        Row[] d = (Row[]) a.source().groupBy(keys.toArray(new Column[0])).count()
                .where(col("count").gt(1)).limit(1).collect();
        if (d.length == 0) {
            return null;
        }
        Row r = d[0];
        int g = a.groups().size();
        StringBuilder what = new StringBuilder();
        Column match = lit(true);
        for (int i = 0; i < g; i++) {
            what.append(a.groups().get(i)).append('=').append(r.getString(i)).append(' ');
            match = match.and(a.groupCols().get(i).equalTo(r.getString(i)));
        }
        String pid = r.getString(g);
        String sid = r.getString(g + 1);
        match = match.and(a.problemId().equalTo(pid)).and(a.sampleId().cast(DataTypes.StringType).equalTo(sid));
        String file;
        try {
            Row[] f = (Row[]) a.source().where(match).select(col("_metadata.file_path")).limit(1).collect();
            file = f.length == 0 ? a.where() : f[0].getString(0);
        } catch (Exception noMetadata) { // a frame built in memory (harness logs) has no _metadata
            file = a.where();
        }
        return new BadInputException("input " + a.where() + ": column '" + a.sampleIdName()
                + "': duplicate (problem_id, " + a.sampleIdName() + "): " + what + "problem_id=" + pid + " "
                + a.sampleIdName() + "=" + sid + " appears " + r.getLong(g + 2) + " times (file " + file + ")");
    }
}
