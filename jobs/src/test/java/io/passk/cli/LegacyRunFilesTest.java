package io.passk.cli;

import io.passk.experiment.ExperimentConfig;
import io.passk.run.RunJson;
import io.passk.testing.SharedSpark;
import io.passk.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * run.json and experiment.json written by passk before its configuration became nested records
 * (commit 95587f2, {@code src/test/resources/io/passk/cli/legacy-config/README}): today's code
 * writes the same configuration byte for byte; a run of the old built-in model is refused on
 * resume, naming the converter.
 */
class LegacyRunFilesTest {

    static final Path RESOURCES = Path.of("src/test/resources/io/passk/cli");
    static final Path CONFIGS = RESOURCES.resolve("legacy-config");
    static final Path RUN = RESOURCES.resolve("legacy-run/run");

    @TempDir
    Path tmp;

    @Test
    void trainCommandLinesGiveTheRunJsonConfigurationOlderCodeWroteByteForByte() throws IOException {
        List<Path> args = files(".args");
        assertEquals(3, args.size(), "the fixtures: " + args);
        for (Path a : args) {
            String expected = Files.readString(CONFIGS.resolve(a.getFileName().toString().replace(".args", ".config.json")));
            assertEquals(expected, RunJson.toJson(config(Files.readAllLines(a)).toMap()), a.toString());
        }
    }

    @Test
    void experimentFilesGiveTheExperimentJsonConfigurationOlderCodeWroteByteForByte() throws IOException {
        Path experiments = Path.of("..", "experiments");
        Map<String, ExperimentConfig> read = new LinkedHashMap<>();
        read.put("maze", ExperimentConfig.read(experiments.resolve("maze.yaml"), List.of()));
        read.put("maze-toy", ExperimentConfig.read(experiments.resolve("maze-toy.yaml"), List.of()));
        read.put("maze-seeds-instruction", ExperimentConfig.read(experiments.resolve("maze.yaml"),
                List.of("training.prompt_style=instruction", "training.kl_beta=0.02")));
        assertEquals(files(".experiment-config.json").size(), read.size());
        for (var e : read.entrySet()) {
            assertEquals(Files.readString(CONFIGS.resolve(e.getKey() + ".experiment-config.json")),
                    RunJson.toJson(e.getValue().toMap()), e.getKey());
        }
    }

    /**
     * The run older code trained for two epochs, from and into checkpoints of the old built-in
     * model: {@code --resume} exits 2 with one line naming the converter, before anything is
     * written (the run directory is left byte for byte as it was).
     */
    @Test
    void aRunOfTheOldBuiltInModelIsRefusedOnResumeNamingTheConverter() throws Exception {
        SharedSpark.get();
        Path base = RESOURCES.resolve("legacy-run/base");
        Path run = tmp.resolve("run");
        copy(RUN, run);
        Map<String, byte[]> before = snapshot(run);
        CliRun r = CliRun.of("train", "--tasks", "../data/tasks/arith", "--init", base.toString(), "--method",
                "passk-analytic", "--k", "2", "--n", "4", "--prompts-per-epoch", "6", "--epochs", "2", "--eval-every",
                "1", "--eval-problems", "6", "--eval-samples", "4", "--max-new-tokens", "8", "--mini-batches", "2",
                "--lr", "1e-3", "--seed", "5", "--no-report", "--out", run.toString(), "--resume");
        assertEquals(2, r.code(), r.err());
        List<String> lines = r.err().lines().filter(l -> l.startsWith("passk train:")).toList();
        assertEquals(List.of("passk train: " + base + " is an old built-in passk checkpoint; convert it first:"
                + " passk export --from-builtin " + base + " --out DIR"), lines, r.err());
        Map<String, byte[]> after = snapshot(run);
        assertEquals(before.keySet(), after.keySet(), "nothing written");
        for (String f : before.keySet()) {
            assertArrayEquals(before.get(f), after.get(f), f);
        }
    }

    static Map<String, byte[]> snapshot(Path dir) throws IOException {
        Map<String, byte[]> out = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(f).toString(), Files.readAllBytes(f));
            }
        }
        return out;
    }

    static TrainConfig config(List<String> line) {
        assertEquals("train", line.get(0));
        TrainCommand c = new TrainCommand();
        new CommandLine(c).parseArgs(line.subList(1, line.size()).toArray(new String[0]));
        assertTrue(c.init != null, "the fixtures name --init");
        // a run records its resolved prompt template (auto: the --init policy's own; plain here)
        return io.passk.train.PassAtKTraining.resolveFormat(c.config(c.init), Path.of("no-such-run"), false);
    }

    static List<Path> files(String suffix) throws IOException {
        try (Stream<Path> s = Files.list(CONFIGS)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
