package io.passk.cli;

import io.passk.BadInputException;
import io.passk.fs.OutputLocation;
import io.passk.run.RunDirectory;
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

    /**
     * Refuses, before any work, a run directory that cannot be written, an existing run without
     * --resume, and a --resume of a directory that holds no run ({@link RunDirectory#checkStart}).
     */
    void checkRun(Path dir) {
        if (resume && out == null) {
            throw new BadInputException("--resume needs --out DIR, the run to continue");
        }
        check(dir);
        RunDirectory.checkStart(dir, resume);
    }

    /** Refuses, before any work, an output directory that cannot be written. */
    void check(Path dir) {
        OutputLocation.checkCreatable(dir.toString());
    }
}
