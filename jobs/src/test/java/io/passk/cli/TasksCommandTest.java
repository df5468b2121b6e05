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

    @Test
    void stylePaperWritesTheSameMazesDrawnThePapersWay() {
        String compact = tmp.resolve("compact").toString();
        String paper = tmp.resolve("paper").toString();
        assertEquals(0, Passk.execute("tasks", "--task", "maze", "--difficulty", "7", "--train", "12", "--test", "3",
                "--out", compact));
        CliRun run = CliRun.of("tasks", "--task", "maze", "--style", "paper", "--difficulty", "7", "--train", "12",
                "--test", "3", "--out", paper);
        assertEquals(0, run.code(), run.err());
        List<Problem> a = TaskSuite.problems(spark, compact);
        List<Problem> b = TaskSuite.problems(spark, paper);
        assertEquals(15, b.size());
        assertEquals(a.stream().map(p -> p.split() + p.prompt().replace('#', '*')).sorted().toList(),
                b.stream().map(p -> p.split() + p.prompt()).sorted().toList());
        Task mazePaper = Tasks.byName("maze-paper");
        for (Problem p : b) {
            assertEquals("maze-paper", p.task());
            assertFalse(p.prompt().contains("#"));
            assertEquals(1.0, mazePaper.verify(p, "<answer>" + p.solution().toLowerCase() + "</answer>"));
        }
        assertEquals(2, CliRun.of("tasks", "--task", "arith", "--style", "paper", "--difficulty", "1", "--train", "1",
                "--out", tmp.resolve("x").toString()).code());
        CliRun bogus = CliRun.of("tasks", "--task", "maze", "--style", "fancy", "--train", "1",
                "--out", tmp.resolve("x").toString());
        assertEquals(2, bogus.code());
        assertTrue(bogus.err().contains("--style must be compact or paper"), bogus.err());
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void fromJsonlMakesASuiteOfTheUsersProblemsWithTheSameSchema() throws Exception {
        String file = Path.of("..", "data", "jsonl-example", "numbers.jsonl").toString();
        String a = tmp.resolve("mine-a").toString();
        String b = tmp.resolve("mine-b").toString();
        String[] args = {"tasks", "--from-jsonl", file, "--prompt-field", "problem", "--answer-field", "solution",
                "--verifier", "number", "--test", "2", "--seed", "5", "--out", a};
        CliRun run = CliRun.of(args);
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("custom-number: 6 problems (4 train + 2 test)"), run.err());
        args[args.length - 1] = b;
        assertEquals(0, Passk.execute(args));
        List<Problem> rows = TaskSuite.problems(spark, a);
        assertEquals(rows, TaskSuite.problems(spark, b));
        assertEquals(List.of("problem_id", "task", "split", "difficulty", "prompt", "solution", "meta"),
                List.of(spark.read().parquet(a).columns()));
        assertEquals(2, rows.stream().filter(p -> p.split().equals("test")).count());
        for (Problem p : rows) {
            assertTrue(p.problemId().startsWith("custom-number-d0-"), p.problemId());
            assertEquals(1.0, Tasks.reward(p.task(), p.prompt(), p.solution(), "\\boxed{" + p.solution() + "}"));
        }
        String provenance = Files.readString(Path.of(a, "_passk_tasks.json"));
        assertTrue(provenance.contains("\"verifier\": \"number\"") && provenance.contains("\"prompt_field\": \"problem\""),
                provenance);
        String mazes = tmp.resolve("mazes").toString();
        assertEquals(0, Passk.execute("tasks", "--from-jsonl", Path.of("..", "data", "jsonl-example", "mazes.jsonl")
                .toString(), "--prompt-field", "question", "--answer-field", "answer", "--verifier", "maze",
                "--difficulty-field", "size", "--test", "2", "--out", mazes));
        assertEquals(Set.of(5, 7, 9), TaskSuite.problems(spark, mazes).stream().map(Problem::difficulty)
                .collect(Collectors.toSet()));
    }

    @Test
    void aBadJsonlRowIsExitTwoNamingItsLineAndWritesNothing() throws Exception {
        Path file = tmp.resolve("mine.jsonl");
        Files.writeString(file, "{\"q\": \"2+2?\", \"a\": 4}\n{\"q\": \"3+3?\", \"a\": 6}\n{\"q\": \"4+4?\"}\n");
        Path out = tmp.resolve("never");
        CliRun run = CliRun.of("tasks", "--from-jsonl", file.toString(), "--prompt-field", "q", "--answer-field", "a",
                "--verifier", "number", "--out", out.toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains(file + " line 3: no field 'a'"), run.err());
        String f = file.toString();
        String o = out.toString();
        assertEquals(2, Passk.execute("tasks", "--from-jsonl", f, "--prompt-field", "q", "--verifier", "number", "--out", o));
        assertEquals(2, Passk.execute("tasks", "--from-jsonl", f, "--prompt-field", "q", "--answer-field", "a",
                "--verifier", "regex", "--out", o));
        assertEquals(2, Passk.execute("tasks", "--from-jsonl", f, "--task", "arith", "--prompt-field", "q",
                "--answer-field", "a", "--verifier", "number", "--out", o));
        assertEquals(2, Passk.execute("tasks", "--from-jsonl", f, "--prompt-field", "q", "--answer-field", "a",
                "--verifier", "number", "--train", "3", "--out", o));
        assertEquals(2, Passk.execute("tasks", "--task", "arith", "--verifier", "number", "--train", "3", "--out", o));
        assertEquals(2, Passk.execute("tasks", "--train", "3", "--out", o));
        assertFalse(Files.exists(out));
    }
}
