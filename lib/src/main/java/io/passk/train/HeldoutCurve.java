package io.passk.train;

import io.passk.estimate.PassAtK;
import io.passk.estimate.PercentileBootstrap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Unbiased held-out pass@k (REFERENCE.md estimators) for k = 1, 2, 4, ... from N samples per
 * problem: per-problem (n, c) by a Spark aggregation, then the mean over problems with a
 * 95% percentile bootstrap interval.
 */
public record HeldoutCurve(int epoch, List<Point> points) {

    public record Point(int k, double passAtK, double ciLow, double ciHigh) {
    }

    public static final String HEADER = "epoch,k,pass_at_k,ci_low,ci_high";

    public static HeldoutCurve of(int epoch, Dataset<Row> rollouts, int[] ks, long seed) {
        List<Row> counts = rollouts.groupBy(col("problem_id"))
                .agg(count(lit(1)).as("n"), sum(when(col("reward").geq(1.0), 1L).otherwise(0L)).as("c"))
                .orderBy(col("problem_id")).collectAsList();
        List<Point> points = new ArrayList<>();
        for (int k : ks) {
            double[] v = counts.stream().filter(r -> r.getLong(1) >= k)
                    .mapToDouble(r -> PassAtK.passAtK(r.getLong(1), r.getLong(2), k)).toArray();
            PercentileBootstrap.Interval ci = PercentileBootstrap.mean(v, 1000, 0.95, seed + k);
            points.add(new Point(k, ci.mean(), ci.low(), ci.high()));
        }
        return new HeldoutCurve(epoch, points);
    }

    public double at(int k) {
        return points.stream().filter(p -> p.k() == k).mapToDouble(Point::passAtK).findFirst().orElse(Double.NaN);
    }

    /** CSV rows without header. */
    public String csvRows() {
        StringBuilder sb = new StringBuilder();
        for (Point p : points) {
            sb.append(String.format(Locale.ROOT, "%d,%d,%.10g,%.10g,%.10g%n", epoch, p.k(), p.passAtK(), p.ciLow(), p.ciHigh()));
        }
        return sb.toString();
    }
}
