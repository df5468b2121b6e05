package io.passk.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.passk.experiment.ExperimentConfig;
import io.passk.fs.AtomicOutput;
import io.passk.run.RunJson;
import io.passk.testing.SharedSpark;
import io.passk.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * run.json and experiment.json written by passk before its configuration became nested records
 * (commit 95587f2, {@code src/test/resources/io/passk/cli/legacy-config/README}): today's code
 * writes the same configuration byte for byte, and resumes a run that code started.
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
     * The run older code trained for two epochs, its second epoch undone (as a kill before its
     * checkpoint's rename leaves it): today's code rewrites its run.json byte for byte, accepts
     * the configuration on {@code --resume}, and trains the second epoch to the very weights and
     * held-out curve the older code did.
     */
    @Test
    void aRunOlderCodeStartedResumesToTheWeightsOlderCodeTrained() throws Exception {
        SharedSpark.get();
        List<String> line = new ArrayList<>(List.of("train", "--tasks", "../data/tasks/arith", "--init",
                RESOURCES.resolve("legacy-run/base").toString(), "--method", "passk-analytic", "--k", "2", "--n", "4",
                "--prompts-per-epoch", "6", "--epochs", "2", "--eval-every", "1", "--eval-problems", "6",
                "--eval-samples", "4", "--max-new-tokens", "8", "--mini-batches", "2", "--lr", "1e-3", "--seed", "5",
                "--no-report"));
        byte[] runJson = Files.readAllBytes(RUN.resolve(RunJson.FILE_NAME));
        JsonObject recorded = JsonParser.parseString(new String(runJson, java.nio.charset.StandardCharsets.UTF_8))
                .getAsJsonObject();
        TrainConfig cfg = config(line);
        Map<String, Object> rewritten = new LinkedHashMap<>();
        rewritten.put("name", "run");
        rewritten.put("method", cfg.method().cliName());
        rewritten.put("k", cfg.schedule().k());
        rewritten.put("seed", cfg.seed());
        rewritten.put("config", cfg.toMap());
        rewritten.put("provenance", recorded.get("provenance"));
        assertEquals(new String(runJson, java.nio.charset.StandardCharsets.UTF_8), RunJson.toJson(rewritten));

        Path run = tmp.resolve("run");
        copy(RUN, run);
        AtomicOutput.deleteRecursively(run.resolve("checkpoints/epoch=1"));
        assertFalse(Files.exists(run.resolve("checkpoints/epoch=1")));
        line.addAll(List.of("--out", run.toString(), "--resume"));
        assertEquals(0, Passk.execute(line.toArray(new String[0])));

        assertArrayEquals(runJson, Files.readAllBytes(run.resolve(RunJson.FILE_NAME)), "run.json is left as it was");
        assertArrayEquals(Files.readAllBytes(RUN.resolve("checkpoints/epoch=1/weights.params")),
                Files.readAllBytes(run.resolve("checkpoints/epoch=1/weights.params")));
        assertEquals(Files.readString(RUN.resolve("heldout.csv")), Files.readString(run.resolve("heldout.csv")));
        assertEquals(TrainCommandTest.deterministicColumns(RUN), TrainCommandTest.deterministicColumns(run));
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
