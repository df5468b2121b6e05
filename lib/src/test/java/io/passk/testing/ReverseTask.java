package io.passk.testing;

import io.passk.random.SeededRandom;
import io.passk.task.Problem;
import io.passk.task.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** A toy task for policy tests: answer the prompt (letters a-d) reversed. Difficulty = length. */
public final class ReverseTask implements Task {
    public static final String NAME = "reverse";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Problem> generate(long seed, int difficulty, int count, String split, Set<String> excluded) {
        List<Problem> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = NAME + "-" + split + "-" + difficulty + "-" + i;
            SplittableRandom rnd = SeededRandom.of(seed, difficulty, id, i);
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < difficulty; j++) {
                sb.append((char) ('a' + rnd.nextInt(4)));
            }
            String prompt = sb.toString();
            out.add(new Problem(id, NAME, split, difficulty, prompt, sb.reverse().toString(), ""));
        }
        return out;
    }

    @Override
    public String solve(Problem problem) {
        return new StringBuilder(problem.prompt()).reverse().toString();
    }

    @Override
    public double verify(Problem problem, String response) {
        return response != null && response.equals(solve(problem)) ? 1.0 : 0.0;
    }

    @Override
    public String difficultyRange() {
        return "string length 1..12";
    }

    @Override
    public boolean supportsDifficulty(int difficulty) {
        return difficulty >= 1 && difficulty <= 12;
    }

    @Override
    public String alphabet() {
        return "abcd";
    }
}
