package io.passk.task;

import io.passk.task.expr.Expr;
import io.passk.task.expr.ExprEval;
import io.passk.task.expr.ExprFormat;
import io.passk.task.expr.ExprParser;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Integer arithmetic with {@code + - *} and parentheses. Difficulty {@code d} (1..6) is the
 * depth of the expression tree (longest chain of operators); operands are integers in
 * {@code [0, 10(d+1))} and every intermediate value, the answer included, lies within
 * {@code ±(10^(d+2) - 1)} (draws outside are rejected). The prompt is the expression with
 * minimal parentheses followed by {@code =}, e.g. {@code (12+7)*3=}; the answer is the integer.
 *
 * <p>Verifier: exact integer match of the final answer, 1 or 0, read from the
 * {@link AnswerExtraction#extract extracted} answer ({@code <answer>57</answer>} and {@code \boxed{57}}
 * count as {@code 57}). Surrounding whitespace is ignored; if the response contains {@code =}, the final answer is what follows the last one
 * (so {@code 19*3=57} counts as {@code 57}). The final answer must be an optionally signed run
 * of at most {@value #MAX_ANSWER_DIGITS} decimal digits; it is compared as an exact integer
 * (leading zeros allowed, no overflow possible).
 */
public final class ArithTask extends GeneratedTask {

    private static final long serialVersionUID = 1L;

    public static final int MIN_DEPTH = 1;
    public static final int MAX_DEPTH = 6;
    static final int MAX_ANSWER_DIGITS = 200;

    @Override
    public String name() {
        return "arith";
    }

    @Override
    public String alphabet() {
        return "0123456789+-*()=";
    }

    @Override
    public String difficultyRange() {
        return "expression depth " + MIN_DEPTH + ".." + MAX_DEPTH;
    }

    @Override
    public boolean supportsDifficulty(int difficulty) {
        return difficulty >= MIN_DEPTH && difficulty <= MAX_DEPTH;
    }

    /** Depths 1, 2 and 3, the shipped suite's. */
    @Override
    public List<Integer> defaultDifficulties() {
        return List.of(1, 2, 3);
    }

    /** Operands are drawn from {@code [0, operandBound(d))}. */
    public static int operandBound(int depth) {
        return 10 * (depth + 1);
    }

    /** Largest absolute intermediate value allowed at a depth. */
    public static BigInteger valueBound(int depth) {
        return BigInteger.TEN.pow(depth + 2).subtract(BigInteger.ONE);
    }

    @Override
    Draft draft(SplittableRandom rng, int difficulty) {
        Expr e = tree(rng, difficulty, operandBound(difficulty));
        if (ExprEval.maxAbsIntermediate(e).compareTo(valueBound(difficulty)) > 0) {
            return null;
        }
        return new Draft(ExprFormat.render(e) + "=", ExprEval.big(e).toString(), "depth=" + difficulty);
    }

    /** A tree of exactly {@code depth}: one child continues the longest chain, the other is shallower. */
    private static Expr tree(SplittableRandom rng, int depth, int operandBound) {
        if (depth == 0) {
            return Expr.num(rng.nextInt(operandBound));
        }
        char op = "+-*".charAt(rng.nextInt(3));
        boolean deepLeft = rng.nextBoolean();
        int other = rng.nextInt(depth);
        Expr deep = tree(rng, depth - 1, operandBound);
        Expr shallow = tree(rng, other, operandBound);
        return deepLeft ? Expr.bin(op, deep, shallow) : Expr.bin(op, shallow, deep);
    }

    /** The value of the prompt's expression, or empty if the prompt is not an arith prompt. */
    static Optional<BigInteger> expected(String prompt) {
        if (prompt == null || !prompt.endsWith("=")) {
            return Optional.empty();
        }
        return ExprParser.parse(prompt.substring(0, prompt.length() - 1), "+-*").map(ExprEval::big);
    }

    @Override
    public String instructions() {
        return "Compute the value of the integer expression below (+, - and * with the usual precedence, "
                + "and parentheses). The answer is the integer alone, for example 42.";
    }

    @Override
    public String solve(Problem problem) {
        return problem == null ? "" : expected(problem.prompt()).map(BigInteger::toString).orElse("");
    }

    @Override
    public double verify(Problem problem, String response) {
        try {
            if (problem == null || response == null) {
                return 0.0;
            }
            Optional<BigInteger> want = expected(problem.prompt());
            Optional<BigInteger> got = finalAnswer(AnswerExtraction.extract(response));
            return want.isPresent() && got.isPresent() && want.get().equals(got.get()) ? 1.0 : 0.0;
        } catch (RuntimeException | StackOverflowError e) {
            return 0.0;
        }
    }

    /** The integer after the last {@code =} (or the whole response), or empty if it is not one. */
    static Optional<BigInteger> finalAnswer(String response) {
        String s = response.strip();
        int eq = s.lastIndexOf('=');
        if (eq >= 0) {
            s = s.substring(eq + 1).strip();
        }
        int i = 0;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            i = 1;
        }
        int digits = s.length() - i;
        if (digits < 1 || digits > MAX_ANSWER_DIGITS) {
            return Optional.empty();
        }
        for (int j = i; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c < '0' || c > '9') {
                return Optional.empty();
            }
        }
        return Optional.of(new BigInteger(s));
    }

    @Override
    public String toString() {
        return name();
    }
}
