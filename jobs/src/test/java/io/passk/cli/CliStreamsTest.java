package io.passk.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CliStreamsTest {

    @Test
    void aLibraryPrintStreamWritesThroughTheCommandsWriterAtOnce() {
        StringWriter sink = new StringWriter();
        PrintStream s = CliStreams.of(new PrintWriter(sink));
        s.print("[epoch 1] 3/6\r");
        assertEquals("[epoch 1] 3/6\r", sink.toString(), "a live progress line shows before its newline");
        s.printf(Locale.ROOT, "pass@1 %.3f -> %.3f%n", 0.1, 0.25);
        assertEquals("[epoch 1] 3/6\rpass@1 0.100 -> 0.250" + System.lineSeparator(), sink.toString());
    }

    @Test
    void aCharacterSplitAcrossWritesIsDecodedWhole() {
        StringWriter sink = new StringWriter();
        PrintStream s = CliStreams.of(new PrintWriter(sink));
        byte[] arrow = "→ é".getBytes(StandardCharsets.UTF_8);
        for (byte b : arrow) {
            s.write(b);
        }
        s.flush();
        assertEquals("→ é", sink.toString());
    }
}
