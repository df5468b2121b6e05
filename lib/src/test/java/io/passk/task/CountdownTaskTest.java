package io.passk.task;

import io.passk.task.countdown.CountdownPuzzle;
import io.passk.task.countdown.CountdownSolver;
import io.passk.task.expr.ExprEval;
import io.passk.task.expr.ExprParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CountdownTaskTest {

    private final CountdownTask task = new CountdownTask();

    private static Problem problem(String prompt) {
        return new Problem("p", "countdown", "test", 4, prompt, "", "");
    }

    @Test
    void solveThenVerifyScoresOneAcrossNumberCounts() {
        for (int n = CountdownTask.MIN_NUMBERS; n <= CountdownTask.MAX_NUMBERS; n++) {
            for (Problem p : task.generate(31, n, n == 6 ? 60 : 200, "train")) {
                CountdownPuzzle puzzle = CountdownPuzzle.parse(p.prompt()).orElseThrow();
                assertEquals(n, puzzle.numbers().length);
                assertTrue(puzzle.target() >= 10 && puzzle.target() <= 999, p.prompt());
                assertEquals(1.0, task.verify(p, p.solution()), p.prompt() + " / " + p.solution());
                assertEquals(p.solution(), task.solve(p));
                assertEquals(1.0, task.verify(p, " " + p.solution().replace("+", " + ") + "\n"));
            }
        }
    }

    @Test
    void rulesOnNumberUsageAndDivision() {
        Problem p = problem("3 7 25 50 -> 425");
        assertEquals(1.0, task.verify(p, "50*7+3*25"));
        assertEquals(1.0, task.verify(p, "(50 * 7) + (25 * 3)"), "spaces between tokens");
        assertEquals(0.0, task.verify(p, "(3+7)*50-75"), "75 is not given");
        assertEquals(0.0, task.verify(p, "50*7+3*25+3-3"), "3 used twice");
        assertEquals(0.0, task.verify(p, "425"), "425 is not a given number");
        assertEquals(0.0, task.verify(p, "50*7+3*25=425"), "only an expression is accepted");
        assertEquals(0.0, task.verify(p, "-(3-50)*7+25*3"), "no unary minus");
        assertEquals(0.0, task.verify(p, "50*7+3*25+0"), "0 is not given");

        Problem twice = problem("5 5 2 -> 20");
        assertEquals(1.0, task.verify(twice, "(5+5)*2"), "a number given twice may be used twice");
        assertEquals(0.0, task.verify(twice, "5+5+5+5"));

        assertEquals(1.0, task.verify(problem("7 2 10 -> 35"), "7*10/2"), "exact division");
        assertEquals(0.0, task.verify(problem("7 2 3 -> 10"), "7/2*3"), "7/2 is not exact");
        assertEquals(0.0, task.verify(problem("7 0 3 -> 10"), "7/0+3"), "division by zero");
        assertEquals(1.0, task.verify(problem("2 9 4 20 -> 48"), "20-(2-9)*4"), "negative intermediates are allowed");
        assertEquals(0.0, task.verify(problem("999999999 999999999 999999999 -> 1"),
                "999999999*999999999*999999999"), "overflow fails");
    }

    @Test
    void parenthesesNestDeepAtMostTheParserBound() {
        Problem p = problem("3 7 25 50 -> 425");
        int max = ExprParser.MAX_DEPTH;
        assertEquals(1.0, task.verify(p, "(".repeat(max) + "50*7+3*25" + ")".repeat(max)));
        assertEquals(0.0, task.verify(p, "(".repeat(max + 1) + "50*7+3*25" + ")".repeat(max + 1)));
    }

    @Test
    void solverFindsTheFewestNumbersOrNothing() {
        assertEquals("75-4", io.passk.task.expr.ExprFormat.render(CountdownSolver.solve(new long[]{8, 3, 4, 75}, 71)));
        assertNull(CountdownSolver.solve(new long[]{1, 1, 1}, 997));
        long t0 = System.nanoTime();
        // unsolvable six-number instance: the whole bounded search space is explored
        assertNull(CountdownSolver.solve(new long[]{1, 1, 1, 1, 1, 1}, 999));
        assertTrue((System.nanoTime() - t0) / 1e9 < 30);
        var e = CountdownSolver.solve(new long[]{100, 75, 50, 25, 6, 3}, 952);
        assertEquals(952, ExprEval.exact(e).getAsLong());
    }

    @Test
    void malformedPromptsAndAnswersScoreZero() {
        Problem p = problem("3 7 25 50 -> 425");
        for (String wrong : List.of("", "(", "50*7+3*25)", "50*7+3*25(", "50 7", "50*7+3*25 x", "50×7+3×25",
                "50*7+3*025+0", "50*7\n+3*25")) {
            assertEquals(0.0, task.verify(p, wrong), wrong);
        }
        assertEquals(0.0, task.verify(problem("3 7 -> "), "3+7"));
        assertEquals(0.0, task.verify(problem("3  7 -> 10"), "3+7"));
        assertEquals("", task.solve(problem("junk")));
        assertTrue(ExprParser.parse("50*7+3*025").isPresent(), "leading zeros parse; 025 is the number 25");
    }
}
