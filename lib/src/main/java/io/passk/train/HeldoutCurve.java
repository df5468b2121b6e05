package io.passk.train;

import io.passk.Columns;
import io.passk.eval.BootstrapSummary;
import io.passk.eval.SummaryRow;
import io.passk.spark.SparkCorrectness;
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
 * problem: per-problem (n, c) by a Spark aggregation, then the offline evaluation's summary
 * ({@link BootstrapSummary}: mean over problems with a 95% bootstrap interval).
 */
public record HeldoutCurve(int epoch, List<Point> points) {

    public record Point(int k, double passAtK, double ciLow, double ciHigh) {
    }

    public static final String HEADER = "epoch,k,pass_at_k,ci_low,ci_high";

    public static HeldoutCurve of(int epoch, Dataset<Row> rollouts, int[] ks, long seed) {
        Dataset<Row> problems = rollouts.groupBy(col(Columns.PROBLEM_ID))
                .agg(count(lit(1)).as("n"), sum(when(SparkCorrectness.isCorrect(col("reward")), 1L).otherwise(0L)).as("c"));
        List<Point> points = new ArrayList<>();
        for (SummaryRow r : BootstrapSummary.compute(problems, List.of(), ks, false, 1000, seed)) {
            points.add(new Point(r.k(), r.passAtK().mean(), r.passAtK().ciLow(), r.passAtK().ciHigh()));
        }
        points.sort(java.util.Comparator.comparingInt(Point::k));
        return new HeldoutCurve(epoch, points);
    }

    public double at(int k) {
        return points.stream().filter(p -> p.k() == k).mapToDouble(Point::passAtK).findFirst().orElse(Double.NaN);
    }

    /** Writes the curve as {@code curve.csv} ({@link #HEADER} and its rows), atomically. */
    public void write(java.nio.file.Path file) {
        RunDirectory.writeStringAtomically(file, HEADER + "\n" + csvRows());
    }

    /** Reads a curve written by {@link #write}. */
    public static HeldoutCurve read(java.nio.file.Path file) {
        List<Point> points = new ArrayList<>();
        int epoch = PassAtKTraining.BEFORE_TRAINING;
        try {
            List<String> lines = java.nio.file.Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] c = line.split(",");
                epoch = Integer.parseInt(c[0]);
                points.add(new Point(Integer.parseInt(c[1]), Double.parseDouble(c[2]), Double.parseDouble(c[3]),
                        Double.parseDouble(c[4])));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file, e);
        }
        return new HeldoutCurve(epoch, points);
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
