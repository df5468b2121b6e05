package io.passk.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code passk bench}: timings (not tests). One subcommand per benchmark. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: time a job against a bare Spark baseline on generated data.",
        subcommands = {
                BenchEvalCommand.class,
        })
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing benchmark (e.g. bench eval)");
    }
}
