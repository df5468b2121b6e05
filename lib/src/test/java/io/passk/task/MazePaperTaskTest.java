package io.passk.task;

import io.passk.task.maze.Maze;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MazePaperTaskTest {

    private final MazeTask paper = MazeTask.paper();

    /** Start top left, end bottom left; the only route is RRDDLL. */
    private static final Problem CORRIDOR = new Problem("p", "maze-paper", "test", 5, """
            *****
            *S..*
            ***.*
            *E..*
            *****""", "RRDDLL", "");

    @Test
    void theSameMazesAsMazeDrawnWithStarWallsAndTheirOwnIds() {
        List<Problem> compact = MazeTask.binary().generate(4, 9, 30, "train");
        List<Problem> drawn = paper.generate(4, 9, 30, "train");
        for (int i = 0; i < compact.size(); i++) {
            Problem c = compact.get(i);
            Problem p = drawn.get(i);
            assertEquals(c.prompt().replace('#', '*'), p.prompt());
            assertEquals(c.solution(), p.solution());
            assertEquals("maze-paper", p.task());
            assertTrue(p.problemId().startsWith("maze-paper-d9-"), p.problemId());
            assertNotEquals(c.problemId(), p.problemId());
            assertEquals(1.0, paper.verify(p, paper.solve(p)));
            assertEquals(0.0, paper.verify(p, "?"), "no moves: the walk stays on S");
            assertEquals(0.0, paper.verify(c, c.solution()), "a # maze is not a paper prompt");
            assertEquals(0.0, MazeTask.binary().verify(p, p.solution()), "a * maze is not a compact prompt");
        }
    }

    @Test
    void movesAreLRUDInAnyCaseAndEveryOtherCharacterIsIgnored() {
        assertEquals(1.0, paper.verify(CORRIDOR, "RRDDLL"));
        assertEquals(1.0, paper.verify(CORRIDOR, "rrddll"));
        assertEquals(1.0, paper.verify(CORRIDOR, "R, r, D, d, L, l"));
        assertEquals(1.0, paper.verify(CORRIDOR, "R→R→D→D→L→L\uD83D\uDE00"), "arrows and emoji are ignored");
        assertEquals(0.0, paper.verify(CORRIDOR, "go right, then down"),
                "letters of words are moves too: the r of right, then the d of down steps into a wall");
        assertEquals(1.0, paper.verify(CORRIDOR, "Path: <answer>R R D D L L</answer>"));
        assertEquals(1.0, paper.verify(CORRIDOR, "RRDDLLRL"), "passing E and coming back ends on E");
        assertEquals(1.0, paper.verify(CORRIDOR, "RLRRDDLL"), "detours are fine");
    }

    @Test
    void aWallOrBorderStepFailsAndTheWalkMustEndOnE() {
        assertEquals(0.0, paper.verify(CORRIDOR, "RRDDLLR"), "ends next to E");
        assertEquals(0.0, paper.verify(CORRIDOR, "URRDDLL"), "the first step is into a wall");
        assertEquals(0.0, paper.verify(CORRIDOR, "RRR"));
        assertEquals(0.0, paper.verify(CORRIDOR, ""));
        Maze open = Maze.parse("S.E", Maze.PAPER_WALL).orElseThrow();
        assertTrue(open.solvesByPaperRules("RR"));
        assertTrue(!open.solvesByPaperRules("LRR"), "a step off the grid fails even when the rest would reach E");
        assertTrue(!open.solvesByPaperRules("RRD"));
    }

    @Test
    void stylePaperIsItsOwnTaskOutsideTheCharacterTokenizersTasks() {
        assertEquals("maze-paper", Tasks.byName("maze-paper").name());
        assertTrue(Tasks.byName("maze-paper") instanceof MazeTask m && m.isPaperFormat());
        assertTrue(Tasks.all().stream().noneMatch(t -> t.name().equals("maze-paper")),
                "the character tokenizer's alphabet stays the four tasks'");
        assertEquals(List.of(7, 9), paper.defaultDifficulties());
        for (Problem p : paper.generate(41, 7, 40, "train")) {
            for (char c : (p.prompt() + p.solution()).toCharArray()) {
                assertTrue(paper.alphabet().indexOf(c) >= 0, "'" + c + "'");
            }
        }
    }
}
