package io.passk.report.run;

import io.passk.BadInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads a training run directory as the training loop leaves it: {@code run.json},
 * {@code metrics.csv} (required) and {@code heldout.csv} (optional).
 */
public final class RunDirectory {

    private RunDirectory() {
    }

    public static RunData read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir + ": not a run directory (does not exist or is not a directory)");
        }
        Path abs = dir.toAbsolutePath().normalize();
        String dirName = abs.getFileName() == null ? abs.toString() : abs.getFileName().toString();
        RunInfo info = RunJson.read(dir.resolve(RunJson.FILE_NAME), dirName);
        RunMetrics metrics = MetricsCsv.read(dir.resolve(MetricsCsv.FILE_NAME));
        if (metrics.isEmpty()) {
            throw new BadInputException(dir.resolve(MetricsCsv.FILE_NAME)
                    + ": no epoch rows (the run has not completed an epoch yet)");
        }
        Path heldoutFile = dir.resolve(HeldoutCsv.FILE_NAME);
        Optional<List<HeldoutCurve>> heldout = Files.exists(heldoutFile)
                ? Optional.of(HeldoutCsv.read(heldoutFile)) : Optional.empty();
        return new RunData(dir, info, metrics, heldout);
    }
}
