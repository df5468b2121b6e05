package io.passk.task;

import io.passk.BadInputException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a task suite holds: one task, a seed, difficulties, and how many train and test
 * problems in all. Counts are spread evenly over the difficulties (the first ones get the
 * remainder). Test problems are drawn first; train problems are drawn from their own stream
 * and skip every test prompt, so the splits never share a problem.
 *
 * @param task         task name (see {@link Tasks})
 * @param seed         generation seed
 * @param difficulties distinct difficulties, in the order given
 * @param train        number of train problems in all
 * @param test         number of test problems in all
 */
public record TaskSuiteSpec(String task, long seed, List<Integer> difficulties, int train, int test) {

    public static final String TRAIN = "train";
    public static final String TEST = "test";

    public TaskSuiteSpec {
        Task t = Tasks.byName(task);
        if (t instanceof CustomTask) {
            throw new BadInputException("task " + task + " has no generator: its problems come from a JSON-lines file "
                    + "(passk tasks --from-jsonl FILE --verifier " + ((CustomTask) t).verifier().cliName() + ")");
        }
        if (difficulties == null || difficulties.isEmpty()) {
            throw new BadInputException("task " + task + ": no difficulty given (" + t.difficultyRange() + ")");
        }
        difficulties = List.copyOf(difficulties);
        if (new HashSet<>(difficulties).size() != difficulties.size()) {
            throw new BadInputException("task " + task + ": repeated difficulty in " + difficulties);
        }
        for (int d : difficulties) {
            if (!t.supportsDifficulty(d)) {
                throw new BadInputException("task " + task + ": difficulty " + d + " is not supported ("
                        + t.difficultyRange() + ")");
            }
        }
        if (train < 0 || test < 0) {
            throw new BadInputException("task " + task + ": negative count (train " + train + ", test " + test + ")");
        }
        if (train + test == 0) {
            throw new BadInputException("task " + task + ": nothing to generate (train 0, test 0)");
        }
    }

    /**
     * A suite of {@code task}'s default difficulties ({@link Task#defaultDifficulties()}, the
     * shipped suite's); a task without defaults is refused, naming its range.
     */
    public static TaskSuiteSpec withDefaultDifficulties(String task, long seed, int train, int test) {
        return new TaskSuiteSpec(task, seed, Tasks.byName(task).defaultDifficulties(), train, test);
    }

    /** Problems of {@code split} allotted to the {@code i}-th difficulty. */
    public int share(String split, int i) {
        int total = TRAIN.equals(split) ? train : test;
        int k = difficulties.size();
        return total / k + (i < total % k ? 1 : 0);
    }

    /** Generates the suite: per difficulty, train rows then test rows. */
    public List<Problem> generate() {
        return generate(msg -> { });
    }

    /** As {@link #generate()}, reporting each finished (difficulty, split) to {@code progress}. */
    public List<Problem> generate(Consumer<String> progress) {
        Task t = Tasks.byName(task);
        List<Problem> out = new ArrayList<>(train + test);
        for (int i = 0; i < difficulties.size(); i++) {
            int d = difficulties.get(i);
            List<Problem> testProblems = t.generate(seed, d, share(TEST, i), TEST);
            Set<String> testPrompts = new HashSet<>();
            testProblems.forEach(p -> testPrompts.add(p.prompt()));
            List<Problem> trainProblems = t.generate(seed, d, share(TRAIN, i), TRAIN, testPrompts);
            out.addAll(trainProblems);
            out.addAll(testProblems);
            progress.accept(String.format(Locale.ROOT, "%s difficulty %d: %d train + %d test (difficulty %d/%d)",
                    task, d, trainProblems.size(), testProblems.size(), i + 1, difficulties.size()));
        }
        return out;
    }
}
