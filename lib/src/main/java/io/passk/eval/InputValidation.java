package io.passk.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.min;

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
            throw InputPlan.empty(a.where(), a.emptyHint());
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

    /**
     * Error path: count per check, then one offending row of the first failing check (chosen as
     * {@link InputPlan} says: smallest file, problem_id, value).
     */
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
            Column pid = col(Columns.PROBLEM_ID).cast(DataTypes.StringType);
            List<Column> sel = new ArrayList<>(List.of(AnswerReader.fileOf(a.source(), a.where()).as("__file"),
                    pid.as("__pid")));
            List<Column> order = new ArrayList<>(List.of(col("__file").asc_nulls_first(),
                    col("__pid").asc_nulls_first()));
            for (int j = 0; j < ch.values().length; j++) {
                sel.add(ch.values()[j].as("__v" + j));
                order.add(col("__v" + j).asc_nulls_first());
            }
            Row[] ex = (Row[]) a.source().where(ch.bad()).select(sel.toArray(new Column[0]))
                    .orderBy(order.toArray(new Column[0])).limit(1).collect();
            if (ex.length == 0) {
                return InputPlan.badRows(a.where(), ch.spec(), nBad, null, null, null);
            }
            Object[] values = new Object[ch.values().length];
            for (int j = 0; j < values.length; j++) {
                values[j] = AnswerReader.javaValue(ex[0].get(2 + j));
            }
            return InputPlan.badRows(a.where(), ch.spec(), nBad, InputPlan.shown(ch.spec().rule(), values),
                    ex[0].getString(1), ex[0].getString(0));
        }
        // no row check fails: the count came from a problem too large to count (ProblemTable)
        return InputPlan.tooLarge(a.where());
    }

    /**
     * The exact duplicate check, run only when some problem's ids are not provably
     * {min..max} (text ids, gaps): a groupBy over (groups, problem_id, sample id). Returns the
     * error naming the smallest duplicate (groups, problem_id, sample id as text) and the first
     * file holding it, or null when there is none.
     */
    static BadInputException findDuplicate(Answers a) {
        List<Column> keys = new ArrayList<>(a.groupCols());
        keys.add(a.problemId().as(Columns.PROBLEM_ID));
        keys.add(a.sampleId().cast(DataTypes.StringType).as("__sid"));
        List<Column> order = new ArrayList<>();
        for (String k : a.groups()) {
            order.add(col(k).asc_nulls_first());
        }
        order.add(col(Columns.PROBLEM_ID).asc_nulls_first());
        order.add(col("__sid").asc_nulls_first());
        Row[] d = (Row[]) a.source().groupBy(keys.toArray(new Column[0]))
                .agg(count(lit(1)).as("count"), min(AnswerReader.fileOf(a.source(), a.where())).as("__file"))
                .where(col("count").gt(1)).orderBy(order.toArray(new Column[0])).limit(1).collect();
        if (d.length == 0) {
            return null;
        }
        Row r = d[0];
        int g = a.groups().size();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < g; i++) {
            values.add(r.getString(i));
        }
        return InputPlan.duplicate(a.where(), a.sampleIdName(), a.groups(), values, r.getString(g),
                r.getString(g + 1), r.getLong(g + 2), r.getString(g + 3));
    }

    /** A path with glob characters (Spark expands them; the local engine does not). */
    static boolean isGlob(String path) {
        return path.matches(".*[*?\\[{].*");
    }

    /**
     * Refuses a local input that does not exist, before anything is read (both engines): the
     * format inferred from names says the same ({@link InputFormat#infer}); a given format would
     * otherwise meet each engine's own error.
     */
    static void checkExists(List<String> inputs) {
        for (String in : inputs) {
            if ((in.contains("://") && !in.startsWith("file:")) || isGlob(in)) {
                continue;
            }
            if (!java.nio.file.Files.exists(LocalEvaluation.localPath(in))) {
                throw new BadInputException("input " + in + " does not exist");
            }
        }
    }

    /**
     * A file that an engine could not read, in words that do not depend on the engine: the first
     * file (sorted) that is not what its format says, found by a look at the files themselves
     * (a Parquet file without its {@code PAR1} magic, a JSON lines file with a line that is not
     * JSON); {@code cause} (the engine's own error) is kept for {@code --verbose}.
     */
    static BadInputException corrupt(String where, InputFormat fmt, List<String> inputs, Throwable cause) {
        String detail = null;
        try {
            detail = diagnose(fmt, inputs);
        } catch (java.io.IOException | RuntimeException e) {
            // no detail: the message names the input and the format
        }
        return new BadInputException("input " + where + " (" + fmt.cliName() + ") is unreadable or corrupt"
                + (detail == null ? "" : ": " + detail), cause);
    }

    private static String diagnose(InputFormat fmt, List<String> inputs) throws java.io.IOException {
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        List<org.apache.hadoop.fs.Path> files = new ArrayList<>();
        for (String in : inputs) {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(in);
            org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(conf);
            org.apache.hadoop.fs.FileStatus st = fs.getFileStatus(p);
            if (st.isFile()) {
                files.add(fs.makeQualified(p));
                continue;
            }
            for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(p)) {
                String n = f.getPath().getName();
                if (f.isFile() && !n.startsWith("_") && !n.startsWith(".")) {
                    files.add(f.getPath());
                }
            }
        }
        files.sort(null);
        for (org.apache.hadoop.fs.Path f : files) {
            org.apache.hadoop.fs.FileSystem fs = f.getFileSystem(conf);
            String name = f.getName().toLowerCase(java.util.Locale.ROOT);
            if (fmt == InputFormat.PARQUET || fmt == InputFormat.LIGHTEVAL) {
                if (!name.endsWith(".parquet")) {
                    continue;
                }
                long len = fs.getFileStatus(f).getLen();
                byte[] head = new byte[4];
                byte[] tail = new byte[4];
                if (len >= 12) {
                    try (org.apache.hadoop.fs.FSDataInputStream in = fs.open(f)) {
                        in.readFully(0, head);
                        in.readFully(len - 4, tail);
                    }
                }
                byte[] magic = "PAR1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                if (len < 12 || !java.util.Arrays.equals(head, magic) || !java.util.Arrays.equals(tail, magic)) {
                    return "file " + f + " is not a Parquet file (no PAR1 magic at its start and end)";
                }
            } else if (fmt == InputFormat.JSONL || fmt == InputFormat.HUMANEVAL) {
                org.apache.hadoop.io.compress.CompressionCodec codec =
                        new org.apache.hadoop.io.compress.CompressionCodecFactory(conf).getCodec(f);
                try (java.io.InputStream raw = fs.open(f);
                     java.io.InputStream in = codec == null ? raw : codec.createInputStream(raw);
                     java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(in,
                             java.nio.charset.StandardCharsets.UTF_8))) {
                    String line;
                    long no = 0;
                    while ((line = r.readLine()) != null) {
                        no++;
                        if (line.isBlank()) {
                            continue;
                        }
                        try {
                            com.google.gson.JsonElement e = com.google.gson.JsonParser.parseString(line);
                            if (!e.isJsonObject()) {
                                return "file " + f + " line " + no + " is not a JSON object";
                            }
                        } catch (com.google.gson.JsonParseException e) {
                            return "file " + f + " line " + no + " is not valid JSON";
                        }
                    }
                }
            }
        }
        return null;
    }
}
