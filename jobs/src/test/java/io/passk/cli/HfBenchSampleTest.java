package io.passk.cli;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code passk bench sample --policy DIR}: a Hugging Face directory's KV-cache decoding timed against the matmul. */
class HfBenchSampleTest {
    static final String DIR = TrainCommandTest.repoPath("lib/src/test/resources/hf-decoder/qwen2/model");

    @Test
    void benchOfAModelDirectoryPrintsOneRowPerLengthWithPositiveFigures() {
        CliRun run = CliRun.of("bench", "sample", "--policy", DIR, "--batch-size", "4", "--prompt-length", "8",
                "--lengths", "4,12", "--repeat", "1", "--threads", "1");
        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(3, lines.size(), run.out());
        assertTrue(lines.get(0).contains("tokens_per_s") && lines.get(0).contains("fraction"), lines.get(0));
        int[] lengths = {4, 12};
        for (int i = 0; i < 2; i++) {
            String[] cells = lines.get(i + 1).trim().split("\\s+");
            assertEquals(List.of("4", "8", Integer.toString(lengths[i])), Arrays.asList(cells).subList(0, 3));
            for (int c = 3; c < cells.length; c++) {
                assertTrue(Double.parseDouble(cells[c]) > 0, lines.get(i + 1));
            }
        }
        assertTrue(run.err().contains("qwen2") || run.err().contains("QWEN2"), run.err());
    }

    @Test
    void aPromptAndLengthBeyondTheModelsPositionsOrANonModelDirectoryExitWith2() {
        CliRun tooLong = CliRun.of("bench", "sample", "--policy", DIR, "--prompt-length", "100", "--lengths", "64");
        assertEquals(2, tooLong.code());
        assertTrue(tooLong.err().contains("max_position_embeddings 128"), tooLong.err());
        CliRun notADir = CliRun.of("bench", "sample", "--policy", TrainCommandTest.repoPath("data/tasks/maze"));
        assertEquals(2, notADir.code());
        assertTrue(notADir.err().contains("not a Hugging Face model directory"), notADir.err());
    }
}
