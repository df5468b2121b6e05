package io.passk.task;

import java.io.Serializable;

/**
 * One verifiable problem: what the policy sees ({@code prompt}) and what the verifier and the
 * warm-up trainer need ({@code solution}, {@code meta}). {@code meta} is a task-specific
 * string (e.g. the maze grid size) that {@link Task#verify} may read.
 */
public record Problem(String problemId, String task, String split, int difficulty,
                      String prompt, String solution, String meta)
        implements Serializable {
}
