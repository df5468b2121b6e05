package io.passk.task;

import io.passk.BadInputException;
import io.passk.testing.SharedSpark;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskSuiteTest {

    private final SparkSession spark = SharedSpark.get();

    @TempDir
    Path tmp;

    private static List<Problem> sorted(List<Problem> ps) {
        List<Problem> out = new ArrayList<>(ps);
        out.sort(Comparator.comparing(Problem::split).thenComparing(Problem::difficulty).thenComparing(Problem::problemId));
        return out;
    }

    @Test
    void writesParquetThatReadsBackAsTheSameProblems() throws IOException {
        TaskSuiteSpec spec = new TaskSuiteSpec("countdown", 5, List.of(3, 4), 60, 20);
        String out = tmp.resolve("suite").toString();
        List<Problem> written = TaskSuiteWriter.write(spark, spec, out, false, msg -> { });
        assertEquals(80, written.size());
        assertEquals(sorted(written), TaskSuite.problems(spark, out));
        assertEquals(20, TaskSuite.problems(spark, out, "test").size());
        assertEquals(List.of(TaskSuite.SCHEMA.fieldNames()), List.of(TaskSuite.read(spark, out).columns()));
        assertTrue(Files.readString(Path.of(out, TaskSuiteWriter.PROVENANCE)).contains("\"seed\": 5"));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of("suite"), files.map(p -> p.getFileName().toString()).toList(), "no temp dir left");
        }
    }

    @Test
    void sameSeedGivesEqualRowsAndExistingOutputNeedsOverwrite() {
        TaskSuiteSpec spec = new TaskSuiteSpec("maze", 8, List.of(7), 30, 10);
        String a = tmp.resolve("a").toString();
        String b = tmp.resolve("b").toString();
        TaskSuiteWriter.write(spark, spec, a, false, msg -> { });
        TaskSuiteWriter.write(spark, spec, b, false, msg -> { });
        assertEquals(TaskSuite.problems(spark, a), TaskSuite.problems(spark, b));
        assertEquals(0, TaskSuite.read(spark, a).exceptAll(TaskSuite.read(spark, b)).count());

        BadInputException e = assertThrows(BadInputException.class,
                () -> TaskSuiteWriter.write(spark, spec, a, false, msg -> { }));
        assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());

        TaskSuiteSpec other = new TaskSuiteSpec("maze", 9, List.of(9), 5, 5);
        TaskSuiteWriter.write(spark, other, a, true, msg -> { });
        List<Problem> replaced = TaskSuite.problems(spark, a);
        assertEquals(10, replaced.size());
        assertTrue(replaced.stream().allMatch(p -> p.difficulty() == 9));
    }

    @Test
    void readingNamesTheDirectoryAndTheBadColumn() {
        String missing = tmp.resolve("nope").toString();
        BadInputException e1 = assertThrows(BadInputException.class, () -> TaskSuite.read(spark, missing));
        assertTrue(e1.getMessage().contains(missing) && e1.getMessage().contains("does not exist"), e1.getMessage());

        TaskSuiteSpec spec = new TaskSuiteSpec("arith", 1, List.of(1), 10, 0);
        String good = tmp.resolve("good").toString();
        TaskSuiteWriter.write(spark, spec, good, false, msg -> { });

        String noPrompt = tmp.resolve("no-prompt").toString();
        spark.read().parquet(good).drop("prompt").write().parquet(noPrompt);
        BadInputException e2 = assertThrows(BadInputException.class, () -> TaskSuite.read(spark, noPrompt));
        assertTrue(e2.getMessage().contains(noPrompt) && e2.getMessage().contains("missing column 'prompt'"),
                e2.getMessage());

        String badType = tmp.resolve("bad-type").toString();
        spark.read().parquet(good).withColumn("difficulty", functions.col("difficulty").cast("string"))
                .write().parquet(badType);
        BadInputException e3 = assertThrows(BadInputException.class, () -> TaskSuite.read(spark, badType));
        assertTrue(e3.getMessage().contains("column 'difficulty' has type string"), e3.getMessage());

        String longDifficulty = tmp.resolve("long").toString();
        spark.read().parquet(good).withColumn("difficulty", functions.col("difficulty").cast("long"))
                .write().parquet(longDifficulty);
        assertEquals(TaskSuite.problems(spark, good), TaskSuite.problems(spark, longDifficulty));

        String unknownTask = tmp.resolve("unknown-task").toString();
        spark.read().parquet(good).withColumn("task", functions.lit("sudoku")).write().parquet(unknownTask);
        BadInputException e4 = assertThrows(BadInputException.class, () -> TaskSuite.problems(spark, unknownTask));
        assertTrue(e4.getMessage().contains("sudoku"), e4.getMessage());
    }

    @Test
    void corruptParquetIsBadInput() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("corrupt"));
        Files.writeString(dir.resolve("part-00000.parquet"), "this is not parquet");
        BadInputException e = assertThrows(BadInputException.class, () -> TaskSuite.problems(spark, dir.toString()));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }
}
