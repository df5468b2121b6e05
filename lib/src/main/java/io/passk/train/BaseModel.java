package io.passk.train;

import ai.djl.Device;
import io.passk.BadInputException;
import io.passk.policy.Checkpoint;
import io.passk.policy.Policy;
import io.passk.policy.PolicyConfig;
import io.passk.policy.Pretrainer;
import io.passk.policy.Tokenizer;
import io.passk.task.Problem;
import io.passk.task.Task;
import io.passk.task.TaskSuite;
import io.passk.task.Tasks;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The warm-up (supervised) base model that RL starts from: a fresh policy taught the task
 * suite's reference answers by teacher forcing, deliberately briefly, so that it solves some
 * problems but not all and leaves room for RL.
 */
public final class BaseModel {

    /**
     * @param contextLength tokens of prompt + answer the model sees
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

    /** The checkpoint at {@code path}, trained now if it does not exist yet. */
    public static Path ensure(SparkSession spark, String tasksDir, Path path, Settings s) {
        if (Files.isDirectory(path)) {
            return path;
        }
        List<Problem> train = TaskSuite.problems(spark, tasksDir, "train");
        if (train.isEmpty()) {
            throw new BadInputException("task suite " + tasksDir + " has no train problems for warm-up");
        }
        List<Problem> test = TaskSuite.problems(spark, tasksDir, "test");
        System.err.printf(Locale.ROOT, "no base model at %s: warm-up training on %d problems (%d steps)%n",
                path, train.size(), s.steps());
        Tokenizer tokenizer = Tokenizer.forTasks(Tasks.all());
        PolicyConfig config = PolicyConfig.of(tokenizer, s.contextLength(), s.layers(), s.width(), s.heads(), s.seed());
        try (Policy policy = Policy.create(config, tokenizer, Device.cpu())) {
            Pretrainer.Report report = Pretrainer.train(policy, train, p -> Tasks.byName(p.task()).solve(p),
                    new Pretrainer.Settings(s.steps(), s.batchSize(), s.learningRate(), s.seed(),
                            Math.max(1, s.steps() / 10)), System.err);
            List<Problem> probe = test.subList(0, Math.min(200, test.size()));
            double acc = probe.isEmpty() ? Double.NaN : Pretrainer.greedyAccuracy(policy, probe,
                    (p, r) -> taskOf(p).verify(p, r), s.contextLength() / 2);
            System.err.printf(Locale.ROOT, "warm-up done: loss %.4f -> %.4f in %.0f s; greedy held-out accuracy %.3f%n",
                    report.firstLoss(), report.lastLoss(), report.seconds(), acc);
            Checkpoint.write(policy, path, Map.of("warmup_steps", Integer.toString(s.steps()),
                    "tasks", tasksDir, "greedy_heldout_accuracy", Double.toString(acc)));
        }
        return path;
    }

    private static Task taskOf(Problem p) {
        return Tasks.byName(p.task());
    }
}
