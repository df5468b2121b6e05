package io.passk.cli;

import io.passk.task.Problem;
import io.passk.task.Task;
import io.passk.task.TaskSuite;
import io.passk.task.Tasks;
import io.passk.testing.SharedSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TasksCommandTest {

    private final SparkSession spark = SharedSpark.get();

    @TempDir
    Path tmp;

    @Test
    void writesParquetAndARerunWithTheSameSeedGivesEqualRows() {
        String a = tmp.resolve("a").toString();
        String b = tmp.resolve("b").toString();
        String[] args = {"tasks", "--task", "maze", "--difficulty", "5,7", "--train", "40", "--test", "8",
                "--seed", "3", "--out", a};
        assertEquals(0, Passk.execute(args));
        args[args.length - 1] = b;
        assertEquals(0, Passk.execute(args));
        List<Problem> rows = TaskSuite.problems(spark, a);
        assertEquals(48, rows.size());
        assertEquals(rows, TaskSuite.problems(spark, b));
        assertEquals(List.of("problem_id", "task", "split", "difficulty", "prompt", "solution", "meta"),
                List.of(spark.read().parquet(a).columns()));
        assertEquals(24, rows.stream().filter(p -> p.difficulty() == 7).count());
    }

    @Test
    void existingOutputWithoutOverwriteIsExitTwoAndUntouched() throws Exception {
        String out = tmp.resolve("suite").toString();
        assertEquals(0, Passk.execute("tasks", "--task", "arith", "--difficulty", "1", "--train", "10", "--out", out));
        List<Problem> before = TaskSuite.problems(spark, out);
        assertEquals(2, Passk.execute("tasks", "--task", "arith", "--difficulty", "2", "--train", "10", "--out", out));
        assertEquals(before, TaskSuite.problems(spark, out));
        assertEquals(0, Passk.execute("tasks", "--task", "arith", "--difficulty", "2", "--train", "10", "--out", out,
                "--overwrite"));
        assertTrue(TaskSuite.problems(spark, out).stream().allMatch(p -> p.difficulty() == 2));
    }

    @Test
    void withoutDifficultyEachTaskGetsItsDocumentedDefault() {
        String out = tmp.resolve("default").toString();
        CliRun run = CliRun.of("tasks", "--task", "maze", "--train", "30", "--test", "6", "--out", out);
        assertEquals(0, run.code(), run.err());
        List<Problem> rows = TaskSuite.problems(spark, out);
        assertEquals(36, rows.size());
        assertEquals(Set.of(7, 9), rows.stream().map(Problem::difficulty).collect(Collectors.toSet()));
        // progress goes through picocli's stderr (captured here), with the defaults it used
        assertTrue(run.err().contains("passk tasks: maze difficulty 9: 15 train + 3 test"), run.err());
        String help = CliRun.of("tasks", "--help").out().replaceAll("\\s+", " ");
        for (Task t : Tasks.all()) {
            assertFalse(t.defaultDifficulties().isEmpty(), t.name());
            String documented = t.name() + " " + t.defaultDifficulties().stream().map(String::valueOf)
                    .collect(Collectors.joining(","));
            assertTrue(help.contains(documented), "--help lacks '" + documented + "': " + help);
        }
    }

    @Test
    void badInputIsExitTwoAndWritesNothing() {
        Path out = tmp.resolve("never");
        assertEquals(2, Passk.execute("tasks", "--task", "sudoku", "--difficulty", "1", "--train", "1", "--out", out.toString()));
        assertEquals(2, Passk.execute("tasks", "--task", "maze", "--difficulty", "6", "--train", "1", "--out", out.toString()));
        assertEquals(2, Passk.execute("tasks", "--task", "maze", "--difficulty", "5", "--train", "5000", "--out", out.toString()));
        assertEquals(2, Passk.execute("tasks", "--task", "countdown", "--difficulty", "x", "--out", out.toString()));
        assertEquals(2, Passk.execute("tasks", "--task", "countdown", "--difficulty", "3", "--out", out.toString()));
        assertFalse(Files.exists(out));
    }
}
