package io.passk.cli;

import io.passk.spark.SparkSessions;
import io.passk.task.TaskSuiteSpec;
import io.passk.task.TaskSuiteWriter;
import io.passk.task.Tasks;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code passk tasks}: generates a task suite (train and test problems) from a seed and writes
 * it as Parquet. Thin: options in, {@link TaskSuiteWriter} does the work.
 */
@Command(name = "tasks", mixinStandardHelpOptions = true,
        description = {"Generate a verifiable task suite (maze, maze-partial, arith, countdown) as Parquet rows",
                "problem_id, task, split, difficulty, prompt, solution, meta. Same seed, same rows."})
public final class TasksCommand implements Callable<Integer> {

    @Option(names = "--task", required = true, description = "Task name: ${COMPLETION-CANDIDATES}",
            completionCandidates = TaskNames.class)
    String task;

    @Option(names = "--difficulty", required = true, split = ",",
            description = "Comma-separated difficulties (maze: odd grid size 5..41; arith: depth 1..6; "
                    + "countdown: number count 3..6)")
    List<Integer> difficulties;

    @Option(names = "--train", defaultValue = "0", description = "Train problems in all, spread evenly over difficulties (default ${DEFAULT-VALUE})")
    int train;

    @Option(names = "--test", defaultValue = "0", description = "Test problems in all, spread evenly over difficulties (default ${DEFAULT-VALUE})")
    int test;

    @Option(names = "--seed", defaultValue = "0", description = "Generation seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, description = "Output directory (written atomically)")
    String out;

    @Option(names = "--overwrite", description = "Replace an existing output directory")
    boolean overwrite;

    @Override
    public Integer call() {
        TaskSuiteSpec spec = new TaskSuiteSpec(task, seed, difficulties, train, test);
        SparkSession spark = SparkSessions.forJob("passk tasks", false);
        long t0 = System.nanoTime();
        TaskSuiteWriter.write(spark, spec, out, overwrite, msg -> System.err.println("passk tasks: " + msg));
        System.err.printf("passk tasks: done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return Passk.EXIT_OK;
    }

    /** Task names for the help text. */
    static final class TaskNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Tasks.names().iterator();
        }
    }
}
