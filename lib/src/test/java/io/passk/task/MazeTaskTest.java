package io.passk.task;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MazeTaskTest {

    private final MazeTask binary = MazeTask.binary();
    private final MazeTask partial = MazeTask.partialCredit();

    /** Start top left, end bottom left; the only route is RRDDLL. */
    private static final Problem CORRIDOR = new Problem("p", "maze", "test", 5, """
            #####
            #S..#
            ###.#
            #E..#
            #####""", "RRDDLL", "");

    @Test
    void solveThenVerifyScoresOneAcrossSizes() {
        for (int s = 5; s <= 15; s += 2) {
            int size = s;
            int count = size == 5 ? 40 : 150;
            for (Problem p : binary.generate(11, size, count, "train")) {
                String answer = binary.solve(p);
                assertEquals(p.solution(), answer);
                assertEquals(1.0, binary.verify(p, answer), p.prompt());
                assertEquals(1.0, partial.verify(p, answer), p.prompt());
                assertEquals(1.0, binary.verify(p, "  \n" + answer + "\t\n"), "surrounding whitespace is ignored");
                assertTrue(p.prompt().lines().allMatch(l -> l.length() == size));
                assertEquals(size, p.prompt().lines().count());
            }
        }
    }

    @Test
    void wrongAnswersScoreBelowOne() {
        for (Problem p : binary.generate(12, 9, 200, "test")) {
            String ok = p.solution();
            for (String wrong : List.of("", ok.substring(0, ok.length() - 1), ok + ok.charAt(ok.length() - 1),
                    ok.toLowerCase(), ok.replace('U', 'X'), "U".repeat(20), ok.charAt(0) + " " + ok.substring(1))) {
                if (wrong.equals(ok)) {
                    continue;
                }
                assertEquals(0.0, binary.verify(p, wrong), wrong);
                assertTrue(partial.verify(p, wrong) < 1.0, wrong);
            }
        }
    }

    @Test
    void detoursBeforeTheEndAreAllowedButMovesAfterReachingItAreNot() {
        assertEquals(1.0, binary.verify(CORRIDOR, "RRDDLL"));
        assertEquals(1.0, binary.verify(CORRIDOR, "RLRRDUDDLL"), "detours before E are fine");
        assertEquals(0.0, binary.verify(CORRIDOR, "RRDDLLR"), "a move after arriving on E");
        assertEquals(0.0, binary.verify(CORRIDOR, "RRDDLLRL"), "leaving E and coming back");
        assertEquals(6 / 7.0, partial.verify(CORRIDOR, "RRDDLLRL"), 1e-12, "overshoot keeps full progress, below 1");
        assertEquals(0.0, binary.verify(CORRIDOR, "RRR"), "into a wall");
    }

    @Test
    void partialCreditIsShortestPathProgress() {
        // d(S) = 6, so each step along the path adds 1/7 until the correct answer scores 1
        assertEquals(0.0, partial.verify(CORRIDOR, ""));
        assertEquals(2 / 7.0, partial.verify(CORRIDOR, "RR"), 1e-12);
        assertEquals(2 / 7.0, partial.verify(CORRIDOR, "RRRRR"), 1e-12, "the walk stops at the wall");
        assertEquals(1 / 7.0, partial.verify(CORRIDOR, "RRL"), 1e-12, "moving back loses progress");
        assertEquals(0.0, partial.verify(CORRIDOR, "LLLL"), "never negative");
        assertEquals(3 / 7.0, partial.verify(CORRIDOR, "RRD?DLL"), 1e-12, "stops at the first bad character");
    }

    @Test
    void partialCreditIncreasesStrictlyAlongTheShortestPath() {
        for (int size : new int[]{5, 9, 15}) {
            for (Problem p : binary.generate(13, size, 30, "train")) {
                String path = p.solution();
                double previous = -1;
                for (int i = 0; i <= path.length(); i++) {
                    double r = partial.verify(p, path.substring(0, i));
                    assertTrue(r > previous, "prefix " + i + " of " + path);
                    assertTrue(r >= 0 && r <= 1);
                    assertEquals(i == path.length() ? 1.0 : i / (path.length() + 1.0), r, 1e-12);
                    previous = r;
                }
            }
        }
    }

    @Test
    void bothVariantsGenerateTheSameMazes() {
        List<Problem> a = binary.generate(5, 7, 20, "train");
        List<Problem> b = partial.generate(5, 7, 20, "train");
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).prompt(), b.get(i).prompt());
            assertTrue(b.get(i).problemId().startsWith("maze-partial-d7-"));
            assertEquals("maze-partial", b.get(i).task());
        }
    }

    @Test
    void malformedProblemsScoreZero() {
        Problem broken = new Problem("x", "maze", "test", 5, "not a maze", "", "");
        assertEquals(0.0, binary.verify(broken, "R"));
        assertEquals(0.0, partial.verify(broken, "R"));
        assertEquals(0.0, binary.verify(null, "R"));
        assertEquals(0.0, binary.verify(CORRIDOR, null));
        assertEquals("", binary.solve(broken));
    }
}
