package io.passk.run;

import io.passk.BadInputException;
import io.passk.fs.AtomicOutput;
import io.passk.progress.ProgressListener;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes and reads the held-out curve files: {@code RUN/heldout.csv} (every evaluated epoch) and
 * {@code curve.csv} (one epoch: {@code RUN/heldout/epoch=t/curve.csv}, an experiment's final
 * evaluation). Long format, one row per evaluated epoch and k, columns
 * {@code epoch,k,pass_at_k,ci_low,ci_high} (extra columns ignored). pass@k and the interval
 * bounds are probabilities in [0, 1]; an empty interval cell means "no interval" and collapses
 * to the point estimate.
 */
public final class HeldoutCsv {

    public static final String FILE_NAME = "heldout.csv";
    public static final String CURVE_FILE_NAME = "curve.csv";
    public static final List<String> COLUMNS = List.of("epoch", "k", "pass_at_k", "ci_low", "ci_high");
    public static final String HEADER = String.join(",", COLUMNS);

    private HeldoutCsv() {
    }

    /** Writes {@code curves} (header, then their rows in the given order) atomically. */
    public static void write(Path file, List<HeldoutCurve> curves, ProgressListener log) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        curves.forEach(c -> sb.append(c.csvRows()));
        AtomicOutput.writeString(file, sb.toString(), log);
    }

    /** Reads a file of exactly one curve (a {@code curve.csv}). */
    public static HeldoutCurve readCurve(Path file) {
        List<HeldoutCurve> curves = read(file);
        if (curves.size() != 1) {
            throw new BadInputException(file + ": expected the rows of one epoch, found " + curves.size()
                    + " epochs");
        }
        return curves.get(0);
    }

    /** The curves by epoch, in epoch order; {@link BadInputException} on any bad cell. */
    public static List<HeldoutCurve> read(Path file) {
        CsvTable t = CsvTable.read(file);
        t.requireColumns(COLUMNS);
        Map<Integer, List<HeldoutPoint>> byEpoch = new TreeMap<>();
        Map<List<Integer>, Integer> lineOf = new HashMap<>();
        for (CsvTable.Row r : t.rows()) {
            int epoch = t.integer(r, "epoch");
            // epoch -1 is the held-out evaluation of the initial policy, before any training
            if (epoch < -1) {
                throw t.cell(r, "epoch", t.text(r, "epoch"), "is below -1 (the initial policy)");
            }
            int k = t.integer(r, "k");
            if (k < 1) {
                throw t.cell(r, "k", t.text(r, "k"), "is not a positive integer");
            }
            Integer earlier = lineOf.putIfAbsent(List.of(epoch, k), r.line());
            if (earlier != null) {
                throw t.cell(r, "k", t.text(r, "k"), "repeats (epoch " + epoch + ", k " + k
                        + ") of line " + earlier);
            }
            double p = probability(t, r, "pass_at_k", t.finiteDouble(r, "pass_at_k"));
            double lo = t.optionalDouble(r, "ci_low");
            double hi = t.optionalDouble(r, "ci_high");
            lo = Double.isNaN(lo) ? p : probability(t, r, "ci_low", lo);
            hi = Double.isNaN(hi) ? p : probability(t, r, "ci_high", hi);
            if (lo > hi) {
                throw t.cell(r, "ci_low", t.text(r, "ci_low"), "is above ci_high " + t.text(r, "ci_high"));
            }
            byEpoch.computeIfAbsent(epoch, e -> new ArrayList<>()).add(new HeldoutPoint(k, p, lo, hi));
        }
        List<HeldoutCurve> curves = new ArrayList<>();
        byEpoch.forEach((epoch, points) -> curves.add(new HeldoutCurve(epoch, points)));
        return List.copyOf(curves);
    }

    private static double probability(CsvTable t, CsvTable.Row r, String column, double v) {
        if (v < 0 || v > 1) {
            throw t.cell(r, column, t.text(r, column), "is outside [0, 1]");
        }
        return v;
    }
}
