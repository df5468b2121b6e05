package io.passk.cli;

import io.passk.BadInputException;
import io.passk.settings.InvalidSettingException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code passk} command line: one entry, one subcommand per job. Exit codes: 0 success,
 * 1 failure, 2 bad input or usage; either way one line on stderr naming the problem
 * ({@link ErrorReport}, docs/errors.md), the full trace only with {@code --verbose}.
 */
@Command(name = "passk", mixinStandardHelpOptions = true, version = "passk 0.1.0",
        description = "Pass@k training and evaluation on Apache Spark.",
        subcommands = {
                CommandLine.HelpCommand.class,
                TasksCommand.class,
                TrainCommand.class,
                ReportCommand.class,
                EvalCommand.class,
                BenchCommand.class,
                SynthAnswersCommand.class,
                PretrainCommand.class,
                SampleCommand.class,
                ExperimentCommand.class,
                ExportCommand.class,
                ServeCommand.class,
        })
public final class Passk implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_BAD_INPUT = 2;

    /** The option that shows traces and Spark's and DJL's logs on stderr. */
    static final String VERBOSE = "--verbose";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Accepted by every command (inherited); read before logging starts, see {@link #main}. */
    @CommandLine.Option(names = VERBOSE, scope = CommandLine.ScopeType.INHERIT,
            description = "on an error print its full trace, and print Spark's and DJL's logs, on stderr "
                    + "(default: they go to a log file under ${java.io.tmpdir}/passk-logs/)")
    boolean verbose;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    public static void main(String[] args) {
        // before anything logs: log4j2.properties sends Spark's and DJL's logs to this file, or,
        // with --verbose, to stderr as well
        ErrorReport.logFile();
        if (java.util.Arrays.asList(args).contains(VERBOSE)) {
            System.setProperty("passk.log.console", "warn");
        }
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Passk());
        // a repeated option overrides the earlier one (scripts append overrides to defaults)
        cli.setOverwrittenOptionsAllowed(true);
        cli.setExitCodeExceptionMapper(Passk::exitCodeOf);
        cli.setExecutionExceptionHandler((ex, line, parseResult) -> {
            boolean verbose = isVerbose(parseResult);
            BadInputException bad = ErrorReport.badInputCause(ex);
            String command = line.getCommandSpec().qualifiedName();
            if (bad != null) {
                line.getErr().println(command + ": " + ErrorReport.oneLine(message(bad, line)));
                if (verbose) {
                    ex.printStackTrace(line.getErr());
                }
                line.getErr().flush();
                return EXIT_BAD_INPUT;
            }
            Path log = verbose ? null : ErrorReport.writeTrace(ex);
            line.getErr().println(command + ": " + ErrorReport.failureLine(ex, log));
            if (verbose) {
                ex.printStackTrace(line.getErr());
            }
            line.getErr().flush();
            return EXIT_FAILURE;
        });
        // a usage mistake is one line and a pointer to the help, not the whole usage text
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine at = ex.getCommandLine();
            String command = at.getCommandSpec().qualifiedName();
            at.getErr().println(command + ": " + ErrorReport.oneLine(ex.getMessage()) + " (see " + command + " --help)");
            at.getErr().flush();
            return EXIT_BAD_INPUT;
        });
        return cli;
    }

    /** --verbose given at any level of the command line. */
    private static boolean isVerbose(CommandLine.ParseResult r) {
        for (CommandLine.ParseResult p = r; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    private static int exitCodeOf(Throwable t) {
        if (t instanceof CommandLine.ParameterException) {
            return EXIT_BAD_INPUT;
        }
        return badInputCause(t) != null ? EXIT_BAD_INPUT : EXIT_FAILURE;
    }

    /** The message of bad input; a refused setting named by the flag that set it in this command. */
    static String message(BadInputException e, CommandLine line) {
        if (!(e instanceof InvalidSettingException s)) {
            return e.getMessage();
        }
        Object command = line.getCommand();
        return s.render(setting -> {
            String flag = command instanceof SettingFlags f ? f.flag(setting) : SettingFlags.defaultFlag(setting);
            // a setting this command has no option for (a fixed default) is named by its qualified key
            return flag != null && line.getCommandSpec().findOption(flag) != null ? flag : setting.yamlKey();
        });
    }

    /** Spark wraps exceptions thrown on executors; find ours underneath ({@link ErrorReport#badInputCause}). */
    static BadInputException badInputCause(Throwable t) {
        return ErrorReport.badInputCause(t);
    }
}
