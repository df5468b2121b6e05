package io.passk.run;

import io.passk.BadInputException;
import io.passk.report.FakeRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunDirectoryTest {

    @Test
    void readsRunJsonMetricsAndOptionalHeldout(@TempDir Path tmp) {
        RunData withHeldout = RunDirectory.read(FakeRuns.write(tmp.resolve("a"), "A", "passk-full", 8, 3, 2, true));
        assertEquals("A", withHeldout.name());
        assertEquals("passk-full", withHeldout.info().method());
        assertEquals(8, withHeldout.info().k());
        assertEquals(42L, withHeldout.info().seed());
        assertEquals("1.0E-5", withHeldout.info().config().get("config.lr"));
        assertEquals("constant", withHeldout.info().config().get("config.schedule"));
        assertEquals(3, withHeldout.metrics().epochs().size());
        // eval every 2 epochs and at the last: epochs 0 and 2
        assertEquals(List.of(0, 2), withHeldout.heldout().orElseThrow().stream().map(HeldoutCurve::epoch).toList());

        RunData without = RunDirectory.read(FakeRuns.write(tmp.resolve("b"), "B", "pass1", 1, 2, 1, false));
        assertTrue(without.heldout().isEmpty());
    }

    @Test
    void nameDefaultsToTheDirectoryName(@TempDir Path tmp) throws Exception {
        Path run = FakeRuns.write(tmp.resolve("my-run"), "x", "pass1", 1, 2, 1, false);
        Files.writeString(run.resolve("run.json"), "{\"method\":\"pass1\",\"k\":1,\"seed\":7}");
        RunData d = RunDirectory.read(run);
        assertEquals("my-run", d.name());
        assertEquals(7L, d.info().seed());
    }

    @Test
    void badRunJsonIsNamed(@TempDir Path tmp) throws Exception {
        Path run = FakeRuns.write(tmp.resolve("r"), "x", "pass1", 1, 2, 1, false);
        Files.writeString(run.resolve("run.json"), "{\"k\":1,\"seed\":7}");
        assertTrue(assertThrows(BadInputException.class, () -> RunDirectory.read(run)).getMessage()
                .contains("run.json: missing key 'method'"));
        Files.writeString(run.resolve("run.json"), "{\"method\":\"pass1\",\"k\":2.5,\"seed\":7}");
        assertTrue(assertThrows(BadInputException.class, () -> RunDirectory.read(run)).getMessage()
                .contains("run.json: key 'k': value 2.5 is not an integer"));
        Files.writeString(run.resolve("run.json"), "{\"method\":");
        assertTrue(assertThrows(BadInputException.class, () -> RunDirectory.read(run)).getMessage()
                .contains("run.json: not valid JSON"));
        Files.delete(run.resolve("run.json"));
        assertTrue(assertThrows(BadInputException.class, () -> RunDirectory.read(run)).getMessage()
                .contains("run.json: file not found"));
    }

    @Test
    void runWithoutEpochRowsOrDirectoryIsRejected(@TempDir Path tmp) throws Exception {
        Path run = FakeRuns.write(tmp.resolve("r"), "x", "pass1", 1, 2, 1, false);
        Files.writeString(run.resolve("metrics.csv"), FakeRuns.METRICS_HEADER + "\n");
        assertTrue(assertThrows(BadInputException.class, () -> RunDirectory.read(run)).getMessage()
                .contains("metrics.csv: no epoch rows"));
        assertTrue(assertThrows(BadInputException.class, () -> RunDirectory.read(tmp.resolve("nope"))).getMessage()
                .contains("not a run directory"));
    }
}
