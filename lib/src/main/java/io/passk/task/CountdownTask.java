package io.passk.task;

import io.passk.task.countdown.CountdownPuzzle;
import io.passk.task.countdown.CountdownSolver;
import io.passk.task.expr.Expr;
import io.passk.task.expr.ExprEval;
import io.passk.task.expr.ExprFormat;
import io.passk.task.expr.ExprParser;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * Countdown: reach a target from given numbers. Difficulty = how many numbers (3..6). Each
 * number is, with probability 1/4, one of {@code 25 50 75 100}, else in {@code 1..10}. The
 * target is the value of a random expression over at least two of them (so every emitted
 * instance is solvable), kept when it lies in {@code 10..999} and is not itself one of the
 * numbers. Prompt: {@code 3 7 25 50 -> 425}; answer: an expression such as {@code (3+7)*50-75}.
 *
 * <p>Verifier rules (1 or 0), applied to the {@link AnswerExtraction#extract extracted} answer (so
 * {@code <answer>(3+7)*50-75</answer>} and {@code \boxed{(3+7)*50-75}} are read as the
 * expression): surrounding whitespace is ignored; the response must be a whole
 * expression of non-negative integer literals, {@code + - * /} and parentheses (spaces or tabs
 * between tokens allowed; no unary minus; at most {@value ExprParser#MAX_LENGTH} characters,
 * parentheses nested at most {@value ExprParser#MAX_DEPTH} deep); each literal must be one of
 * the given numbers and each given number is used at most once (numbers need not all be used;
 * a number given twice may be used twice); evaluation is exact 64-bit integer arithmetic in
 * which subtraction may go negative, division counts only when the divisor is non-zero and
 * divides exactly, and any overflow fails; the value must equal the target.
 */
public final class CountdownTask extends GeneratedTask {

    private static final long serialVersionUID = 1L;

    public static final int MIN_NUMBERS = 3;
    public static final int MAX_NUMBERS = 6;
    static final long[] LARGE = {25, 50, 75, 100};
    static final int MIN_TARGET = 10;
    static final int MAX_TARGET = 999;

    @Override
    public String name() {
        return "countdown";
    }

    @Override
    public String alphabet() {
        return "0123456789 +-*/()>";
    }

    @Override
    public String difficultyRange() {
        return "number count " + MIN_NUMBERS + ".." + MAX_NUMBERS;
    }

    @Override
    public boolean supportsDifficulty(int difficulty) {
        return difficulty >= MIN_NUMBERS && difficulty <= MAX_NUMBERS;
    }

    /** Three and four numbers, the shipped suite's. */
    @Override
    public List<Integer> defaultDifficulties() {
        return List.of(3, 4);
    }

    @Override
    Draft draft(SplittableRandom rng, int difficulty) {
        long[] numbers = new long[difficulty];
        for (int i = 0; i < difficulty; i++) {
            numbers[i] = rng.nextInt(4) == 0 ? LARGE[rng.nextInt(LARGE.length)] : 1 + rng.nextInt(10);
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            long target = randomValue(rng, numbers);
            if (target < MIN_TARGET || target > MAX_TARGET || contains(numbers, target)) {
                continue;
            }
            Expr solution = CountdownSolver.solve(numbers, target);
            if (solution == null) {
                return null; // cannot happen: the target was built from the numbers
            }
            CountdownPuzzle puzzle = new CountdownPuzzle(numbers, target);
            return new Draft(puzzle.render(), ExprFormat.render(solution),
                    "numbers=" + difficulty + ";uses=" + ExprEval.literals(solution).size());
        }
        return null;
    }

    /** Folds a random subset (size >= 2) with random valid operations; positive integers throughout. */
    private static long randomValue(SplittableRandom rng, long[] numbers) {
        int n = numbers.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int m = 2 + rng.nextInt(n - 1);
        long[] items = new long[m];
        for (int i = 0; i < m; i++) {
            items[i] = numbers[order[i]];
        }
        for (int size = m; size > 1; size--) {
            int i = rng.nextInt(size);
            int j = rng.nextInt(size - 1);
            if (j >= i) {
                j++;
            }
            long a = items[i];
            long b = items[j];
            long r = a + b;
            switch (rng.nextInt(4)) {
                case 1 -> r = a > 1 && b > 1 ? a * b : a + b;
                case 2 -> r = a > b ? a - b : a + b;
                case 3 -> r = b > 1 && a % b == 0 ? a / b : a + b;
                default -> {
                }
            }
            items[i] = r;
            items[j] = items[size - 1]; // drop slot j (when i is the last slot this copies r)
        }
        return items[0];
    }

    private static boolean contains(long[] numbers, long v) {
        for (long n : numbers) {
            if (n == v) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String instructions() {
        return "Reach the target after -> using the numbers before it, each at most once (not all need be used), "
                + "with +, -, *, / and parentheses; division must be exact. The answer is the expression alone, "
                + "for example (3+7)*50-75, without = and the target.";
    }

    @Override
    public String solve(Problem problem) {
        Optional<CountdownPuzzle> p = problem == null ? Optional.empty() : CountdownPuzzle.parse(problem.prompt());
        if (p.isEmpty()) {
            return "";
        }
        Expr e = CountdownSolver.solve(p.get().numbers(), p.get().target());
        return e == null ? "" : ExprFormat.render(e);
    }

    @Override
    public double verify(Problem problem, String response) {
        try {
            if (problem == null || response == null) {
                return 0.0;
            }
            Optional<CountdownPuzzle> puzzle = CountdownPuzzle.parse(problem.prompt());
            if (puzzle.isEmpty()) {
                return 0.0;
            }
            String s = AnswerExtraction.extract(response).strip();
            if (s.length() > ExprParser.MAX_LENGTH) {
                return 0.0;
            }
            Optional<Expr> expr = ExprParser.parse(s, "+-*/");
            if (expr.isEmpty() || !usesAtMostGiven(ExprEval.literals(expr.get()), puzzle.get().numbers())) {
                return 0.0;
            }
            OptionalLong value = ExprEval.exact(expr.get());
            return value.isPresent() && value.getAsLong() == puzzle.get().target() ? 1.0 : 0.0;
        } catch (RuntimeException | StackOverflowError e) {
            return 0.0;
        }
    }

    /** Multiset inclusion: each literal consumes one copy of an equal given number. */
    static boolean usesAtMostGiven(List<Long> literals, long[] given) {
        if (literals.size() > given.length) {
            return false;
        }
        Map<Long, Integer> left = new HashMap<>();
        for (long g : given) {
            left.merge(g, 1, Integer::sum);
        }
        for (long l : literals) {
            Integer c = left.get(l);
            if (c == null || c == 0) {
                return false;
            }
            left.put(l, c - 1);
        }
        return true;
    }

    @Override
    public String toString() {
        return name();
    }
}
