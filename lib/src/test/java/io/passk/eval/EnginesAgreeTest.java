package io.passk.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.passk.BadInputException;
import io.passk.progress.ProgressListener;
import io.passk.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --engine local} and {@code --engine spark} give the same per-problem tables and
 * summaries (ids, n, c exactly; estimates within 1e-12), and the local engine hands every bad
 * input to the Spark engine (which owns the refusal line) without writing anything.
 */
class EnginesAgreeTest {

    private static final ProgressListener QUIET = ProgressListener.SILENT;
    private final SparkSession spark = SharedSpark.get();

    @TempDir
    Path tmp;

    private EvalConfig cfg(List<String> in, List<String> by, String out) {
        return new EvalConfig(in, Optional.empty(), ColumnMapping.NONE, new int[] {1, 2, 4, 8}, by, 200, 7L, false,
                false, out, List.of());
    }

    private void assertSame(List<String> in, List<String> by) throws Exception {
        String l = tmp.resolve("local-" + System.nanoTime()).toString();
        String s = tmp.resolve("spark-" + System.nanoTime()).toString();
        assertEquals(EvalEngine.LOCAL, EvalEngine.AUTO.resolve(cfg(in, by, l), Map.of()));
        EvalResult rl = LocalEvaluation.run(cfg(in, by, l), QUIET);
        EvalResult rs = OfflineEvaluation.run(spark, cfg(in, by, s), QUIET);
        assertEquals(rs.totals(), rl.totals());
        assertEquals(rs.kind(), rl.kind());
        List<String> keys = new ArrayList<>(by);
        keys.add("problem_id");
        assertTables(l + "/per_problem", s + "/per_problem", String.join(", ", keys.stream().map(k -> '"' + k + '"')
                .toList()));
        List<String> skeys = new ArrayList<>(by);
        skeys.add("k");
        assertTables(l + "/summary", s + "/summary", String.join(", ", skeys.stream().map(k -> '"' + k + '"')
                .toList()));
    }

    /** Both Parquet directories, read by DuckDB and sorted by {@code order}: equal cell by cell. */
    private static void assertTables(String a, String b, String order) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            List<List<Object>> ta = table(st, a, order);
            List<List<Object>> tb = table(st, b, order);
            assertEquals(tb.size(), ta.size(), a);
            assertFalse(ta.isEmpty());
            for (int i = 0; i < ta.size(); i++) {
                for (int j = 0; j < ta.get(i).size(); j++) {
                    Object x = ta.get(i).get(j);
                    Object y = tb.get(i).get(j);
                    if (x instanceof Double dx && y instanceof Double dy) {
                        assertEquals(dy, dx, 1e-12, a + " row " + i + " col " + j);
                    } else {
                        assertEquals(y, x, a + " row " + i + " col " + j);
                    }
                }
            }
        }
    }

    private static List<List<Object>> table(Statement st, String dir, String order) throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT * FROM read_parquet('" + dir + "/*.parquet') ORDER BY " + order)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                List<Object> r = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    r.add(rs.getObject(i));
                }
                rows.add(r);
            }
        }
        return rows;
    }

    @Test
    void theShippedCsvExampleGivesTheSameTablesUnderBothEngines() throws Exception {
        assertSame(List.of(Path.of("../data/eval-example/answers.csv").toAbsolutePath().normalize().toString()),
                List.of("model"));
    }

    @Test
    void shippedHarnessExamplesAreLeftToTheSparkEngine() throws Exception {
        for (String d : List.of("eval-humaneval", "eval-evalplus", "eval-lm-eval", "eval-lighteval", "eval-inspect")) {
            for (List<String> in : inputs(d)) {
                EvalConfig c = cfg(in, List.of(), tmp.resolve(d).toString());
                if (EvalEngine.AUTO.resolve(c, Map.of()) == EvalEngine.LOCAL) {
                    // a JSON lines file that turns out to be human-eval results (task_id, passed)
                    assertThrows(LocalEvaluation.Refer.class, () -> LocalEvaluation.run(c, QUIET), d);
                } else {
                    assertThrows(BadInputException.class, () -> EvalEngine.LOCAL.resolve(c, Map.of()), d);
                }
            }
        }
    }

    /** The example as a directory and as each of its files. */
    private static List<List<String>> inputs(String example) throws Exception {
        List<List<String>> in = new ArrayList<>();
        Path dir = Path.of("../data", example);
        in.add(List.of(dir.toString()));
        try (var files = Files.list(dir)) {
            files.filter(Files::isRegularFile).forEach(f -> in.add(List.of(f.toString())));
        }
        return in;
    }

    @Test
    void aConfiguredSparkMasterSendsAutoToSpark() {
        EvalConfig c = cfg(List.of(Path.of("../data/eval-example/answers.csv").toString()), List.of(),
                tmp.resolve("o").toString());
        assertEquals(EvalEngine.SPARK, EvalEngine.AUTO.resolve(c, Map.of("SPARK_MASTER", "spark://h:7077")));
        assertEquals(EvalEngine.SPARK, EvalEngine.AUTO.resolve(c, Map.of("SPARK_ENV_LOADED", "1")));
    }

    @Test
    void randomAnswersWithVariableNAgreeAsParquetJsonAndCsv() throws Exception {
        for (long seed : new long[] {1, 2, 3}) {
            List<Row> rows = EvalTestData.rows(seed, 40, 1, 12);
            for (String fmt : List.of("parquet", "json", "csv")) {
                for (boolean rewards : new boolean[] {true, false}) {
                    Path dir = tmp.resolve("in-" + seed + fmt + rewards);
                    var f = EvalTestData.frame(spark, rows).drop(rewards ? "correct" : "reward").coalesce(1).write();
                    switch (fmt) {
                        case "parquet" -> f.parquet(dir.toString());
                        case "json" -> f.json(dir.toString());
                        default -> f.option("header", true).csv(dir.toString());
                    }
                    String ext = fmt.equals("json") ? ".json" : "." + fmt;
                    Path file;
                    try (var files = Files.list(dir)) {
                        file = files.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst()
                                .orElseThrow();
                    }
                    Path named = tmp.resolve("answers-" + seed + rewards + ext);
                    Files.copy(file, named);
                    assertSame(List.of(named.toString()), List.of("model"));
                }
            }
        }
    }

    @Test
    void badInputIsHandedToSparkAndNothingIsWritten() throws Exception {
        Random r = new Random(5);
        String head = "model,problem_id,sample_idx,reward\n";
        Map<String, String> cases = Map.of(
                "repeated ids", head + "a,p1,0,1.0\na,p1,0,0.5\na,p2,0,0.0\n",
                "null problem", head + "a,,0,1.0\na,p2,0,0.0\n",
                "NaN reward", head + "a,p1,0,NaN\na,p2,0,0.0\n",
                "null reward", head + "a,p1,0,\na,p2,0,0.0\n",
                "reward out of range", head + "a,p1,0," + (1 + r.nextDouble()) + "\n",
                "no rows", head);
        for (var e : cases.entrySet()) {
            Path in = tmp.resolve(e.getKey().replace(' ', '-') + ".csv");
            Files.writeString(in, e.getValue());
            Path out = tmp.resolve("out-" + e.getKey().replace(' ', '-'));
            EvalConfig c = cfg(List.of(in.toString()), List.of("model"), out.toString());
            assertThrows(LocalEvaluation.Refer.class, () -> LocalEvaluation.run(c, QUIET), e.getKey());
            assertFalse(Files.exists(out), e.getKey());
            assertThrows(BadInputException.class, () -> OfflineEvaluation.run(spark, c, QUIET), e.getKey());
            assertFalse(Files.exists(out), e.getKey());
        }
    }
}
