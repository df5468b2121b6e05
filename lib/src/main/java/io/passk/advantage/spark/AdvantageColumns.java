package io.passk.advantage.spark;

import io.passk.advantage.AdvantageSpec;
import io.passk.advantage.AnalyticPassAtKAdvantage;
import io.passk.advantage.BootstrapPassAtKAdvantage;
import io.passk.advantage.BootstrapReduce;
import io.passk.advantage.FullSamplingPassAtKAdvantage;
import io.passk.estimate.PassAtK;
import io.passk.spark.SparkCorrectness;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

/**
 * The DataFrame plans behind {@link PassAtKAdvantage}, one method each. They are written
 * independently of the plain-Java reference (windows and joins instead of loops) and tested
 * against it; only per-problem closed forms and the seeded choices call shared pure functions.
 */
final class AdvantageColumns {

    private static final String P = "__pk_";
    private static final double EPS = AdvantageSpec.EPS;

    private final String group;
    private final String reward;
    private final String sample;
    private final String output;
    private final boolean hasSample;

    AdvantageColumns(String group, String reward, String sample, String output, boolean hasSample) {
        this.group = group;
        this.reward = reward;
        this.sample = sample;
        this.output = output;
        this.hasSample = hasSample;
    }

    private Column r() {
        return col(reward).cast("double");
    }

    private WindowSpec byProblem() {
        return Window.partitionBy(col(group));
    }

    /** {@code (x - mean) / std} over a window, 0 where the spread is at most eps. */
    private static Column standardised(Column x, WindowSpec w) {
        Column std = stddev_pop(x).over(w);
        return when(std.gt(EPS), x.minus(avg(x).over(w)).divide(std)).otherwise(lit(0.0));
    }

    private Dataset<Row> finish(Dataset<Row> df, Column advantage) {
        Dataset<Row> out = df.withColumn(output, coalesce(advantage, lit(0.0)));
        List<String> internal = new ArrayList<>();
        for (String c : out.columns()) {
            if (c.startsWith(P)) {
                internal.add(c);
            }
        }
        return out.drop(internal.toArray(new String[0]));
    }

    /** pass1: {@code (r - mean r) / std r} per problem. */
    Dataset<Row> pass1(Dataset<Row> df) {
        return finish(df, standardised(r(), byProblem()));
    }

    /** passk-analytic: per-problem (n, c) by groupBy, closed form per problem, joined back. */
    Dataset<Row> analytic(Dataset<Row> df, int k) {
        UserDefinedFunction pos = udf((UDF2<Long, Long, Double>) (n, c) ->
                AnalyticPassAtKAdvantage.of(n.intValue(), c.intValue(), k).positive(), DataTypes.DoubleType);
        UserDefinedFunction neg = udf((UDF2<Long, Long, Double>) (n, c) ->
                AnalyticPassAtKAdvantage.of(n.intValue(), c.intValue(), k).negative(), DataTypes.DoubleType);
        Dataset<Row> perProblem = df.groupBy(col(group).as(P + "g"))
                .agg(count(lit(1)).as(P + "n"), sum(when(SparkCorrectness.isCorrect(r()), 1L).otherwise(0L)).as(P + "c"))
                .select(col(P + "g"),
                        pos.apply(col(P + "n"), col(P + "c")).as(P + "pos"),
                        neg.apply(col(P + "n"), col(P + "c")).as(P + "neg"));
        Dataset<Row> joined = df.join(perProblem, col(group).equalTo(col(P + "g")));
        return finish(joined, when(SparkCorrectness.isCorrect(r()), col(P + "pos")).otherwise(col(P + "neg")));
    }

    /**
     * Ascending rank i (1-based), n, and {@code a_i = C(i-1,k-1)/C(n-1,k-1)}: the probability that
     * response i is the maximum of a uniform k-group containing it.
     */
    private Dataset<Row> ranked(Dataset<Row> df, int k) {
        UserDefinedFunction aCoef = udf((UDF2<Integer, Long, Double>) (i, n) ->
                PassAtK.allFromSubset(n - 1, i - 1, k - 1), DataTypes.DoubleType);
        WindowSpec ordered = Window.partitionBy(col(group)).orderBy(r(), tieBreak());
        return df.withColumn(P + "n", count(lit(1)).over(byProblem()))
                .withColumn(P + "i", row_number().over(ordered))
                .withColumn(P + "a", aCoef.apply(col(P + "i"), col(P + "n")));
    }

    private Column tieBreak() {
        // ties give equal advantages whatever their order; a stable order keeps runs reproducible
        return hasSample ? col(sample) : lit(0);
    }

    /**
     * Running and total sums over ascending order give
     * {@code m_(i) = a_i r_(i) + sum_{j>i} b_j r_(j)} with {@code b_j = a_j (k-1)/(j-1)}, then
     * {@code R = (k/n) sum a_i r_(i)} and {@code Var = (k/n) sum a_i (r_(i) - R)^2}.
     */
    private Dataset<Row> groupMaxMoments(Dataset<Row> ranked, int k) {
        WindowSpec running = Window.partitionBy(col(group)).orderBy(r(), tieBreak())
                .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
        Column n = col(P + "n").cast("double");
        Column i = col(P + "i").cast("double");
        Column a = col(P + "a");
        Column b = k >= 2 ? when(i.geq(2), a.multiply(k - 1).divide(i.minus(1))).otherwise(lit(0.0)) : lit(0.0);
        Column br = b.multiply(r());
        Column kOverN = lit((double) k).divide(n);
        Dataset<Row> withM = ranked
                .withColumn(P + "m", a.multiply(r()).plus(sum(br).over(byProblem()).minus(sum(br).over(running))))
                .withColumn(P + "R", sum(a.multiply(r())).over(byProblem()).multiply(kOverN));
        Column d = r().minus(col(P + "R"));
        return withM.withColumn(P + "s", sqrt(sum(a.multiply(d).multiply(d)).over(byProblem()).multiply(kOverN)));
    }

    /** maxk-analytic: {@code (m_i - R) / s}. */
    Dataset<Row> maxAtKAnalytic(Dataset<Row> df, int k) {
        Dataset<Row> mo = groupMaxMoments(ranked(df, k), k);
        Column s = col(P + "s");
        return finish(mo, when(s.gt(EPS), col(P + "m").minus(col(P + "R")).divide(s)).otherwise(lit(0.0)));
    }

    /**
     * pkpo: {@code (k/n)(m_i - b_i)} where b_i, the max@k of the other n-1 responses, is
     * {@code k/(n-1) [sum_{j<i} u_j r_(j) + sum_{j>i} v_j r_(j)]} with
     * {@code u_j = C(j-1,k-1)/C(n-2,k-1)} (positions below i keep their rank) and
     * {@code v_j = C(j-2,k-1)/C(n-2,k-1)} (positions above i move down one).
     */
    Dataset<Row> pkpo(Dataset<Row> df, int k) {
        UserDefinedFunction ratio = udf((UDF3<Long, Long, Integer, Double>) (nn, a, kk) ->
                nn < 0 || kk > nn || a < 0 || a > nn ? 0.0 : PassAtK.allFromSubset(nn, a, kk), DataTypes.DoubleType);
        Dataset<Row> mo = groupMaxMoments(ranked(df, k), k);
        WindowSpec running = Window.partitionBy(col(group)).orderBy(r(), tieBreak())
                .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
        Column n = col(P + "n");
        Column i = col(P + "i").cast("long");
        Column u = ratio.apply(n.minus(2), i.minus(1), lit(k - 1)).multiply(r());
        Column v = ratio.apply(n.minus(2), i.minus(2), lit(k - 1)).multiply(r());
        Column below = sum(u).over(running).minus(u);
        Column above = sum(v).over(byProblem()).minus(sum(v).over(running));
        Column baseline = when(n.gt(k), lit((double) k).divide(n.minus(1).cast("double")).multiply(below.plus(above)))
                .otherwise(lit(0.0));
        Column kOverN = lit((double) k).divide(n.cast("double"));
        return finish(mo, kOverN.multiply(col(P + "m").minus(baseline)));
    }

    /**
     * passk-full: order each problem by the seeded shuffle key, cut positions into floor(n/k)
     * groups of k, group reward = max, standardise across the problem's groups, join back;
     * the n mod k left over get 0.
     */
    Dataset<Row> fullSampling(Dataset<Row> df, AdvantageSpec spec) {
        long seed = spec.seed();
        long epoch = spec.epoch();
        int k = spec.k();
        UserDefinedFunction key = udf((UDF2<String, Long, Long>) (pid, idx) ->
                FullSamplingPassAtKAdvantage.shuffleKey(seed, epoch, pid, idx), DataTypes.LongType);
        Column sampleIdx = col(sample).cast("long");
        WindowSpec shuffled = Window.partitionBy(col(group))
                .orderBy(key.apply(col(group).cast("string"), sampleIdx), sampleIdx);
        Dataset<Row> grouped = df
                .withColumn(P + "n", count(lit(1)).over(byProblem()))
                .withColumn(P + "pos", row_number().over(shuffled).minus(1))
                .withColumn(P + "gi", when(col(P + "pos").lt(col(P + "n").divide(k).cast("long").multiply(k)),
                        col(P + "pos").divide(k).cast("long")));
        WindowSpec groupsOfProblem = Window.partitionBy(col(P + "g"));
        Dataset<Row> groupAdv = grouped.where(col(P + "gi").isNotNull())
                .groupBy(col(group).as(P + "g"), col(P + "gi").as(P + "gj"))
                .agg(max(r()).as(P + "R"))
                .withColumn(P + "A", standardised(col(P + "R"), groupsOfProblem));
        Dataset<Row> joined = grouped.join(groupAdv,
                col(group).equalTo(col(P + "g")).and(col(P + "gi").equalTo(col(P + "gj"))), "left");
        return finish(joined, col(P + "A"));
    }

    /**
     * passk-bootstrap: per problem, G seeded groups of k positions (positions = ascending
     * sample-index rank) exploded to (group, position) rows; group reward = max by join and
     * groupBy; standardised across the problem's groups; each response reduces (mean or sum)
     * the advantages of the groups containing it; responses in no group get 0.
     */
    Dataset<Row> bootstrap(Dataset<Row> df, AdvantageSpec spec) {
        long seed = spec.seed();
        long epoch = spec.epoch();
        int k = spec.k();
        int groupsParam = spec.bootstrapGroups();
        // members encoded as g * n + position in one long: one explode, no nested types
        UserDefinedFunction members = udf((UDF4<String, Long, Integer, Integer, long[]>) (pid, n, kk, gg) -> {
            int nn = n.intValue();
            int g = gg == 0 ? nn : gg;
            long[] codes = new long[g * kk];
            for (int j = 0; j < g; j++) {
                int[] m = BootstrapPassAtKAdvantage.members(seed, epoch, pid, j, nn, kk);
                for (int t = 0; t < kk; t++) {
                    codes[j * kk + t] = (long) j * nn + m[t];
                }
            }
            return codes;
        }, DataTypes.createArrayType(DataTypes.LongType, false));
        Dataset<Row> positioned = df
                .withColumn(P + "pos", row_number().over(Window.partitionBy(col(group)).orderBy(col(sample))).minus(1)
                        .cast("long"));
        Dataset<Row> memberRows = df.groupBy(col(group).as(P + "g")).agg(count(lit(1)).as(P + "n"))
                .select(col(P + "g"), col(P + "n"),
                        explode(members.apply(col(P + "g").cast("string"), col(P + "n"), lit(k), lit(groupsParam)))
                                .as(P + "code"))
                .select(col(P + "g"), col(P + "code").divide(col(P + "n")).cast("long").as(P + "gi"),
                        col(P + "code").mod(col(P + "n")).as(P + "mpos"));
        Dataset<Row> rewardsByPos = positioned.select(col(group).as(P + "rg"), col(P + "pos").as(P + "rpos"),
                r().as(P + "r"));
        Dataset<Row> groupAdv = memberRows
                .join(rewardsByPos, col(P + "g").equalTo(col(P + "rg")).and(col(P + "mpos").equalTo(col(P + "rpos"))))
                .groupBy(col(P + "g"), col(P + "gi"))
                .agg(max(col(P + "r")).as(P + "R"))
                .withColumn(P + "A", standardised(col(P + "R"), Window.partitionBy(col(P + "g"))))
                .select(col(P + "g").as(P + "ag"), col(P + "gi").as(P + "agi"), col(P + "A"));
        Column reduced = spec.reduce() == BootstrapReduce.SUM ? sum(col(P + "A")) : avg(col(P + "A"));
        Dataset<Row> perResponse = memberRows
                .join(groupAdv, col(P + "g").equalTo(col(P + "ag")).and(col(P + "gi").equalTo(col(P + "agi"))))
                .groupBy(col(P + "g").as(P + "bg"), col(P + "mpos").as(P + "bpos"))
                .agg(reduced.as(P + "adv"));
        Dataset<Row> joined = positioned.join(perResponse,
                col(group).equalTo(col(P + "bg")).and(col(P + "pos").equalTo(col(P + "bpos"))), "left");
        return finish(joined, col(P + "adv"));
    }
}
