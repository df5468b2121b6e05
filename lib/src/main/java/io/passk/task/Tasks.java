package io.passk.task;

import io.passk.BadInputException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The registry of tasks by name. The built-in tasks ({@link #all()}: {@code maze},
 * {@code maze-partial}, {@code arith}, {@code countdown}) are the ones whose alphabets make the
 * character model's tokenizer; the formats for language models ({@link #others()}:
 * {@code maze-paper}, the paper's drawing of the same mazes, and {@code custom-maze},
 * {@code custom-number}, {@code custom-exact}, the tasks of a suite made from the user's own
 * problems) are kept apart so that adding them leaves that tokenizer, and so every built-in
 * model, unchanged. {@link #byName} finds either.
 */
public final class Tasks {

    private static final Map<String, Task> BY_NAME = new LinkedHashMap<>();
    private static final Map<String, Task> OTHERS = new LinkedHashMap<>();

    static {
        for (Task t : List.of(MazeTask.binary(), MazeTask.partialCredit(), new ArithTask(), new CountdownTask())) {
            BY_NAME.put(t.name(), t);
        }
        for (Task t : List.of(MazeTask.paper(), new CustomTask(CustomTask.Verifier.MAZE),
                new CustomTask(CustomTask.Verifier.NUMBER), new CustomTask(CustomTask.Verifier.EXACT))) {
            OTHERS.put(t.name(), t);
        }
    }

    private Tasks() {
    }

    /** The task called {@code name}; {@link BadInputException} naming the known ones otherwise. */
    public static Task byName(String name) {
        Task t = name == null ? null : BY_NAME.getOrDefault(name, OTHERS.get(name));
        if (t == null) {
            List<String> known = new ArrayList<>(names());
            known.addAll(OTHERS.keySet());
            throw new BadInputException("unknown task '" + name + "'; known tasks: " + String.join(", ", known));
        }
        return t;
    }

    /** The tasks besides the built-in ones: {@code maze-paper} and the custom-suite tasks, in order. */
    public static List<Task> others() {
        return List.copyOf(OTHERS.values());
    }

    /** The built-in tasks (whose alphabets make the character tokenizer), in registration order. */
    public static List<Task> all() {
        return List.copyOf(BY_NAME.values());
    }

    /** Registered names, in registration order. */
    public static List<String> names() {
        return new ArrayList<>(BY_NAME.keySet());
    }

    /**
     * Re-scores a response from what a rollout row holds (task name and prompt): the generated
     * tasks' verifiers read only the prompt. Unknown task names are bad input; everything else is
     * total.
     */
    public static double reward(String task, String prompt, String response) {
        return reward(task, prompt, "", response);
    }

    /**
     * As {@link #reward(String, String, String)} with the suite's reference answer, which the
     * {@code custom-number} and {@code custom-exact} verifiers compare against.
     */
    public static double reward(String task, String prompt, String solution, String response) {
        Task t = byName(task);
        return t.verify(new Problem("", task, "", 0, prompt, solution, ""), response);
    }

    /**
     * The sorted union of the alphabets of {@code tasks} (for a tokenizer shared across tasks).
     */
    public static String alphabet(List<Task> tasks) {
        TreeSet<Character> chars = new TreeSet<>();
        for (Task t : tasks) {
            for (char c : t.alphabet().toCharArray()) {
                chars.add(c);
            }
        }
        StringBuilder sb = new StringBuilder();
        chars.forEach(sb::append);
        return sb.toString();
    }
}
