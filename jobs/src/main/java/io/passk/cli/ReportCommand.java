package io.passk.cli;

import io.passk.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code passk report}: the HTML run report of one or several training runs (runs overlaid).
 * Thin: parses options and calls {@link RunReport}; no Spark.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write an HTML report (index.html + PNG plots) of one or more training runs:"
                + " training curves per metric, held-out pass@k vs k at the first and last evaluated"
                + " epoch, wall-clock seconds per stage. Several --run are overlaid in every plot.")
public final class ReportCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "RUN",
            description = "Run directory (run.json, metrics.csv, optional heldout.csv); repeat to compare runs.")
    List<Path> runs;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Report folder (default: RUN/report of the first --run). An earlier report "
                    + "there is replaced; any other existing folder is refused.")
    Path out;

    @Override
    public Integer call() {
        Path dir = out != null ? out : runs.get(0).resolve("report");
        io.passk.fs.OutputLocation.checkCreatable(dir.toString());
        Path index = RunReport.write(runs, dir);
        spec.commandLine().getOut().println(index.toAbsolutePath().normalize());
        return Passk.EXIT_OK;
    }
}
