package io.passk.progress;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A live progress line on stderr for one stage: {@code [stage] done/total  12.3 s  ETA 40 s}.
 * Updates are throttled to a few per second; {@link #finish} prints the final line with the
 * elapsed time. Safe to call from several threads.
 */
public final class Progress {

    private static final long MIN_INTERVAL_NANOS = 250_000_000L;

    private final String stage;
    private long total;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private final boolean interactive;
    private long done;
    private long lastPrint;

    public Progress(String stage, long total) {
        this(stage, total, System.err);
    }

    public Progress(String stage, long total, PrintStream out) {
        this.stage = stage;
        this.total = total;
        this.out = out;
        this.interactive = System.console() != null;
    }

    /** Raises the total when more work is discovered (e.g. a Spark job's stages). */
    public synchronized void addTotal(long more) {
        total += more;
    }

    public synchronized void advance(long by) {
        done += by;
        long now = System.nanoTime();
        if (now - lastPrint >= MIN_INTERVAL_NANOS * (interactive ? 1 : 20)) {
            lastPrint = now;
            print(false);
        }
    }

    public synchronized void finish() {
        print(true);
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    private void print(boolean last) {
        double el = elapsedSeconds();
        String eta = "";
        if (!last && done > 0 && total > done) {
            eta = String.format(Locale.ROOT, "  ETA %s", human(el / done * (total - done)));
        }
        String line = String.format(Locale.ROOT, "[%s] %d/%d  %s%s", stage, done, total, human(el), eta);
        if (interactive && !last) {
            out.print("\r" + line + "   ");
        } else {
            out.println((interactive ? "\r" : "") + line);
        }
        out.flush();
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
