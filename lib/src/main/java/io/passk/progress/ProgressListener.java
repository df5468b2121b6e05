package io.passk.progress;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Where library code reports what it is doing, instead of printing: one-line messages (a resumed
 * run, a stale temporary output removed), the live task count of a stage ({@link StageUpdate})
 * and each committed training epoch's numbers ({@link EpochEvent}). The command line supplies a listener that prints; library callers that
 * want nothing pass {@link #SILENT}. Its one abstract method makes any {@code Consumer<String>}
 * shape a listener ({@code log::println}); such a listener sees a stage only when it finishes.
 * Implementations must be thread-safe: Spark's listener bus reports stages from its own thread.
 */
@FunctionalInterface
public interface ProgressListener {

    /** Drops everything. */
    ProgressListener SILENT = line -> {
    };

    /** One complete line for the user (no line break). */
    void message(String line);

    /**
     * The progress of a running stage; called repeatedly (throttled by {@link Progress}) and once
     * with {@link StageUpdate#finished()} true. By default only the finished line is shown.
     */
    default void stage(StageUpdate update) {
        if (update.finished()) {
            message(update.line());
        }
    }

    /**
     * A training epoch committed ({@link EpochEvent}); by default nothing is shown (the command
     * line's listener prints a summary line).
     */
    default void onEpoch(EpochEvent event) {
    }

    /**
     * A {@link PrintStream} whose every completed line (UTF-8, without its line break) becomes a
     * {@link #message}, for code that reports through a stream.
     */
    default PrintStream asPrintStream() {
        ProgressListener self = this;
        OutputStream lines = new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                if (b == '\n') {
                    String s = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    self.message(s.endsWith("\r") ? s.substring(0, s.length() - 1) : s);
                } else {
                    line.write(b);
                }
            }
        };
        return new PrintStream(lines, true, StandardCharsets.UTF_8);
    }
}
