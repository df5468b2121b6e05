package io.passk.experiment;

import io.passk.BadInputException;
import io.passk.advantage.AdvantageMethod;
import io.passk.rollout.server.RolloutConfig;
import io.passk.settings.RolloutSettings;
import io.passk.settings.Setting;
import io.passk.settings.TrainSettings;
import io.passk.settings.WarmupSettings;
import io.passk.train.BaseModel;
import io.passk.train.KSchedule;
import io.passk.train.TrainConfig;
import io.passk.policy.PolicySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExperimentConfigTest {

    static final Path MAZE = Path.of("..", "experiments", "maze.yaml");

    @TempDir
    Path tmp;

    @Test
    void theShippedMazeExperimentComparesSixMethodsOverThreeSeedsWithOneBudget() {
        ExperimentConfig c = ExperimentConfig.read(MAZE, List.of());
        assertEquals(List.of("pass1", "passk-full", "passk-bootstrap", "passk-analytic",
                "passk-analytic-to-pass1", "pkpo"), c.methods().stream().map(ExperimentConfig.MethodRun::name).toList());
        assertEquals(List.of(1L, 2L, 3L), c.seeds());
        assertEquals(64, c.finalKs().length);
        assertEquals(64, c.finalKs()[63]);
        for (ExperimentConfig.MethodRun m : c.methods()) {
            TrainConfig t = c.trainConfig(m, 2, "tasks", PolicySource.of("base"));
            // the same rollout budget for every method
            assertEquals(c.training().epochs() * c.training().promptsPerEpoch() * c.training().sampling().n(),
                    t.epochs() * t.promptsPerEpoch() * t.sampling().n(), m.name());
            assertEquals(2, t.seed());
        }
        TrainConfig sw = c.trainConfig(c.methods().get(4), 1, "t", PolicySource.of("b"));
        assertEquals(KSchedule.Kind.SWITCH, sw.schedule().kind());
        assertEquals(AdvantageMethod.PASSK_ANALYTIC, sw.methodAt(7));
        assertEquals(AdvantageMethod.PASS1, sw.methodAt(8));
        assertEquals(1, c.trainConfig(c.methods().get(0), 1, "t", PolicySource.of("b")).schedule().k());
        assertEquals(4, c.trainConfig(c.methods().get(3), 1, "t", PolicySource.of("b")).schedule().k());
    }

    @Test
    void overridesApplyBeforeValidationAndChangeTheRecordedConfig() {
        ExperimentConfig c = ExperimentConfig.read(MAZE, List.of("training.epochs=2", "seeds=[7]",
                "base_model.width=32", "final_eval.samples=16"));
        assertEquals(2, c.training().epochs());
        assertEquals(List.of(7L), c.seeds());
        assertEquals(32, c.base().width());
        assertEquals(16, c.finalKs().length);
        assertNotEquals(ExperimentConfig.read(MAZE, List.of()).toMap(), c.toMap());
        assertEquals(ExperimentConfig.read(MAZE, List.of()).toMap(), ExperimentConfig.read(MAZE, List.of()).toMap());
    }

    @Test
    void onlyMethodsKeepsTheConfigOrderAndRefusesUnknownNames() {
        ExperimentConfig c = ExperimentConfig.read(MAZE, List.of()).onlyMethods(List.of("passk-analytic", "pass1"));
        assertEquals(List.of("pass1", "passk-analytic"), c.methods().stream().map(ExperimentConfig.MethodRun::name).toList());
        BadInputException e = assertThrows(BadInputException.class,
                () -> ExperimentConfig.read(MAZE, List.of()).onlyMethods(List.of("passk")));
        assertTrue(e.getMessage().contains("'passk'"), e.getMessage());
    }

    @Test
    void aMisspeltKeyIsRefusedNamingTheFileAndTheKey() throws Exception {
        Path f = write("name: x\ntraining:\n  epoch: 3\nmethods:\n  - {method: pass1}\ntasks: {dir: d}\n");
        BadInputException e = assertThrows(BadInputException.class, () -> ExperimentConfig.read(f, List.of()));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("'training.epoch'")
                && e.getMessage().contains("epochs"), e.getMessage());
    }

    @Test
    void badValuesAreRefusedWithTheKeyAndTheValue() throws Exception {
        String head = "tasks: {dir: d}\nmethods:\n  - {method: passk-analytic}\n";
        assertMessage(write(head + "training: {epochs: many}\n"), "'training.epochs' is not an integer: many");
        assertMessage(write(head + "training: {k: 32, n: 16}\n"), "'training.k' 32 exceeds 'training.n' 16");
        assertMessage(write(head + "seeds: [1, 1]\n"), "distinct");
        assertMessage(write("tasks: {dir: d}\nmethods:\n  - {method: passk-magic}\n"), "'methods[0].method'");
        assertMessage(write("tasks: {dir: d}\nmethods:\n  - {method: pkpo}\n  - {method: pkpo}\n"), "appears twice");
        assertMessage(write("tasks: {dir: d}\nmethods: []\n"), "'methods' must be a non-empty list");
        assertMessage(write("tasks: {task: maze}\nmethods:\n  - {method: pkpo}\n"), "'tasks.difficulties' is missing");
        assertMessage(write("tasks: [\n"), "not valid YAML");
        assertMessage(write("- 1\n- 2\n"), "must be a YAML mapping");
        assertMessage(tmp.resolve("missing.yaml"), "cannot read");
        BadInputException set = assertThrows(BadInputException.class,
                () -> ExperimentConfig.read(MAZE, List.of("training.epochs")));
        assertTrue(set.getMessage().contains("key=value"), set.getMessage());
    }

    @Test
    void aRefusedSettingIsNamedByItsKeyInTheFileNotByACommandLineFlag() throws Exception {
        String head = "tasks: {dir: d}\nmethods:\n  - {method: passk-analytic}\n";
        assertMessage(write(head + "training: {epochs: 0}\n"), "'training.epochs' must be >= 1, got 0");
        assertMessage(write(head + "training: {lr: -1}\n"), "'training.lr' must be > 0, got -1.0");
        assertMessage(write(head + "training: {learner_passes: 0}\n"), "'training.learner_passes' must be >= 1");
        assertMessage(write(head + "training: {eval_every: 0}\n"), "'training.eval_every' must be >= 1, got 0");
        Path ownK = write("tasks: {dir: d}\nmethods:\n  - {method: pkpo}\n  - {method: passk-full, k: 32}\n");
        assertMessage(ownK, "method passk-full: 'methods[1].k' 32 exceeds 'training.n' 16");
        assertMessage(ownK, ownK.toString());
        assertMessage(write("tasks: {dir: d}\nmethods:\n  - {method: pkpo, schedule: 'step:0'}\n"),
                "'methods[0].schedule' step:S needs S >= 1");
        for (String flag : List.of("epochs", "lr", "k", "n")) {
            BadInputException e = assertThrows(BadInputException.class, () -> ExperimentConfig.read(
                    write(head + "training: {" + flag + ": -5}\n"), List.of()));
            assertTrue(!e.getMessage().contains("--"), e.getMessage());
        }
    }

    @Test
    void absentTrainingAndBaseModelKeysTakeTheSharedDefaults() throws Exception {
        ExperimentConfig c = ExperimentConfig.read(write("tasks: {dir: d}\nmethods:\n  - {method: passk-analytic}\n"),
                List.of());
        TrainConfig t = c.trainConfig(c.methods().get(0), 1, "d", PolicySource.of("b"));
        for (Setting<?> s : TrainSettings.ALL) {
            assertEquals(s.defaultValue(), t.toMap().get(s.name()), s.yamlKey());
        }
        assertEquals(new BaseModel.Settings(WarmupSettings.CONTEXT.defaultValue(), WarmupSettings.LAYERS.defaultValue(),
                WarmupSettings.WIDTH.defaultValue(), WarmupSettings.HEADS.defaultValue(),
                WarmupSettings.STEPS.defaultValue(), WarmupSettings.BATCH_SIZE.defaultValue(),
                WarmupSettings.LEARNING_RATE.defaultValue(), WarmupSettings.SEED.defaultValue()), c.base());
    }

    private void assertMessage(Path file, String expected) {
        BadInputException e = assertThrows(BadInputException.class, () -> ExperimentConfig.read(file, List.of()));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    static final Path TINY_HF = Path.of("src/test/resources/hf/tiny-qwen2").toAbsolutePath();

    @Test
    void baseModelDirNamesAnExistingBaseModelOfEitherKindAndIsRecorded() throws Exception {
        ExperimentConfig c = ExperimentConfig.read(write("tasks: {dir: d}\nmethods:\n  - {method: pass1}\n"
                + "base_model: {dir: '" + TINY_HF + "'}\n"), List.of());
        assertEquals(List.of(TINY_HF.toString()), c.baseDirs());
        assertEquals(java.util.Map.of("dir", TINY_HF.toString()), c.toMap().get("base_model"));
        ExperimentConfig warm = ExperimentConfig.read(MAZE, List.of());
        assertEquals(List.of(), warm.baseDirs());
        assertTrue(((java.util.Map<?, ?>) warm.toMap().get("base_model")).containsKey("warmup_steps"));
    }

    @Test
    void baseModelDirExcludesWarmUpKeysAndMustHoldAPolicy() throws Exception {
        String head = "tasks: {dir: d}\nmethods:\n  - {method: pass1}\n";
        assertMessage(write(head + "base_model: {dir: '" + TINY_HF + "', layers: 2}\n"),
                "'base_model.dir' names an existing base model: it excludes the warm-up key 'layers'");
        Path broken = Files.createDirectories(tmp.resolve("broken-model"));
        Files.writeString(broken.resolve("config.json"), "{\"model_type\": \"qwen2\"}");
        assertMessage(write(head + "base_model: {dir: '" + broken + "'}\n"), "'base_model.dir'");
        assertMessage(write(head + "base_model: {dir: '" + broken + "'}\n"), broken.toString());
    }

    @Test
    void baseModelSeedsGiveOneWarmUpReplicatePerSeedLabelledBySeedAndAreRecorded() throws Exception {
        ExperimentConfig c = ExperimentConfig.read(MAZE, List.of());
        assertEquals(List.of(1L, 2L, 3L), c.baseSeeds());
        List<ExperimentConfig.BaseReplicate> bases = c.baseModels();
        assertEquals(List.of("b1", "b2", "b3"), bases.stream().map(ExperimentConfig.BaseReplicate::label).toList());
        assertEquals(List.of(1L, 2L, 3L), bases.stream().map(b -> b.warmup().seed()).toList());
        // everything but the seed is the shared warm-up
        assertEquals(c.base().width(), bases.get(2).warmup().width());
        assertEquals(c.base().steps(), bases.get(2).warmup().steps());
        java.util.Map<?, ?> recorded = (java.util.Map<?, ?>) c.toMap().get("base_model");
        assertEquals(List.of(1L, 2L, 3L), recorded.get("seeds"));
        assertTrue(!recorded.containsKey("seed"), recorded.toString());
    }

    @Test
    void oneBaseModelKeepsTheUnlabelledLayoutAndTheRecordItHadBeforeReplicates() throws Exception {
        ExperimentConfig c = ExperimentConfig.read(write("tasks: {dir: d}\nmethods:\n  - {method: pass1}\n"
                + "base_model: {seed: 4}\n"), List.of());
        assertEquals(List.of(new ExperimentConfig.BaseReplicate(null, null, c.base())), c.baseModels());
        java.util.Map<?, ?> recorded = (java.util.Map<?, ?>) c.toMap().get("base_model");
        assertEquals(4L, recorded.get("seed"));
        assertTrue(!recorded.containsKey("seeds"), recorded.toString());
    }

    @Test
    void aListOfBaseModelDirectoriesIsOneReplicateEachLabelledByDirectoryName() throws Exception {
        Path a = copyTiny("first");
        Path b = copyTiny("second");
        ExperimentConfig c = ExperimentConfig.read(write("tasks: {dir: d}\nmethods:\n  - {method: pass1}\n"
                + "base_model: {dir: ['" + a + "', '" + b + "']}\n"), List.of());
        assertEquals(List.of("first", "second"), c.baseModels().stream().map(ExperimentConfig.BaseReplicate::label).toList());
        assertEquals(List.of(a.toString(), b.toString()), c.baseModels().stream().map(ExperimentConfig.BaseReplicate::dir).toList());
        assertEquals(List.of(a.toString(), b.toString()), ((java.util.Map<?, ?>) c.toMap().get("base_model")).get("dir"));
        // two directories with the same name are told apart by position
        Path a2 = Files.createDirectories(tmp.resolve("other"));
        Path twin = copyTiny("other/first");
        ExperimentConfig d = ExperimentConfig.read(write("tasks: {dir: d}\nmethods:\n  - {method: pass1}\n"
                + "base_model: {dir: ['" + a + "', '" + twin + "']}\n"), List.of());
        assertEquals(List.of("d1", "d2"), d.baseModels().stream().map(ExperimentConfig.BaseReplicate::label).toList());
        assertTrue(Files.isDirectory(a2));
    }

    @Test
    void baseModelSeedsExcludeSeedAndDirAndMustBeDistinct() throws Exception {
        String head = "tasks: {dir: d}\nmethods:\n  - {method: pass1}\n";
        assertMessage(write(head + "base_model: {seeds: [1, 2], seed: 3}\n"),
                "'base_model.seeds' gives one warm-up seed per base model: it excludes 'seed'");
        assertMessage(write(head + "base_model: {seeds: [1, 1]}\n"), "base_model.seeds must be distinct integers");
        assertMessage(write(head + "base_model: {seeds: []}\n"), "'base_model.seeds' must list at least one seed");
        assertMessage(write(head + "base_model: {seeds: [a]}\n"), "'base_model.seeds' must be a list of integers");
        assertMessage(write(head + "base_model: {dir: '" + TINY_HF + "', seeds: [1]}\n"), "it excludes 'seeds'");
        assertMessage(write(head + "base_model: {dir: ['" + TINY_HF + "', '" + TINY_HF + "']}\n"),
                "names a directory twice");
    }

    @Test
    void theShippedBaseExperimentIsTheMazeExperimentFromTheThreeShippedBaseModels() throws Exception {
        // its paths are relative to the repository root, where bin/passk runs; tests run in lib/
        Path repo = Path.of("..").toAbsolutePath().normalize();
        String text = Files.readString(repo.resolve("experiments/maze-shipped-base.yaml"));
        ExperimentConfig shipped = ExperimentConfig.read(write(text.replace("experiments/results/",
                repo.resolve("experiments/results") + "/")), List.of());
        ExperimentConfig maze = ExperimentConfig.read(MAZE, List.of());
        assertEquals(List.of("b1", "b2", "b3"), shipped.baseModels().stream().map(ExperimentConfig.BaseReplicate::label).toList());
        // the same labels as the warm-ups they came from, so run directories have the same names
        assertEquals(maze.baseModels().stream().map(ExperimentConfig.BaseReplicate::label).toList(),
                shipped.baseModels().stream().map(ExperimentConfig.BaseReplicate::label).toList());
        for (ExperimentConfig.BaseReplicate b : shipped.baseModels()) {
            assertTrue(Files.exists(Path.of(b.dir()).resolve("model.safetensors")), b.dir());   // character-model directories
        }
        java.util.Map<String, Object> a = new java.util.LinkedHashMap<>(shipped.toMap());
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>(maze.toMap());
        for (String key : List.of("name", "base_model")) {
            a.remove(key);
            m.remove(key);
        }
        assertEquals(m, a, "tasks, training, seeds, methods and final evaluation are maze.yaml's");
    }

    private Path copyTiny(String name) throws Exception {
        Path dst = Files.createDirectories(tmp.resolve(name));
        try (var files = Files.list(TINY_HF)) {
            for (Path f : files.toList()) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        return dst;
    }

    @Test
    void trainingSetsThePromptStyleTemplateAndSaveDtypeAndTheirDefaultsLeaveExperimentJsonAsItWas()
            throws Exception {
        String head = "tasks: {dir: d}\nmethods:\n  - {method: pass1}\n";
        ExperimentConfig plain = ExperimentConfig.read(write(head), List.of());
        TrainConfig d = plain.trainConfig(plain.methods().get(0), 1, "d", PolicySource.of("b"));
        assertEquals(List.of("auto", "auto", "f32"), List.of(d.format().promptStyle(), d.format().promptTemplate(), d.format().saveDtype()));
        java.util.Map<?, ?> training = (java.util.Map<?, ?>) ((java.util.Map<?, ?>) ((List<?>) plain.toMap()
                .get("methods")).get(0)).get("training");
        List<String> keys = new java.util.ArrayList<>(TrainSettings.ALL.stream().map(Setting::name).toList());
        keys.addAll(List.of("prompt_template", "save_dtype"));
        assertEquals(new java.util.HashSet<>(keys), training.keySet(), "the keys experiment.json had before");
        assertEquals(plain.toMap(), ExperimentConfig.read(write(head + "training: {prompt_style: compact,"
                + " prompt_template: auto, save_dtype: f32}\n"), List.of()).toMap(), "the defaults, written out");

        ExperimentConfig hf = ExperimentConfig.read(write(head + "base_model: {dir: '" + TINY_HF + "'}\n"
                + "training: {prompt_style: instruction, prompt_template: chat, save_dtype: BF16}\n"), List.of());
        TrainConfig t = hf.trainConfig(hf.methods().get(0), 1, "d", PolicySource.of(TINY_HF.toString()));
        assertEquals(List.of("instruction", "chat", "bf16"), List.of(t.format().promptStyle(), t.format().promptTemplate(), t.format().saveDtype()));
        java.util.Map<?, ?> recorded = (java.util.Map<?, ?>) ((java.util.Map<?, ?>) ((List<?>) hf.toMap()
                .get("methods")).get(0)).get("training");
        assertEquals("instruction", recorded.get("prompt_style"));
        assertEquals("chat", recorded.get("prompt_template"));
        assertEquals("bf16", recorded.get("save_dtype"));
        ExperimentConfig set = ExperimentConfig.read(write(head), List.of("training.prompt_style=compact"));
        assertEquals("compact", set.trainConfig(set.methods().get(0), 1, "d", PolicySource.of("b")).format().promptStyle(), "--set works too");
    }

    @Test
    void trainingRolloutKeysGiveEveryRunTheirRolloutConfigAndTheirDefaultsLeaveExperimentJsonAsItWas()
            throws Exception {
        String head = "tasks: {dir: d}\nmethods:\n  - {method: pass1}\n  - {method: passk-analytic}\n";
        ExperimentConfig plain = ExperimentConfig.read(write(head), List.of());
        assertEquals(RolloutConfig.djl(), plain.trainConfig(plain.methods().get(0), 1, "d", PolicySource.of("b")).rollout());
        String defaults = "training:\n  rollout: {engine: djl, server: '', server_command: '', model: '', concurrency: "
                + RolloutSettings.CONCURRENCY.defaultValue() + ", request_timeout_s: "
                + RolloutSettings.REQUEST_TIMEOUT.defaultValue() + ", health_timeout_s: "
                + RolloutSettings.HEALTH_TIMEOUT.defaultValue() + ", retries: " + RolloutSettings.RETRIES.defaultValue()
                + ", is_cap: " + RolloutSettings.IS_CAP.defaultValue() + "}\n";
        assertEquals(plain.toMap(), ExperimentConfig.read(write(head + defaults), List.of()).toMap(),
                "every rollout default, written out, records what the file without them records");

        ExperimentConfig served = ExperimentConfig.read(write(head + "training:\n  rollout:\n"
                + "    server_command: 'passk serve --model {model} --port {port}'\n    model: tiny\n"
                + "    concurrency: 8\n    request_timeout_s: 30\n    health_timeout_s: 60\n    retries: 2\n"
                + "    is_cap: 3.5\n"), List.of());
        RolloutConfig expected = new RolloutConfig("server", List.of(), "passk serve --model {model} --port {port}",
                "tiny", 8, 30, 60, 2, 3.5);
        for (ExperimentConfig.MethodRun m : served.methods()) {
            assertEquals(expected, served.trainConfig(m, 1, "d", PolicySource.of("b")).rollout(), m.name());
            java.util.Map<?, ?> recorded = (java.util.Map<?, ?>) ((java.util.Map<?, ?>) ((List<?>) served.toMap()
                    .get("methods")).get(served.methods().indexOf(m))).get("training");
            java.util.Map<?, ?> r = (java.util.Map<?, ?>) recorded.get("rollout");
            assertEquals("server", r.get("engine"));
            assertEquals("passk serve --model {model} --port {port}", r.get("server_command"));
            assertEquals(3.5, r.get("is_cap"));
        }
        assertNotEquals(plain.toMap(), ExperimentConfig.read(write(head), List.of(
                "training.rollout.server_command='x --port {port}'")).toMap(), "--set reaches training.rollout");
    }

    @Test
    void anUnknownOrRefusedTrainingRolloutKeyIsNamedByItsDottedKeyInOneLine() throws Exception {
        String head = "tasks: {dir: d}\nmethods:\n  - {method: pass1}\n";
        Path unknown = write(head + "training:\n  rollout: {x: 1}\n");
        BadInputException e = assertThrows(BadInputException.class, () -> ExperimentConfig.read(unknown, List.of()));
        assertTrue(e.getMessage().contains(unknown.toString()) && e.getMessage().contains("unknown key 'training.rollout.x'")
                && e.getMessage().contains("is_cap"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertMessage(write(head + "training: {rollout: {engine: vllm}}\n"),
                "'training.rollout.engine' must be djl or server, got 'vllm'");
        assertMessage(write(head + "training: {rollout: {server_command: 'serve {model}'}}\n"),
                "'training.rollout.server_command' must contain {port}");
        assertMessage(write(head + "training: {rollout: {is_cap: 0.5}}\n"), "'training.rollout.is_cap' must be finite and >= 1");
        assertMessage(write(head + "training: {rollout: {server: 'ftp://h'}}\n"), "'training.rollout.server' expects http(s)");
        // servers someone else runs cannot follow the experiment's full fine-tunes
        assertMessage(write(head + "training: {rollout: {server: 'http://127.0.0.1:8000'}}\n"),
                "'training.rollout.server' cannot follow a full fine-tune");
        assertMessage(write(head + "training: {rollout: 3}\n"), "'training.rollout' must be a mapping");
    }

    @Test
    void aBadPromptStyleTemplateOrDtypeIsNamedByItsKeyAndAWarmedUpBaseTakesAnyTemplateAndDtype() throws Exception {
        String head = "tasks: {dir: d}\nmethods:\n  - {method: pass1}\n";
        String hf = "base_model: {dir: '" + TINY_HF + "'}\n";
        assertMessage(write(head + "training: {prompt_style: chatty}\n"),
                "'training.prompt_style' must be auto, compact or instruction, got chatty");
        assertMessage(write(head + hf + "training: {prompt_template: jinja}\n"),
                "'training.prompt_template' must be auto, plain, plain-bos or chat, got jinja");
        assertMessage(write(head + hf + "training: {save_dtype: f16}\n"), "'training.save_dtype' must be f32 or bf16");
        // the warmed-up base model is a Hugging Face directory (the character model) like any other
        ExperimentConfig warm = ExperimentConfig.read(write(head + "training: {prompt_template: chat, save_dtype: bf16}\n"),
                List.of());
        TrainConfig c = warm.trainConfig(warm.methods().get(0), 1, "d", PolicySource.of("b"));
        assertEquals(List.of("chat", "bf16"), List.of(c.format().promptTemplate(), c.format().saveDtype()));
        assertMessage(write(head + "training: {prompt_style: [compact]}\n"), "'training.prompt_style' is not a single value");
    }

    private Path write(String yaml) throws Exception {
        Path f = Files.createTempFile(tmp, "exp", ".yaml");
        Files.writeString(f, yaml);
        return f;
    }
}
