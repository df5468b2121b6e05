package io.passk.task;

import io.passk.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskGenerationTest {

    @Test
    void sameSeedGivesEqualProblemsAndAnotherSeedDifferentOnes() {
        for (Task t : Tasks.all()) {
            int d = difficulty(t);
            assertEquals(t.generate(9, d, 50, "train"), t.generate(9, d, 50, "train"), t.name());
            assertNotEquals(t.generate(9, d, 50, "train"), t.generate(10, d, 50, "train"), t.name());
            assertEquals(t.generate(9, d, 50, "train").subList(0, 20), t.generate(9, d, 20, "train"),
                    "a prefix does not depend on how many are asked for");
        }
    }

    @Test
    void suitesHaveUniqueIdsAndDisjointSplits() {
        for (Task t : Tasks.all()) {
            List<Integer> ds = t.name().startsWith("maze") ? List.of(7, 9) : t.name().equals("arith")
                    ? List.of(1, 2, 3) : List.of(3, 4);
            TaskSuiteSpec spec = new TaskSuiteSpec(t.name(), 4, ds, 900, 300);
            List<Problem> suite = spec.generate();
            assertEquals(1200, suite.size());
            assertEquals(suite.size(), suite.stream().map(Problem::problemId).distinct().count(), "unique ids");
            Set<String> train = suite.stream().filter(p -> p.split().equals("train")).map(Problem::prompt)
                    .collect(Collectors.toSet());
            Set<String> test = suite.stream().filter(p -> p.split().equals("test")).map(Problem::prompt)
                    .collect(Collectors.toSet());
            assertEquals(900, train.size());
            assertEquals(300, test.size());
            test.retainAll(train);
            assertTrue(test.isEmpty(), t.name() + ": train and test share " + test);
            for (Problem p : suite) {
                assertTrue(p.problemId().startsWith(t.name() + "-d" + p.difficulty() + "-"), p.problemId());
                assertEquals(t.name(), p.task());
            }
            assertEquals(suite, spec.generate(), "same seed, same suite");
        }
    }

    @Test
    void countsAreSpreadEvenlyOverDifficulties() {
        TaskSuiteSpec spec = new TaskSuiteSpec("arith", 1, List.of(1, 2, 3), 10, 2);
        assertEquals(List.of(4, 3, 3), List.of(spec.share("train", 0), spec.share("train", 1), spec.share("train", 2)));
        assertEquals(List.of(1, 1, 0), List.of(spec.share("test", 0), spec.share("test", 1), spec.share("test", 2)));
        assertEquals(12, spec.generate().size());
    }

    @Test
    void excludedPromptsAreSkipped() {
        Task t = Tasks.byName("countdown");
        List<Problem> first = t.generate(2, 4, 30, "train");
        Set<String> excluded = new HashSet<>();
        first.subList(0, 10).forEach(p -> excluded.add(p.prompt()));
        List<Problem> again = t.generate(2, 4, 30, "train", excluded);
        assertEquals(first.subList(10, 30), again.subList(0, 20));
        assertTrue(again.stream().noneMatch(p -> excluded.contains(p.prompt())));
    }

    @Test
    void exhaustedProblemSpacesAndBadDifficultiesAreBadInput() {
        // a 5x5 maze has 2x2 rooms: a handful of spanning trees times 12 (S, E) pairs
        BadInputException small = assertThrows(BadInputException.class,
                () -> Tasks.byName("maze").generate(1, 5, 1000, "train"));
        assertTrue(small.getMessage().contains("maze difficulty 5"), small.getMessage());
        assertTrue(small.getMessage().contains("1000 asked for"), small.getMessage());
        for (String task : List.of("maze", "arith", "countdown")) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> Tasks.byName(task).generate(1, 8, 1, "train"));
            assertTrue(e.getMessage().contains("difficulty 8 is not supported"), e.getMessage());
        }
        assertThrows(BadInputException.class, () -> new TaskSuiteSpec("maze", 1, List.of(7, 7), 1, 1));
        assertThrows(BadInputException.class, () -> new TaskSuiteSpec("maze", 1, List.of(), 1, 1));
        assertThrows(BadInputException.class, () -> new TaskSuiteSpec("maze", 1, List.of(7), 0, 0));
        assertThrows(BadInputException.class, () -> new TaskSuiteSpec("maze", 1, List.of(7), -1, 5));
        assertThrows(BadInputException.class, () -> new TaskSuiteSpec("maze", 1, List.of(6), 1, 1));
    }

    private static int difficulty(Task t) {
        return t.name().startsWith("maze") ? 9 : t.name().equals("arith") ? 2 : 4;
    }
}
