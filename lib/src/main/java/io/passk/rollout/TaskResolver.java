package io.passk.rollout;

import io.passk.task.Task;
import io.passk.task.Tasks;

import java.io.Serializable;

/** Finds a task's verifier by name on an executor (shipped with the closure, so serializable). */
@FunctionalInterface
public interface TaskResolver extends Serializable {
    Task byName(String name);

    /** The registered tasks ({@link Tasks#byName}). */
    static TaskResolver registry() {
        return Tasks::byName;
    }
}
