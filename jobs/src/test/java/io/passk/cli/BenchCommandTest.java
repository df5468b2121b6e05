package io.passk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.passk.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {

    @TempDir
    Path tmp;

    @Test
    void benchEvalTimesTheEvalThePeerTheFloorAndTheBaselineAndTheyAgree() throws Exception {
        SharedSpark.get();
        CliRun run = CliRun.of("bench", "eval", "--rows", "3000", "--problems", "40", "--k", "1,4,100",
                "--bootstrap", "20", "--repeat", "1", "--warmup", "1", "--work-dir", tmp.toString());
        assertEquals(0, run.code(), run.err());
        for (String s : new String[] {"baseline scan + groupBy(problem_id).count():", "eval job (all outputs):",
                "ratio eval / baseline:", "peer: DuckDB, same per-problem work and outputs:", "ratio eval / peer:",
                "spark floor: scan + per-problem count/sum/max:", "ratio floor / peer:", "process CPU",
                "peer            DuckDB v", "first (cold) runs"}) {
            assertTrue(run.out().contains(s), run.out());
        }
        // k = 100 > n = 75: null on both sides, which counts as agreement
        assertTrue(run.out().contains("per-problem agreement: 40 problems compared, 0 in one table only"), run.out());
        assertTrue(run.out().contains(": agree"), run.out());
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(0, left.count(), "temporary data removed");
        }
        assertEquals(2, CliRun.of("bench").code(), "bench needs a benchmark name");
    }
}
