package io.passk.cli;

import io.passk.progress.EpochEvent;
import io.passk.progress.ProgressListener;
import io.passk.progress.StageUpdate;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The command line's {@link ProgressListener}: messages as lines, and a live progress line per
 * stage. On a terminal the stage line is redrawn in place ({@code \r}) a few times per second;
 * otherwise (a log file, a pipe) a line is written at most every 5 seconds and when the stage
 * finishes.
 */
final class ConsoleProgress implements ProgressListener {

    private static final long TERMINAL_INTERVAL_NANOS = 250_000_000L;
    private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintWriter out;
    private final boolean interactive;
    /** When each stage's line was last printed (stages throttle independently). */
    private final Map<String, Long> lastPrint = new HashMap<>();

    ConsoleProgress(PrintWriter out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** Progress on {@code err}, redrawn in place when the process has a terminal. */
    static ConsoleProgress on(PrintStream err) {
        return new ConsoleProgress(new PrintWriter(err, true), System.console() != null);
    }

    /** Progress on a command's picocli error writer, redrawn in place when the process has a terminal. */
    static ConsoleProgress on(PrintWriter err) {
        return new ConsoleProgress(err, System.console() != null);
    }

    @Override
    public synchronized void message(String line) {
        out.println(line);
        out.flush();
    }

    @Override
    public void onEpoch(EpochEvent e) {
        message(epochLine(e));
    }

    /**
     * {@code epoch 2/6  passk-analytic k=4  reward 0.412  pass@1 0.412  pass@4 0.688  entropy 0.874
     * loss 0.0123  held-out pass@1 0.402 pass@4 0.655  (12.3 s)}: the held-out part only after an
     * epoch with a held-out evaluation.
     */
    static String epochLine(EpochEvent e) {
        String held = e.hasHeldout() ? String.format(Locale.ROOT, "  held-out pass@1 %.3f pass@%d %.3f",
                e.heldoutPassAt1(), e.runK(), e.heldoutPassAtK()) : "";
        return String.format(Locale.ROOT,
                "epoch %d/%d  %s k=%d  reward %.3f  pass@1 %.3f  pass@%d %.3f  entropy %.3f  loss %.4f%s  (%.1f s)",
                e.epoch() + 1, e.epochs(), e.method(), e.k(), e.meanReward(), e.trainPassAt1(), e.runK(),
                e.trainPassAtK(), e.entropy(), e.loss(), held, e.seconds());
    }

    @Override
    public synchronized void stage(StageUpdate u) {
        long now = System.nanoTime();
        Long last = lastPrint.get(u.stage());
        if (!u.finished() && last != null
                && now - last < (interactive ? TERMINAL_INTERVAL_NANOS : LOG_INTERVAL_NANOS)) {
            return;
        }
        if (u.finished()) {
            lastPrint.remove(u.stage());
        } else {
            lastPrint.put(u.stage(), now);
        }
        if (interactive && !u.finished()) {
            out.print("\r" + u.line() + "   ");
        } else {
            out.println((interactive ? "\r" : "") + u.line());
        }
        out.flush();
    }
}
