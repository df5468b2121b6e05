package io.passk.task;

import java.util.List;

/**
 * A family of verifiable problems (maze, arith, countdown). Implementations are stateless and
 * deterministic: the same (seed, difficulty, index) always gives the same problem.
 */
public interface Task {

    /** Short name used in rows and on the command line, e.g. {@code maze}. */
    String name();

    /** Generates {@code count} problems of one difficulty from a seed. */
    List<Problem> generate(long seed, int difficulty, int count, String split);

    /** A reference answer (used for warm-up training); verify(problem, solve(problem)) == 1. */
    String solve(Problem problem);

    /**
     * Reward of a response in [0,1]. Total: any string (empty, huge, unicode, control
     * characters) yields a value in [0,1] and never throws.
     */
    double verify(Problem problem, String response);

    /** Every character that can appear in this task's prompts and answers (for the tokenizer). */
    String alphabet();
}
