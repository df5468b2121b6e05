package io.passk.progress;

import java.util.Locale;

/**
 * The counter behind a live progress line for one stage: {@code done/total} with the elapsed
 * time, reported to a {@link ProgressListener} at most a few times per second and once more by
 * {@link #finish}. Safe to call from several threads. It never prints: the listener decides how
 * (and whether) a line is shown.
 */
public final class Progress {

    private static final long MIN_INTERVAL_NANOS = 250_000_000L;

    private final String stage;
    private final ProgressListener listener;
    private final long start = System.nanoTime();
    private long total;
    private long done;
    private long lastReport;

    public Progress(String stage, long total, ProgressListener listener) {
        this.stage = stage;
        this.total = total;
        this.listener = listener;
    }

    /** Raises the total when more work is discovered (e.g. a Spark job's stages). */
    public synchronized void addTotal(long more) {
        total += more;
    }

    public synchronized void advance(long by) {
        done += by;
        long now = System.nanoTime();
        if (now - lastReport >= MIN_INTERVAL_NANOS) {
            lastReport = now;
            listener.stage(new StageUpdate(stage, done, total, elapsedSeconds(), false));
        }
    }

    public synchronized void finish() {
        listener.stage(new StageUpdate(stage, done, total, elapsedSeconds(), true));
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    public static String human(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        return s < 3600 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
