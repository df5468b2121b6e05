package io.passk.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.bit_xor;
import static org.apache.spark.sql.functions.xxhash64;

import io.passk.Columns;
import io.passk.estimate.PassAtK;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.Seq;

/**
 * The per-problem table: one row per (group columns, problem_id) with {@code n}, {@code c},
 * the ascending rewards (continuous rewards only), the number of bad input rows and, for integer
 * sample ids, a fingerprint of the ids (min and XOR of hashes). Built by ONE scan of the input
 * and ONE shuffle (with map-side partial aggregation); every value check is a built-in
 * expression summed in the same aggregation, so validating costs no extra pass.
 */
public final class ProblemTable {

    public static final String N = "n";
    public static final String C = "c";
    public static final String REWARDS = "rewards";
    public static final String BAD_ROWS = "bad_rows";
    public static final String SID_MIN = "sample_id_min";
    public static final String SID_XOR = "sample_id_xor";

    /** The seed of Spark's {@code xxhash64} function. */
    static final long XXHASH64_SEED = 42L;

    private ProblemTable() {
    }

    /** Key columns: the grouping columns then {@code problem_id}. */
    static List<String> keys(List<String> groups) {
        List<String> k = new ArrayList<>(groups);
        k.add(Columns.PROBLEM_ID);
        return k;
    }

    /** Aggregates typed answers to one row per problem (not yet validated: see {@code bad_rows}). */
    public static Dataset<Row> aggregate(Answers a) {
        List<String> keys = keys(a.groups());
        List<Column> sel = new ArrayList<>(a.groupCols());
        sel.add(a.problemId().as(Columns.PROBLEM_ID));
        Column[] keyCols = keys.stream().map(functions::col).toArray(Column[]::new);

        if (a.kind() == Answers.Kind.COUNTS) {
            sel.add(a.n().as("__n"));
            sel.add(a.c().as("__c"));
            sel.add(when(a.anyBad(), 1L).otherwise(0L).as("__bad"));
            // several pre-counted rows of one problem (e.g. shards) add up
            return a.source().select(sel.toArray(new Column[0])).groupBy(keyCols).agg(
                    sum("__n").as(N), sum("__c").as(C), sum("__bad").as(BAD_ROWS));
        }
        boolean rewards = a.kind() == Answers.Kind.REWARD;
        // c and the bad-row count share one sum (c in the low 32 bits, bad rows above): one
        // aggregation buffer fewer on every input row. Exact while c < 2^32, which n < 2^32
        // guarantees; a problem with more samples is counted as bad (see BAD_ROWS below).
        sel.add(when(a.anyBad(), lit(BAD_UNIT)).otherwise(a.correct().cast(DataTypes.LongType)).as("__packed"));
        if (rewards) {
            sel.add(a.reward().as("__reward"));
        }
        boolean integralIds = a.sampleId() != null && isIntegral(a.source().select(a.sampleId()).schema().fields()[0]
                .dataType());
        if (integralIds) {
            sel.add(a.sampleId().cast(DataTypes.LongType).as("__sid"));
        }
        List<Column> aggs = new ArrayList<>();
        aggs.add(sum("__packed").as("__packed"));
        if (rewards) {
            aggs.add(sort_array(collect_list("__reward")).as(REWARDS));
        }
        if (integralIds) {
            // fingerprint of the problem's sample ids, checked against {min..max} in validation
            // (with n, the min and the XOR determine the check: no max needed)
            aggs.add(min("__sid").as(SID_MIN));
            aggs.add(bit_xor(xxhash64(col("__sid"))).as(SID_XOR));
        }
        Dataset<Row> grouped = a.source().select(sel.toArray(new Column[0])).groupBy(keyCols)
                .agg(count(lit(1)).as(N), aggs.toArray(new Column[0]));
        List<Column> out = new ArrayList<>();
        for (String k : keys) {
            out.add(col(k));
        }
        Column packed = col("__packed");
        out.add(col(N));
        out.add(packed.bitwiseAND(lit(BAD_UNIT - 1)).as(C));
        if (rewards) {
            out.add(col(REWARDS));
        }
        out.add(functions.shiftright(packed, 32).plus(when(col(N).geq(lit(BAD_UNIT)), 1L).otherwise(0L))
                .as(BAD_ROWS));
        if (integralIds) {
            out.add(col(SID_MIN));
            out.add(col(SID_XOR));
        }
        return grouped.select(out.toArray(new Column[0]));
    }

    /** One bad row in the packed (c, bad rows) sum of {@link #aggregate}. */
    static final long BAD_UNIT = 1L << 32;

    static boolean isIntegral(org.apache.spark.sql.types.DataType t) {
        return t.equals(DataTypes.ByteType) || t.equals(DataTypes.ShortType) || t.equals(DataTypes.IntegerType)
                || t.equals(DataTypes.LongType);
    }

    /**
     * True when a problem's n integer sample ids are exactly {min..min+n-1}: the XOR of their
     * xxhash64 equals that of the range. Ids of odd multiplicity are all that the XOR keeps, so
     * a match means they are the n range ids (else 64-bit hashes collide, probability 2^-64),
     * and n ids that include all n range ids leave no room for a duplicate. This proves "no
     * duplicate" for the usual 0..n-1 layout without a second shuffle; any other layout goes to
     * the exact check ({@link InputValidation}).
     */
    public static final UserDefinedFunction IDS_CONTIGUOUS = functions.udf(
            (UDF3<Long, Long, Long, Boolean>) (n, lo, xor) -> n != null && lo != null && xor != null
                    && idsContiguous(n, lo, xor), DataTypes.BooleanType);

    static boolean idsContiguous(long n, long lo, long xor) {
        return n >= 1 && lo <= Long.MAX_VALUE - (n - 1) && rangeXor(lo, lo + n - 1) == xor;
    }

    /** XOR of Spark's {@code xxhash64} of the longs lo..hi. */
    static long rangeXor(long lo, long hi) {
        long expected = 0;
        for (long i = lo; i <= hi; i++) {
            expected ^= XXH64.hashLong(i, XXHASH64_SEED);
        }
        return expected;
    }

    // ---- per-k estimates as UDFs over the per-problem table (docs/reference.md#estimators) ----

    /** pass@k of (n, c, k) via {@link PassAtK#passAtK}. */
    public static final UserDefinedFunction PASS_AT_K = functions.udf(
            (UDF3<Long, Long, Integer, Double>) (n, c, k) -> Memo.PASS.get(n, c, k), DataTypes.DoubleType);

    /** pass^k of (n, c, k) via {@link PassAtK#passHatK}. */
    public static final UserDefinedFunction PASS_HAT_K = functions.udf(
            (UDF3<Long, Long, Integer, Double>) (n, c, k) -> Memo.HAT.get(n, c, k), DataTypes.DoubleType);

    /**
     * Per-thread memo of (n, c, k) -> estimate: many problems share (n, c) (fixed n per problem is
     * the common case), and pass@k costs O(c) logarithms. Bounded; values are exactly
     * {@link PassAtK}'s.
     */
    enum Memo {
        PASS, HAT;

        private static final int SIZE = 1 << 12;
        private final ThreadLocal<long[]> keys = ThreadLocal.withInitial(() -> {
            long[] k = new long[SIZE];
            java.util.Arrays.fill(k, -1L);
            return k;
        });
        private final ThreadLocal<double[]> values = ThreadLocal.withInitial(() -> new double[SIZE]);

        double get(long n, long c, int k) {
            if (n >= (1L << 28) || c < 0 || c > n || k >= (1 << 8)) {
                return compute(n, c, k);
            }
            long key = (n << 36) | (c << 8) | k;
            int slot = (int) (io.passk.random.SeededRandom.mix(key) & (SIZE - 1));
            long[] ks = keys.get();
            double[] vs = values.get();
            if (ks[slot] != key) {
                vs[slot] = compute(n, c, k);
                ks[slot] = key;
            }
            return vs[slot];
        }

        private double compute(long n, long c, int k) {
            return this == PASS ? PassAtK.passAtK(n, c, k) : PassAtK.passHatK(n, c, k);
        }
    }

    /** max@k of ascending rewards via {@link PassAtK#maxAtKSorted}. */
    public static final UserDefinedFunction MAX_AT_K = functions.udf(
            (UDF2<Seq<Object>, Integer, Double>) (rewards, k) -> PassAtK.maxAtKSorted(doubles(rewards), k),
            DataTypes.DoubleType);

    static double[] doubles(Seq<Object> s) {
        double[] d = new double[s.length()];
        for (int i = 0; i < d.length; i++) {
            d[i] = ((Number) s.apply(i)).doubleValue();
        }
        return d;
    }
}
