package io.passk.cli;

import io.passk.BadInputException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one owner of how an error reaches the user (docs/errors.md): every command's failure is
 * one line on stderr, {@code passk CMD: message}. Bad input (exit 2) is its message alone;
 * an unexpected failure (exit 1) names its cause and the log file that holds the full trace.
 * With {@code --verbose} the trace is printed on stderr instead. An error thrown inside a
 * Spark task arrives wrapped in Spark's exceptions (or only as text, when Spark could not send
 * the exception object back): it is unwrapped to the passk error it carries.
 */
final class ErrorReport {

    /**
     * Longest message printed; a longer one (a whole file quoted by a parser) is cut. Generous:
     * a configuration difference that lists every method is a few thousand characters, and useful.
     */
    static final int MAX_MESSAGE = 10_000;

    /** The system property naming this process's log file (bin/passk's log4j2.properties reads it too). */
    static final String LOG_FILE_PROPERTY = "passk.log.file";

    /** Spark's text of a task failure: "... most recent failure: ...: io.passk.BadInputException: MESSAGE\n\tat ...". */
    private static final Pattern SERIALIZED_BAD_INPUT =
            Pattern.compile("(?:^|\\s)" + Pattern.quote(BadInputException.class.getName()) + "(?:\\$\\w+)?: ([^\\n]*)");

    private ErrorReport() {
    }

    /**
     * The bad input {@code t} carries: itself, one of its causes, or one named in the text of a
     * Spark task failure ({@code SparkException} "Job aborted due to stage failure: ... io.passk.BadInputException: ...").
     */
    static BadInputException badInputCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof BadInputException b) {
                return b;
            }
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String msg = c.getMessage();
            if (msg != null) {
                Matcher m = SERIALIZED_BAD_INPUT.matcher(msg);
                if (m.find()) {
                    return new BadInputException(m.group(1).trim(), t);
                }
            }
        }
        return null;
    }

    /** The innermost cause (Spark's wrappers, reflection's InvocationTargetException peeled off). */
    static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    /**
     * A Java class name that a library put in front of its own message ("java.io.EOFException: End
     * of input at line 1"): the words after it are the message, the class name is noise to a user.
     */
    private static final Pattern THROWABLE_PREFIX =
            Pattern.compile("\\b(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)(?::\\s*|\\b)");

    /**
     * {@code message} on one line: line breaks and tabs folded into spaces, Java exception class
     * names taken out, cut at {@link #MAX_MESSAGE}.
     */
    static String oneLine(String message) {
        String m = message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").replace('\t', ' ').strip();
        m = THROWABLE_PREFIX.matcher(m).replaceAll("").strip();
        return m.length() <= MAX_MESSAGE ? m : m.substring(0, MAX_MESSAGE) + " ...";
    }

    /** The line of an unexpected failure: what failed, and where its trace is. */
    static String failureLine(Throwable ex, Path log) {
        Throwable root = rootCause(ex);
        String what = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return "failed: " + oneLine(what) + (log != null ? " (full trace: " + log + "; --verbose prints it)"
                : " (--verbose prints the full trace)");
    }

    /** Appends {@code t}'s trace to this process's log file; the file, or null when it cannot be written. */
    static Path writeTrace(Throwable t) {
        Path log = logFile();
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, LocalDateTime.now() + " " + trace(t), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return log;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String trace(Throwable t) {
        StringWriter s = new StringWriter();
        t.printStackTrace(new PrintWriter(s));
        return s.toString();
    }

    /**
     * This process's log file: the one bin/passk named ({@value #LOG_FILE_PROPERTY}), else
     * {@code ${java.io.tmpdir}/passk-logs/passk-<time>-<pid>.log}, chosen once. Never under a
     * command's output: an error must leave the user's output location as it was.
     */
    static synchronized Path logFile() {
        String named = System.getProperty(LOG_FILE_PROPERTY);
        if (named == null || named.isBlank()) {
            named = defaultLogFile().toString();
            System.setProperty(LOG_FILE_PROPERTY, named);
        }
        return Path.of(named);
    }

    static Path defaultLogFile() {
        String pid = Long.toString(ProcessHandle.current().pid());
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of(System.getProperty("java.io.tmpdir"), "passk-logs", "passk-" + time + "-" + pid + ".log");
    }
}
