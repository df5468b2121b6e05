package io.passk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.passk.bench.SyntheticAnswers;
import io.passk.eval.EvalTables;
import io.passk.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code passk eval --engine local} and {@code --engine spark} on the benchmark's synthetic
 * answers print the same summary and write the same tables; a bad input gets the same one line
 * from both, and the local engine prints nothing else before it.
 */
class EvalEnginesCliTest {

    @TempDir
    Path tmp;

    private CliRun eval(String engine, Path in, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("eval", "--engine", engine, "--input", in.toString(), "--k",
                "1,2,5,10", "--bootstrap", "100", "--out", out.toString()));
        a.addAll(List.of(extra));
        return CliRun.of(a.toArray(new String[0]));
    }

    @Test
    void syntheticAnswersGiveTheSameSummaryAndTablesUnderBothEngines() throws Exception {
        Path in = tmp.resolve("answers");
        SyntheticAnswers.benchmark(SharedSpark.get(), 30_000, 700, 11).coalesce(1).write().parquet(in.toString());
        CliRun local = eval("local", in, tmp.resolve("local"));
        CliRun spark = eval("spark", in, tmp.resolve("spark"));
        assertEquals(0, local.code(), local.err());
        assertEquals(0, spark.code(), spark.err());
        assertEquals(spark.out().replace(tmp.resolve("spark").toString(), "OUT"),
                local.out().replace(tmp.resolve("local").toString(), "OUT"));
        EvalTables.assertSame(tmp.resolve("local/per_problem").toString(), tmp.resolve("spark/per_problem").toString(),
                List.of("problem_id"), "per_problem");
        EvalTables.assertSame(tmp.resolve("local/summary").toString(), tmp.resolve("spark/summary").toString(),
                List.of("k"), "summary");
    }

    @Test
    void aBadInputGetsTheSameOneLineFromBothEngines() throws Exception {
        Path in = tmp.resolve("a.jsonl");
        Files.write(in, List.of("{\"problem_id\":\"p1\",\"correct\":\"yes\"}"));
        CliRun local = eval("local", in, tmp.resolve("o1"));
        CliRun spark = eval("spark", in, tmp.resolve("o2"));
        assertEquals(2, local.code());
        assertEquals(2, spark.code());
        // refused while typing the columns: not one progress line before the message
        assertEquals(1, local.err().lines().count(), local.err());
        assertEquals(spark.err().lines().filter(l -> !l.startsWith("eval: ")).toList(), local.err().lines().toList());
        assertTrue(local.err().contains("column 'correct' has type string"), local.err());
        assertFalse(Files.exists(tmp.resolve("o1")));
    }
}
