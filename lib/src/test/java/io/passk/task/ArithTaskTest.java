package io.passk.task;

import io.passk.task.expr.ExprEval;
import io.passk.task.expr.ExprParser;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArithTaskTest {

    private final ArithTask task = new ArithTask();

    private static Problem problem(String prompt) {
        return new Problem("p", "arith", "test", 1, prompt, "", "");
    }

    @Test
    void solveThenVerifyScoresOneAcrossDepths() {
        for (int depth = ArithTask.MIN_DEPTH; depth <= ArithTask.MAX_DEPTH; depth++) {
            for (Problem p : task.generate(21, depth, 300, "train")) {
                assertEquals(p.solution(), task.solve(p));
                assertEquals(1.0, task.verify(p, p.solution()), p.prompt());
                assertEquals(1.0, task.verify(p, " " + p.solution() + "\n"));
                String expr = p.prompt().substring(0, p.prompt().length() - 1);
                assertEquals(depth, ExprEval.depth(ExprParser.parse(expr, "+-*").orElseThrow()), p.prompt());
                assertTrue(ExprEval.maxAbsIntermediate(ExprParser.parse(expr, "+-*").orElseThrow())
                        .compareTo(ArithTask.valueBound(depth)) <= 0);
            }
        }
    }

    @Test
    void exampleFromTheIssue() {
        Problem p = problem("(12+7)*3=");
        assertEquals("57", task.solve(p));
        assertEquals(1.0, task.verify(p, "57"));
        assertEquals(1.0, task.verify(p, "057"), "leading zeros are the same integer");
        assertEquals(1.0, task.verify(p, "+57"));
        assertEquals(1.0, task.verify(p, "19*3=57"), "the final answer follows the last '='");
        assertEquals(1.0, task.verify(p, "= 57 "));
    }

    @Test
    void wrongOrMalformedAnswersScoreZero() {
        Problem p = problem("(12+7)*3=");
        for (String wrong : List.of("", "56", "58", "-57", "57.0", "5 7", "57=56", "fifty-seven", "57a", "=", "-",
                "57=", "٥٧", "9".repeat(1000), "57\u0000")) {
            assertEquals(0.0, task.verify(p, wrong), wrong);
        }
        Problem negative = problem("3-10=");
        assertEquals("-7", task.solve(negative));
        assertEquals(1.0, task.verify(negative, "-7"));
        assertEquals(0.0, task.verify(negative, "7"));
    }

    @Test
    void hugeNumbersNeverOverflow() {
        Problem p = problem("99999*99999*99999*99999*99999=");
        BigInteger want = BigInteger.valueOf(99999).pow(5);
        assertEquals(want.toString(), task.solve(p));
        assertEquals(1.0, task.verify(p, want.toString()));
        assertEquals(0.0, task.verify(p, want.add(BigInteger.ONE).toString()));
        assertEquals(0.0, task.verify(p, "1" + "0".repeat(100_000)));
    }

    @Test
    void malformedPromptsScoreZero() {
        assertEquals(0.0, task.verify(problem("12+7"), "19"), "no trailing '='");
        assertEquals(0.0, task.verify(problem("12/4="), "3"), "division is not an arith operator");
        assertEquals("", task.solve(problem("junk")));
    }
}
