package io.passk.advantage.spark;

import io.passk.BadInputException;
import io.passk.spark.SparkCorrectness;
import io.passk.settings.InvalidSettingException;
import io.passk.settings.TrainSettings;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import java.util.Locale;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percent_rank;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * The Pass@k / Pass@1 advantage mix {@code A = lambda A_passk + (1 - lambda) A_pass1}
 * (docs/reference.md#schedules-and-mixes), with lambda
 * <ul>
 *   <li>{@code none}: lambda = 1 (pure Pass@k);</li>
 *   <li>{@code constant:L}: a constant;</li>
 *   <li>{@code linear:A:B}: from A at the first epoch to B at the last;</li>
 *   <li>{@code accuracy}: lambda = c / n per problem (solved problems lean on Pass@k);</li>
 *   <li>{@code entropy}: per epoch, problems ranked by the mean token entropy of their rollouts;
 *       the upper half (already exploring) gets Pass@1 (lambda = 0), the lower half (collapsing)
 *       Pass@k (lambda = 1).</li>
 * </ul>
 */
public record AdvantageMix(Mode mode, double from, double to) {

    public enum Mode { NONE, CONSTANT, LINEAR, ACCURACY, ENTROPY }

    public AdvantageMix {
        if (!(from >= 0 && from <= 1 && to >= 0 && to <= 1)) {
            throw InvalidSettingException.of(TrainSettings.MIX, "lambda must lie in [0,1], got " + from + ", " + to);
        }
    }

    public static AdvantageMix none() {
        return new AdvantageMix(Mode.NONE, 1, 1);
    }

    public static AdvantageMix parse(String spec) {
        String s = spec == null ? "none" : spec.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.equals("none")) {
                return none();
            }
            if (s.equals("accuracy")) {
                return new AdvantageMix(Mode.ACCURACY, 0, 0);
            }
            if (s.equals("entropy")) {
                return new AdvantageMix(Mode.ENTROPY, 0, 0);
            }
            if (s.startsWith("constant:")) {
                double l = Double.parseDouble(s.substring(9));
                return new AdvantageMix(Mode.CONSTANT, l, l);
            }
            if (s.startsWith("linear:")) {
                String[] p = s.substring(7).split(":");
                if (p.length == 2) {
                    return new AdvantageMix(Mode.LINEAR, Double.parseDouble(p[0]), Double.parseDouble(p[1]));
                }
            }
        } catch (NumberFormatException e) {
            throw InvalidSettingException.of(TrainSettings.MIX, "'" + spec + "': lambda is not a number");
        }
        throw InvalidSettingException.of(TrainSettings.MIX, "'" + spec + "' is not one of none, constant:L, linear:A:B, accuracy, entropy");
    }

    public boolean isMixing() {
        return mode != Mode.NONE;
    }

    /** lambda of an epoch for the epoch-level modes (NaN for the per-problem modes). */
    public double lambdaAt(int epoch, int epochs) {
        return switch (mode) {
            case NONE -> 1.0;
            case CONSTANT -> from;
            case LINEAR -> epochs <= 1 ? from : from + (to - from) * epoch / (epochs - 1);
            case ACCURACY, ENTROPY -> Double.NaN;
        };
    }

    /**
     * Adds {@code outputCol} = lambda passkCol + (1 - lambda) pass1Col to rollouts that carry both
     * advantages, and a {@code lambda} column. Per-problem modes are window aggregations.
     */
    public Dataset<Row> apply(Dataset<Row> df, String groupCol, String passkCol, String pass1Col,
                              String rewardCol, String entropyCol, String outputCol, int epoch, int epochs) {
        Column lambda = switch (mode) {
            case NONE, CONSTANT, LINEAR -> lit(lambdaAt(epoch, epochs));
            case ACCURACY -> sum(when(SparkCorrectness.isCorrect(col(rewardCol)), 1.0).otherwise(0.0)).over(Window.partitionBy(col(groupCol)))
                    .divide(count(lit(1)).over(Window.partitionBy(col(groupCol))));
            case ENTROPY -> null;
        };
        Dataset<Row> withLambda;
        if (mode == Mode.ENTROPY) {
            // rank problems by mean entropy; percent_rank over problems puts the upper half at >= 0.5
            Dataset<Row> perProblem = df.groupBy(col(groupCol).as("__mix_g"))
                    .agg(avg(col(entropyCol)).as("__mix_h"))
                    .withColumn("__mix_rank", percent_rank().over(Window.orderBy(col("__mix_h"), col("__mix_g"))))
                    .withColumn("__mix_lambda", when(col("__mix_rank").geq(0.5), 0.0).otherwise(1.0));
            withLambda = df.join(perProblem, col(groupCol).equalTo(col("__mix_g")))
                    .withColumn("lambda", col("__mix_lambda"))
                    .drop("__mix_g", "__mix_h", "__mix_rank", "__mix_lambda");
        } else {
            withLambda = df.withColumn("lambda", lambda);
        }
        return withLambda.withColumn(outputCol,
                col("lambda").multiply(col(passkCol)).plus(lit(1.0).minus(col("lambda")).multiply(col(pass1Col))));
    }

    @Override
    public String toString() {
        return switch (mode) {
            case NONE -> "none";
            case CONSTANT -> "constant:" + from;
            case LINEAR -> "linear:" + from + ":" + to;
            case ACCURACY -> "accuracy";
            case ENTROPY -> "entropy";
        };
    }
}
