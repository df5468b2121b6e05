package io.passk.cli;

import picocli.CommandLine.Option;

/** {@code --seed}: keys every random choice of a command; the default is the command's. */
final class SeedOption {

    @Option(names = "--seed", description = "seed of every random choice: the same seed gives the same output "
            + "(default: ${DEFAULT-VALUE})")
    long seed;

    SeedOption() {
        this(0);
    }

    SeedOption(long defaultSeed) {
        this.seed = defaultSeed;
    }
}
