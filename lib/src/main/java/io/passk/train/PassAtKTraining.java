package io.passk.train;

import ai.djl.Device;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.passk.BadInputException;
import io.passk.fs.AtomicOutput;
import io.passk.policy.Devices;
import io.passk.policy.PolicyModel;
import io.passk.policy.PolicySource;
import io.passk.progress.ProgressListener;
import io.passk.rollout.PolicyPreflight;
import io.passk.rollout.TaskResolver;
import io.passk.settings.InvalidSettingException;
import io.passk.settings.TrainSettings;
import io.passk.task.PromptStyle;
import io.passk.run.EpochMetrics;
import io.passk.run.HeldoutCurve;
import io.passk.run.RunDirectory;
import io.passk.run.RunJson;
import io.passk.task.Problem;
import io.passk.task.TaskSuite;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.passk.run.RunDirectory.BEFORE_TRAINING;

/**
 * The Pass@k training loop, shaped like DJL's {@code EasyTrain.fit}: set up (or resume) the run
 * directory, evaluate the initial policy on the held-out problems, then one
 * {@link TrainingEpoch} per epoch, and report what the run measured. What the loop writes and
 * when an epoch counts as done is {@link RunDirectory}'s; progress goes to a
 * {@link ProgressListener} (the command line prints it).
 */
public final class PassAtKTraining {

    /** What a finished (or resumed-to-the-end) run reports. */
    public record Outcome(Path run, HeldoutCurve before, HeldoutCurve after, List<EpochMetrics> metrics) {
    }

    private PassAtKTraining() {
    }

    /**
     * Runs (or with {@code resume} continues) a training run into {@code out}.
     *
     * @param provenance versions and anything else to record in run.json
     * @param listener   progress lines (stage progress, one summary line per epoch, resume notes)
     * @throws BadInputException an empty suite, a missing initial checkpoint, an existing run
     *                           without {@code resume}, a directory that is not a run with it, a
     *                           resume with another configuration (naming the differing keys), or
     *                           the instruction style with a character model whose tokenizer
     *                           cannot encode it, an old built-in checkpoint
     */
    public static Outcome run(SparkSession spark, TrainConfig requested, Path out, boolean resume,
                              Map<String, Object> provenance, ProgressListener listener) {
        // the prompt style and template, resolved once: run.json and every stage see the resolved values
        TrainConfig cfg = resolveFormat(requested, out, resume);
        Map<String, Object> recordedProvenance = new java.util.LinkedHashMap<>(provenance);
        recordedProvenance.put(TrainSettings.PROMPT_STYLE.name(), cfg.format().promptStyle());

        // setup: inputs first, so that bad input leaves nothing behind
        List<Problem> train = HeldoutEvaluation.byId(TaskSuite.problems(spark, cfg.tasksDir(), "train"));
        if (train.isEmpty()) {
            throw new BadInputException("task suite " + cfg.tasksDir() + " has no train problems");
        }
        HeldoutEvaluation heldout = new HeldoutEvaluation(spark, cfg, listener);
        if (!Files.isDirectory(cfg.init().dir())) {
            throw new BadInputException("--init " + cfg.init().dir() + " is not a checkpoint directory");
        }
        cfg.init().check();
        checkLora(cfg);
        checkBuiltInEncodes(cfg, train, heldout.problems());
        // the preflight: a real prompt rendered (the chat template too) and encoded on the driver,
        // before the run directory exists or a Spark task runs
        PolicyPreflight.check(cfg.init(), cfg.format().promptTemplate(), cfg.resolvedPromptStyle(),
                TaskResolver.registry(), train.get(0));
        // what this call creates, so that a bad input found only by the first Spark tasks (a NaN
        // weight as it is loaded) leaves nothing behind either
        Path created = firstMissing(out);
        boolean fresh = !Files.isRegularFile(out.resolve(RunJson.FILE_NAME));
        RunDirectory run = RunDirectory.forTraining(out, resume, new RunDirectory.RunStart(
                out.getFileName().toString(), cfg.method().cliName(), cfg.schedule().k(), cfg.seed(), cfg.toMap(),
                recordedProvenance), listener);
        JsonElement config = JsonParser.parseString(RunJson.toJson(cfg.toMap()));
        JsonElement recorded = run.runJsonObject().get("config");
        if (!config.equals(recorded)) {
            throw new BadInputException("--resume: " + out + " was started with a different configuration: "
                    + RunJson.differences(recorded, config));
        }

        // resume: after the last complete epoch, from its checkpoint
        int last = run.lastCompleteEpoch().orElse(-1);
        run.discardAfter(last);
        if (last >= 0) {
            PolicySource.refuseOldBuiltIn(run.checkpoint(last));   // a run of the old built-in model
        }
        PolicySource current = last >= 0 ? cfg.init().checkpointAt(run.checkpoint(last), cfg.lora() != null)
                : cfg.init();
        String policyPath = current.dir().toString();
        if (last >= 0) {
            listener.message(String.format(Locale.ROOT, "resuming %s after epoch %d", run.root(), last));
        }
        if (!Files.exists(run.heldoutCurve(BEFORE_TRAINING))) {
            boolean evaluated = false;
            try {
                heldout.evaluate(run, BEFORE_TRAINING, policyPath);
                evaluated = true;
            } finally {
                // Spark's exceptions are checked ones thrown from Scala: a finally sees them all
                if (!evaluated && fresh) {
                    undo(out, created);
                }
            }
        }

        // the epochs
        TrainingEpoch epochs = new TrainingEpoch(spark, cfg, run, train, heldout, listener);
        PolicySource.Learner learner = null;
        try {
            for (int epoch = last + 1; epoch < cfg.epochs(); epoch++) {
                if (learner == null) {
                    learner = PolicySource.loadLearner(cfg.init(), current, cfg.lora(), cfg.seed(),
                            cfg.learner().klBeta() > 0, learnerDevice(spark, cfg.init()));
                }
                policyPath = epochs.run(epoch, policyPath, learner.policy(), learner.reference());
            }
        } finally {
            if (learner != null) {
                learner.close();
            }
        }
        return new Outcome(run.root(), run.readHeldoutCurve(BEFORE_TRAINING),
                run.readHeldoutCurve(run.lastHeldoutEpoch()), run.readMetricsRows());
    }

    /** The outermost of {@code dir} and its ancestors that does not exist yet; null when {@code dir} exists. */
    static Path firstMissing(Path dir) {
        Path p = dir.toAbsolutePath().normalize();
        Path missing = null;
        while (p != null && !Files.exists(p)) {
            missing = p;
            p = p.getParent();
        }
        return missing;
    }

    /**
     * Takes back a new run that failed before its first evaluation finished: the directories this
     * call created ({@code created}), or, in a directory that existed (empty), what it wrote there.
     */
    static void undo(Path out, Path created) {
        if (created != null) {
            AtomicOutput.deleteRecursively(created);
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.list(out)) {
            files.forEach(AtomicOutput::deleteRecursively);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot clean " + out, e);
        }
    }

    /**
     * {@code cfg} with its prompt style ({@link TrainSettings#PROMPT_STYLE}) and template
     * ({@link TrainSettings#PROMPT_TEMPLATE}) resolved: a set value as it is; {@code auto} for a
     * run being resumed to what its run.json records (where run.json has no such key, the run
     * predates the setting: compact, plain), else to the initial policy's own
     * ({@link TrainConfig#resolvedPromptStyle}, {@link io.passk.policy.PolicySource#ownPromptTemplate}).
     * An experiment's final evaluation of a run asks the same, so it samples as the run did.
     */
    public static TrainConfig resolveFormat(TrainConfig cfg, Path runDir, boolean resume) {
        boolean autoStyle = TrainConfig.ModelFormat.AUTO.equals(cfg.format().promptStyle());
        boolean autoTemplate = io.passk.tokenizer.PromptTemplate.AUTO.equals(cfg.format().promptTemplate());
        if (!autoStyle && !autoTemplate) {
            return cfg;
        }
        TrainConfig.ModelFormat f = cfg.format();
        if (resume && Files.isRegularFile(runDir.resolve(RunJson.FILE_NAME))) {
            JsonElement recorded = RunDirectory.open(runDir, ProgressListener.SILENT).runJsonObject().get("config");
            if (autoStyle) {
                f = f.withPromptStyle(recordedString(recorded, TrainSettings.PROMPT_STYLE.name(),
                        PromptStyle.COMPACT.settingName()));
            }
            if (autoTemplate) {
                f = f.withPromptTemplate(recordedString(recorded, TrainSettings.PROMPT_TEMPLATE.name(),
                        io.passk.tokenizer.PromptTemplate.PLAIN));
            }
            return cfg.withFormat(f);
        }
        if (autoStyle) {
            f = f.withPromptStyle(cfg.resolvedPromptStyle().settingName());
        }
        if (autoTemplate) {
            f = f.withPromptTemplate(cfg.init().ownPromptTemplate());
        }
        return cfg.withFormat(f);
    }

    private static String recordedString(JsonElement config, String key, String absent) {
        JsonElement v = config != null && config.isJsonObject() ? config.getAsJsonObject().get(key) : null;
        return v == null || !v.isJsonPrimitive() ? absent : v.getAsString();
    }

    /**
     * The instruction style with a character model (the qwen2 {@code CharacterModel}: a policy
     * whose own style is compact): every training and held-out
     * problem's instruction prompt must be in the model's alphabet. {@code passk pretrain}
     * builds that alphabet from the tasks' compact prompts and answers, which the instruction
     * text goes beyond, so such a model is refused here, in one line, before anything runs.
     */
    static void checkBuiltInEncodes(TrainConfig cfg, List<Problem> train, List<Problem> heldout) {
        if (cfg.resolvedPromptStyle() != PromptStyle.INSTRUCTION || cfg.init().ownPromptStyle() != PromptStyle.COMPACT) {
            return;
        }
        Path init = cfg.init().dir();
        TaskResolver tasks = TaskResolver.registry();
        try (PolicyModel policy = cfg.init().load(Device.cpu())) {
            for (List<Problem> problems : List.of(train, heldout)) {
                for (Problem p : problems) {
                    int[] ids;
                    try {
                        ids = policy.encodeMessages(PromptStyle.INSTRUCTION.messages(tasks.byName(p.task()), p),
                                cfg.format().promptTemplate());
                    } catch (IllegalArgumentException e) {
                        throw new InvalidSettingException("{} instruction: the character model " + init
                                + " cannot encode the instruction prompt of problem " + p.problemId() + " ("
                                + e.getMessage() + "; its alphabet covers the compact prompts): use {} compact",
                                TrainSettings.PROMPT_STYLE, TrainSettings.PROMPT_STYLE);
                    }
                    int context = policy instanceof io.passk.policy.HfPolicy hf
                            ? hf.model().config().maxPositionEmbeddings() : Integer.MAX_VALUE;
                    if (ids.length >= context) {
                        throw new InvalidSettingException("{} instruction: the instruction prompt of problem "
                                + p.problemId() + " is " + ids.length + " tokens, the character model " + init
                                + " has a context of " + context + ": use {} compact",
                                TrainSettings.PROMPT_STYLE, TrainSettings.PROMPT_STYLE);
                    }
                }
            }
        }
    }

    /**
     * Where the driver updates the policy: on the GPU Spark grants the driver
     * ({@code spark.driver.resource.gpu.*}, {@link Devices#forDriver}), else the CPU.
     */
    static Device learnerDevice(SparkSession spark, PolicySource init) {
        return Devices.forDriver(spark.sparkContext());
    }

    /**
     * LoRA needs a Hugging Face initial policy (a model directory, or an adapter to continue);
     * an adapter is continued only as a LoRA run.
     */
    static void checkLora(TrainConfig cfg) {
        Path init = cfg.init().dir();
        if (cfg.lora() == null && cfg.init() instanceof PolicySource.Adapter) {
            throw new BadInputException(init + " is a LoRA adapter: continue it as a LoRA run (--lora-rank)");
        }
    }

}
