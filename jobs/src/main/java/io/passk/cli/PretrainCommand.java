package io.passk.cli;

import io.passk.BadInputException;
import io.passk.policy.EngineThreads;
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
 * {@code passk pretrain}: warm-up (supervised) training of a fresh policy on a task suite's
 * reference answers; writes a checkpoint directory. Thin: {@link PretrainRun} does the work.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Warm up a fresh policy on a task suite's solver answers (teacher forcing, Adam)"
                + " and write a checkpoint directory. Few steps leave room for RL: it solves some, not all.")
public final class PretrainCommand implements Callable<Integer>, SettingFlags {

    @Option(names = "--tasks", required = true, description = "Task suite directory (from passk tasks)")
    String tasks;

    @Option(names = "--out", required = true, description = "Checkpoint directory to create (must not exist)")
    String out;

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
        if (width % heads != 0) {
            throw new BadInputException("--width " + width + " is not a multiple of --heads " + heads);
        }
        if (Files.exists(Path.of(out))) {
            throw new BadInputException("checkpoint " + out + " already exists; choose a new --out");
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
        Map<String, String> prov = new LinkedHashMap<>();
        prov.put("command", "passk pretrain");
        prov.put("tasks", Path.of(tasks).toAbsolutePath().toString());
        prov.put("split", split);
        PretrainRun run = new PretrainRun(layers, width, heads, context,
                new Pretrainer.Settings(steps, batchSize, lr, seed, Math.max(1, steps / 10)));
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        PretrainRun.Result r = run.run(train, eval, Tasks.all(), Tasks::byName, Path.of(out), prov,
                CliStreams.of(stderr));
        stderr.printf(Locale.ROOT, "pretrain: loss %.4f -> %.4f in %.1f s%n", r.report().firstLoss(),
                r.report().lastLoss(), r.report().seconds());
        stderr.flush();
        r.accuracyByTask().forEach((task, acc) ->
                stdout.printf(Locale.ROOT, "%s greedy accuracy on %s: %.3f%n", task, evalSplit, acc));
        stdout.println("checkpoint: " + Path.of(out).toAbsolutePath());
        stdout.flush();
        return Passk.EXIT_OK;
    }
}
