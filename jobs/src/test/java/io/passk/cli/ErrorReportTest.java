package io.passk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.passk.BadInputException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How an error reaches the user: one line, the passk error under Spark's wrappers, the trace in the log or with --verbose. */
class ErrorReportTest {

    /** A command that fails as it is told (tests only). */
    @CommandLine.Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @CommandLine.Option(names = "--bad")
        boolean bad;

        @Override
        public Integer call() {
            if (bad) {
                // as Spark reports a task's failure: the passk error only inside the text
                throw new IllegalStateException(new SparkException("Job aborted due to stage failure: Task 0 in stage"
                        + " 3.0 failed 1 times, most recent failure: Lost task 0.0 in stage 3.0 (TID 7) (127.0.0.1"
                        + " executor driver): io.passk.BadInputException: /m/tokenizer.json: model.vocab is missing\n"
                        + "\tat io.passk.tokenizer.HfTokenizer.open(HfTokenizer.java:120)\n\tat scala.Option.map"));
            }
            throw new IllegalStateException("the cache is inconsistent", new ArithmeticException("/ by zero"));
        }
    }

    private static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Passk.commandLine();
        cli.addSubcommand(new Boom());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new CliRun(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void aBadInputInsideASparkTaskFailureIsItsOneLine() {
        CliRun r = run("boom", "--bad");
        assertEquals(Passk.EXIT_BAD_INPUT, r.code(), r.err());
        assertEquals(List.of("passk boom: /m/tokenizer.json: model.vocab is missing"), r.err().lines().toList());
    }

    @Test
    void aFailureIsOneLineNamingTheLogFileThatHoldsTheTrace() throws Exception {
        CliRun r = run("boom");
        assertEquals(Passk.EXIT_FAILURE, r.code(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        Matcher m = Pattern.compile("passk boom: failed: ArithmeticException: / by zero \\(full trace: (.+); --verbose prints it\\)")
                .matcher(lines.get(0));
        assertTrue(m.matches(), lines.get(0));
        Path log = Path.of(m.group(1));
        assertTrue(log.startsWith(Path.of(System.getProperty("java.io.tmpdir"), "passk-logs")), log.toString());
        String trace = Files.readString(log);
        assertTrue(trace.contains("IllegalStateException: the cache is inconsistent"), trace);
        assertTrue(trace.contains("\tat io.passk.cli.ErrorReportTest$Boom.call"), trace);
    }

    @Test
    void verbosePrintsTheTraceOnStderrForEveryCommand() {
        CliRun bad = run("boom", "--bad", "--verbose");
        assertEquals(Passk.EXIT_BAD_INPUT, bad.code());
        assertEquals("passk boom: /m/tokenizer.json: model.vocab is missing", bad.err().lines().findFirst().orElseThrow());
        assertTrue(bad.err().contains("\tat io.passk.cli.ErrorReportTest$Boom.call"), bad.err());
        CliRun failed = run("--verbose", "boom");
        assertEquals(Passk.EXIT_FAILURE, failed.code());
        assertTrue(failed.err().startsWith("passk boom: failed: ArithmeticException: / by zero (--verbose"), failed.err());
        assertTrue(failed.err().contains("Caused by: java.lang.ArithmeticException: / by zero"), failed.err());
    }

    @Test
    void aUsageMistakeIsOneLinePointingAtTheHelp() {
        CliRun r = CliRun.of("train", "--epochs", "two");
        assertEquals(Passk.EXIT_BAD_INPUT, r.code());
        assertEquals(List.of("passk train: Invalid value for option '--epochs': 'two' is not an int"
                + " (see passk train --help)"), r.err().lines().toList());
        CliRun k = CliRun.of("eval", "--input", "x.csv", "--k", "1,abc", "--out", "o");
        assertEquals(List.of("passk eval: Invalid value for option '--k' (K): 'abc' is not an int"
                + " (see passk eval --help)"), k.err().lines().toList());
    }

    @Test
    void messagesAreFoldedOntoOneLineWithoutJavaClassNames() {
        assertEquals("a.json: not valid JSON: End of input at line 1 column 9 path $.r",
                ErrorReport.oneLine("a.json: not valid JSON: java.io.EOFException: End of input at line 1 column 9 path $.r"));
        assertEquals("x: malformed: Unterminated object at line 2",
                ErrorReport.oneLine("x: malformed: com.google.gson.stream.MalformedJsonException: Unterminated object\nat line 2"));
        String longOne = ErrorReport.oneLine("y".repeat(ErrorReport.MAX_MESSAGE + 5000));
        assertEquals(ErrorReport.MAX_MESSAGE + 4, longOne.length());
        assertTrue(longOne.endsWith(" ..."));
    }

    @Test
    void theBadInputUnderSparkWrappersIsFoundByTypeOrByItsText() {
        BadInputException b = new BadInputException("col 'x' is text");
        assertEquals(b, ErrorReport.badInputCause(new SparkException("Job aborted", new RuntimeException(b))));
        BadInputException fromText = ErrorReport.badInputCause(new SparkException("Job aborted due to stage failure:"
                + " ... executor driver): io.passk.settings.Other: no\nio.passk.BadInputException: the file f is bad\n\tat x"));
        assertNotNull(fromText);
        assertEquals("the file f is bad", fromText.getMessage());
        assertNull(ErrorReport.badInputCause(new SparkException("Job aborted: java.lang.OutOfMemoryError")));
    }

    @Test
    void everyCommandSummaryInTheHelpIsACompleteSentence() {
        CommandLine cli = Passk.commandLine();
        for (var e : cli.getSubcommands().entrySet()) {
            String[] d = e.getValue().getCommandSpec().usageMessage().description();
            if (e.getKey().equals("help")) {
                continue;
            }
            assertEquals(1, d.length, e.getKey() + ": one description, so `passk --help` shows it whole");
            assertTrue(d[0].strip().endsWith("."), e.getKey() + ": " + d[0]);
        }
        StringWriter help = new StringWriter();
        cli.setOut(new PrintWriter(help, true));
        cli.execute("--help");
        // the second half of what was a two-line description, which the command list left out
        assertTrue(help.toString().replaceAll("\\s+", " ").contains("verify them, and write rollout rows"),
                help.toString());
    }
}
