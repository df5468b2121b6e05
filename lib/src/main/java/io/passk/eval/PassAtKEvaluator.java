package io.passk.eval;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.passk.BadInputException;
import io.passk.Columns;
import io.passk.spark.HasGroupCol;
import io.passk.spark.HasK;
import io.passk.spark.SparkCorrectness;
import io.passk.spark.StageSchema;
import io.passk.spark.StageSchema.ColumnType;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Evaluator}: the mean over problems of pass@k, pass^k or max@k
 * (docs/reference.md#estimators; aggregate = mean over problems). Rows are samples; a problem
 * is the set of rows sharing {@code groupCol}. {@code labelCol} is either boolean
 * ({@code correct}) or a double reward in [0,1] (a sample is correct iff reward >= 1; max@k
 * uses the rewards themselves). Problems with fewer than k samples are left out of the mean;
 * when none has k samples the evaluator refuses. Bad input (a missing or mistyped column, a
 * null, NaN or out-of-range label, no problem with k samples) is a {@link BadInputException}. Larger is better, so it plugs into
 * {@code CrossValidator} / {@code TrainValidationSplit} as is.
 */
public final class PassAtKEvaluator extends Evaluator implements HasK, HasGroupCol, DefaultParamsWritable {

    private static final long serialVersionUID = 1L;
    private static final String STAGE = "PassAtKEvaluator";
    public static final List<String> METRICS = List.of("passAtK", "passHatK", "maxAtK");

    private final String uid;
    private final IntParam k;
    private final Param<String> groupCol;
    private final Param<String> labelCol;
    private final Param<String> metricName;

    public PassAtKEvaluator() {
        this(Identifiable.randomUID("passAtKEval"));
    }

    public PassAtKEvaluator(String uid) {
        this.uid = uid;
        this.k = HasK.kParam(this);
        this.groupCol = HasGroupCol.groupColParam(this);
        this.labelCol = new Param<>(this, "labelCol", "boolean correct, or double reward in [0,1]");
        this.metricName = new Param<>(this, "metricName", "one of " + METRICS,
                ParamValidators.inArray(METRICS.toArray(new String[0])));
        setDefault(this.k, 1);
        setDefault(this.groupCol, Columns.PROBLEM_ID);
        setDefault(this.labelCol, "correct");
        setDefault(this.metricName, "passAtK");
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public IntParam k() {
        return k;
    }

    @Override
    public Param<String> groupCol() {
        return groupCol;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public Param<String> metricName() {
        return metricName;
    }

    // getK and getGroupCol: the shared HasK / HasGroupCol
    public String getLabelCol() {
        return $(labelCol);
    }

    public String getMetricName() {
        return $(metricName);
    }

    public PassAtKEvaluator setK(int value) {
        set(k, value);
        return this;
    }

    public PassAtKEvaluator setGroupCol(String value) {
        set(groupCol, value);
        return this;
    }

    public PassAtKEvaluator setLabelCol(String value) {
        set(labelCol, value);
        return this;
    }

    public PassAtKEvaluator setMetricName(String value) {
        set(metricName, value);
        return this;
    }

    @Override
    public boolean isLargerBetter() {
        return true;
    }

    /**
     * Checks the columns the evaluation reads ({@link StageSchema}); throws
     * {@link BadInputException} naming the param, the column and its type.
     */
    public void validateSchema(StructType schema) {
        StageSchema.require(STAGE, schema, "groupCol", getGroupCol(), ColumnType.GROUPABLE);
        StageSchema.require(STAGE, schema, "labelCol", getLabelCol(), ColumnType.BOOLEAN_OR_NUMERIC);
    }

    @Override
    public double evaluate(Dataset<?> dataset) {
        validateSchema(dataset.schema());
        int kk = getK();
        DataType labelType = dataset.schema().apply(getLabelCol()).dataType();
        boolean bool = labelType instanceof BooleanType;
        Column label = col(getLabelCol());
        Column correct = bool ? when(label, 1L).otherwise(0L) : when(SparkCorrectness.isCorrect(label), 1L).otherwise(0L);
        Column reward = bool ? when(label, 1.0).otherwise(0.0) : label.cast("double");
        boolean needRewards = !bool && getMetricName().equals("maxAtK");
        List<Column> aggs = new ArrayList<>();
        aggs.add(sum(correct).as("c"));
        aggs.add(sum(when(label.isNull().or(reward.isNaN()).or(reward.lt(0)).or(reward.gt(1)), 1L)
                .otherwise(0L)).as("bad"));
        if (needRewards) {
            aggs.add(sort_array(collect_list(reward)).as("rewards"));
        }
        Dataset<Row> problems = dataset.toDF().groupBy(col(getGroupCol()))
                .agg(count(lit(1)).as("n"), aggs.toArray(new Column[0]));
        Column value;
        switch (getMetricName()) {
            case "passHatK":
                value = ProblemTable.PASS_HAT_K.apply(col("n"), col("c"), lit(kk));
                break;
            case "maxAtK":
                value = needRewards ? ProblemTable.MAX_AT_K.apply(col("rewards"), lit(kk))
                        : ProblemTable.PASS_AT_K.apply(col("n"), col("c"), lit(kk));
                break;
            default:
                value = ProblemTable.PASS_AT_K.apply(col("n"), col("c"), lit(kk));
        }
        Row r = problems.agg(sum("bad"), count(when(col("n").geq(kk), 1)),
                avg(when(col("n").geq(kk), value))).first();
        long bad = r.isNullAt(0) ? 0 : r.getLong(0);
        if (bad > 0) {
            throw new BadInputException(STAGE + ": labelCol '" + getLabelCol() + "' has " + bad
                    + " null, NaN or out-of-[0,1] value(s)");
        }
        if (r.getLong(1) == 0) {
            throw new BadInputException(STAGE + ": no problem (" + getGroupCol() + ") has k="
                    + kk + " samples or more; k > n is undefined");
        }
        return r.getDouble(2);
    }

    @Override
    public PassAtKEvaluator copy(ParamMap extra) {
        return (PassAtKEvaluator) defaultCopy(extra);
    }

    public static MLReader<PassAtKEvaluator> read() {
        return new DefaultParamsReader<>();
    }

    public static PassAtKEvaluator load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "PassAtKEvaluator(uid=" + uid + ", " + getMetricName() + ", k=" + getK() + ")";
    }
}
