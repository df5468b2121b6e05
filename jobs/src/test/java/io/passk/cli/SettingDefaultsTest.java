package io.passk.cli;

import io.passk.experiment.ExperimentConfig;
import io.passk.settings.InvalidSettingException;
import io.passk.settings.Setting;
import io.passk.settings.TrainSettings;
import io.passk.settings.WarmupSettings;
import io.passk.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One default per setting: the command line and the experiment YAML agree; a refused setting shows its flag. */
class SettingDefaultsTest {

    @TempDir
    Path tmp;

    @Test
    void trainOptionsAndTheExperimentTrainingSectionHaveTheSameDefaults() throws Exception {
        TrainCommand train = parsed(new TrainCommand());
        CommandSpec spec = new CommandLine(train).getCommandSpec();
        for (Setting<?> s : TrainSettings.ALL) {
            OptionSpec o = spec.findOption(SettingFlags.defaultFlag(s));
            assertNotNull(o, "passk train has no option for " + s.name());
            assertEquals(s.defaultValue(), o.getValue(), o.longestName());
        }
        ExperimentConfig yaml = minimalExperiment();
        Map<String, Object> cli = withoutSeed(train.config(Path.of("base")).toMap());
        TrainConfig fromYaml = yaml.trainConfig(yaml.methods().get(0), 99, train.tasks, io.passk.policy.PolicySource.of("base"));
        assertEquals(cli, withoutSeed(fromYaml.toMap()));
        for (Setting<?> s : io.passk.settings.RolloutSettings.ALL) {
            OptionSpec o = spec.findOption(RolloutServerOptions.flag(s));
            assertNotNull(o, "passk train has no option for " + s.yamlKey());
            if (s != io.passk.settings.RolloutSettings.ENGINE) {   // --rollout-engine's default follows the servers given
                assertEquals(s.defaultValue(), o.getValue(), o.longestName());
            }
        }
        assertEquals(train.config(Path.of("base")).rollout(), fromYaml.rollout(), "training.rollout");
    }

    @Test
    void pretrainTrainsBaseModelAndTheExperimentBaseModelHaveTheSameWarmupDefaults() throws Exception {
        PretrainCommand pretrain = parsed(new PretrainCommand(), "--tasks", "t", "--out", "o");
        CommandSpec spec = new CommandLine(pretrain).getCommandSpec();
        for (Setting<?> s : WarmupSettings.ALL) {
            OptionSpec o = spec.findOption(pretrain.flag(s));
            assertNotNull(o, "passk pretrain has no option for " + s.name());
            assertEquals(s.defaultValue(), o.getValue(), o.longestName());
        }
        assertEquals(minimalExperiment().base(), parsed(new TrainCommand()).baseModel());
    }

    @Test
    void aSettingTheLibraryRefusesIsReportedWithTheFlagThatSetIt() {
        CliRun epochs = CliRun.of("train", "--epochs", "0", "--out", tmp.resolve("r").toString());
        assertEquals(2, epochs.code());
        assertTrue(epochs.err().contains("passk train: --epochs must be >= 1, got 0"), epochs.err());
        CliRun passes = CliRun.of("train", "--learner-passes", "0", "--out", tmp.resolve("r").toString());
        assertTrue(passes.err().contains("--learner-passes must be >= 1, got 0"), passes.err());
        CliRun schedule = CliRun.of("train", "--schedule", "step:0", "--out", tmp.resolve("r").toString());
        assertTrue(schedule.err().contains("--schedule step:S needs S >= 1"), schedule.err());
        CliRun temperature = CliRun.of("sample", "--policy", "p", "--tasks", "t", "--temperature", "-1",
                "--out", tmp.resolve("s").toString());
        assertEquals(2, temperature.code());
        assertTrue(temperature.err().contains("passk sample: --temperature must be finite and >= 0, got -1.0"),
                temperature.err());
        assertFalse(Files.exists(tmp.resolve("r")) || Files.exists(tmp.resolve("s")));
    }

    @Test
    void aSettingWithoutAnOptionInTheCommandIsNamedByItsKeyNotByAnotherOptionsFlag() {
        CommandLine train = Passk.commandLine().getSubcommands().get("train");
        InvalidSettingException warmupBatch = InvalidSettingException.of(WarmupSettings.BATCH_SIZE, "must be >= 1");
        assertEquals("base_model.batch_size must be >= 1", Passk.message(warmupBatch, train));
        InvalidSettingException batch = InvalidSettingException.of(TrainSettings.BATCH_SIZE, "must be >= 1");
        assertEquals("--batch-size must be >= 1", Passk.message(batch, train));
        CommandLine pretrain = Passk.commandLine().getSubcommands().get("pretrain");
        assertEquals("--batch-size must be >= 1", Passk.message(warmupBatch, pretrain));
        assertEquals("--lr must be > 0", Passk.message(
                InvalidSettingException.of(WarmupSettings.LEARNING_RATE, "must be > 0"), pretrain));
    }

    @Test
    void everyCommandTakesASharedOptionBlockFromItsMixin() {
        List<Class<?>> mixins = List.of(OutputOptions.class, RunOutputOptions.class, SeedOption.class,
                SparkUiOption.class, ModelShapeOptions.class, SamplingOptions.class);
        CommandLine passk = Passk.commandLine();
        for (String name : List.of("tasks", "train", "report", "eval", "pretrain", "sample", "experiment")) {
            CommandSpec command = passk.getSubcommands().get(name).getCommandSpec();
            for (Class<?> type : mixins) {
                List<String> flags = new CommandLine(newInstance(type)).getCommandSpec().options().stream()
                        .map(OptionSpec::longestName).toList();
                if (flags.stream().allMatch(f -> command.findOption(f) != null)) {
                    boolean viaMixin = command.mixins().values().stream()
                            .anyMatch(m -> type.isInstance(m.userObject()));
                    assertTrue(viaMixin, "passk " + name + " declares " + flags + " itself instead of using "
                            + type.getSimpleName());
                }
            }
        }
    }

    private static Object newInstance(Class<?> type) {
        try {
            var c = type.getDeclaredConstructor();
            c.setAccessible(true);
            return c.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private ExperimentConfig minimalExperiment() throws Exception {
        Path f = tmp.resolve("minimal.yaml");
        Files.writeString(f, "tasks: {dir: data/tasks/maze}\nmethods:\n  - {method: " + TrainSettings.METHOD.defaultValue()
                + "}\n");
        return ExperimentConfig.read(f, List.of());
    }

    private static <T> T parsed(T command, String... args) {
        new CommandLine(command).parseArgs(args);
        return command;
    }

    private static Map<String, Object> withoutSeed(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>(m);
        out.remove("seed");
        return out;
    }
}
