package io.passk.advantage.spark;

import io.passk.BadInputException;
import io.passk.Columns;
import io.passk.advantage.AdvantageMethod;
import io.passk.advantage.AdvantageSpec;
import io.passk.advantage.BootstrapReduce;
import io.passk.spark.HasEpoch;
import io.passk.spark.HasGroupCol;
import io.passk.spark.HasK;
import io.passk.spark.HasSeed;
import io.passk.spark.StageSchema;
import io.passk.spark.StageSchema.ColumnType;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Spark ML stage that adds a per-response advantage column to a rollout DataFrame
 * (docs/reference.md#advantages-training). Every method is a DataFrame computation over
 * {@code groupCol} groups (groupBy / window / join); nothing is collected to the driver but
 * the validation verdict.
 *
 * <pre>{@code
 * Dataset<Row> withAdv = new PassAtKAdvantage()
 *     .setMethod("passk-analytic").setK(8)
 *     .transform(rollouts);
 * }</pre>
 *
 * Params: {@code method} (pass1, passk-full, passk-bootstrap, passk-analytic, maxk-analytic,
 * pkpo), {@code k}, {@code groupCol} (problem_id), {@code rewardCol} (reward), {@code sampleCol}
 * (sample_idx; keys the seeded choices of passk-full and passk-bootstrap), {@code outputCol}
 * (advantage), {@code seed} (long), {@code epoch} (int), {@code bootstrapGroups} (0 = n),
 * {@code reduce} (mean|sum); {@code k}, {@code groupCol}, {@code seed} and {@code epoch} are the
 * params shared with the other stages ({@code io.passk.spark.Has*}), each param has a getter,
 * and {@link #load} reads a saved stage. A missing or mistyped column ({@link #transformSchema},
 * {@code io.passk.spark.StageSchema}), rows of a problem with fewer than k rollouts, or a reward
 * that is null, NaN or outside [0,1], are refused with a {@link BadInputException} naming the
 * column or the problem.
 */
public class PassAtKAdvantage extends Transformer
        implements HasK, HasGroupCol, HasSeed, HasEpoch, DefaultParamsWritable {

    private static final long serialVersionUID = 1L;
    private static final String STAGE = "PassAtKAdvantage";

    private final String uid;

    private final Param<String> method;
    private final IntParam k;
    private final Param<String> groupCol;
    private final Param<String> rewardCol;
    private final Param<String> sampleCol;
    private final Param<String> outputCol;
    private final LongParam seed;
    private final IntParam epoch;
    private final IntParam bootstrapGroups;
    private final Param<String> reduce;

    public PassAtKAdvantage() {
        this(Identifiable$.MODULE$.randomUID("passkAdvantage"));
    }

    public PassAtKAdvantage(String uid) {
        this.uid = uid;
        method = new Param<>(this, "method", "advantage estimator: " + String.join(", ", AdvantageMethod.cliNames()),
                ParamValidators.inArray(AdvantageMethod.cliNames()));
        k = HasK.kParam(this);
        groupCol = HasGroupCol.groupColParam(this);
        rewardCol = new Param<>(this, "rewardCol", "reward column, numeric in [0,1]");
        sampleCol = new Param<>(this, "sampleCol", "sample index within a problem (keys seeded choices)");
        outputCol = new Param<>(this, "outputCol", "advantage output column");
        seed = HasSeed.seedParam(this);
        epoch = HasEpoch.epochParam(this);
        bootstrapGroups = new IntParam(this, "bootstrapGroups", "G for passk-bootstrap (0 = n)", ParamValidators.gtEq(0));
        reduce = new Param<>(this, "reduce", "passk-bootstrap reduction over a response's groups: mean|sum",
                ParamValidators.inArray(new String[]{"mean", "sum"}));
        setDefault(method, AdvantageMethod.PASSK_ANALYTIC.cliName());
        setDefault(k, 4);
        setDefault(groupCol, Columns.PROBLEM_ID);
        setDefault(rewardCol, "reward");
        setDefault(sampleCol, "sample_idx");
        setDefault(outputCol, "advantage");
        setDefault(seed, 0L);
        setDefault(epoch, 0);
        setDefault(bootstrapGroups, 0);
        setDefault(reduce, "mean");
    }

    @Override
    public String uid() {
        return uid;
    }


    // Spark finds a stage's params through public no-arg methods returning Param.
    public Param<String> method() {
        return method;
    }

    @Override
    public IntParam k() {
        return k;
    }

    @Override
    public Param<String> groupCol() {
        return groupCol;
    }

    public Param<String> rewardCol() {
        return rewardCol;
    }

    public Param<String> sampleCol() {
        return sampleCol;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    @Override
    public LongParam seed() {
        return seed;
    }

    @Override
    public IntParam epoch() {
        return epoch;
    }

    public IntParam bootstrapGroups() {
        return bootstrapGroups;
    }

    public Param<String> reduce() {
        return reduce;
    }

    // ----- getters (k, groupCol, seed, epoch: the shared Has* interfaces) -----
    public String getMethod() {
        return getOrDefault(method);
    }

    public String getRewardCol() {
        return getOrDefault(rewardCol);
    }

    public String getSampleCol() {
        return getOrDefault(sampleCol);
    }

    public String getOutputCol() {
        return getOrDefault(outputCol);
    }

    public int getBootstrapGroups() {
        return (Integer) getOrDefault(bootstrapGroups);
    }

    public String getReduce() {
        return getOrDefault(reduce);
    }

    // ----- chainable setters (Spark ML style) -----
    public PassAtKAdvantage setMethod(String v) {
        set(method, AdvantageMethod.fromName(v).cliName());
        return this;
    }

    public PassAtKAdvantage setK(int v) {
        set(k, v);
        return this;
    }

    public PassAtKAdvantage setGroupCol(String v) {
        set(groupCol, v);
        return this;
    }

    public PassAtKAdvantage setRewardCol(String v) {
        set(rewardCol, v);
        return this;
    }

    public PassAtKAdvantage setSampleCol(String v) {
        set(sampleCol, v);
        return this;
    }

    public PassAtKAdvantage setOutputCol(String v) {
        set(outputCol, v);
        return this;
    }

    public PassAtKAdvantage setSeed(long v) {
        set(seed, v);
        return this;
    }

    public PassAtKAdvantage setEpoch(int v) {
        set(epoch, v);
        return this;
    }

    public PassAtKAdvantage setBootstrapGroups(int v) {
        set(bootstrapGroups, v);
        return this;
    }

    public PassAtKAdvantage setReduce(String v) {
        set(reduce, v.toLowerCase(java.util.Locale.ROOT));
        return this;
    }

    /** The immutable spec these params describe. */
    public AdvantageSpec spec() {
        AdvantageMethod m = AdvantageMethod.fromName($(method));
        int kk = (Integer) $(k);
        return new AdvantageSpec(m, kk, getSeed(), getEpoch(), getBootstrapGroups(),
                BootstrapReduce.fromName($(reduce)));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        AdvantageSpec spec = spec();
        StageSchema.require(STAGE, schema, "groupCol", $(groupCol), ColumnType.STRING_OR_NUMERIC);
        StageSchema.require(STAGE, schema, "rewardCol", $(rewardCol), ColumnType.NUMERIC);
        if (needsSampleIndex(spec.method())) {
            StageSchema.require(STAGE, schema, "sampleCol", $(sampleCol), ColumnType.INTEGER);
        }
        StageSchema.requireAbsent(STAGE, schema, "outputCol", $(outputCol));
        return schema.add(new StructField($(outputCol), DataTypes.DoubleType, false,
                org.apache.spark.sql.types.Metadata.empty()));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        AdvantageSpec spec = spec();
        Dataset<Row> df = dataset.toDF();
        validateGroups(df, spec);
        AdvantageColumns cols = new AdvantageColumns($(groupCol), $(rewardCol), $(sampleCol), $(outputCol),
                Arrays.asList(df.columns()).contains($(sampleCol)));
        return switch (spec.method()) {
            case PASS1 -> cols.pass1(df);
            case PASSK_ANALYTIC -> cols.analytic(df, spec.k());
            case MAXK_ANALYTIC -> cols.maxAtKAnalytic(df, spec.k());
            case PKPO -> cols.pkpo(df, spec.k());
            case PASSK_FULL -> cols.fullSampling(df, spec);
            case PASSK_BOOTSTRAP -> cols.bootstrap(df, spec);
        };
    }

    /**
     * One aggregation over problems finds the first one that breaks a rule: fewer than k
     * rollouts, a null / NaN / out-of-range reward, a null problem id, or a repeated sample index.
     */
    private void validateGroups(Dataset<Row> df, AdvantageSpec spec) {
        Column r = col($(rewardCol)).cast("double");
        Column badReward = r.isNull().or(r.isNaN()).or(r.lt(0.0)).or(r.gt(1.0));
        boolean sampled = needsSampleIndex(spec.method());
        Column distinctSamples = sampled ? countDistinct(col($(sampleCol))) : count(lit(1));
        Column sampleNulls = sampled ? sum(when(col($(sampleCol)).isNull(), 1).otherwise(0)) : lit(0L);
        Row[] bad = (Row[]) df.groupBy(col($(groupCol)).as("g"))
                .agg(count(lit(1)).as("n"),
                        sum(when(badReward, 1).otherwise(0)).as("bad"),
                        first(when(badReward, r), true).as("example"),
                        distinctSamples.as("distinct"),
                        sampleNulls.as("nulls"))
                .where(col("n").lt(spec.k()).or(col("bad").gt(0)).or(col("g").isNull())
                        .or(col("distinct").notEqual(col("n"))).or(col("nulls").gt(0)))
                .limit(1).collect();
        if (bad.length == 0) {
            return;
        }
        Row b = bad[0];
        Object g = b.get(0);
        long n = b.getLong(1);
        if (g == null) {
            throw new BadInputException("column '" + $(groupCol) + "' has null values (" + n + " rows)");
        }
        String where = "problem '" + g + "' (column " + $(groupCol) + ")";
        if (b.getLong(2) > 0) {
            throw new BadInputException(where + ": column '" + $(rewardCol) + "' has " + b.getLong(2)
                    + " value(s) that are null, NaN or outside [0,1], e.g. " + b.get(3));
        }
        if (n < spec.k()) {
            throw new BadInputException(where + " has n=" + n + " rollouts but " + spec.method()
                    + " needs n >= k=" + spec.k());
        }
        throw new BadInputException(where + ": column '" + $(sampleCol)
                + "' has null or repeated sample indices (" + b.get(4) + " distinct of " + n + " rows)");
    }

    static boolean needsSampleIndex(AdvantageMethod m) {
        return m == AdvantageMethod.PASSK_FULL || m == AdvantageMethod.PASSK_BOOTSTRAP;
    }

    @Override
    public PassAtKAdvantage copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<PassAtKAdvantage> read() {
        return new DefaultParamsReader<>();
    }

    public static PassAtKAdvantage load(String path) {
        return read().load(path);
    }
}
