package io.passk.task;

import io.passk.BadInputException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The registry of tasks by name: {@code maze}, {@code maze-partial}, {@code arith}, {@code countdown}. */
public final class Tasks {

    private static final Map<String, Task> BY_NAME = new LinkedHashMap<>();

    static {
        for (Task t : List.of(MazeTask.binary(), MazeTask.partialCredit(), new ArithTask(), new CountdownTask())) {
            BY_NAME.put(t.name(), t);
        }
    }

    private Tasks() {
    }

    /** The task called {@code name}; {@link BadInputException} naming the known ones otherwise. */
    public static Task byName(String name) {
        Task t = name == null ? null : BY_NAME.get(name);
        if (t == null) {
            throw new BadInputException("unknown task '" + name + "'; known tasks: " + String.join(", ", names()));
        }
        return t;
    }

    /** Every registered task, in registration order. */
    public static List<Task> all() {
        return List.copyOf(BY_NAME.values());
    }

    /** Registered names, in registration order. */
    public static List<String> names() {
        return new ArrayList<>(BY_NAME.keySet());
    }

    /**
     * Re-scores a response from what a rollout row holds (task name and prompt): verifiers read
     * only the prompt. Unknown task names are bad input; everything else is total.
     */
    public static double reward(String task, String prompt, String response) {
        Task t = byName(task);
        return t.verify(new Problem("", task, "", 0, prompt, "", ""), response);
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
