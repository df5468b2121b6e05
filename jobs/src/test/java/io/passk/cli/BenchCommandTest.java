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

    /**
     * A launcher that runs passk's main class from this test's class path as a new process, as
     * bin/passk does from the jar (which the test phase has not built yet), with the JVM flags
     * of bin/jvm.options.
     */
    private static Path launcher(Path dir) throws Exception {
        Path options = Files.exists(Path.of("../bin/jvm.options")) ? Path.of("../bin/jvm.options")
                : Path.of("bin/jvm.options");
        StringBuilder flags = new StringBuilder();
        for (String line : Files.readAllLines(options)) {
            String f = line.strip();
            if (!f.isEmpty() && !f.startsWith("#")) {
                flags.append(' ').append(f);
            }
        }
        Files.createDirectories(dir);
        Path l = dir.resolve("passk");
        Files.writeString(l, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "'"
                + flags + " -cp '" + System.getProperty("java.class.path") + "' io.passk.cli.Passk \"$@\"\n");
        assertTrue(l.toFile().setExecutable(true));
        return l;
    }

    @Test
    void benchEvalTimesTheWholeLocalProcessThePeerTheSparkJobAndItsFloorAndTheyAgree() throws Exception {
        SharedSpark.get();
        Path work = tmp.resolve("work");
        Files.createDirectories(work);
        CliRun run = CliRun.of("bench", "eval", "--rows", "3000", "--problems", "40", "--k", "1,4,100",
                "--bootstrap", "20", "--repeat", "1", "--warmup", "1", "--no-spark-process", "--no-example",
                "--launcher", launcher(tmp.resolve("bin")).toString(), "--work-dir", work.toString());
        assertEquals(0, run.code(), run.err());
        for (String s : new String[] {"passk eval --engine local, whole process:",
                "peer: DuckDB query, same per-problem work:", "ratio local process / peer:",
                "spark engine's job in this process:", "spark floor: scan + per-problem count/sum/max:",
                "ratio spark job / floor:", "ratio floor / peer:", "CPU, median (s): local ", "peer            DuckDB v",
                "first (cold) runs"}) {
            assertTrue(run.out().contains(s), run.out());
        }
        // k = 100 > n = 75: null on both sides, which counts as agreement
        for (String side : new String[] {"local process", "spark job"}) {
            assertTrue(run.out().contains("per-problem agreement with the peer, " + side
                    + ": 40 problems compared, 0 in one table only"), run.out());
        }
        assertEquals(2, run.out().split(": agree", -1).length - 1, run.out());
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(0, left.count(), "temporary data removed");
        }
        assertEquals(2, CliRun.of("bench").code(), "bench needs a benchmark name");
        assertEquals(2, CliRun.of("bench", "eval", "--launcher", tmp.resolve("none").toString()).code(),
                "a launcher that is not there is refused before any work");
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
        assertTrue(lines[1].matches("full forward 2 x 9 tokens: \\d+\\.\\d GFLOP/s \\(\\d+% of matmul\\), \\d+ tokens/s"),
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
        assertTrue(bad.err().contains("--prompt-length 16 + longest length 32 + 1 exceeds --context 16"), bad.err());
    }
}
