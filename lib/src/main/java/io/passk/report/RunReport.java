package io.passk.report;

import io.passk.BadInputException;
import io.passk.run.RunData;
import io.passk.run.RunDirectory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The run report: one self-contained folder ({@code index.html} plus PNGs) that shows one or
 * several training runs side by side — training curves per metric, held-out pass@k against k at
 * the first and last evaluated epoch, and the wall-clock cost of each stage per run.
 *
 * <p>All inputs are read and validated before anything is written; the folder is written to a
 * temp folder and renamed into place, replacing an earlier report at the same path (never a
 * folder that is not a passk report). Same inputs give the same files.
 */
public final class RunReport {

    public static final String INDEX = "index.html";

    private RunReport() {
    }

    /**
     * Writes the report of {@code runs} (run directories, in legend order) to {@code outDir} and
     * returns the path of its {@code index.html}.
     *
     * @throws BadInputException a run directory or one of its files is missing or malformed, or
     *                           {@code outDir} exists and is not a passk report; nothing is written
     */
    public static Path write(List<Path> runs, Path outDir) {
        if (runs.isEmpty()) {
            throw new BadInputException("no run directory given");
        }
        List<RunData> data = distinctNames(runs.stream().map(RunDirectory::read).toList());
        ReportDirectory.checkReplaceable(outDir);
        ReportDirectory.publish(outDir, dir -> render(data, dir));
        return outDir.resolve(INDEX);
    }

    static void render(List<RunData> runs, Path dir) throws java.io.IOException {
        RunCharts charts = new RunCharts(runs, dir);
        ReportHtml page = new ReportHtml(runs);

        page.heading("Summary");
        page.summaryTable(runs);

        page.heading("Training curves");
        List<TrainingMetric> missing = new ArrayList<>();
        List<Figure> curves = charts.allTrainingCurves(missing);
        if (!missing.isEmpty()) {
            page.note("Not plotted (no run measured it): "
                    + missing.stream().map(TrainingMetric::column).collect(Collectors.joining(", ")) + ".");
        }
        page.figures(curves);

        page.heading("Held-out pass@k vs k");
        List<String> withoutHeldout = runs.stream()
                .filter(r -> r.heldout().map(List::isEmpty).orElse(true))
                .map(r -> r.name() + (r.heldout().isPresent() ? " (heldout.csv has no rows)" : " (no heldout.csv)"))
                .toList();
        if (withoutHeldout.size() == runs.size()) {
            page.note("No held-out pass@k curves: no run has rows in heldout.csv, so these plots are skipped.");
        } else {
            if (!withoutHeldout.isEmpty()) {
                page.note("Not in these plots: " + String.join(", ", withoutHeldout) + ".");
            }
            List<Figure> vsK = new ArrayList<>();
            charts.heldoutPassAtK(RunCharts.EpochPosition.FIRST).ifPresent(vsK::add);
            charts.heldoutPassAtK(RunCharts.EpochPosition.LAST).ifPresent(vsK::add);
            page.figures(vsK);
        }

        page.heading("Wall-clock cost");
        page.paragraph("Seconds spent in each stage of the training loop, per run, as measured by the "
                + "training loop (metrics.csv seconds_* columns); percentages are shares of the run's total.");
        page.wallClockTable(runs);
        page.figures(List.of(charts.wallClock(false), charts.wallClock(true)));

        page.heading("Run configuration");
        for (RunData r : runs) {
            page.subheading(r.name());
            page.configTable(r);
        }
        Files.writeString(dir.resolve(INDEX), page.finish(), StandardCharsets.UTF_8);
    }

    /** Runs sharing a name (two "run" folders) get " #2", " #3" so legends stay unambiguous. */
    static List<RunData> distinctNames(List<RunData> runs) {
        Set<String> used = new HashSet<>();
        List<RunData> out = new ArrayList<>();
        for (RunData r : runs) {
            String name = r.name();
            for (int n = 2; used.contains(name); n++) {
                name = r.name() + " #" + n;
            }
            used.add(name);
            out.add(name.equals(r.name()) ? r : r.withName(name));
        }
        return out;
    }
}
