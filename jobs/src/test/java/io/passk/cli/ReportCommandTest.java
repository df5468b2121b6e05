package io.passk.cli;

import io.passk.report.FakeRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportCommandTest {

    /** Exit code, stdout and stderr of one {@code passk} invocation. */
    private record Result(int code, String out, String err) {
    }

    private static Result passk(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Passk.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void writesTheReportOfSeveralRunsAndPrintsTheIndexPath(@TempDir Path tmp) throws Exception {
        Path a = FakeRuns.write(tmp.resolve("a"), "pass1", "pass1", 1, 3, 2, true);
        Path b = FakeRuns.write(tmp.resolve("b"), "passk", "passk-analytic", 4, 3, 2, false);
        Path out = tmp.resolve("cmp");
        Result r = passk("report", "--run", a.toString(), "--run", b.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Path index = out.resolve("index.html").toAbsolutePath().normalize();
        assertEquals(index.toString(), r.out().strip());
        String html = Files.readString(index);
        assertTrue(html.contains("pass1") && html.contains("passk-analytic"));
    }

    @Test
    void defaultOutIsTheFirstRunsReportFolderWhichARerunReplaces(@TempDir Path tmp) throws Exception {
        Path a = FakeRuns.write(tmp.resolve("a"), "solo", "pass1", 1, 2, 1, false);
        assertEquals(0, passk("report", "--run", a.toString()).code());
        assertTrue(Files.exists(a.resolve("report/index.html")));
        Result again = passk("report", "--run", a.toString());
        assertEquals(0, again.code(), again.err());
        assertEquals(a.resolve("report/index.html").toAbsolutePath().normalize().toString(), again.out().strip());
    }

    @Test
    void missingMetricsCsvIsExit2NamingTheFileAndWritesNothing(@TempDir Path tmp) throws Exception {
        Path a = FakeRuns.write(tmp.resolve("a"), "a", "pass1", 1, 2, 1, true);
        Files.delete(a.resolve("metrics.csv"));
        assertBadInput(tmp, a, "metrics.csv: file not found");
    }

    @Test
    void missingColumnIsExit2NamingFileAndColumnAndWritesNothing(@TempDir Path tmp) throws Exception {
        Path a = FakeRuns.write(tmp.resolve("a"), "a", "pass1", 1, 2, 1, true);
        List<String> lines = Files.readAllLines(a.resolve("metrics.csv"));
        Files.write(a.resolve("metrics.csv"), lines.stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList());
        assertBadInput(tmp, a, "metrics.csv: missing column 'seconds_total'");
    }

    @Test
    void badNumberIsExit2NamingFileLineColumnAndValueAndWritesNothing(@TempDir Path tmp) throws Exception {
        Path a = FakeRuns.write(tmp.resolve("a"), "a", "pass1", 1, 2, 1, true);
        Files.writeString(a.resolve("heldout.csv"), "epoch,k,pass_at_k,ci_low,ci_high\n0,1,zero,0,0.1\n");
        assertBadInput(tmp, a, "heldout.csv: line 2, column 'pass_at_k': value 'zero' is not a number");
    }

    @Test
    void missingRunOptionIsAUsageError() {
        Result r = passk("report");
        assertEquals(Passk.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("--run"), r.err());
    }

    private static void assertBadInput(Path tmp, Path run, String expected) throws Exception {
        Path out = tmp.resolve("out");
        Result r = passk("report", "--run", run.toString(), "--out", out.toString());
        assertEquals(Passk.EXIT_BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line on stderr: " + r.err());
        assertFalse(Files.exists(out), "no report folder");
        assertFalse(Files.exists(run.resolve("report")), "no default report folder either");
        try (Stream<Path> s = Files.walk(tmp)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().contains(".tmp-")).toList());
        }
    }
}
