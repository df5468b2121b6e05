package io.passk.task;

import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * A family of verifiable problems (maze, arith, countdown). Implementations are stateless and
 * deterministic: the same (seed, difficulty, index) always gives the same problem. They are
 * {@link Serializable} so Spark closures may capture them; {@link Tasks#byName} finds one.
 */
public interface Task extends Serializable {

    /** Short name used in rows and on the command line, e.g. {@code maze}. */
    String name();

    /**
     * Generates {@code count} distinct problems of one difficulty from a seed (see
     * {@link #generate(long, int, int, String, Set)}; nothing excluded).
     */
    default List<Problem> generate(long seed, int difficulty, int count, String split) {
        return generate(seed, difficulty, count, split, Set.of());
    }

    /**
     * Generates {@code count} distinct problems of one difficulty whose prompts are not in
     * {@code excludedPrompts} (how a suite keeps train and test disjoint). Problem {@code i}
     * is drawn from {@code SeededRandom.of(seed, difficulty, family + "/" + split, i)} (family: the
     * task name, {@code maze} for both maze variants); duplicates
     * and excluded prompts are skipped, so the result is a pure function of the arguments.
     * Ids are content addressed ({@code <task>-d<difficulty>-<16 hex of hash(prompt)>}).
     *
     * @throws io.passk.BadInputException for a difficulty the task does not support, or when the
     *         difficulty has too few distinct problems to supply {@code count}
     */
    List<Problem> generate(long seed, int difficulty, int count, String split, Set<String> excludedPrompts);

    /** A reference answer (used for warm-up training); verify(problem, solve(problem)) == 1. */
    String solve(Problem problem);

    /**
     * Reward of a response in [0,1]. Total: any string (empty, huge, unicode, control
     * characters) yields a value in [0,1] and never throws. A response is correct iff the
     * reward is 1. The verifier first extracts the answer ({@link AnswerExtraction#extract}: last
     * {@code <answer>…</answer>}, else last {@code \boxed{…}}, else the whole response). The
     * generated tasks read only {@code problem.prompt()}, so a rollout row (task, prompt,
     * response) is enough to re-score it; a suite made from the user's own problems
     * ({@link JsonlSuite}) also reads {@code problem.solution()}, the reference answer.
     */
    double verify(Problem problem, String response);

    /**
     * What the instruction prompt tells a language model before the problem: what the prompt
     * shows and what to answer, in which form (the user message then holds the compact prompt and
     * "Put your final answer in &lt;answer&gt;&lt;/answer&gt;."). A generic sentence by default.
     */
    default String instructions() {
        return "Solve the problem below.";
    }

    /**
     * The instruction prompt of {@code problem}: a system and a user message
     * ({@link PromptStyle#instructionMessages}); a chat template turns them into tokens.
     */
    default List<ChatMessage> instructionMessages(Problem problem) {
        return PromptStyle.instructionMessages(instructions(), problem.prompt());
    }

    /** Every character that can appear in this task's prompts and answers (for the tokenizer). */
    String alphabet();

    /** Human-readable description of the supported difficulties, e.g. {@code odd grid size 5..41}. */
    String difficultyRange();

    /** Whether {@link #generate} accepts this difficulty. */
    boolean supportsDifficulty(int difficulty);

    /**
     * The difficulties a suite gets when it names none ({@code passk tasks} without
     * {@code --difficulty}): those of the shipped suite under {@code data/tasks/}. Empty for a task
     * without a default, whose suites must name their difficulties.
     */
    default List<Integer> defaultDifficulties() {
        return List.of();
    }
}
