package io.passk.task;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every task verifies the extracted answer: in tags, boxed, or bare as before. */
class FreeFormAnswersTest {

    @Test
    void arithAcceptsBoxedAndTaggedIntegers() {
        ArithTask arith = new ArithTask();
        for (Problem p : arith.generate(5, 3, 50, "test")) {
            String v = p.solution();
            assertEquals(1.0, arith.verify(p, v));
            assertEquals(1.0, arith.verify(p, "The value is \\boxed{" + v + "}."));
            assertEquals(1.0, arith.verify(p, "First I add... <answer> " + v + " </answer>"));
            assertEquals(1.0, arith.verify(p, "<answer>" + p.prompt() + v + "</answer>"), "after the last = as before");
            assertEquals(0.0, arith.verify(p, "<answer>" + v + "</answer> <answer>" + v + "1</answer>"),
                    "only the last tag counts");
            assertEquals(0.0, arith.verify(p, "I think " + v), "free text without markup is the whole answer");
        }
    }

    @Test
    void countdownChecksTheExtractedExpressionExactlyAsBefore() {
        CountdownTask countdown = new CountdownTask();
        Problem p = new Problem("c", "countdown", "test", 4, "3 7 25 50 -> 425", "", "");
        assertEquals(0.0, countdown.verify(p, "<answer>(7+3)*50-25-50</answer>"), "50 is given once, as before");
        String right = "50*7+25*3";
        assertEquals(1.0, countdown.verify(p, right));
        assertEquals(1.0, countdown.verify(p, "Try 50*7 = 350, plus 75... <answer>" + right + "</answer>"));
        assertEquals(1.0, countdown.verify(p, "\\boxed{" + right + "}"));
        assertEquals(0.0, countdown.verify(p, "<answer>" + right + " = 425</answer>"), "the expression alone, as before");
        for (Problem q : countdown.generate(9, 4, 50, "test")) {
            assertEquals(1.0, countdown.verify(q, "<answer>" + q.solution() + "</answer>"), q.prompt());
            assertEquals(1.0, countdown.verify(q, "\\boxed{" + q.solution() + "}"), q.prompt());
        }
    }

    @Test
    void mazeReadsTheMovesInsideTheLastTagStrictlyAsBefore() {
        MazeTask maze = MazeTask.binary();
        MazeTask partial = MazeTask.partialCredit();
        for (Problem p : maze.generate(3, 9, 50, "test")) {
            String ok = p.solution();
            assertEquals(1.0, maze.verify(p, "Let me trace the path... <answer>" + ok + "</answer>"));
            assertEquals(1.0, partial.verify(p, "\\boxed{" + ok + "}"));
            assertEquals(0.0, maze.verify(p, "<answer>" + ok.toLowerCase() + "</answer>"),
                    "the compact maze stays strict inside the tag");
            assertEquals(0.0, maze.verify(p, "Let me trace the path " + ok), "no tag: the whole text is the answer");
        }
    }
}
