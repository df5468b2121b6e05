package io.passk.run;

import io.passk.BadInputException;
import io.passk.report.FakeRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsCsvTest {

    private static final String ROW0 = "0,pass1,1,0.5,0.1,0.2,0.3,0.15,0.25,1.0,0.5,40,800,0.1,10,0.5,4,3,0.25,18";
    private static final String ROW1 = "1,pass1,1,0.5,0.2,0.3,0.4,,,0.9,0.6,42,810,0.05,11,0.5,4,0,0.25,16";

    private static Path csv(Path dir, String text) throws Exception {
        Path f = dir.resolve("metrics.csv");
        Files.writeString(f, text);
        return f;
    }

    private static BadInputException bad(Path dir, String text) throws Exception {
        Path f = csv(dir, text);
        return assertThrows(BadInputException.class, () -> MetricsCsv.read(f));
    }

    @Test
    void readsRowsSortedByEpochWithEmptyHeldoutCellsAsNotMeasured(@TempDir Path dir) throws Exception {
        RunMetrics m = MetricsCsv.read(csv(dir, FakeRuns.METRICS_HEADER + "\r\n" + ROW1 + "\r\n" + ROW0 + "\r\n\r\n"));
        assertEquals(2, m.epochs().size());
        EpochMetrics e0 = m.first();
        EpochMetrics e1 = m.last();
        assertEquals(0, e0.epoch());
        assertEquals(0.15, e0.heldoutPassAt1());
        assertTrue(e0.hasHeldout());
        assertTrue(Double.isNaN(e1.heldoutPassAt1()) && Double.isNaN(e1.heldoutPassAtK()));
        assertFalse(e1.hasHeldout());
        assertEquals(new StageSeconds(10, 0.5, 4, 3, 0.25, 18), e0.seconds());
        assertEquals(0.25, e0.seconds().other(), 1e-12);
        assertEquals(new StageSeconds(21, 1, 8, 3, 0.5, 34), m.totalSeconds());
        assertEquals(1, m.measured(EpochMetrics::heldoutPassAtK).size());
    }

    @Test
    void extraColumnsAndAnotherColumnOrderAreFine(@TempDir Path dir) throws Exception {
        String header = "note," + FakeRuns.METRICS_HEADER.replace("epoch,method,", "method,epoch,");
        String row = "\"hello, world\"," + ROW0.replaceFirst("0,pass1,", "pass1,0,");
        RunMetrics m = MetricsCsv.read(csv(dir, header + "\n" + row + "\n"));
        assertEquals("pass1", m.first().method());
        assertEquals(0.2, m.first().trainPassAt1());
    }

    @Test
    void missingColumnIsNamedWithTheFile(@TempDir Path dir) throws Exception {
        String header = FakeRuns.METRICS_HEADER.replace(",entropy", "");
        String row = ROW0.replace(",1.0,0.5,40", ",0.5,40");
        BadInputException e = bad(dir, header + "\n" + row + "\n");
        assertTrue(e.getMessage().contains("metrics.csv") && e.getMessage().contains("missing column 'entropy'"),
                e.getMessage());
    }

    @Test
    void unparseableNumberIsNamedWithFileLineColumnAndValue(@TempDir Path dir) throws Exception {
        BadInputException e = bad(dir, FakeRuns.METRICS_HEADER + "\n" + ROW0 + "\n"
                + ROW1.replace(",0.9,", ",high,") + "\n");
        assertTrue(e.getMessage().contains("metrics.csv: line 3, column 'entropy': value 'high' is not a number"),
                e.getMessage());
    }

    @Test
    void rejectsEmptyFileNonFiniteValuesEmptyRequiredCellsAndRepeatedEpochs(@TempDir Path dir) throws Exception {
        assertTrue(bad(dir, "").getMessage().contains("empty file"));
        assertTrue(bad(dir, FakeRuns.METRICS_HEADER + "\n" + ROW0.replace(",0.1,800", ",0.1,800")
                .replace(",800,0.1,", ",800,NaN,") + "\n").getMessage().contains("column 'loss': value 'NaN' is not a finite"));
        assertTrue(bad(dir, FakeRuns.METRICS_HEADER + "\n" + ROW0.replace(",40,", ",,") + "\n")
                .getMessage().contains("column 'response_length': value '' is empty"));
        assertTrue(bad(dir, FakeRuns.METRICS_HEADER + "\n" + ROW0 + "\n" + ROW0 + "\n")
                .getMessage().contains("repeats the epoch of line 2"));
        assertTrue(bad(dir, FakeRuns.METRICS_HEADER + "\n" + ROW0.replaceFirst("0,pass1,1,", "0,pass1,1.5,") + "\n")
                .getMessage().contains("column 'k': value '1.5' is not an integer"));
        assertTrue(bad(dir, FakeRuns.METRICS_HEADER + "\n" + ROW0 + ",extra\n")
                .getMessage().contains("line 2 has 21 fields but the header has 20"));
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        BadInputException e = assertThrows(BadInputException.class, () -> MetricsCsv.read(dir.resolve("metrics.csv")));
        assertTrue(e.getMessage().contains("metrics.csv: file not found"), e.getMessage());
    }
}
