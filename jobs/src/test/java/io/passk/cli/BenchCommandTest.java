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
                "ratio eval / baseline:", "peer: DuckDB, same per-problem work, checks and outputs:", "ratio eval / peer:",
                "peer with an exact count(DISTINCT) id check:",
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

    @Test
    void benchSamplePrintsTheMatmulTheForwardAndOneRowPerLengthAndModeOnStdout() throws Exception {
        Path png = tmp.resolve("sample.png");
        CliRun run = CliRun.of("bench", "sample", "--layers", "1", "--width", "16", "--heads", "2", "--context", "32",
                "--batch", "2", "--prompt-length", "4", "--lengths", "2,4", "--matmul", "32", "--repeats", "1",
                "--threads", "1", "--plot", png.toString());
        assertEquals(0, run.code(), run.err());
        String[] lines = run.out().split("\n");
        assertEquals(3 + 4, lines.length, run.out());
        assertTrue(lines[0].matches("device cpu\\(\\), 1 threads; matmul 32x32: \\d+\\.\\d GFLOP/s"), lines[0]);
        assertTrue(lines[1].matches("full forward 2 x 10 tokens: \\d+\\.\\d GFLOP/s \\(\\d+% of matmul\\), \\d+ tokens/s"),
                lines[1]);
        assertTrue(lines[2].matches(" +length +mode +tokens/s +ms/step +GFLOP/s +%matmul"), lines[2]);
        String[] modes = {" +2 +kv-cache", " +2 +no-cache", " +4 +kv-cache", " +4 +no-cache"};
        for (int i = 0; i < modes.length; i++) {
            assertTrue(lines[3 + i].matches(modes[i] + " +\\d+ +\\d+\\.\\d\\d +\\d+\\.\\d +\\d+%"), lines[3 + i]);
        }
        assertTrue(run.err().contains("bench sample: matmul again after the decodes:"), "progress on stderr");
        assertTrue(Files.size(png) > 0);

        CliRun bad = CliRun.of("bench", "sample", "--context", "16", "--lengths", "32");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--prompt-length 16 + longest length 32 + 2 exceeds --context 16"), bad.err());
    }
}
