package io.passk.run;

import io.passk.BadInputException;
import io.passk.fs.AtomicOutput;
import io.passk.progress.ProgressListener;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads {@code RUN/metrics.csv}, the per-epoch table the training loop rebuilds after
 * every epoch. The columns below are required (extra columns are ignored); every number must be
 * finite, except the {@code heldout_*} cells, which are empty in epochs without held-out evaluation.
 */
public final class MetricsCsv {

    public static final String FILE_NAME = "metrics.csv";

    /** Required columns, in the order the training loop writes them ({@link EpochMetrics#COLUMNS}). */
    public static final List<String> COLUMNS = EpochMetrics.COLUMNS;

    private MetricsCsv() {
    }

    /** Writes {@code epochs} (header, then one {@link EpochMetrics#csvLine()} each) atomically. */
    public static void write(Path file, List<EpochMetrics> epochs, ProgressListener log) {
        boolean mismatch = epochs.stream().anyMatch(m -> m.mismatch() != null);
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS));
        if (mismatch) {
            csv.append(',').append(String.join(",", EpochMetrics.MISMATCH_COLUMNS));
        }
        csv.append('\n');
        epochs.forEach(m -> csv.append(m.csvLine(mismatch)).append('\n'));
        AtomicOutput.writeString(file, csv.toString(), log);
    }

    /** Parses the file; {@link BadInputException} names file, line, column and value on error. */
    public static RunMetrics read(Path file) {
        CsvTable t = CsvTable.read(file);
        t.requireColumns(COLUMNS);
        List<EpochMetrics> epochs = new ArrayList<>();
        Map<Integer, Integer> lineOfEpoch = new HashMap<>();
        for (CsvTable.Row r : t.rows()) {
            int epoch = t.integer(r, "epoch");
            if (epoch < 0) {
                throw t.cell(r, "epoch", t.text(r, "epoch"), "is negative");
            }
            Integer earlier = lineOfEpoch.putIfAbsent(epoch, r.line());
            if (earlier != null) {
                throw t.cell(r, "epoch", t.text(r, "epoch"), "repeats the epoch of line " + earlier);
            }
            int k = t.integer(r, "k");
            if (k < 1) {
                throw t.cell(r, "k", t.text(r, "k"), "is not a positive integer");
            }
            StageSeconds seconds = new StageSeconds(seconds(t, r, "seconds_rollout"),
                    seconds(t, r, "seconds_advantage"), seconds(t, r, "seconds_learn"),
                    seconds(t, r, "seconds_eval"), seconds(t, r, "seconds_checkpoint"),
                    seconds(t, r, "seconds_total"));
            epochs.add(new EpochMetrics(epoch, t.nonEmpty(r, "method"), k,
                    t.finiteDouble(r, "lambda"), t.finiteDouble(r, "mean_reward"),
                    t.finiteDouble(r, "train_pass_at_1"), t.finiteDouble(r, "train_pass_at_k"),
                    t.optionalDouble(r, "heldout_pass_at_1"), t.optionalDouble(r, "heldout_pass_at_k"),
                    t.finiteDouble(r, "entropy"), t.finiteDouble(r, "diversity"),
                    t.finiteDouble(r, "response_length"), t.finiteDouble(r, "tokens_per_s"),
                    t.finiteDouble(r, "loss"), seconds, mismatch(t, r)));
        }
        epochs.sort(Comparator.comparingInt(EpochMetrics::epoch));
        return new RunMetrics(epochs);
    }

    /** The optional {@link EpochMetrics#MISMATCH_COLUMNS}: null when absent or empty. */
    private static RolloutMismatch mismatch(CsvTable t, CsvTable.Row r) {
        List<String> c = EpochMetrics.MISMATCH_COLUMNS;
        if (!t.header().containsAll(c)) {
            return null;
        }
        double mean = t.optionalDouble(r, c.get(0));
        return Double.isNaN(mean) ? null : new RolloutMismatch(mean, t.finiteDouble(r, c.get(1)),
                t.finiteDouble(r, c.get(2)));
    }

    private static double seconds(CsvTable t, CsvTable.Row r, String column) {
        double v = t.finiteDouble(r, column);
        if (v < 0) {
            throw t.cell(r, column, t.text(r, column), "is negative (expected seconds >= 0)");
        }
        return v;
    }
}
