package io.passk.train;

import io.passk.BadInputException;
import io.passk.policy.EngineThreads;
import io.passk.policy.PretrainRun;
import io.passk.policy.Pretrainer;
import io.passk.progress.ProgressListener;
import io.passk.task.Problem;
import io.passk.task.TaskSuite;
import io.passk.task.Tasks;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The base model RL starts from: the checkpoint at a path, warm-up trained there by
 * {@link PretrainRun} (the same code as {@code passk pretrain}) when it does not exist yet.
 * The warm-up is deliberately short, so the base model solves some problems but not all.
 */
public final class BaseModel {

    /**
     * @param contextLength tokens of prompt + answer (0: fit the suite)
     * @param layers        transformer blocks
     * @param width         model width
     * @param heads         attention heads
     * @param steps         warm-up optimizer steps
     * @param batchSize     problems per step
     * @param learningRate  Adam step size
     * @param seed          initialisation and mini-batch seed
     */
    public record Settings(int contextLength, int layers, int width, int heads, int steps, int batchSize,
                           double learningRate, long seed) {
    }

    private BaseModel() {
    }

    /**
     * The checkpoint at {@code path}, trained now if it does not exist yet; the warm-up reports
     * its progress to {@code listener}.
     */
    public static Path ensure(SparkSession spark, String tasksDir, Path path, Settings s, ProgressListener listener) {
        if (Files.isDirectory(path)) {
            return path;
        }
        List<Problem> train = TaskSuite.problems(spark, tasksDir, "train");
        if (train.isEmpty()) {
            throw new BadInputException("task suite " + tasksDir + " has no train problems for warm-up");
        }
        List<Problem> test = TaskSuite.problems(spark, tasksDir, "test");
        listener.message(String.format(Locale.ROOT, "no base model at %s: warm-up training (%d steps)", path,
                s.steps()));
        // PyTorch's float reductions depend on the intra-op thread count, and whatever ran before
        // in this JVM (executor tasks, another command) may have changed it: a fixed count (as
        // for the learner) makes the warm-up independent of that. Across processors the CPU
        // kernels round differently (experiments/results/README.md#reproducing-the-results).
        EngineThreads.configure(TrainingEpoch.LEARNER_THREADS);
        PretrainRun.Result r = new PretrainRun(s.layers(), s.width(), s.heads(), s.contextLength(),
                new Pretrainer.Settings(s.steps(), s.batchSize(), s.learningRate(), s.seed(), Math.max(1, s.steps() / 10)))
                .run(train, test.subList(0, Math.min(200, test.size())), Tasks.all(), Tasks::byName, path,
                        Map.of("tasks", tasksDir), listener.asPrintStream());
        listener.message(String.format(Locale.ROOT, "warm-up done in %.0f s: loss %.4f -> %.4f, greedy held-out accuracy %s",
                r.report().seconds(), r.report().firstLoss(), r.report().lastLoss(), r.accuracyByTask()));
        return path;
    }
}
