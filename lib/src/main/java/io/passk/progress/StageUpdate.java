package io.passk.progress;

import java.util.Locale;

/**
 * How far a stage has come: {@code done} of {@code total} units (Spark tasks, steps) after
 * {@code seconds} of wall-clock; {@code finished} on the last update.
 */
public record StageUpdate(String stage, long done, long total, double seconds, boolean finished) {

    /** {@code [stage] done/total  12.3 s  ETA 40 s} (no ETA once finished or before any progress). */
    public String line() {
        String eta = "";
        if (!finished && done > 0 && total > done) {
            eta = String.format(Locale.ROOT, "  ETA %s", Progress.human(seconds / done * (total - done)));
        }
        return String.format(Locale.ROOT, "[%s] %d/%d  %s%s", stage, done, total, Progress.human(seconds), eta);
    }
}
