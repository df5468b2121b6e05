package io.passk.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The single-machine peer of the eval benchmark: what a user without Spark would write, a
 * DuckDB query (through JDBC, {@code org.duckdb:duckdb_jdbc}, found at run time so that the
 * library does not depend on it) doing the eval's per-problem work on the same Parquet: n, c,
 * the null and duplicate-sample-id checks (the eval's id fingerprint, or an exact distinct count), pass@k and pass^k for every k (null where n < k),
 * per-problem Parquet, and the means over problems.
 *
 * <p>The estimates use the log-gamma form of docs/reference.md#estimators:
 * pass@k = 1 - C(n-c, k) / C(n, k), pass^k = C(c, k) / C(n, k), each binomial ratio as
 * {@code exp(lgamma(..) - ..)}; for n up to a few thousand it agrees with passk's exact
 * products to about 1e-13, far inside the benchmark's 1e-9 check.
 */
public final class DuckDbPeer implements AutoCloseable {

    /** The JDBC driver class; absent from the spark-submit jar (jobs/pom.xml leaves DuckDB out). */
    public static final String DRIVER = "org.duckdb.DuckDBDriver";

    private final Connection db;

    private DuckDbPeer(Connection db) {
        this.db = db;
    }

    /** True when the DuckDB JDBC driver is on the classpath. */
    public static boolean available() {
        try {
            Class.forName(DRIVER);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** An in-memory DuckDB (as many threads as cores, its default). */
    public static DuckDbPeer open() throws SQLException {
        try {
            Class.forName(DRIVER);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the DuckDB JDBC driver (" + DRIVER + ") is not on the classpath", e);
        }
        return new DuckDbPeer(DriverManager.getConnection("jdbc:duckdb:"));
    }

    /** DuckDB's version string. */
    public String version() throws SQLException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT version()")) {
            r.next();
            return r.getString(1);
        }
    }

    /**
     * How the peer checks that a problem's sample ids are distinct. {@link #FINGERPRINT} is the
     * eval's own check written in SQL (the default: both sides then do the same work);
     * {@link #EXACT} is a {@code count(DISTINCT sample_idx)}, what a SQL user might write first
     * (most of DuckDB's time); {@link #NONE} skips the check, to show its share.
     */
    public enum IdCheck {
        /** No duplicate check. */
        NONE,
        /**
         * Per problem: n, min(id) and the XOR of {@code hash(id)}, compared with the XOR of the hashes
         * of min .. min + n - 1 (one per distinct (min, n), so a few rows): ids that pass are exactly
         * that range, up to a 2^-64 hash collision, as in the eval ({@code ProblemTable}).
         */
        FINGERPRINT,
        /** {@code count(*) - count(DISTINCT sample_idx)} per problem. */
        EXACT
    }

    /**
     * What one run found: problems, rows, bad rows, the duplicate-id finding (with
     * {@link IdCheck#EXACT}: duplicate ids; with {@link IdCheck#FINGERPRINT}: problems whose ids
     * are not one run of distinct integers) and the mean pass@k per k.
     */
    public record Outcome(long problems, long rows, long badRows, long duplicateIds, double[] meanPassAtK) {
    }

    /**
     * The peer's whole job: reads {@code data} (a Parquet directory with {@code problem_id},
     * {@code correct} and, when {@code sampleIds}, {@code sample_idx}), writes the per-problem
     * table to {@code perProblem} (one Parquet file) and returns the checks' counts and the means,
     * with the same id check as the eval ({@link IdCheck#FINGERPRINT}).
     */
    public Outcome run(Path data, boolean sampleIds, int[] ks, Path perProblem) throws SQLException {
        return run(data, sampleIds, IdCheck.FINGERPRINT, ks, perProblem);
    }

    /** {@link #run(Path, boolean, int[], Path)} with the given id check (none without sample ids). */
    public Outcome run(Path data, boolean sampleIds, IdCheck idCheck, int[] ks, Path perProblem)
            throws SQLException {
        IdCheck check = sampleIds ? idCheck : IdCheck.NONE;
        String src = "read_parquet('" + sqlPath(data.resolve("*.parquet")) + "')";
        StringBuilder per = new StringBuilder("CREATE OR REPLACE TEMP TABLE per AS SELECT problem_id, count(*) AS n, "
                + "count(*) FILTER (WHERE correct) AS c, count(*) FILTER (WHERE correct IS NULL"
                + (sampleIds ? " OR sample_idx IS NULL" : "") + " OR problem_id IS NULL) AS bad, ");
        per.append(switch (check) {
            case EXACT -> "count(*) - count(DISTINCT sample_idx) AS dup ";
            case FINGERPRINT -> "0 AS dup, min(sample_idx)::BIGINT AS lo, bit_xor(hash(sample_idx::BIGINT)) AS hx ";
            case NONE -> "0 AS dup ";
        });
        per.append("FROM ").append(src).append(" GROUP BY problem_id");
        // the expected fingerprint of each distinct (lo, n): XOR of hash(lo .. lo + n - 1)
        String shapes = "CREATE OR REPLACE TEMP TABLE shapes AS SELECT s.lo, s.n, bit_xor(hash(s.lo + g.i)) AS hx "
                + "FROM (SELECT DISTINCT lo, n FROM per WHERE lo IS NOT NULL) s, "
                + "range(0, (SELECT coalesce(max(n), 0) FROM per)) g(i) WHERE g.i < s.n GROUP BY s.lo, s.n";
        String failing = "SELECT count(*) FROM per LEFT JOIN shapes USING (lo, n) WHERE per.hx IS DISTINCT FROM shapes.hx";
        StringBuilder est = new StringBuilder("CREATE OR REPLACE TEMP TABLE est AS SELECT problem_id, n, c");
        for (int k : ks) {
            est.append(String.format(Locale.ROOT, ", CASE WHEN n >= %1$d THEN CASE WHEN n - c < %1$d THEN 1.0 "
                    + "ELSE 1.0 - exp(lgamma(n - c + 1) - lgamma(n - c - %1$d + 1) - lgamma(n + 1) + lgamma(n - %1$d + 1)) "
                    + "END END AS pass_at_%1$d", k));
        }
        for (int k : ks) {
            est.append(String.format(Locale.ROOT, ", CASE WHEN n >= %1$d THEN CASE WHEN c < %1$d THEN 0.0 "
                    + "ELSE exp(lgamma(c + 1) - lgamma(c - %1$d + 1) - lgamma(n + 1) + lgamma(n - %1$d + 1)) "
                    + "END END AS pass_hat_%1$d", k));
        }
        est.append(" FROM per");
        StringBuilder means = new StringBuilder("SELECT count(*), sum(per.n), sum(per.bad), sum(per.dup)");
        for (int k : ks) {
            means.append(", avg(pass_at_").append(k).append(')');
        }
        means.append(" FROM est JOIN per USING (problem_id)");
        try (Statement s = db.createStatement()) {
            s.execute(per.toString());
            long failingIds = 0;
            if (check == IdCheck.FINGERPRINT) {
                s.execute(shapes);
                try (ResultSet r = s.executeQuery(failing)) {
                    r.next();
                    failingIds = r.getLong(1);
                }
            }
            s.execute(est.toString());
            s.execute("COPY est TO '" + sqlPath(perProblem) + "' (FORMAT PARQUET)");
            try (ResultSet r = s.executeQuery(means.toString())) {
                r.next();
                double[] m = new double[ks.length];
                for (int i = 0; i < ks.length; i++) {
                    m[i] = r.getDouble(5 + i);
                }
                return new Outcome(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4) + failingIds, m);
            }
        }
    }

    /** How two per-problem tables agree: problems in both, in one only, largest |difference|. */
    public record Agreement(long both, long onlyOne, double maxAbsDiff) {
    }

    /**
     * Compares pass@k and pass^k of every problem and k between passk's {@code per_problem/}
     * and the peer's file (a null on one side and a value on the other counts as infinitely apart).
     */
    public Agreement compare(Path passkPerProblem, Path peerPerProblem, int[] ks) throws SQLException {
        StringBuilder diff = new StringBuilder("greatest(0.0");
        for (int k : ks) {
            for (String m : new String[] {"pass_at_", "pass_hat_"}) {
                String a = "a." + m + k;
                String b = "b." + m + k;
                diff.append(", CASE WHEN ").append(a).append(" IS NULL AND ").append(b).append(" IS NULL THEN 0.0 ")
                        .append("WHEN ").append(a).append(" IS NULL OR ").append(b).append(" IS NULL THEN 'inf'::DOUBLE ")
                        .append("ELSE abs(").append(a).append(" - ").append(b).append(") END");
            }
        }
        diff.append(')');
        String q = "SELECT count(*) FILTER (WHERE a.problem_id IS NOT NULL AND b.problem_id IS NOT NULL), "
                + "count(*) FILTER (WHERE a.problem_id IS NULL OR b.problem_id IS NULL), "
                + "max(" + diff + ") FILTER (WHERE a.problem_id IS NOT NULL AND b.problem_id IS NOT NULL) "
                + "FROM read_parquet('" + sqlPath(passkPerProblem.resolve("*.parquet")) + "') a "
                + "FULL OUTER JOIN read_parquet('" + sqlPath(peerPerProblem) + "') b ON a.problem_id = b.problem_id";
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(q)) {
            r.next();
            return new Agreement(r.getLong(1), r.getLong(2), r.getDouble(3));
        }
    }

    private static String sqlPath(Path p) {
        return p.toAbsolutePath().toString().replace("'", "''");
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
