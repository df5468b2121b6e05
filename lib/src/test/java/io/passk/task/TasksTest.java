package io.passk.task;

import io.passk.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TasksTest {

    @Test
    void findsEveryTaskByName() {
        assertEquals(List.of("maze", "maze-partial", "arith", "countdown"), Tasks.names());
        for (Task t : Tasks.all()) {
            assertEquals(t.name(), Tasks.byName(t.name()).name());
        }
        assertTrue(Tasks.byName("maze-partial") instanceof MazeTask m && m.isPartialCredit());
    }

    @Test
    void unknownNamesAreBadInputListingTheKnownOnes() {
        BadInputException e = assertThrows(BadInputException.class, () -> Tasks.byName("sudoku"));
        assertTrue(e.getMessage().contains("'sudoku'"), e.getMessage());
        assertTrue(e.getMessage().contains("maze, maze-partial, arith, countdown"), e.getMessage());
        assertThrows(BadInputException.class, () -> Tasks.byName(null));
    }

    @Test
    void alphabetCoversEveryCharacterOfPromptsAndSolutions() {
        int[][] difficulties = {{5, 7, 9, 15}, {5, 7, 9, 15}, {1, 2, 3, 6}, {3, 4, 5, 6}};
        List<Task> all = Tasks.all();
        for (int i = 0; i < all.size(); i++) {
            Task t = all.get(i);
            for (int d : difficulties[i]) {
                for (Problem p : t.generate(41, d, d == 5 && i < 2 ? 40 : 60, "train")) {
                    for (char c : (p.prompt() + p.solution()).toCharArray()) {
                        assertTrue(t.alphabet().indexOf(c) >= 0, t.name() + " misses '" + c + "' in " + p);
                    }
                }
            }
        }
        String union = Tasks.alphabet(all);
        assertEquals(union.chars().distinct().count(), union.length());
        assertTrue(union.contains("\n") && union.contains("U") && union.contains("/") && union.contains(">"));
    }

    @Test
    void rewardRescoresFromTaskPromptAndResponseAlone() {
        Problem p = new ArithTask().generate(3, 2, 1, "train").get(0);
        assertEquals(1.0, Tasks.reward("arith", p.prompt(), p.solution()));
        assertEquals(0.0, Tasks.reward("arith", p.prompt(), p.solution() + "1"));
        assertThrows(BadInputException.class, () -> Tasks.reward("nope", p.prompt(), p.solution()));
    }
}
