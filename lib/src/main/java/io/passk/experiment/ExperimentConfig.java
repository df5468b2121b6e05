package io.passk.experiment;

import io.passk.BadInputException;
import io.passk.advantage.AdvantageMethod;
import io.passk.learn.LearnerConfig;
import io.passk.settings.InvalidSettingException;
import io.passk.settings.Setting;
import io.passk.settings.RolloutSettings;
import io.passk.settings.TrainSettings;
import io.passk.settings.WarmupSettings;
import io.passk.task.TaskSuiteSpec;
import io.passk.advantage.spark.AdvantageMix;
import io.passk.train.BaseModel;
import io.passk.policy.PolicySource;
import io.passk.task.PromptStyle;
import io.passk.rollout.server.RolloutConfig;
import io.passk.rollout.Sampling;
import io.passk.train.KSchedule;
import io.passk.train.TrainConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An experiment (e.g. {@code experiments/maze.yaml}): one task suite, one or more base models
 * (replicates: every method × seed runs on each), and the same training budget for every method and seed, so methods differ only in their advantages
 * and schedule. Immutable; {@link #toMap()} is what {@code experiment.json} records and what
 * {@code --resume} compares.
 *
 * @param name         experiment name (report title)
 * @param tasks        the task suite: an existing directory or a generation spec
 * @param base         warm-up settings of the shared base model
 * @param training     settings every run shares (rollout budget, learner, held-out evaluation)
 * @param finalSamples samples per held-out problem of the final evaluation (pass@k for k = 1..it)
 * @param seeds        run seeds; every method runs once per seed
 * @param methods      the compared methods, in table order
 * @param baseDirs     {@code base_model.dir}: existing base models (passk checkpoints or Hugging Face
 *                     model directories) that the runs start from instead of warm-up trained ones;
 *                     empty for the warm-up. More than one: every method × seed runs on each
 * @param baseSeeds    {@code base_model.seeds}: warm-up seeds, one base model each (replicates of the
 *                     base model, a random factor of the comparison); empty: one base model with
 *                     {@code base.seed()}
 */
public record ExperimentConfig(String name, TaskSource tasks, BaseModel.Settings base, TrainingSettings training,
                               int finalSamples, List<Long> seeds, List<MethodRun> methods, List<String> baseDirs,
                               List<Long> baseSeeds) {

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** Where the problems come from: {@code dir} (an existing suite) or {@code generate}. */
    public record TaskSource(String dir, TaskSuiteSpec generate) {
        public TaskSource {
            if ((dir == null) == (generate == null)) {
                throw new BadInputException("tasks: give either 'dir' or 'task' (with difficulties, train, test, seed)");
            }
        }
    }

    /**
     * Settings shared by every run: the rollout budget (n, P, epochs), learner and held-out
     * evaluation, and how the policy sees and saves ({@code prompt_template}, {@code save_dtype},
     * {@code prompt_style}: {@link TrainSettings}; their defaults leave experiment.json as it was),
     * and where rollouts are sampled ({@code training.rollout}: {@link RolloutSettings}; the in-JVM
     * decoder by default, which experiment.json does not record).
     */
    public record TrainingSettings(int k, int promptsPerEpoch, int epochs, LearnerConfig learner, Sampling sampling,
                                   TrainConfig.Heldout heldout, int bootstrapGroups, TrainConfig.ModelFormat format,
                                   RolloutConfig rollout) {
    }

    /**
     * One compared method.
     *
     * @param name     label (table row, run directory name)
     * @param method   advantage method of its Pass@k epochs
     * @param k        its k (1 for pass1)
     * @param schedule k schedule ({@code constant}, {@code switch:E}, ...)
     * @param mix      Pass@k / Pass@1 advantage mix
     */
    public record MethodRun(String name, AdvantageMethod method, int k, String schedule, String mix) {
    }

    /**
     * One base model every method × seed starts from.
     *
     * @param label  its name in tables and directories ({@code b1} for warm-up seed 1, a
     *               directory's name for {@code base_model.dir}); null when the experiment has one
     *               base model (directories without a base label, as before replicates existed)
     * @param dir    an existing model directory, or null for a warm-up
     * @param warmup the warm-up settings (with this replicate's seed) when {@code dir} is null
     */
    public record BaseReplicate(String label, String dir, BaseModel.Settings warmup) {
    }

    public ExperimentConfig {
        seeds = List.copyOf(seeds);
        methods = List.copyOf(methods);
        baseDirs = List.copyOf(baseDirs);
        baseSeeds = List.copyOf(baseSeeds);
        if (!baseDirs.isEmpty() && !baseSeeds.isEmpty()) {
            throw new BadInputException("base_model: 'dir' and 'seeds' exclude each other");
        }
        if (new HashSet<>(baseSeeds).size() != baseSeeds.size()) {
            throw new BadInputException("base_model.seeds must be distinct integers, got " + baseSeeds);
        }
        if (new HashSet<>(baseDirs).size() != baseDirs.size()) {
            throw new BadInputException("base_model.dir names a directory twice: " + baseDirs);
        }
        if (seeds.isEmpty() || new HashSet<>(seeds).size() != seeds.size()) {
            throw new BadInputException("seeds must be a non-empty list of distinct integers, got " + seeds);
        }
        if (methods.isEmpty()) {
            throw new BadInputException("methods: at least one method is needed");
        }
        Set<String> names = new HashSet<>();
        for (MethodRun m : methods) {
            if (!SAFE_NAME.matcher(m.name()).matches() || m.name().equals("base")) {
                throw new BadInputException("methods: name '" + m.name()
                        + "' must be letters, digits, '.', '_' or '-' (and not 'base')");
            }
            if (!names.add(m.name())) {
                throw new BadInputException("methods: name '" + m.name() + "' appears twice");
            }
        }
        if (finalSamples < 1) {
            throw new BadInputException("final_eval.samples must be >= 1, got " + finalSamples);
        }
        // every run's TrainConfig must be valid before anything runs
        for (MethodRun m : methods) {
            trainConfig(m, seeds.get(0), "tasks", new PolicySource.HuggingFace(Path.of("init"), PromptStyle.COMPACT), training,
                    methods.indexOf(m));
        }
    }

    /** The base models, in order: one per {@code base_model.dir} entry or warm-up seed. */
    public List<BaseReplicate> baseModels() {
        List<BaseReplicate> out = new ArrayList<>();
        if (!baseDirs.isEmpty()) {
            List<String> names = baseDirs.stream().map(d -> String.valueOf(Path.of(d).getFileName())).toList();
            boolean byName = new HashSet<>(names).size() == names.size()
                    && names.stream().allMatch(n -> SAFE_NAME.matcher(n).matches());
            for (int i = 0; i < baseDirs.size(); i++) {
                String label = baseDirs.size() == 1 ? null : byName ? names.get(i) : "d" + (i + 1);
                out.add(new BaseReplicate(label, baseDirs.get(i), null));
            }
        } else if (baseSeeds.isEmpty()) {
            out.add(new BaseReplicate(null, null, base));
        } else {
            for (long s : baseSeeds) {
                out.add(new BaseReplicate("b" + s, null, new BaseModel.Settings(base.contextLength(), base.layers(),
                        base.width(), base.heads(), base.steps(), base.batchSize(), base.learningRate(), s)));
            }
        }
        return out;
    }

    /** The training run of {@code method} with {@code seed}. */
    public TrainConfig trainConfig(MethodRun method, long seed, String tasksDir, PolicySource init) {
        return trainConfig(method, seed, tasksDir, init, training, methods.indexOf(method));
    }

    /** A refused setting is named by the key it has in the file: {@code methods[i].k} when the method sets its own k. */
    private static TrainConfig trainConfig(MethodRun m, long seed, String tasksDir, PolicySource init,
                                           TrainingSettings t, int index) {
        try {
            return new TrainConfig(tasksDir, init, m.method(), KSchedule.parse(m.schedule(), m.k(), t.epochs()),
                    AdvantageMix.parse(m.mix()), t.promptsPerEpoch(), t.epochs(), t.learner(), t.sampling(),
                    t.heldout(), t.bootstrapGroups(), seed, t.format(), null, t.rollout());
        } catch (InvalidSettingException e) {
            throw new BadInputException("method " + m.name() + ": " + e.render(s -> "'" + (isMethodKey(s, m, t)
                    ? "methods[" + index + "]." + s.name() : s.yamlKey()) + "'"), e);
        } catch (BadInputException e) {
            throw new BadInputException("method " + m.name() + ": " + e.getMessage(), e);
        }
    }

    private static boolean isMethodKey(Setting<?> s, MethodRun m, TrainingSettings t) {
        return s == TrainSettings.METHOD || s == TrainSettings.SCHEDULE || s == TrainSettings.MIX
                || (s == TrainSettings.K && m.k() != t.k());
    }

    /** The held-out ks of the final evaluation: 1..finalSamples. */
    public int[] finalKs() {
        int[] ks = new int[finalSamples];
        for (int i = 0; i < ks.length; i++) {
            ks[i] = i + 1;
        }
        return ks;
    }

    /** This config restricted to some methods (by name, in the config's order). */
    public ExperimentConfig onlyMethods(List<String> keep) {
        List<String> known = methods.stream().map(MethodRun::name).toList();
        for (String k : keep) {
            if (!known.contains(k)) {
                throw new BadInputException("--methods: no method named '" + k + "' (known: " + String.join(", ", known) + ")");
            }
        }
        return new ExperimentConfig(name, tasks, base, training, finalSamples, seeds,
                methods.stream().filter(m -> keep.contains(m.name())).toList(), baseDirs, baseSeeds);
    }

    /** Reads a YAML experiment; {@code overrides} are {@code dotted.key=value} pairs applied first. */
    public static ExperimentConfig read(Path file, List<String> overrides) {
        String source = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new BadInputException(source + ": cannot read the experiment config (" + e.getMessage() + ")");
        }
        Object tree;
        try {
            tree = yaml().load(text);
        } catch (YAMLException e) {
            throw new BadInputException(source + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(tree instanceof Map<?, ?> root)) {
            throw new BadInputException(source + ": must be a YAML mapping (name, tasks, base_model, training, ...)");
        }
        Map<String, Object> m = mutableCopy(root);
        for (String o : overrides) {
            applyOverride(source, m, o);
        }
        return fromTree(source, m);
    }

    static ExperimentConfig fromTree(String source, Map<String, Object> tree) {
        YamlSection root = new YamlSection(source, "", tree);
        String name = root.string("name", "experiment");

        YamlSection t = root.section("tasks");
        TaskSource tasks = t.has("dir") ? new TaskSource(t.string("dir", null), null)
                : new TaskSource(null, new TaskSuiteSpec(t.string("task", null), t.longValue("seed", 1L),
                t.integers("difficulties", null), t.integer("train", null), t.integer("test", null)));

        YamlSection b = root.section("base_model");
        List<String> baseDirs = List.of();
        List<Long> baseSeeds = List.of();
        if (b.has("dir")) {
            for (Setting<?> w : WarmupSettings.ALL) {
                if (b.has(w.name())) {
                    throw b.bad("dir", "names an existing base model: it excludes the warm-up key '" + w.name() + "'");
                }
            }
            if (b.has("seeds")) {
                throw b.bad("dir", "names existing base models: it excludes 'seeds'");
            }
            baseDirs = b.strings("dir");
            for (String dir : baseDirs) {
                try {
                    PolicySource.of(dir).check();
                } catch (BadInputException e) {
                    throw b.bad("dir", e.getMessage());
                }
            }
        } else if (b.has("seeds")) {
            if (b.has(WarmupSettings.SEED.name())) {
                throw b.bad("seeds", "gives one warm-up seed per base model: it excludes 'seed'");
            }
            baseSeeds = b.longs("seeds", null);
            if (baseSeeds.isEmpty()) {
                throw b.bad("seeds", "must list at least one seed");
            }
        }
        BaseModel.Settings base = new BaseModel.Settings(b.integer(WarmupSettings.CONTEXT),
                b.integer(WarmupSettings.LAYERS), b.integer(WarmupSettings.WIDTH), b.integer(WarmupSettings.HEADS),
                b.integer(WarmupSettings.STEPS), b.integer(WarmupSettings.BATCH_SIZE),
                b.number(WarmupSettings.LEARNING_RATE), b.longValue(WarmupSettings.SEED));

        YamlSection r = root.section("training");
        int k = r.integer(TrainSettings.K);
        int n = r.integer(TrainSettings.N);
        int promptsPerEpoch = r.integer(TrainSettings.PROMPTS_PER_EPOCH);
        int epochs = r.integer(TrainSettings.EPOCHS);
        LearnerConfig learner = learner(r);
        double topP = r.number(TrainSettings.TOP_P);
        int maxNewTokens = r.integer(TrainSettings.MAX_NEW_TOKENS);
        int batchSize = r.integer(TrainSettings.BATCH_SIZE);
        int evalEvery = r.integer(TrainSettings.EVAL_EVERY);
        int evalProblems = r.integer(TrainSettings.EVAL_PROBLEMS);
        int evalSamples = r.integer(TrainSettings.EVAL_SAMPLES);
        int bootstrapGroups = r.integer(TrainSettings.BOOTSTRAP_GROUPS);
        String promptTemplate = r.string(TrainSettings.PROMPT_TEMPLATE).trim();
        String saveDtype = r.string(TrainSettings.SAVE_DTYPE).trim().toLowerCase(java.util.Locale.ROOT);
        String promptStyle = r.string(TrainSettings.PROMPT_STYLE).trim();
        TrainingSettings training;
        try {
            training = new TrainingSettings(k, promptsPerEpoch, epochs, learner,
                    new Sampling(n, topP, maxNewTokens, batchSize),
                    new TrainConfig.Heldout(evalEvery, evalProblems, evalSamples), bootstrapGroups,
                    new TrainConfig.ModelFormat(promptTemplate, saveDtype, promptStyle), rollout(r.section("rollout")));
        } catch (InvalidSettingException e) {
            throw r.bad(e);
        }
        int finalSamples = root.section("final_eval").integer("samples", 64);
        List<Long> seeds = root.longs("seeds", List.of(1L, 2L, 3L));

        List<MethodRun> methods = new ArrayList<>();
        for (YamlSection ms : root.sections("methods")) {
            AdvantageMethod method;
            String methodName = ms.string("method", null);
            try {
                method = AdvantageMethod.fromName(methodName);
            } catch (BadInputException e) {
                throw ms.bad("method", "is not a method: " + e.getMessage());
            }
            int mk = method == AdvantageMethod.PASS1 ? 1 : ms.integer("k", k);
            methods.add(new MethodRun(ms.string("name", methodName), method, mk, ms.string(TrainSettings.SCHEDULE),
                    ms.string(TrainSettings.MIX)));
        }
        root.refuseUnknownKeys();
        try {
            return new ExperimentConfig(name, tasks, base, training, finalSamples, seeds, methods, baseDirs, baseSeeds);
        } catch (BadInputException e) {
            throw new BadInputException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where rollouts are sampled ({@code training.rollout}); a refused setting is named by its
     * dotted key. As on the command line, {@code server} or {@code server_command} alone imply
     * {@code engine: server}.
     */
    private static RolloutConfig rollout(YamlSection s) {
        String servers = s.string(RolloutSettings.SERVER);
        String command = s.string(RolloutSettings.SERVER_COMMAND);
        String engine = s.has(RolloutSettings.ENGINE.name()) ? s.string(RolloutSettings.ENGINE)
                : servers.isBlank() && command.isBlank() ? RolloutConfig.DJL : RolloutConfig.SERVER;
        String model = s.string(RolloutSettings.MODEL);
        int concurrency = s.integer(RolloutSettings.CONCURRENCY);
        int requestTimeout = s.integer(RolloutSettings.REQUEST_TIMEOUT);
        int healthTimeout = s.integer(RolloutSettings.HEALTH_TIMEOUT);
        int retries = s.integer(RolloutSettings.RETRIES);
        double isCap = s.number(RolloutSettings.IS_CAP);
        try {
            return new RolloutConfig(engine, RolloutConfig.parseServers(servers), command, model, concurrency,
                    requestTimeout, healthTimeout, retries, isCap);
        } catch (InvalidSettingException e) {
            throw s.bad(e);
        }
    }

    /** The learner settings of {@code training}; a refused one named by its dotted key. */
    private static LearnerConfig learner(YamlSection r) {
        double lr = r.number(TrainSettings.LR);
        double clipLow = r.number(TrainSettings.CLIP_LOW);
        double clipHigh = r.number(TrainSettings.CLIP_HIGH);
        double klBeta = r.number(TrainSettings.KL_BETA);
        int miniBatches = r.integer(TrainSettings.MINI_BATCHES);
        int passes = r.integer(TrainSettings.LEARNER_PASSES);
        double maxGradNorm = r.number(TrainSettings.MAX_GRAD_NORM);
        double temperature = r.number(TrainSettings.TEMPERATURE);
        try {
            return new LearnerConfig(lr, clipLow, clipHigh, klBeta, miniBatches, passes, maxGradNorm, temperature);
        } catch (InvalidSettingException e) {
            throw r.bad(e);
        }
    }

    /** What experiment.json records and {@code --resume} compares. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        Map<String, Object> t = new LinkedHashMap<>();
        if (tasks.dir() != null) {
            t.put("dir", tasks.dir());
        } else {
            TaskSuiteSpec g = tasks.generate();
            t.put("task", g.task());
            t.put("seed", g.seed());
            t.put("difficulties", g.difficulties());
            t.put("train", g.train());
            t.put("test", g.test());
        }
        m.put("tasks", t);
        Map<String, Object> b = new LinkedHashMap<>();
        if (!baseDirs.isEmpty()) {
            // one directory stays a string: experiment.json files from before replicates still resume
            b.put("dir", baseDirs.size() == 1 ? baseDirs.get(0) : baseDirs);
        } else {
            warmupMap(b);
            if (!baseSeeds.isEmpty()) {
                b.remove("seed");
                b.put("seeds", baseSeeds);
            }
        }
        m.put("base_model", b);
        m.put("final_eval_samples", finalSamples);
        m.put("seeds", seeds);
        List<Object> ms = new ArrayList<>();
        for (MethodRun run : methods) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", run.name());
            // the full training config of the run (seed and paths filled in per run)
            Map<String, Object> tc = new LinkedHashMap<>(trainConfig(run, 0, "", new PolicySource.HuggingFace(Path.of(""), PromptStyle.COMPACT))
                    .toMap());
            tc.remove(TrainSettings.TASKS);
            tc.remove(TrainSettings.INIT);
            tc.remove(TrainSettings.SEED);
            r.put("training", tc);
            ms.add(r);
        }
        m.put("methods", ms);
        return m;
    }

    private void warmupMap(Map<String, Object> b) {
        b.put("context", base.contextLength());
        b.put("layers", base.layers());
        b.put("width", base.width());
        b.put("heads", base.heads());
        b.put("warmup_steps", base.steps());
        b.put("batch_size", base.batchSize());
        b.put("learning_rate", base.learningRate());
        b.put("seed", base.seed());
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mutableCopy(Map<?, ?> in) {
        Map<String, Object> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(String.valueOf(k), v instanceof Map<?, ?> mm ? mutableCopy(mm) : v));
        return out;
    }

    /** {@code training.epochs=2}, {@code seeds=[1]}: the value is read as YAML. */
    @SuppressWarnings("unchecked")
    static void applyOverride(String source, Map<String, Object> tree, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new BadInputException("--set '" + override + "': expected key=value (e.g. training.epochs=2)");
        }
        String[] path = override.substring(0, eq).trim().split("\\.");
        Object value;
        try {
            value = yaml().load(override.substring(eq + 1));
        } catch (YAMLException e) {
            throw new BadInputException("--set '" + override + "': the value is not valid YAML");
        }
        Map<String, Object> node = tree;
        for (int i = 0; i < path.length - 1; i++) {
            Object child = node.get(path[i]);
            if (child == null) {
                child = new LinkedHashMap<String, Object>();
                node.put(path[i], child);
            }
            if (!(child instanceof Map)) {
                throw new BadInputException("--set '" + override + "': '" + path[i] + "' in " + source
                        + " is not a mapping");
            }
            node = (Map<String, Object>) child;
        }
        node.put(path[path.length - 1], value instanceof Map<?, ?> mm ? mutableCopy(mm) : value);
    }
}
