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

    /**
     * A stream that writes (UTF-8) into {@code writer}. Every write reaches the writer at once
     * and is flushed, so a progress line that ends in a carriage return shows while it is live.
     */
    static PrintStream of(PrintWriter writer) {
        return new PrintStream(new WriterStream(writer), true, StandardCharsets.UTF_8);
    }

    /** Decodes what it is given up to the last complete UTF-8 character; the rest waits for the next write. */
    private static final class WriterStream extends OutputStream {
        private final PrintWriter writer;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        WriterStream(PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public synchronized void write(int b) {
            pending.write(b);
            emit();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
            emit();
        }

        @Override
        public synchronized void flush() {
            writer.flush();
        }

        private void emit() {
            byte[] bytes = pending.toByteArray();
            int complete = completePrefix(bytes);
            if (complete == 0) {
                return;
            }
            writer.write(new String(bytes, 0, complete, StandardCharsets.UTF_8));
            writer.flush();
            pending.reset();
            pending.write(bytes, complete, bytes.length - complete);
        }

        /** Length of the longest prefix that does not end inside a multi-byte character. */
        private static int completePrefix(byte[] b) {
            int n = b.length;
            for (int back = 1; back <= Math.min(3, n); back++) {
                int lead = b[n - back] & 0xFF;
                if (lead < 0x80) {
                    return n; // ASCII: everything up to here is complete
                }
                if (lead >= 0xC0) { // the lead byte of the last character: is it whole?
                    int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
                    return back >= need ? n : n - back;
                }
            }
            return n; // malformed: let the decoder replace it
        }
    }
}
