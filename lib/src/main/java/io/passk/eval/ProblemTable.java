package io.passk.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.passk.estimate.PassAtK;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.Seq;

/**
 * The per-problem table: one row per (group columns, problem_id) with {@code n}, {@code c},
 * the ascending rewards (continuous rewards only), the number of bad input rows and of
 * duplicate sample ids. Built by ONE scan of the input and ONE shuffle; every value check is a
 * built-in expression summed in the same aggregation, so validating costs no extra pass.
 */
public final class ProblemTable {

    public static final String N = "n";
    public static final String C = "c";
    public static final String REWARDS = "rewards";
    public static final String BAD_ROWS = "bad_rows";
    public static final String DUPLICATES = "duplicate_rows";

    private ProblemTable() {
    }

    /** Key columns: the grouping columns then {@code problem_id}. */
    static List<String> keys(List<String> groups) {
        List<String> k = new ArrayList<>(groups);
        k.add(AnswerReader.PROBLEM_ID);
        return k;
    }

    /** Aggregates typed answers to one row per problem (not yet validated: see {@code bad_rows}). */
    public static Dataset<Row> aggregate(Answers a) {
        List<String> keys = keys(a.groups());
        List<Column> sel = new ArrayList<>(a.groupCols());
        sel.add(a.problemId().as(AnswerReader.PROBLEM_ID));
        Column bad = when(a.anyBad(), 1L).otherwise(0L).as("__bad");
        Column[] keyCols = keys.stream().map(functions::col).toArray(Column[]::new);

        if (a.kind() == Answers.Kind.COUNTS) {
            sel.add(a.n().as("__n"));
            sel.add(a.c().as("__c"));
            sel.add(bad);
            // several pre-counted rows of one problem (e.g. shards) add up
            return a.source().select(sel.toArray(new Column[0])).groupBy(keyCols).agg(
                    sum("__n").as(N), sum("__c").as(C), sum("__bad").as(BAD_ROWS), lit(0L).as(DUPLICATES));
        }
        boolean rewards = a.kind() == Answers.Kind.REWARD;
        sel.add(a.correct().as("__correct"));
        if (rewards) {
            sel.add(a.reward().as("__reward"));
        }
        sel.add(bad);
        Dataset<Row> rows = a.source().select(sel.toArray(new Column[0]));
        if (a.sampleId() == null) {
            List<Column> aggs = new ArrayList<>();
            aggs.add(sum("__correct").cast(DataTypes.LongType).as(C));
            if (rewards) {
                aggs.add(sort_array(collect_list("__reward")).as(REWARDS));
            }
            aggs.add(sum("__bad").as(BAD_ROWS));
            aggs.add(lit(0L).as(DUPLICATES));
            return rows.groupBy(keyCols).agg(count(lit(1)).as(N), aggs.toArray(new Column[0]));
        }
        // With sample ids: shuffle rows once by problem, then count per (problem, sample id) and
        // per problem inside the same partitions (hash partitioning on the problem keys satisfies
        // both groupings), so the duplicate check costs no second shuffle.
        List<Column> sidKeys = new ArrayList<>(List.of(keyCols));
        sidKeys.add(col("__sid"));
        List<Column> withSid = new ArrayList<>(sel);
        withSid.add(a.sampleId().as("__sid"));
        List<Column> perSample = new ArrayList<>();
        perSample.add(max("__correct").as("__correct"));
        if (rewards) {
            perSample.add(max("__reward").as("__reward"));
        }
        perSample.add(sum("__bad").as("__bad"));
        Dataset<Row> samples = a.source().select(withSid.toArray(new Column[0]))
                .repartition(keyCols)
                .groupBy(sidKeys.toArray(new Column[0]))
                .agg(count(lit(1)).as("__m"), perSample.toArray(new Column[0]));
        List<Column> aggs = new ArrayList<>();
        aggs.add(sum("__correct").cast(DataTypes.LongType).as(C));
        if (rewards) {
            aggs.add(sort_array(collect_list("__reward")).as(REWARDS));
        }
        aggs.add(sum("__bad").as(BAD_ROWS));
        aggs.add(sum(col("__m").minus(1)).as(DUPLICATES));
        return samples.groupBy(keyCols).agg(count(lit(1)).as(N), aggs.toArray(new Column[0]));
    }

    // ---- per-k estimates as UDFs over the per-problem table (REFERENCE.md, "Estimators") ----

    /** pass@k of (n, c, k) via {@link PassAtK#passAtK}. */
    public static final UserDefinedFunction PASS_AT_K = functions.udf(
            (UDF3<Long, Long, Integer, Double>) (n, c, k) -> PassAtK.passAtK(n, c, k), DataTypes.DoubleType);

    /** pass^k of (n, c, k) via {@link PassAtK#passHatK}. */
    public static final UserDefinedFunction PASS_HAT_K = functions.udf(
            (UDF3<Long, Long, Integer, Double>) (n, c, k) -> PassAtK.passHatK(n, c, k), DataTypes.DoubleType);

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

    /**
     * The long per-problem output: one row per problem and k with {@code n >= k} (problems with
     * fewer samples are excluded from that k and counted in the summary).
     */
    public static Dataset<Row> perK(Dataset<Row> problems, List<String> groups, int[] ks, boolean rewards) {
        Column[] kLits = new Column[ks.length];
        for (int i = 0; i < ks.length; i++) {
            kLits[i] = lit(ks[i]);
        }
        List<Column> sel = new ArrayList<>();
        for (String g : keys(groups)) {
            sel.add(col(g));
        }
        sel.add(col("k"));
        sel.add(col(N));
        sel.add(col(C));
        Column pass = PASS_AT_K.apply(col(N), col(C), col("k"));
        sel.add(pass.as("pass_at_k"));
        sel.add(PASS_HAT_K.apply(col(N), col(C), col("k")).as("pass_hat_k"));
        // binary answers: max@k is pass@k (REFERENCE.md)
        sel.add((rewards ? MAX_AT_K.apply(col(REWARDS), col("k")) : pass).as("max_at_k"));
        return problems.withColumn("k", functions.explode(functions.array(kLits)))
                .where(col(N).geq(col("k")))
                .select(sel.toArray(new Column[0]));
    }
}
