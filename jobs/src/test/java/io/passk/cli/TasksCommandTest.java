package io.passk.cli;

import io.passk.task.Problem;
import io.passk.task.TaskSuite;
import io.passk.testing.SharedSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
