package io.passk.cli;

import picocli.CommandLine.Option;

/** {@code --ui}: the Spark web UI of the local session (off: a batch job needs no port). */
final class SparkUiOption {

    @Option(names = "--ui", description = "enable the Spark UI")
    boolean ui;
}
