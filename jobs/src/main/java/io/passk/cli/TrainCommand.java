package io.passk.cli;

import io.passk.BadInputException;
import io.passk.advantage.AdvantageMethod;
import io.passk.run.Provenance;
import io.passk.learn.LearnerConfig;
import io.passk.policy.PolicySource;
import io.passk.progress.ProgressListener;
import io.passk.report.RunReport;
import io.passk.run.RunDirectory;
import io.passk.spark.SparkSessions;
import io.passk.advantage.spark.AdvantageMix;
import io.passk.train.BaseModel;
import io.passk.train.KSchedule;
import io.passk.train.PassAtKTraining;
import io.passk.train.TrainConfig;
import org.apache.spark.sql.SparkSession;
import io.passk.settings.Setting;
import io.passk.settings.TrainSettings;
import io.passk.settings.WarmupSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code passk train}: Pass@k training on Spark. With no options it is the maze demo: warm-up
 * if no base model exists, then passk-analytic training, a report, and a before/after line.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Pass@k training: rollouts on executors, advantages as a Spark stage, learner on the driver.")
public final class TrainCommand implements Callable<Integer>, SettingFlags {

    @Option(names = "--tasks", defaultValue = "data/tasks/maze", description = "task suite directory (default: ${DEFAULT-VALUE})")
    String tasks;

    @Option(names = "--init", description = {"starting policy: a passk checkpoint, a Hugging Face model directory or a LoRA adapter",
            "(default: runs/base-<suite>, warm-up trained if missing)"})
    Path init;

    @Option(names = "--method",
            description = "pass1, passk-full, passk-bootstrap, passk-analytic, maxk-analytic, pkpo (default: ${DEFAULT-VALUE})")
    String method = TrainSettings.METHOD.defaultValue();

    @Option(names = "--k", description = "k of Pass@k (default: ${DEFAULT-VALUE}; 1 for pass1)")
    int k = TrainSettings.K.defaultValue();

    @Mixin
    SamplingOptions sampling = new SamplingOptions();

    @Option(names = "--prompts-per-epoch", description = "training problems per epoch (default: ${DEFAULT-VALUE})")
    int promptsPerEpoch = TrainSettings.PROMPTS_PER_EPOCH.defaultValue();

    @Option(names = "--epochs", description = "default: ${DEFAULT-VALUE}")
    int epochs = TrainSettings.EPOCHS.defaultValue();

    @Option(names = "--schedule", description = "constant | linear | step:S | switch:E (default: ${DEFAULT-VALUE})")
    String schedule = TrainSettings.SCHEDULE.defaultValue();

    @Option(names = "--mix", description = "none | constant:L | linear:A:B | accuracy | entropy (default: ${DEFAULT-VALUE})")
    String mix = TrainSettings.MIX.defaultValue();

    @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double lr = TrainSettings.LR.defaultValue();

    @Option(names = "--clip-low", description = "eps_low of the clipped ratio (default: ${DEFAULT-VALUE})")
    double clipLow = TrainSettings.CLIP_LOW.defaultValue();

    @Option(names = "--clip-high", description = "eps_high, clip-higher (default: ${DEFAULT-VALUE})")
    double clipHigh = TrainSettings.CLIP_HIGH.defaultValue();

    @Option(names = "--kl-beta", description = "KL to the initial policy (default: ${DEFAULT-VALUE})")
    double klBeta = TrainSettings.KL_BETA.defaultValue();

    @Option(names = "--mini-batches", description = "optimizer steps per pass (default: ${DEFAULT-VALUE})")
    int miniBatches = TrainSettings.MINI_BATCHES.defaultValue();

    @Option(names = "--learner-passes", description = "passes over each batch (default: ${DEFAULT-VALUE})")
    int passes = TrainSettings.LEARNER_PASSES.defaultValue();

    @Option(names = "--max-grad-norm", description = "global gradient-norm clip, 0 = off (default: ${DEFAULT-VALUE})")
    double maxGradNorm = TrainSettings.MAX_GRAD_NORM.defaultValue();

    @Option(names = "--bootstrap-groups", description = "G for passk-bootstrap, 0 = n (default: ${DEFAULT-VALUE})")
    int bootstrapGroups = TrainSettings.BOOTSTRAP_GROUPS.defaultValue();

    @Option(names = "--eval-every", description = "held-out evaluation every M epochs (default: ${DEFAULT-VALUE})")
    int evalEvery = TrainSettings.EVAL_EVERY.defaultValue();

    @Option(names = "--eval-problems", description = "held-out problems, 0 = all (default: ${DEFAULT-VALUE})")
    int evalProblems = TrainSettings.EVAL_PROBLEMS.defaultValue();

    @Option(names = "--eval-samples", description = "samples per held-out problem (default: ${DEFAULT-VALUE})")
    int evalSamples = TrainSettings.EVAL_SAMPLES.defaultValue();

    @Mixin
    PromptFormatOptions format = new PromptFormatOptions();

    /** The run seed; the base model's warm-up, when this run builds it, uses it too. */
    @Mixin
    SeedOption seedOption = new SeedOption(WarmupSettings.SEED.defaultValue());

    @Mixin
    RunOutputOptions output = new RunOutputOptions();

    @Option(names = "--warmup-steps", description = "warm-up steps when the base model is built (default: ${DEFAULT-VALUE})")
    int warmupSteps = WarmupSettings.STEPS.defaultValue();

    /** The base model's shape, when this run builds it. */
    @Mixin
    ModelShapeOptions shape = new ModelShapeOptions();

    @Option(names = "--no-report", description = "skip the HTML report at the end")
    boolean noReport;

    @Mixin
    SparkUiOption sparkUi = new SparkUiOption();

    /** LoRA adapters instead of a full fine-tune (a Hugging Face --init only). */
    @Mixin
    LoraOptions lora = new LoraOptions();

    @Mixin
    RolloutServerOptions rollout = new RolloutServerOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path out = output.out;
        boolean resume = output.resume;
        PrintWriter stdout = spec.commandLine().getOut();
        String suite = Path.of(tasks).getFileName().toString();
        Path runDir = out != null ? out : Path.of("runs", suite + "-" + method + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        output.checkRun(runDir);
        if (resume) {
            init = recordedInit(runDir);
        }
        Path initDir = init != null ? init : Path.of("runs", "base-" + suite);
        TrainConfig cfg = config(initDir);   // every option checked before any work
        SparkSession spark = SparkSessions.forJob("passk-train", sparkUi.ui);
        ConsoleProgress progress = ConsoleProgress.on(spec.commandLine().getErr());
        if (init == null) {
            BaseModel.ensure(spark, tasks, initDir, baseModel(), progress);
            cfg = config(initDir);   // the warm-up's model directory: its kind, read now that it exists
        }
        PassAtKTraining.Outcome o = PassAtKTraining.run(spark, cfg, runDir, resume, provenance(spark), progress);
        stdout.println("run: " + o.run());
        if (!noReport) {
            stdout.println("report: " + RunReport.write(List.of(o.run()), o.run().resolve("report")));
        }
        int kk = cfg.schedule().k();
        stdout.printf(Locale.ROOT, "held-out pass@1 %.3f -> %.3f, pass@%d %.3f -> %.3f%n",
                o.before().at(1), o.after().at(1), kk, o.before().at(kk), o.after().at(kk));
        stdout.flush();
        return Passk.EXIT_OK;
    }

    /**
     * A resumed run continues from the policy its run.json records: without --init that one is
     * used (no warm-up of a default base), and a different --init is refused naming both.
     */
    private Path recordedInit(Path runDir) {
        Path from = Path.of(RunDirectory.open(runDir, ProgressListener.SILENT).recordedInit());
        if (init != null && !init.toAbsolutePath().normalize().equals(from.toAbsolutePath().normalize())) {
            throw new BadInputException("--resume: " + runDir + " started from --init " + from
                    + ", not --init " + init + "; drop --init to continue it (a resumed run keeps its policy)");
        }
        return from;
    }

    /** The warm-up's batch size and learning rate are fixed here: {@code --batch-size} and {@code --lr} are others. */
    @Override
    public String flag(Setting<?> setting) {
        return setting == WarmupSettings.BATCH_SIZE || setting == WarmupSettings.LEARNING_RATE ? null
                : SettingFlags.defaultFlag(setting);
    }

    /** The warm-up of the base model this run builds when it has no --init: the run seed, the shared defaults. */
    BaseModel.Settings baseModel() {
        return new BaseModel.Settings(shape.context, shape.layers, shape.width, shape.heads, warmupSteps,
                WarmupSettings.BATCH_SIZE.defaultValue(), WarmupSettings.LEARNING_RATE.defaultValue(), seedOption.seed);
    }

    /**
     * The run's configuration from {@code initPath}: its kind is decided here, once
     * ({@link PolicySource#of}; a directory the warm-up has yet to write is the character model it writes).
     */
    TrainConfig config(Path initPath) {
        AdvantageMethod m = AdvantageMethod.fromName(method);
        int kk = m == AdvantageMethod.PASS1 ? 1 : k;
        PolicySource source = PolicySource.of(initPath);
        return new TrainConfig(tasks, source, m, KSchedule.parse(schedule, kk, epochs), AdvantageMix.parse(mix),
                promptsPerEpoch, epochs, new LearnerConfig(lr, clipLow, clipHigh, klBeta, miniBatches, passes,
                maxGradNorm, sampling.temperature), sampling.sampling(),
                new TrainConfig.Heldout(evalEvery, evalProblems, evalSamples), bootstrapGroups, seedOption.seed,
                new TrainConfig.ModelFormat(format.promptTemplate, format.saveDtype.trim().toLowerCase(Locale.ROOT),
                        format.promptStyle.trim().toLowerCase(Locale.ROOT)),
                lora.config(init != null ? source : null)).withRollout(rollout.config());
    }

    static Map<String, Object> provenance(SparkSession spark) {
        Map<String, Object> p = new LinkedHashMap<>(Provenance.versions(spark));
        p.put("spark_master", spark.sparkContext().master());
        p.put("started", java.time.Instant.now().toString());
        return p;
    }
}
