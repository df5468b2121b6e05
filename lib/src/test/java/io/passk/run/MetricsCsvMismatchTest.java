package io.passk.run;

import io.passk.progress.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** metrics.csv's optional mismatch columns: written for server runs only, read back, absent otherwise. */
class MetricsCsvMismatchTest {

    @TempDir
    Path tmp;

    static EpochMetrics row(int epoch, RolloutMismatch m) {
        return new EpochMetrics(epoch, "passk-analytic", 4, 1.0, 0.5, 0.25, 0.5, Double.NaN, Double.NaN, 1.2, 0.8,
                10.0, 100.0, -0.01, new StageSeconds(1, 0.5, 0.5, 0, 0.25, 2.25), m);
    }

    @Test
    void serverRunsWriteAndReadTheMismatchColumnsAndOtherRunsKeepTheirHeader() throws Exception {
        Path server = tmp.resolve("server.csv");
        List<EpochMetrics> rows = List.of(row(0, new RolloutMismatch(0.002, 0.05, 0.001)),
                row(1, new RolloutMismatch(0.003, 0.5, 0.0)));
        MetricsCsv.write(server, rows, ProgressListener.SILENT);
        String header = Files.readAllLines(server).get(0);
        assertTrue(header.endsWith(",mismatch_mean_abs_logprob,mismatch_max_abs_logprob,is_truncated_fraction"), header);
        assertEquals(rows, MetricsCsv.read(server).epochs());
        assertEquals(rows.get(1), EpochMetrics.fromMap(rows.get(1).toMap()));

        Path djl = tmp.resolve("djl.csv");
        List<EpochMetrics> plain = List.of(row(0, null));
        MetricsCsv.write(djl, plain, ProgressListener.SILENT);
        assertFalse(Files.readString(djl).contains("mismatch"));
        assertEquals(plain, MetricsCsv.read(djl).epochs());
    }
}
