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
    void benchEvalTimesBothJobsAndCleansUp() throws Exception {
        SharedSpark.get();
        CliRun run = CliRun.of("bench", "eval", "--rows", "3000", "--problems", "40", "--k", "1,4",
                "--bootstrap", "20", "--repeat", "1", "--warmup", "1", "--work-dir", tmp.toString());
        assertEquals(0, run.code(), run.err());
        for (String s : new String[] {"baseline scan + groupBy(problem_id).count():", "eval job (all outputs):",
                "ratio eval / baseline:"}) {
            assertTrue(run.out().contains(s), run.out());
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(0, left.count(), "temporary data removed");
        }
        assertEquals(2, CliRun.of("bench").code(), "bench needs a benchmark name");
    }
}
