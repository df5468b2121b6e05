package io.passk.task;

import io.passk.testing.SharedSpark;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The suites under data/tasks are what the commands in docs/tasks.md produce, and every solution verifies. */
class ShippedSuitesTest {

    private static final Path DATA = Path.of("..", "data", "tasks");

    @Test
    void shippedSuitesEqualARegenerationAndTheirSolutionsVerify() {
        check("maze", List.of(7, 9));
        check("arith", List.of(1, 2, 3));
        check("countdown", List.of(3, 4));
    }

    private static void check(String task, List<Integer> difficulties) {
        Path dir = DATA.resolve(task);
        assertTrue(Files.isDirectory(dir), dir + " is missing");
        List<Problem> shipped = TaskSuite.problems(SharedSpark.get(), dir.toString());
        List<Problem> regenerated = new ArrayList<>(new TaskSuiteSpec(task, 1, difficulties, 3000, 300).generate());
        regenerated.sort(Comparator.comparing(Problem::split).thenComparing(Problem::difficulty)
                .thenComparing(Problem::problemId));
        assertEquals(regenerated, shipped, task + ": generator changed; regenerate data/tasks with the commands in docs/tasks.md");
        Task t = Tasks.byName(task);
        for (Problem p : shipped) {
            assertEquals(1.0, t.verify(p, p.solution()), p.problemId());
        }
    }
}
