package io.passk.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code passk bench}: timings (not tests). One subcommand per benchmark. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: throughput figures for the README, timed in the same run against a single-machine peer (DuckDB, eval) or a bare Spark baseline.",
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
