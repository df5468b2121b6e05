package io.passk.cli;

import io.passk.BadInputException;
import io.passk.settings.InvalidSettingException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code passk} command line: one entry, one subcommand per job. Exit codes: 0 success,
 * 1 failure, 2 bad input or usage (one line on stderr naming the problem).
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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    public static void main(String[] args) {
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
            BadInputException root = badInputCause(ex);
            if (root != null) {
                line.getErr().println("passk " + line.getCommandName() + ": " + message(root, line));
                return EXIT_BAD_INPUT;
            }
            line.getErr().println("passk " + line.getCommandName() + ": failed: " + ex);
            ex.printStackTrace(line.getErr());
            return EXIT_FAILURE;
        });
        return cli;
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

    /** Spark wraps exceptions thrown on executors; find ours underneath. */
    static BadInputException badInputCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BadInputException b) {
                return b;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
