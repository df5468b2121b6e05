package io.passk.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code --out DIR --resume}: the directory of a long run (train, experiment). It is never
 * overwritten; {@code --resume} continues it with the same configuration.
 */
final class RunOutputOptions {

    @Option(names = "--out", paramLabel = "DIR",
            description = "directory of the run (default: a new one under runs/, named after the inputs)")
    Path out;

    @Option(names = "--resume", description = "continue the run in --out from its last complete step "
            + "(the configuration must be the same)")
    boolean resume;
}
