package io.passk.eval;

import io.passk.BadInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which input columns play the roles of {@code problem_id}, {@code correct}, {@code reward} and
 * the sample id, for tables written by other tools ({@code --problem-col}, {@code --correct-col},
 * {@code --correct-value}, {@code --reward-col}, {@code --sample-col}). An empty role keeps the
 * standard name, or a known alias found in the file ({@link AnswerReader}).
 *
 * @param problem      the column holding the problem id
 * @param correct      the column holding correctness: a boolean, 0/1, or text compared with
 *                     {@code correctValue}
 * @param correctValue with {@code correct}: the text that means correct (e.g. {@code passed});
 *                     any other non-null value is incorrect
 * @param reward       the column holding a reward in [0,1]
 * @param sample       the column holding the sample id (duplicates within a problem are bad input)
 */
public record ColumnMapping(Optional<String> problem, Optional<String> correct, Optional<String> correctValue,
                            Optional<String> reward, Optional<String> sample) {

    /** No mapping: standard column names (and the aliases {@link AnswerReader} knows). */
    public static final ColumnMapping NONE = new ColumnMapping(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    public ColumnMapping {
        problem = clean(problem, "--problem-col");
        correct = clean(correct, "--correct-col");
        correctValue = correctValue == null ? Optional.empty() : correctValue;
        reward = clean(reward, "--reward-col");
        sample = clean(sample, "--sample-col");
        if (correctValue.isPresent() && correct.isEmpty()) {
            throw new BadInputException("--correct-value needs --correct-col (the text column it is compared with)");
        }
    }

    private static Optional<String> clean(Optional<String> v, String option) {
        if (v == null || v.isEmpty()) {
            return Optional.empty();
        }
        String s = v.get().trim();
        if (s.isEmpty()) {
            throw new BadInputException(option + " is empty");
        }
        return Optional.of(s);
    }

    /** Builds a mapping from nullable option values. */
    public static ColumnMapping of(String problem, String correct, String correctValue, String reward, String sample) {
        return new ColumnMapping(Optional.ofNullable(problem), Optional.ofNullable(correct),
                Optional.ofNullable(correctValue), Optional.ofNullable(reward), Optional.ofNullable(sample));
    }

    /** The options given, for {@code run.json} (empty when none). */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        problem.ifPresent(v -> m.put("problem_col", v));
        correct.ifPresent(v -> m.put("correct_col", v));
        correctValue.ifPresent(v -> m.put("correct_value", v));
        reward.ifPresent(v -> m.put("reward_col", v));
        sample.ifPresent(v -> m.put("sample_col", v));
        return m;
    }
}
