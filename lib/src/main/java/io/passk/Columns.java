package io.passk;

/**
 * Column names every on-disk table shares: task suites, rollouts, evaluation input and output,
 * and the Spark stages' defaults. One name, so a task suite's rows, a run's rollouts and an
 * evaluation's per-problem table join on the same key.
 */
public final class Columns {

    /** Stable id of a problem: a task suite's key, a rollout group, an evaluated problem. */
    public static final String PROBLEM_ID = "problem_id";

    private Columns() {
    }
}
