package io.passk.cli;

import io.passk.BadInputException;
import io.passk.hf.ModelDirectory;
import io.passk.hf.peft.LoraConfig;
import io.passk.policy.EngineThreads;
import io.passk.policy.PolicyModel;
import io.passk.policy.PolicySource;
import io.passk.rollout.PolicyPreflight;
import io.passk.task.PromptStyle;
import io.passk.rollout.TaskResolver;
import io.passk.policy.PretrainRun;
import io.passk.policy.Pretrainer;
import io.passk.spark.SparkSessions;
import io.passk.task.Problem;
import io.passk.task.TaskSuite;
import io.passk.task.Tasks;
import org.apache.spark.sql.SparkSession;
import io.passk.settings.Setting;
import io.passk.settings.WarmupSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code passk pretrain}: warm-up (supervised) training on a task suite's reference answers of
 * a fresh character model (a tiny qwen2 model directory,
 * {@link io.passk.policy.CharacterModel}), or with {@code --init} of a given Hugging
 * Face model (every weight, or LoRA adapters with {@code --lora-rank}); writes a model directory
 * or an adapter. Thin: {@link PretrainRun} does the work; every input is checked first.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = {"Warm up a policy on a task suite's solver answers (teacher forcing, Adam) and write it:"
                + " without --init a fresh character model (a tiny qwen2 model directory); with --init a Hugging Face"
                + " model directory (written as a model directory) or, with --lora-rank, LoRA adapters on it"
                + " (written as a PEFT adapter). Few steps leave room for RL: it solves some, not all."})
public final class PretrainCommand implements Callable<Integer>, SettingFlags {

    @Option(names = "--tasks", required = true, description = "Task suite directory (from passk tasks)")
    String tasks;

    @Option(names = "--out", required = true, description = "Model or adapter directory to create (must not exist)")
    String out;

    @Option(names = "--init", description = "a Hugging Face model directory (or a LoRA adapter, to continue) to warm up"
            + " (default: a fresh character model of --layers/--width/--heads/--context)")
    Path init;

    @Option(names = "--split", defaultValue = "train", description = "Split to train on (default ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--eval-split", defaultValue = "test",
            description = "Split on which greedy accuracy is reported (default ${DEFAULT-VALUE}; empty: none)")
    String evalSplit;

    @Option(names = "--steps", description = "Adam steps (default ${DEFAULT-VALUE})")
    int steps = WarmupSettings.STEPS.defaultValue();

    @Option(names = "--batch-size", description = "Problems per step (default ${DEFAULT-VALUE})")
    int batchSize = WarmupSettings.BATCH_SIZE.defaultValue();

    @Option(names = "--lr", description = "Learning rate (default ${DEFAULT-VALUE})")
    double lr = WarmupSettings.LEARNING_RATE.defaultValue();

    @Mixin
    ModelShapeOptions shape = new ModelShapeOptions();

    /** Seed of the initial weights and batches. */
    @Mixin
    SeedOption seedOption = new SeedOption(WarmupSettings.SEED.defaultValue());

    /** What the model sees (with --init; the character model: plain compact prompts) and the saved dtype. */
    @Mixin
    PromptFormatOptions format = new PromptFormatOptions();

    /** LoRA adapters of the --init model instead of every weight. */
    @Mixin
    LoraOptions lora = new LoraOptions();

    @Option(names = "--threads", defaultValue = "0", description = "PyTorch CPU threads; 0 = all cores (default ${DEFAULT-VALUE})")
    int threads;

    @Spec
    CommandSpec spec;

    /** The warm-up settings under this command's names for them. */
    @Override
    public String flag(Setting<?> setting) {
        if (setting == WarmupSettings.STEPS) {
            return "--steps";
        }
        if (setting == WarmupSettings.LEARNING_RATE) {
            return "--lr";
        }
        return SettingFlags.defaultFlag(setting);
    }

    @Override
    public Integer call() {
        int layers = shape.layers;
        int width = shape.width;
        int heads = shape.heads;
        int context = shape.context;
        long seed = seedOption.seed;
        if (steps < 1 || batchSize < 1 || !(lr > 0) || layers < 1 || width < 1 || heads < 1 || context < 0) {
            throw new BadInputException("--steps, --batch-size, --lr, --layers, --width and --heads must be positive");
        }
        if (width % heads != 0 || (width / heads) % 2 != 0) {
            throw new BadInputException("--width " + width + " is not --heads " + heads + " times an even head size");
        }
        PolicySource source = init != null ? initSource() : null;
        LoraConfig loraConfig = source != null ? lora.config(source) : null;
        String saveDtype = PolicyModel.saveDtype(format.saveDtype);
        if (source == null) {
            for (String option : List.of("--lora-rank", "--lora-alpha", "--lora-dropout", "--lora-targets",
                    "--prompt-template", "--prompt-style", "--save-dtype")) {
                if (given(option)) {
                    throw new BadInputException(option + " needs --init: a fresh character model is warmed up in full,"
                            + " on its own compact chat prompts, and saved f32");
                }
            }
        } else {
            if (loraConfig != null && !"f32".equals(saveDtype)) {
                throw new BadInputException("--save-dtype " + format.saveDtype + ": a LoRA adapter is saved f32");
            }
            for (String option : List.of("--layers", "--width", "--heads", "--context")) {
                if (given(option)) {
                    throw new BadInputException(option + " shapes a fresh character model; --init " + init
                            + " has its own shape");
                }
            }
        }
        if (Files.exists(Path.of(out))) {
            throw new BadInputException("output " + out + " already exists; choose a new --out");
        }
        io.passk.fs.OutputLocation.checkCreatable(out);
        EngineThreads.configure(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        SparkSession spark = SparkSessions.forJob("passk pretrain", false);
        List<Problem> all = TaskSuite.problems(spark, tasks);
        List<Problem> train = all.stream().filter(p -> p.split().equals(split)).toList();
        List<Problem> eval = evalSplit.isEmpty() ? List.of()
                : all.stream().filter(p -> p.split().equals(evalSplit)).toList();
        if (train.isEmpty()) {
            throw new BadInputException("task suite " + tasks + ": no problems in split '" + split + "'");
        }
        for (Problem p : all) {
            Tasks.byName(p.task());   // an unknown task: one line, before any work
        }
        Map<String, String> prov = new LinkedHashMap<>();
        prov.put("command", "passk pretrain");
        prov.put("tasks", Path.of(tasks).toAbsolutePath().toString());
        prov.put("split", split);
        Pretrainer.Settings settings = new Pretrainer.Settings(steps, batchSize, lr, seed, Math.max(1, steps / 10));
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        PretrainRun.Result r;
        if (source == null) {
            PretrainRun run = new PretrainRun(layers, width, heads, context, settings);
            r = run.run(train, eval, Tasks.all(), Tasks::byName, Path.of(out), prov, CliStreams.of(stderr));
        } else {
            PromptStyle style = "auto".equals(format.promptStyle.trim().toLowerCase(Locale.ROOT))
                    ? source.ownPromptStyle() : PromptStyle.byName(format.promptStyle.trim().toLowerCase(Locale.ROOT));
            PolicyPreflight.check(source, format.promptTemplate, style, TaskResolver.registry(), train.get(0));
            r = PretrainRun.onInit(source, loraConfig, new PretrainRun.Format(style, format.promptTemplate, saveDtype),
                    settings, train, eval, Tasks::byName, Path.of(out), prov, CliStreams.of(stderr));
        }
        stderr.printf(Locale.ROOT, "pretrain: loss %.4f -> %.4f in %.1f s%n", r.report().firstLoss(),
                r.report().lastLoss(), r.report().seconds());
        stderr.flush();
        r.accuracyByTask().forEach((task, acc) ->
                stdout.printf(Locale.ROOT, "%s greedy accuracy on %s: %.3f%n", task, evalSplit, acc));
        stdout.println((loraConfig != null ? "adapter: " : "checkpoint: ") + Path.of(out).toAbsolutePath());
        stdout.flush();
        return Passk.EXIT_OK;
    }

    /** The --init policy, checked (files, tensor headers; an adapter against its base) before any work. */
    private PolicySource initSource() {
        if (!Files.isDirectory(init)) {
            throw new BadInputException("--init " + init + ": not a directory (a Hugging Face model directory or a"
                    + " LoRA adapter was expected)");
        }
        PolicySource source = PolicySource.of(init);
        if (!(source instanceof PolicySource.Adapter) && !ModelDirectory.isModelDirectory(init)) {
            throw new BadInputException("--init " + init + ": not a Hugging Face model directory (config.json and "
                    + ModelDirectory.WEIGHTS + ") or a LoRA adapter (adapter_config.json)");
        }
        source.check();
        return source;
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }
}
