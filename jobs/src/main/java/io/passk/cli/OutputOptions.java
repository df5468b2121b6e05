package io.passk.cli;

import io.passk.fs.OutputLocation;
import picocli.CommandLine.Option;

/** {@code --out DIR --overwrite}: a command's output directory, written atomically (tasks, sample, eval). */
final class OutputOptions {

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "output directory (written atomically: it appears only when complete)")
    String out;

    @Option(names = "--overwrite", description = "replace an existing --out")
    boolean overwrite;

    /** Refuses an --out that exists (without --overwrite) or cannot be written, before any work. */
    void check() {
        OutputLocation.check(out, overwrite);
    }
}
