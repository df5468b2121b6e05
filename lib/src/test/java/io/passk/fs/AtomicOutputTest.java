package io.passk.fs;

import io.passk.BadInputException;
import io.passk.progress.ProgressListener;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicOutputTest {

    /** Messages a listener received. */
    static final class Lines implements ProgressListener {
        final List<String> lines = new ArrayList<>();

        @Override
        public synchronized void message(String line) {
            lines.add(line);
        }
    }

    static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aDirectoryAppearsOnlyAtCommitAndAnAbortLeavesNothing(@TempDir Path tmp) throws Exception {
        Path target = tmp.resolve("out");
        try (AtomicOutput out = AtomicOutput.begin(target, false, ProgressListener.SILENT)) {
            out.writeText("a/b.txt", "hello");
            assertFalse(Files.exists(target), "invisible before commit");
            out.commit();
        }
        assertEquals("hello", Files.readString(target.resolve("a/b.txt")));
        try (AtomicOutput out = AtomicOutput.begin(tmp.resolve("other"), false, ProgressListener.SILENT)) {
            out.writeText("x.txt", "half");
        } // closed without commit: aborted
        assertEquals(List.of("out"), names(tmp));
    }

    @Test
    void anExistingOutputIsRefusedWithoutOverwriteAndReplacedWholeWithIt(@TempDir Path tmp) throws Exception {
        Path target = tmp.resolve("out");
        Files.createDirectories(target);
        Files.writeString(target.resolve("old.txt"), "old");
        BadInputException e = assertThrows(BadInputException.class,
                () -> AtomicOutput.begin(target, false, ProgressListener.SILENT));
        assertTrue(e.getMessage().contains("already exists") && e.getMessage().contains("--overwrite"), e.getMessage());
        try (AtomicOutput out = AtomicOutput.begin(target, true, ProgressListener.SILENT)) {
            out.writeText("new.txt", "new");
            out.commit();
        }
        assertEquals(List.of("new.txt"), names(target));
        assertEquals(List.of("out"), names(tmp), "no temporary or old sibling left");
    }

    @Test
    void staleSiblingsOfDeadWritersAreRemovedWithOneLineEachButALiveWritersIsKept(@TempDir Path tmp) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        Path dead = Files.createDirectories(tmp.resolve(".out.tmp-p" + gone.pid() + "-1f"));
        Path oldStyle = Files.createDirectories(tmp.resolve(".out.tmp-1b4e28ba-2fa1-11d2-883f-0016d3cca427"));
        Path live = Files.createDirectories(tmp.resolve(".out.tmp-p" + ProcessHandle.current().pid() + "-2e"));
        Path otherName = Files.createDirectories(tmp.resolve(".outer.tmp-p" + gone.pid() + "-3d"));
        Lines log = new Lines();
        try (AtomicOutput out = AtomicOutput.begin(tmp.resolve("out"), false, log)) {
            out.writeText("x", "1");
            out.commit();
        }
        assertFalse(Files.exists(dead));
        assertFalse(Files.exists(oldStyle));
        assertTrue(Files.exists(live), "a sibling of a live process is not stale");
        assertTrue(Files.exists(otherName), "another output's sibling is not touched");
        assertEquals(2, log.lines.size(), log.lines.toString());
        assertTrue(log.lines.stream().anyMatch(l -> l.contains(dead.toString())), log.lines.toString());
        assertTrue(log.lines.stream().anyMatch(l -> l.contains(oldStyle.toString())), log.lines.toString());
    }

    @Test
    void writeStringReplacesAFileAndRemovesAStaleTemporaryFile(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("metrics.csv");
        Files.writeString(tmp.resolve(".metrics.csv.tmp-p999999999-7"), "partial");
        Lines log = new Lines();
        AtomicOutput.writeString(f, "a\n", log);
        AtomicOutput.writeString(f, "b\n", log);
        assertEquals("b\n", Files.readString(f));
        assertEquals(List.of("metrics.csv"), names(tmp));
        assertEquals(1, log.lines.size(), log.lines.toString());
    }

    @Test
    void onAHadoopFileSystemTheSameProtocolHolds(@TempDir Path tmp) throws Exception {
        Path stale = Files.createDirectories(tmp.resolve(".eval.tmp-p999999999-7"));
        Lines log = new Lines();
        try (AtomicOutput out = AtomicOutput.begin(tmp.resolve("eval").toString(), false, new Configuration(), log)) {
            out.writeText("summary.csv", "k\n1\n");
            assertFalse(Files.exists(tmp.resolve("eval")));
            out.commit();
        }
        assertEquals("k\n1\n", Files.readString(tmp.resolve("eval/summary.csv")));
        assertFalse(Files.exists(stale));
        assertEquals(1, log.lines.size(), log.lines.toString());
        BadInputException e = assertThrows(BadInputException.class, () -> AtomicOutput.begin(
                tmp.resolve("eval").toString(), false, new Configuration(), log));
        assertTrue(e.getMessage().contains("output " + tmp.resolve("eval") + " already exists"), e.getMessage());
    }

    /**
     * A writer JVM killed with SIGKILL while its output is open leaves the hidden sibling; the
     * next writer of the same name removes it and says so.
     */
    @Test
    void theSiblingAKilledWriterLeftIsRemovedByTheNextWriter(@TempDir Path tmp) throws Exception {
        Path target = tmp.resolve("out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KilledWriter.class.getName(), target.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = r.readLine();
            } while (line != null && !line.equals("writing"));
            assertEquals("writing", line, "the child never started writing");
            p.destroyForcibly(); // SIGKILL
            p.waitFor(1, TimeUnit.MINUTES);
        }
        List<String> left = names(tmp);
        assertEquals(1, left.size(), left.toString());
        assertTrue(left.get(0).startsWith(".out.tmp-p" + p.pid() + "-"), left.toString());
        Lines log = new Lines();
        try (AtomicOutput out = AtomicOutput.begin(target, false, log)) {
            out.writeText("done.txt", "yes");
            out.commit();
        }
        assertEquals(List.of("out"), names(tmp));
        assertEquals(1, log.lines.size(), log.lines.toString());
        assertTrue(log.lines.get(0).contains(left.get(0)), log.lines.toString());
    }

    /** The child of {@link #theSiblingAKilledWriterLeftIsRemovedByTheNextWriter}: starts an output, then waits. */
    public static final class KilledWriter {
        public static void main(String[] args) throws Exception {
            AtomicOutput out = AtomicOutput.begin(Path.of(args[0]), false, ProgressListener.SILENT);
            out.writeText("part-0", "half of it");
            System.out.println("writing");
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }
}
