package io.passk.cli;

import io.passk.spark.SparkSessions;
import io.passk.task.TaskSuiteSpec;
import io.passk.task.TaskSuiteWriter;
import io.passk.task.Tasks;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
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

    /** The per-task defaults in this help text are checked against {@link io.passk.task.Task#defaultDifficulties()} by a test. */
    @Option(names = "--difficulty", split = ",",
            description = "Comma-separated difficulties (maze: odd grid size 5..41; arith: depth 1..6; "
                    + "countdown: number count 3..6). Default: the shipped suite's, " + DIFFICULTY_DEFAULTS)
    List<Integer> difficulties;

    static final String DIFFICULTY_DEFAULTS = "maze 7,9; maze-partial 7,9; arith 1,2,3; countdown 3,4";

    @Option(names = "--train", defaultValue = "0", description = "Train problems in all, spread evenly over difficulties (default ${DEFAULT-VALUE})")
    int train;

    @Option(names = "--test", defaultValue = "0", description = "Test problems in all, spread evenly over difficulties (default ${DEFAULT-VALUE})")
    int test;

    /** The generation seed. */
    @Mixin
    SeedOption seedOption = new SeedOption(0);

    @Mixin
    OutputOptions output = new OutputOptions();

    @Spec
    CommandSpec command;

    @Override
    public Integer call() {
        long seed = seedOption.seed;
        TaskSuiteSpec spec = difficulties == null ? TaskSuiteSpec.withDefaultDifficulties(task, seed, train, test)
                : new TaskSuiteSpec(task, seed, difficulties, train, test);
        SparkSession spark = SparkSessions.forJob("passk tasks", false);
        PrintWriter err = command.commandLine().getErr();
        long t0 = System.nanoTime();
        TaskSuiteWriter.write(spark, spec, output.out, output.overwrite, msg -> {
            err.println("passk tasks: " + msg);
            err.flush();
        });
        err.printf(Locale.ROOT, "passk tasks: done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        err.flush();
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
