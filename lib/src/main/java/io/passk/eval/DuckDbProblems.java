package io.passk.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The local engine's per-problem table, kept in DuckDB as the temporary table {@code per} (keys
 * {@code "g_<group>"}.., {@code __pid}; {@code n}, {@code c}, {@code bad}; the sample-id
 * fingerprint {@code lo}, {@code hx}, {@code nx} when the input has ids; {@code rewards} for
 * reward input), and what the shared Java tail needs from it (docs/eval.md#engines). For binary
 * answers nothing per problem crosses into Java: the fold takes the (group, n, c) classes, Java
 * computes the estimates of each distinct (n, c) once, and DuckDB joins them to the problems and
 * writes {@code per_problem/} ({@link DuckDbParquet}).
 */
final class DuckDbProblems {

    private final Connection db;
    private final Statement st;
    private final List<String> groups;
    /** quoted key columns of {@code per}: the groups then {@code __pid} */
    private final List<String> keys;

    DuckDbProblems(Connection db, Statement st, List<String> groups, List<String> keys) {
        this.db = db;
        this.st = st;
        this.groups = List.copyOf(groups);
        this.keys = List.copyOf(keys);
    }

    /**
     * problems, rows, bad rows, the smallest and the largest n (0 without problems), and the
     * problems with n of 2^32 or more (more than c and the bad-row count share in the Spark engine).
     */
    long[] counts() throws SQLException {
        try (ResultSet r = st.executeQuery("SELECT count(*), coalesce(sum(n), 0), coalesce(sum(bad), 0), "
                + "coalesce(min(n), 0), coalesce(max(n), 0), count(*) FILTER (WHERE n >= " + ProblemTable.BAD_UNIT
                + ") FROM per")) {
            r.next();
            return new long[] {r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5), r.getLong(6)};
        }
    }

    /**
     * The number of problems with a repeated sample id. First the fingerprint the Spark engine
     * uses ({@link ProblemTable#IDS_CONTIGUOUS}, with DuckDB's {@code hash}): a problem's n ids
     * are exactly {lo..lo+n-1} when all n read as integers and the XOR of their hashes equals
     * that of the range (ids of odd multiplicity are all the XOR keeps; a collision has
     * probability 2^-64). Each distinct (lo, n) range is hashed once. Only problems it does not
     * prove distinct are counted exactly ({@code count(DISTINCT)} over their rows of
     * {@code sourceWithIds}: the key columns and {@code __sid}).
     */
    long duplicates(String sourceWithIds) throws SQLException {
        st.execute("CREATE OR REPLACE TEMP TABLE shapes AS SELECT lo, n, bit_xor(hash(i)) AS hx FROM (SELECT lo, n, "
                + "unnest(range(lo, lo + n)) AS i FROM (SELECT DISTINCT lo, n FROM per WHERE bad = 0 AND nx = n "
                + "AND lo <= 9223372036854775807 - n)) GROUP BY lo, n");
        String k = String.join(", ", keys);
        st.execute("CREATE OR REPLACE TEMP TABLE unproven AS SELECT " + qualified("p") + " FROM per p LEFT JOIN shapes s "
                + "ON p.lo = s.lo AND p.n = s.n WHERE p.bad = 0 AND (p.nx <> p.n OR s.hx IS NULL OR p.hx <> s.hx)");
        try (ResultSet r = st.executeQuery("SELECT count(*) FROM unproven")) {
            r.next();
            if (r.getLong(1) == 0) {
                return 0;
            }
        }
        try (ResultSet r = st.executeQuery("SELECT count(*) FROM (SELECT count(*) AS n, count(DISTINCT __sid) AS d FROM ("
                + sourceWithIds + ") JOIN unproven USING (" + k + ") GROUP BY " + k + ") WHERE n <> d")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Folds every (group, n, c) class into {@code fold} ({@link ProblemPass.Fold#problems}). */
    void foldClasses(ProblemPass.Fold fold) throws SQLException {
        StringBuilder g = new StringBuilder();
        for (int i = 0; i < groups.size(); i++) {
            g.append(keys.get(i)).append(", ");
        }
        try (ResultSet r = st.executeQuery("SELECT " + g + "n, c, count(*) FROM per GROUP BY ALL")) {
            while (r.next()) {
                List<String> group = new ArrayList<>(groups.size());
                for (int i = 1; i <= groups.size(); i++) {
                    group.add(r.getString(i));
                }
                int at = groups.size();
                fold.problems(group, r.getLong(at + 1), r.getLong(at + 2), r.getLong(at + 3));
            }
        }
    }

    /**
     * The keys (group values, then problem_id) of the problem with n = {@code minN} that
     * {@link ProblemPass.Fold} would keep: the smallest by {@link String#compareTo}. DuckDB orders
     * text by code point, which is the same order unless a key holds a character from U+E000 up
     * (UTF-16 puts U+E000..U+FFFF above supplementary characters, code points below); then all
     * problems with that n are compared here.
     */
    List<String> smallest(long minN) throws SQLException {
        String k = String.join(", ", keys);
        boolean unusual;
        try (ResultSet r = st.executeQuery("SELECT count(*) FROM per WHERE n = " + minN + " AND regexp_matches(concat_ws('', "
                + k + "), '[\\x{E000}-\\x{10FFFF}]')")) {
            r.next();
            unusual = r.getLong(1) > 0;
        }
        List<String> best = null;
        try (ResultSet r = st.executeQuery("SELECT " + k + " FROM per WHERE n = " + minN + " ORDER BY " + k
                + (unusual ? "" : " LIMIT 1"))) {
            while (r.next()) {
                List<String> key = new ArrayList<>(keys.size());
                for (int i = 1; i <= keys.size(); i++) {
                    key.add(r.getString(i));
                }
                if (ProblemPass.Fold.less(key, best)) {
                    best = key;
                }
            }
        }
        return best;
    }

    /**
     * Writes {@code per_problem/} ({@link ProblemPass#schema}) for binary answers: the estimates
     * of each distinct (n, c) come from {@link ProblemPass.Emitter} (the one Java code path of
     * both engines), and DuckDB joins them to the problems.
     */
    void writePerProblem(int[] ks, Path dir) throws SQLException, IOException {
        StructType schema = ProblemPass.schema(groups, ks);
        StructField[] all = schema.fields();
        StructType estSchema = new StructType(java.util.Arrays.copyOfRange(all, groups.size() + 1, all.length));
        ProblemPass.Emitter emit = new ProblemPass.Emitter(ks, false, null);
        List<Object[]> est = new ArrayList<>();
        try (ResultSet r = st.executeQuery("SELECT DISTINCT n, c FROM per")) {
            while (r.next()) {
                Object[] o = emit.row(List.of(), "", r.getLong(1), r.getLong(2), 0, null, null, null);
                est.add(java.util.Arrays.copyOfRange(o, 1, o.length));
            }
        }
        DuckDbParquet.createTable(st, "est", estSchema);
        DuckDbParquet.insert(db, "est", estSchema, est);
        StringBuilder q = new StringBuilder("SELECT ");
        for (int i = 0; i < keys.size(); i++) {
            q.append("p.").append(keys.get(i)).append(" AS ").append(DuckDbParquet.q(all[i].name())).append(", ");
        }
        q.append("p.n AS n, p.c AS c");
        for (StructField f : estSchema.fields()) {
            if (!f.name().equals(ProblemTable.N) && !f.name().equals(ProblemTable.C)) {
                q.append(", e.").append(DuckDbParquet.q(f.name()));
            }
        }
        q.append(" FROM per p JOIN est e ON p.n = e.n AND p.c = e.c");
        DuckDbParquet.copy(st, q.toString(), dir);
    }

    /**
     * Every problem through {@link ProblemPass.Emitter} with {@code fold} (reward input, or n
     * beyond the class fold): the wide rows go to {@code sink}.
     */
    void forEach(boolean rewards, int[] ks, ProblemPass.Fold fold, Consumer<Object[]> sink) throws SQLException {
        ProblemPass.Emitter emit = new ProblemPass.Emitter(ks, rewards, fold);
        try (ResultSet r = st.executeQuery("SELECT " + String.join(", ", keys) + ", n, c"
                + (rewards ? ", rewards" : "") + " FROM per")) {
            int g = groups.size();
            while (r.next()) {
                List<String> group = new ArrayList<>(g);
                for (int i = 1; i <= g; i++) {
                    group.add(r.getString(i));
                }
                double[] sorted = null;
                if (rewards) {
                    Array a = r.getArray(g + 4);
                    Object[] l = (Object[]) a.getArray();
                    sorted = new double[l.length];
                    for (int i = 0; i < l.length; i++) {
                        sorted[i] = ((Number) l[i]).doubleValue();
                    }
                }
                sink.accept(emit.row(group, r.getString(g + 1), r.getLong(g + 2), r.getLong(g + 3), 0, sorted, null,
                        null));
            }
        }
    }

    /** The keys, n and c of every problem, for {@code --compare}. */
    List<Object[]> keysAndCounts() {
        List<Object[]> out = new ArrayList<>();
        try (ResultSet r = st.executeQuery("SELECT " + String.join(", ", keys) + ", n, c FROM per")) {
            int k = keys.size();
            while (r.next()) {
                Object[] o = new Object[k + 2];
                for (int i = 0; i < k; i++) {
                    o[i] = r.getString(i + 1);
                }
                o[k] = r.getLong(k + 1);
                o[k + 1] = r.getLong(k + 2);
                out.add(o);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB: " + e.getMessage(), e);
        }
        return out;
    }

    /** Writes the summary rows as {@code dir} ({@link SummaryTable#schema}). */
    void writeSummary(List<SummaryRow> summary, List<String> groupCols, Path dir) throws IOException {
        StructType schema = SummaryTable.schema(groupCols);
        List<Object[]> rows = new ArrayList<>();
        for (org.apache.spark.sql.Row r : SummaryTable.rows(summary)) {
            Object[] o = new Object[r.length()];
            for (int i = 0; i < o.length; i++) {
                o[i] = r.get(i);
            }
            rows.add(o);
        }
        try {
            DuckDbParquet.createTable(st, "summary", schema);
            DuckDbParquet.insert(db, "summary", schema, rows);
            DuckDbParquet.copy(st, "SELECT * FROM summary", dir);
        } catch (SQLException e) {
            throw new IOException("DuckDB: " + e.getMessage(), e);
        }
    }

    private String qualified(String alias) {
        StringBuilder s = new StringBuilder();
        for (String k : keys) {
            s.append(s.length() == 0 ? "" : ", ").append(alias).append('.').append(k);
        }
        return s.toString();
    }
}
