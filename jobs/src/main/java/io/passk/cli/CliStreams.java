package io.passk.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Library calls that report progress to a {@link PrintStream} get one over the command's
 * picocli writer ({@code spec.commandLine().getErr()}), so every line a command prints goes
 * where picocli's output goes (tests capture it; nothing bypasses it through System.err).
 */
final class CliStreams {

    private CliStreams() {
    }

    /** A stream that writes (UTF-8) into {@code writer}, flushed at every line and every write. */
    static PrintStream of(PrintWriter writer) {
        return new PrintStream(new WriterStream(writer), true, StandardCharsets.UTF_8);
    }

    /** Bytes collected until a flush, then decoded whole (PrintStream writes whole strings). */
    private static final class WriterStream extends OutputStream {
        private final PrintWriter writer;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        WriterStream(PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public synchronized void write(int b) {
            pending.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public synchronized void flush() {
            if (pending.size() > 0) {
                writer.write(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
            }
            writer.flush();
        }
    }
}
