package io.passk.task;

import io.passk.BadInputException;
import io.passk.random.SeededRandom;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The generation loop shared by the tasks: draw candidates from keyed random streams, skip
 * rejected, duplicate and excluded ones, and give each problem a content-addressed id.
 * Subclasses only say how to draw one candidate.
 */
abstract class GeneratedTask implements Task {

    private static final long serialVersionUID = 1L;

    /** A candidate problem before it gets an id. */
    record Draft(String prompt, String solution, String meta) {
    }

    /**
     * The name of the random streams problems are drawn from; variants of one task that differ
     * only in the verifier (maze and maze-partial) share it, so they generate the same prompts.
     */
    String family() {
        return name();
    }

    /** Draws one candidate, or null to reject this draw (e.g. a value out of range). */
    abstract Draft draft(SplittableRandom rng, int difficulty);

    @Override
    public final List<Problem> generate(long seed, int difficulty, int count, String split,
                                        Set<String> excludedPrompts) {
        if (!supportsDifficulty(difficulty)) {
            throw new BadInputException("task " + name() + ": difficulty " + difficulty
                    + " is not supported (" + difficultyRange() + ")");
        }
        if (count < 0) {
            throw new BadInputException("task " + name() + ": negative problem count " + count);
        }
        if (split == null || split.isEmpty()) {
            throw new BadInputException("task " + name() + ": empty split name");
        }
        List<Problem> out = new ArrayList<>(count);
        Set<String> seen = new HashSet<>();
        Set<String> ids = new HashSet<>();
        // every draw is cheap; the budget only guards against an exhausted problem space
        long budget = 50L * count + 20_000;
        String stream = family() + "/" + split;
        for (long i = 0; out.size() < count; i++) {
            if (i >= budget) {
                throw new BadInputException(String.format(Locale.ROOT,
                        "task %s difficulty %d: only %d distinct %s problems found in %d draws "
                                + "(%d excluded), %d asked for; ask for fewer or use a larger difficulty",
                        name(), difficulty, out.size(), split, budget, excludedPrompts.size(), count));
            }
            Draft d = draft(SeededRandom.of(seed, difficulty, stream, i), difficulty);
            if (d == null || excludedPrompts.contains(d.prompt()) || !seen.add(d.prompt())) {
                continue;
            }
            String id = problemId(name(), difficulty, d.prompt());
            if (!ids.add(id)) {
                continue; // a 64-bit hash collision between different prompts: keep ids unique
            }
            out.add(new Problem(id, name(), split, difficulty, d.prompt(), d.solution(), d.meta()));
        }
        return out;
    }

    /** {@code <task>-d<difficulty>-<16 hex digits of the prompt's hash>}: stable, content addressed. */
    static String problemId(String task, int difficulty, String prompt) {
        return String.format(Locale.ROOT, "%s-d%d-%016x", task, difficulty, SeededRandom.hash(prompt));
    }
}
