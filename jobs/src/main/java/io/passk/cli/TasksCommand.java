package io.passk.cli;

import io.passk.BadInputException;
import io.passk.spark.SparkSessions;
import io.passk.task.CustomTask;
import io.passk.task.JsonlSuite;
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
 * it as Parquet, or turns the user's own problems (JSON lines) into a suite of the same schema.
 * Thin: options in, {@link TaskSuiteWriter} does the work.
 */
@Command(name = "tasks", mixinStandardHelpOptions = true,
        description = "Generate a verifiable task suite (maze, maze-partial, arith, countdown) as Parquet rows"
                + " problem_id, task, split, difficulty, prompt, solution, meta. Same seed, same rows."
                + " Or, with --from-jsonl, make a suite of your own problems (one JSON object per line).")
public final class TasksCommand implements Callable<Integer> {

    @Option(names = "--task", description = "Task name: ${COMPLETION-CANDIDATES} (or --from-jsonl)",
            completionCandidates = TaskNames.class)
    String task;

    @Option(names = "--style", defaultValue = "compact", paramLabel = "compact|paper",
            description = "How mazes are drawn: compact (# walls, strict answers) or paper (the paper's format: "
                    + "* walls, moves L R U D in any case, other characters ignored; task maze-paper). "
                    + "Default ${DEFAULT-VALUE}")
    String style;

    @Option(names = "--from-jsonl", paramLabel = "FILE",
            description = "Make the suite from your own problems: a JSON-lines file (UTF-8), one object per line")
    String fromJsonl;

    @Option(names = "--prompt-field", paramLabel = "F", description = "With --from-jsonl: the field holding the prompt")
    String promptField;

    @Option(names = "--answer-field", paramLabel = "F",
            description = "With --from-jsonl: the field holding the reference answer (string or number)")
    String answerField;

    @Option(names = "--verifier", paramLabel = "maze|number|exact",
            description = "With --from-jsonl: how answers are checked (task custom-maze, custom-number, custom-exact)")
    String verifier;

    @Option(names = "--split-field", paramLabel = "F",
            description = "With --from-jsonl: the field holding each row's split (train or test); "
                    + "without it --test rows are drawn by seed and the rest are train")
    String splitField;

    @Option(names = "--difficulty-field", paramLabel = "F",
            description = "With --from-jsonl: the field holding each row's difficulty (integer >= 0; default 0)")
    String difficultyField;

    /** The per-task defaults in this help text are checked against {@link io.passk.task.Task#defaultDifficulties()} by a test. */
    @Option(names = "--difficulty", split = ",",
            description = "Comma-separated difficulties (maze: odd grid size 5..41; arith: depth 1..6; "
                    + "countdown: number count 3..6). Default: the shipped suite's, " + DIFFICULTY_DEFAULTS)
    List<Integer> difficulties;

    static final String DIFFICULTY_DEFAULTS = "maze 7,9; maze-partial 7,9; arith 1,2,3; countdown 3,4; maze-paper 7,9";

    @Option(names = "--train", defaultValue = "0", description = "Train problems in all, spread evenly over difficulties (default ${DEFAULT-VALUE})")
    int train;

    @Option(names = "--test", defaultValue = "0", description = "Test problems in all, spread evenly over difficulties "
            + "(with --from-jsonl: rows drawn for the test split) (default ${DEFAULT-VALUE})")
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
        output.check();
        JsonlSuite jsonl = null;
        List<io.passk.task.Problem> rows = null;
        TaskSuiteSpec spec = null;
        if (fromJsonl != null) {
            jsonl = jsonlSuite(seed);
            rows = jsonl.read(); // a bad row is refused before Spark starts
        } else {
            for (String[] o : new String[][]{{"--prompt-field", promptField}, {"--answer-field", answerField},
                    {"--verifier", verifier}, {"--split-field", splitField}, {"--difficulty-field", difficultyField}}) {
                if (o[1] != null) {
                    throw new BadInputException(o[0] + " applies to --from-jsonl only");
                }
            }
            if (task == null) {
                throw new BadInputException("give --task NAME (a generated suite) or --from-jsonl FILE (your own problems)");
            }
            String name = styledTask();
            spec = difficulties == null ? TaskSuiteSpec.withDefaultDifficulties(name, seed, train, test)
                    : new TaskSuiteSpec(name, seed, difficulties, train, test);
        }
        SparkSession spark = SparkSessions.forJob("passk tasks", false);
        PrintWriter err = command.commandLine().getErr();
        long t0 = System.nanoTime();
        java.util.function.Consumer<String> progress = msg -> {
            err.println("passk tasks: " + msg);
            err.flush();
        };
        if (jsonl != null) {
            TaskSuiteWriter.write(spark, jsonl, rows, output.out, output.overwrite, progress);
        } else {
            TaskSuiteWriter.write(spark, spec, output.out, output.overwrite, progress);
        }
        err.printf(Locale.ROOT, "passk tasks: done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        err.flush();
        return Passk.EXIT_OK;
    }

    /** The task of {@code --task} in {@code --style}: {@code paper} turns {@code maze} into {@code maze-paper}. */
    private String styledTask() {
        switch (style) {
            case "compact" -> {
                return task;
            }
            case "paper" -> {
                if (task.equals("maze") || task.equals("maze-paper")) {
                    return "maze-paper";
                }
                throw new BadInputException("--style paper draws mazes the paper's way: it applies to --task maze, not "
                        + task);
            }
            default -> throw new BadInputException("--style must be compact or paper, got '" + style + "'");
        }
    }

    private JsonlSuite jsonlSuite(long seed) {
        if (task != null) {
            throw new BadInputException("give either --task or --from-jsonl, not both");
        }
        if (difficulties != null) {
            throw new BadInputException("--difficulty does not apply to --from-jsonl (use --difficulty-field)");
        }
        if (train != 0) {
            throw new BadInputException("--train does not apply to --from-jsonl: every row not in the test split is train");
        }
        if (!style.equals("compact")) {
            throw new BadInputException("--style does not apply to --from-jsonl: the prompts are yours");
        }
        for (String[] o : new String[][]{{"--prompt-field", promptField}, {"--answer-field", answerField},
                {"--verifier", verifier}}) {
            if (o[1] == null) {
                throw new BadInputException("--from-jsonl needs " + o[0]);
            }
        }
        return new JsonlSuite(fromJsonl, promptField, answerField, CustomTask.Verifier.byName(verifier), splitField,
                difficultyField, test, seed);
    }

    /** Task names for the help text. */
    static final class TaskNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            List<String> names = new java.util.ArrayList<>(Tasks.names());
            names.add("maze-paper"); // the same mazes as --task maze --style paper
            return names.iterator();
        }
    }
}
