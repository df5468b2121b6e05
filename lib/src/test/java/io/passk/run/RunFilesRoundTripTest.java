package io.passk.run;

import io.passk.BadInputException;
import io.passk.fs.AtomicOutput;
import io.passk.progress.ProgressListener;
import io.passk.testing.SharedSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every run file written by its writer reads back equal; the commit rule decides what is complete. */
class RunFilesRoundTripTest {

    static EpochMetrics epoch(int e, boolean heldout) {
        return new EpochMetrics(e, "passk-analytic", 4, 1.0, 0.25 + e / 8.0, 0.375, 0.5,
                heldout ? 0.3125 : Double.NaN, heldout ? 0.625 : Double.NaN, 1.5, 0.75, 12.0, 800.5, 0.0625,
                new StageSeconds(2.5, 0.5, 1.25, heldout ? 3 : 0, 0.25, 8.0));
    }

    static HeldoutCurve curve(int e) {
        return new HeldoutCurve(e, List.of(new HeldoutPoint(4, 0.5, 0.375, 0.625),
                new HeldoutPoint(1, 0.25, 0.125, 0.375)));
    }

    static RunDirectory.RunStart start() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("tasks", "data/tasks/maze");
        config.put("k", 4);
        config.put("lr", 1e-4);
        return new RunDirectory.RunStart("r", "passk-analytic", 4, 5, config, Map.of("passk", "0.1.0"));
    }

    @Test
    void runJsonReadsBackWhatTheTrainerWrote(@TempDir Path tmp) {
        RunDirectory run = RunDirectory.forTraining(tmp.resolve("r"), false, start(), ProgressListener.SILENT);
        RunInfo info = RunJson.read(run.runJson(), "dir-name");
        assertEquals("r", info.name());
        assertEquals("passk-analytic", info.method());
        assertEquals(4, info.k());
        assertEquals(5L, info.seed());
        assertEquals("data/tasks/maze", info.config().get("config.tasks"));
        assertEquals("0.1.0", info.config().get("provenance.passk"));
        assertEquals(com.google.gson.JsonParser.parseString(RunJson.toJson(start().config())),
                RunJson.config(run.runJson()));
    }

    @Test
    void metricsCsvAndTheMetricsRowsReadBackEqual(@TempDir Path tmp) {
        RunDirectory run = RunDirectory.forTraining(tmp.resolve("r"), false, start(), ProgressListener.SILENT);
        List<EpochMetrics> rows = List.of(epoch(0, false), epoch(1, true));
        rows.forEach(run::writeMetricsRow);
        assertEquals(rows, run.readMetricsRows());
        MetricsCsv.write(run.metricsCsv(), rows, ProgressListener.SILENT);
        assertEquals(rows, MetricsCsv.read(run.metricsCsv()).epochs());
    }

    @Test
    void heldoutCsvAndCurveCsvReadBackEqual(@TempDir Path tmp) {
        RunDirectory run = RunDirectory.forTraining(tmp.resolve("r"), false, start(), ProgressListener.SILENT);
        List<HeldoutCurve> curves = List.of(curve(-1), curve(1));
        HeldoutCsv.write(run.heldoutCsv(), curves, ProgressListener.SILENT);
        assertEquals(curves, HeldoutCsv.read(run.heldoutCsv()));
        run.writeHeldoutCurve(curve(-1));
        assertEquals(curve(-1), run.readHeldoutCurve(-1));
        assertEquals(0.5, run.readHeldoutCurve(-1).at(4));
    }

    @Test
    void writeTablesRebuildsMetricsCsvParquetAndHeldoutCsvFromTheEpochFiles(@TempDir Path tmp) {
        RunDirectory run = RunDirectory.forTraining(tmp.resolve("r"), false, start(), ProgressListener.SILENT);
        run.writeHeldoutCurve(curve(-1));
        run.writeMetricsRow(epoch(0, false));
        run.writeMetricsRow(epoch(1, true));
        run.writeHeldoutCurve(curve(1));
        run.writeTables(SharedSpark.get());
        run.writeTables(SharedSpark.get()); // replaces metrics.parquet
        RunData data = RunDirectory.read(run.root());
        assertEquals(List.of(epoch(0, false), epoch(1, true)), data.metrics().epochs());
        assertEquals(List.of(curve(-1), curve(1)), data.heldout().orElseThrow());
        Dataset<Row> parquet = SharedSpark.get().read().parquet(run.metricsParquet().toString());
        assertEquals(EpochMetrics.COLUMNS, Arrays.asList(parquet.columns()));
        assertEquals(2, parquet.count());
    }

    @Test
    void anEpochIsCompleteWhenItsCheckpointExistsAndAKilledEpochIsDiscarded(@TempDir Path tmp) throws Exception {
        List<String> log = new ArrayList<>();
        RunDirectory run = RunDirectory.forTraining(tmp.resolve("r"), false, start(), log::add);
        assertTrue(run.lastCompleteEpoch().isEmpty());
        run.writeHeldoutCurve(curve(-1));
        for (int e = 0; e <= 2; e++) {
            Files.createDirectories(run.rollouts(e));
            Files.writeString(run.rollouts(e).resolve("_SUCCESS"), "");
            Files.createDirectories(run.heldoutRollouts(e));
            run.writeMetricsRow(epoch(e, false));
        }
        Files.createDirectories(run.checkpoint(0));
        Files.createDirectories(run.checkpoint(1));
        // epoch 2 was killed after its rollouts, before its checkpoint's rename
        Path staged = Files.createDirectories(run.root().resolve("checkpoints/.epoch=2.tmp-p999999999-1"));
        assertEquals(1, run.lastCompleteEpoch().orElseThrow());
        assertEquals(List.of(0, 1), run.completeRolloutEpochs());
        assertEquals(List.of(-1, 0, 1), run.completeHeldoutEpochs());

        run.discardAfter(1);
        assertFalse(Files.exists(run.rollouts(2)));
        assertFalse(Files.exists(run.heldout(2)));
        assertFalse(Files.exists(run.metricsRow(2)));
        assertFalse(Files.exists(staged));
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).contains(staged.toString()), log.toString());
        assertEquals(List.of(0, 1), run.readMetricsRows().stream().map(EpochMetrics::epoch).toList());
        AtomicOutput.deleteRecursively(run.heldoutCurve(-1));
        assertEquals(List.of(0, 1), run.completeHeldoutEpochs(), "the initial evaluation is done once its curve is");
    }

    @Test
    void theCommandLinesCheckRefusesAResumeOfNothingAndAnOccupiedDirectoryWritingNothing(@TempDir Path tmp)
            throws Exception {
        Path missing = tmp.resolve("missing");
        BadInputException none = assertThrows(BadInputException.class, () -> RunDirectory.checkStart(missing, true));
        assertTrue(none.getMessage().contains(missing.toAbsolutePath() + " does not exist"), none.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        BadInputException emptyRun = assertThrows(BadInputException.class, () -> RunDirectory.checkStart(empty, true));
        assertTrue(emptyRun.getMessage().contains("is not a run directory (no run.json)"), emptyRun.getMessage());
        RunDirectory.checkStart(missing, false);
        RunDirectory.checkStart(empty, false);
        Path run = tmp.resolve("run");
        RunDirectory.forTraining(run, false, start(), ProgressListener.SILENT);
        RunDirectory.checkStart(run, true);
        BadInputException exists = assertThrows(BadInputException.class, () -> RunDirectory.checkStart(run, false));
        assertTrue(exists.getMessage().contains("already exists; pass --resume"), exists.getMessage());
        Files.writeString(empty.resolve("notes.txt"), "mine");
        BadInputException other = assertThrows(BadInputException.class, () -> RunDirectory.checkStart(empty, false));
        assertTrue(other.getMessage().contains("is not empty and holds no run"), other.getMessage());
        assertFalse(Files.exists(missing));
        BadInputException noInit = assertThrows(BadInputException.class,
                () -> RunDirectory.open(run, ProgressListener.SILENT).recordedInit());
        assertTrue(noInit.getMessage().contains("no config.init"), noInit.getMessage());
        Map<String, Object> config = new LinkedHashMap<>(start().config());
        config.put("init", "runs/base-maze");
        Path withInit = tmp.resolve("with-init");
        RunDirectory.forTraining(withInit, false, new RunDirectory.RunStart("r", "pass1", 1, 5, config, Map.of()),
                ProgressListener.SILENT);
        assertEquals("runs/base-maze", RunDirectory.open(withInit, ProgressListener.SILENT).recordedInit());
    }

    @Test
    void forTrainingCreatesResumesOrRefusesNamingWhy(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("r");
        RunDirectory.forTraining(dir, true, start(), ProgressListener.SILENT); // --resume of nothing starts a run
        assertTrue(Files.isRegularFile(dir.resolve("run.json")));
        assertEquals(dir.toAbsolutePath(), RunDirectory.forTraining(dir, true, start(), ProgressListener.SILENT).root());
        BadInputException exists = assertThrows(BadInputException.class,
                () -> RunDirectory.forTraining(dir, false, start(), ProgressListener.SILENT));
        assertTrue(exists.getMessage().contains("already exists; pass --resume"), exists.getMessage());

        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "mine");
        BadInputException notARun = assertThrows(BadInputException.class,
                () -> RunDirectory.forTraining(other, true, start(), ProgressListener.SILENT));
        assertTrue(notARun.getMessage().contains(other + " is not a run directory (no run.json)"), notARun.getMessage());
        assertEquals(List.of(other.resolve("notes.txt")), Files.list(other).toList());
        assertThrows(BadInputException.class, () -> RunDirectory.open(other, ProgressListener.SILENT));

        // killed while writing run.json: only its hidden temporary file is there, so it is a new run
        Path killed = Files.createDirectories(tmp.resolve("killed"));
        Files.writeString(killed.resolve(".run.json.tmp-p999999999-1"), "{\"na");
        List<String> log = new ArrayList<>();
        RunDirectory.forTraining(killed, true, start(), log::add);
        assertEquals(List.of(killed.resolve("run.json")), Files.list(killed).toList());
        assertEquals(1, log.size(), log.toString());
    }
}
