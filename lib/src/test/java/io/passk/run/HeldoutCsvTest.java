package io.passk.run;

import io.passk.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeldoutCsvTest {

    private static Path csv(Path dir, String text) throws Exception {
        return Files.writeString(dir.resolve("heldout.csv"), text);
    }

    @Test
    void groupsRowsIntoOneCurvePerEpochSortedByK(@TempDir Path dir) throws Exception {
        List<HeldoutCurve> curves = HeldoutCsv.read(csv(dir, """
                epoch,k,pass_at_k,ci_low,ci_high
                4,2,0.5,0.45,0.55
                0,1,0.2,0.1,0.3
                4,1,0.3,,
                0,2,0.35,0.3,0.4
                """));
        assertEquals(List.of(0, 4), curves.stream().map(HeldoutCurve::epoch).toList());
        HeldoutCurve last = curves.get(1);
        assertArrayEquals(new double[] {1, 2}, last.ks());
        assertArrayEquals(new double[] {0.3, 0.5}, last.passAtK());
        // an empty interval collapses onto the estimate
        assertArrayEquals(new double[] {0.3, 0.45}, last.ciLow());
        assertArrayEquals(new double[] {0.3, 0.55}, last.ciHigh());
    }

    @Test
    void rejectsProbabilitiesOutsideUnitIntervalInvertedIntervalsAndRepeats(@TempDir Path dir) throws Exception {
        String h = "epoch,k,pass_at_k,ci_low,ci_high\n";
        Path f1 = csv(dir, h + "0,1,1.2,0.1,0.3\n");
        assertTrue(assertThrows(BadInputException.class, () -> HeldoutCsv.read(f1)).getMessage()
                .contains("heldout.csv: line 2, column 'pass_at_k': value '1.2' is outside [0, 1]"));
        Path f2 = csv(dir, h + "0,1,0.2,0.3,0.1\n");
        assertTrue(assertThrows(BadInputException.class, () -> HeldoutCsv.read(f2)).getMessage()
                .contains("is above ci_high"));
        Path f3 = csv(dir, h + "0,1,0.2,0.1,0.3\n0,1,0.2,0.1,0.3\n");
        assertTrue(assertThrows(BadInputException.class, () -> HeldoutCsv.read(f3)).getMessage()
                .contains("repeats (epoch 0, k 1) of line 2"));
        Path f4 = csv(dir, "epoch,k,pass_at_k\n0,1,0.2\n");
        assertTrue(assertThrows(BadInputException.class, () -> HeldoutCsv.read(f4)).getMessage()
                .contains("missing column 'ci_low'"));
    }
}
