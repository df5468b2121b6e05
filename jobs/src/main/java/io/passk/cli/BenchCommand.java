package io.passk.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code passk bench}: timings (not tests). One subcommand per benchmark. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: throughput figures for the README, timed against a bare Spark baseline where one exists.",
        subcommands = {
                BenchEvalCommand.class,
                SampleBenchCommand.class,
        })
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing benchmark: " + spec.subcommands().keySet());
    }
}
