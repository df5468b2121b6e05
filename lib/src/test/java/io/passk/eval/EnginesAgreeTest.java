package io.passk.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.passk.BadInputException;
import io.passk.progress.ProgressListener;
import io.passk.testing.SharedSpark;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --engine local} and {@code --engine spark} read the same inputs the same way: every
 * shipped example, random answer tables (variable n, groups, every table format, gzipped and
 * tab-separated), column mappings and random defects (repeated ids, nulls, NaN rewards) give the
 * same per-problem tables and summaries (ids, n, c exactly; estimates within 1e-12) or the same
 * one-line refusal, and neither writes anything when it refuses.
 */
class EnginesAgreeTest {

    private static final ProgressListener QUIET = ProgressListener.SILENT;
    private final SparkSession spark = SharedSpark.get();

    @TempDir
    Path tmp;

    /** One engine's answer: its result, or the message it refused the input with. */
    private record Outcome(EvalResult result, String refusal) {
    }

    private static EvalConfig cfg(List<String> in, Optional<InputFormat> format, ColumnMapping m, List<String> by,
                                  boolean strict, String out) {
        return new EvalConfig(in, format, m, new int[] {1, 2, 4, 8}, by, 200, 7L, strict, false, out, List.of());
    }

    private static EvalConfig cfg(List<String> in, List<String> by, String out) {
        return cfg(in, Optional.empty(), ColumnMapping.NONE, by, false, out);
    }

    private Outcome local(EvalConfig c) {
        try {
            return new Outcome(LocalEvaluation.run(c, QUIET), null);
        } catch (BadInputException e) {
            return new Outcome(null, e.getMessage());
        }
    }

    private Outcome spark(EvalConfig c) {
        try {
            return new Outcome(OfflineEvaluation.run(spark, c, QUIET), null);
        } catch (BadInputException e) {
            return new Outcome(null, e.getMessage());
        }
    }

    /** Runs {@code base} (its out replaced) through both engines: the same tables or the same refusal. */
    private Outcome assertSame(EvalConfig base, String what) throws Exception {
        String l = tmp.resolve("local-" + System.nanoTime()).toString();
        String s = tmp.resolve("spark-" + System.nanoTime()).toString();
        EvalConfig cl = with(base, l);
        EvalConfig cs = with(base, s);
        assertEquals(EvalEngine.LOCAL, EvalEngine.AUTO.resolve(cl, Map.of()), what);
        Outcome ol = local(cl);
        Outcome os = spark(cs);
        assertEquals(os.refusal(), ol.refusal(), what + ": the same refusal");
        if (os.refusal() != null) {
            assertFalse(Files.exists(Path.of(l)), what + ": nothing written");
            assertFalse(Files.exists(Path.of(s)), what + ": nothing written");
            return ol;
        }
        EvalResult rl = ol.result();
        EvalResult rs = os.result();
        assertEquals(rs.totals(), rl.totals(), what);
        assertEquals(rs.kind(), rl.kind(), what);
        assertEquals(rs.groups(), rl.groups(), what);
        assertEquals(rs.renamed(), rl.renamed(), what);
        assertEquals(rs.format(), rl.format(), what);
        List<String> keys = new ArrayList<>(rs.groups());
        keys.add("problem_id");
        EvalTables.assertSame(l + "/per_problem", s + "/per_problem", keys, what);
        List<String> skeys = new ArrayList<>(rs.groups());
        skeys.add("k");
        EvalTables.assertSame(l + "/summary", s + "/summary", skeys, what);
        return ol;
    }

    private static EvalConfig with(EvalConfig c, String out) {
        return new EvalConfig(c.inputs(), c.format(), c.columns(), c.ks(), c.groupBy(), c.bootstrap(), c.seed(),
                c.strict(), c.overwrite(), out, c.compare());
    }

    private static String data(String example) {
        return Path.of("../data", example).toAbsolutePath().normalize().toString();
    }

    @Test
    void everyShippedExampleGivesTheSameTablesUnderBothEngines() throws Exception {
        assertSame(cfg(List.of(data("eval-example/answers.csv")), List.of("model"), "x"), "eval-example");
        assertSame(cfg(List.of(data("eval-example")), List.of("model", "task"), "x"), "eval-example dir");
        for (String d : List.of("eval-humaneval", "eval-evalplus", "eval-lm-eval", "eval-lighteval", "eval-inspect")) {
            Outcome o = assertSame(cfg(List.of(data(d)), List.of(), "x"), d);
            assertNotNull(o.result(), d + " is read");
        }
        assertSame(cfg(List.of(data("eval-inspect/2025-01-15T10-00-00+00-00_gsm8k_ev0Lq7PzT.eval")), List.of(), "x"),
                "one inspect log");
        assertSame(cfg(List.of(data("eval-lm-eval")), Optional.empty(),
                ColumnMapping.of(null, "exact_match", null, null, null), List.of("model"), false, "x"), "lm-eval --by");
    }

    @Test
    void aConfiguredSparkMasterSendsAutoToSpark() {
        EvalConfig c = cfg(List.of(data("eval-example/answers.csv")), List.of(), tmp.resolve("o").toString());
        assertEquals(EvalEngine.SPARK, EvalEngine.AUTO.resolve(c, Map.of("SPARK_MASTER", "spark://h:7077")));
        assertEquals(EvalEngine.SPARK, EvalEngine.AUTO.resolve(c, Map.of("SPARK_ENV_LOADED", "1")));
        assertEquals(EvalEngine.SPARK, EvalEngine.AUTO.resolve(cfg(List.of("hdfs://nn/answers.csv"), List.of(), "o"),
                Map.of()));
    }

    /** {@code rows} written by Spark as one file of {@code fmt}, renamed to {@code name}. */
    private Path write(List<Row> rows, StructType schema, String fmt, String name) throws IOException {
        Path dir = tmp.resolve("w-" + System.nanoTime());
        var f = spark.createDataFrame(rows, schema).coalesce(1).write();
        switch (fmt) {
            case "parquet" -> f.parquet(dir.toString());
            case "json" -> f.json(dir.toString());
            case "tsv" -> f.option("header", true).option("sep", "\t").csv(dir.toString());
            default -> f.option("header", true).csv(dir.toString());
        }
        Path file;
        try (var files = Files.list(dir)) {
            file = files.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
        }
        Path named = tmp.resolve(name);
        if (name.endsWith(".gz")) {
            try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(named))) {
                Files.copy(file, o);
            }
        } else {
            Files.copy(file, named);
        }
        return named;
    }

    @Test
    void randomAnswersWithVariableNAgreeInEveryTableFormat() throws Exception {
        int i = 0;
        for (long seed : new long[] {1, 2}) {
            List<Row> rows = EvalTestData.rows(seed, 30, 1, 12);
            List<String> fmts = List.of("parquet", "json", "csv", "tsv");
            for (String fmt : fmts) {
                // rewards and correctness alternate (the run time stays short)
                for (boolean rewards : new boolean[] {(seed + fmts.indexOf(fmt)) % 2 == 0}) {
                    StructType schema = EvalTestData.SCHEMA;
                    List<Row> kept = new ArrayList<>();
                    int drop = schema.fieldIndex(rewards ? "correct" : "reward");
                    for (Row r : rows) {
                        List<Object> v = new ArrayList<>();
                        for (int j = 0; j < r.length(); j++) {
                            if (j != drop) {
                                v.add(r.get(j));
                            }
                        }
                        kept.add(RowFactory.create(v.toArray()));
                    }
                    StructType s = new StructType();
                    for (int j = 0; j < schema.fields().length; j++) {
                        if (j != drop) {
                            s = s.add(schema.fields()[j]);
                        }
                    }
                    String ext = fmt.equals("json") ? ".jsonl" : "." + fmt;
                    // every other file gzipped (not Parquet, which compresses inside)
                    String gz = !fmt.equals("parquet") && i++ % 2 == 0 ? ".gz" : "";
                    Path f = write(kept, s, fmt, "answers-" + seed + rewards + ext + gz);
                    assertSame(cfg(List.of(f.toString()), List.of("model"), "x"), f.getFileName().toString());
                }
            }
        }
    }

    @Test
    void randomDefectsGiveTheSameTablesOrTheSameRefusal() throws Exception {
        StructType schema = new StructType().add("model", DataTypes.StringType).add("problem_id", DataTypes.StringType)
                .add("sample_idx", DataTypes.LongType).add("reward", DataTypes.DoubleType);
        String[] fmts = {"parquet", "json", "csv"};
        for (int seed = 0; seed < 9; seed++) {
            Random r = new Random(100 + seed);
            List<Row> rows = new ArrayList<>();
            for (String model : List.of("a", "b")) {
                for (int p = 0; p < 6; p++) {
                    int n = 1 + r.nextInt(9);
                    for (int s = 0; s < n; s++) {
                        double u = r.nextDouble();
                        rows.add(RowFactory.create(model, "p" + p, (long) s, u < 0.3 ? 1.0 : u < 0.5 ? u : 0.0));
                    }
                }
            }
            // one defect (or none) in a random row: a repeated id, a null, a NaN reward
            int at = r.nextInt(rows.size());
            Row x = rows.get(at);
            String defect = switch (seed % 5) {
                case 0 -> "none";
                case 1 -> "repeated id";
                case 2 -> "null problem_id";
                case 3 -> "NaN reward";
                default -> "null model";
            };
            switch (defect) {
                case "repeated id" -> rows.add(RowFactory.create(x.get(0), x.get(1), x.get(2), 0.0));
                case "null problem_id" -> rows.set(at, RowFactory.create(x.get(0), null, x.get(2), x.get(3)));
                case "NaN reward" -> rows.set(at, RowFactory.create(x.get(0), x.get(1), x.get(2), Double.NaN));
                case "null model" -> rows.set(at, RowFactory.create(null, x.get(1), x.get(2), x.get(3)));
                default -> { }
            }
            String fmt = fmts[seed % 3];
            Path f = write(rows, schema, fmt, "defect-" + seed + (fmt.equals("json") ? ".jsonl" : "." + fmt));
            Outcome o = assertSame(cfg(List.of(f.toString()), List.of("model"), "x"), defect + " in " + fmt);
            assertEquals(defect.equals("none"), o.refusal() == null, defect + ": " + o.refusal());
        }
    }

    private Path file(String name, String... lines) throws IOException {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, List.of(lines));
        return p;
    }

    @Test
    void columnMappingsAndHumanEvalAliasesAgree() throws Exception {
        Path he = file("he/samples.jsonl_results.jsonl",
                "{\"task_id\":\"HumanEval/0\",\"completion\":\"x\",\"result\":\"passed\",\"passed\":true}",
                "{\"task_id\":\"HumanEval/0\",\"completion\":\"y\",\"result\":\"failed\",\"passed\":false}",
                "{\"task_id\":\"HumanEval/1\",\"completion\":\"z\",\"result\":\"passed\",\"passed\":true}");
        assertSame(cfg(List.of(he.toString()), List.of(), "x"), "human-eval aliases");
        assertSame(cfg(List.of(he.toString()), Optional.of(InputFormat.HUMANEVAL), ColumnMapping.NONE, List.of(),
                false, "x"), "--format humaneval");
        assertSame(cfg(List.of(he.toString()), Optional.empty(), ColumnMapping.of(null, "result", "passed", null, null),
                List.of(), false, "x"), "--correct-col result --correct-value passed");
        Path csv = file("map/a.csv", "qid,try,score,who", "q1,0,0.5,m", "q1,1,1.0,m", "q2,0,0.0,m", "q2,1, 1 ,n");
        assertSame(cfg(List.of(csv.toString()), Optional.empty(), ColumnMapping.of("qid", null, null, "score", "try"),
                List.of("who"), false, "x"), "--problem-col --reward-col --sample-col");
        assertSame(cfg(List.of(csv.toString()), Optional.empty(), ColumnMapping.of("question", null, null, null, null),
                List.of(), false, "x"), "a mapped column that is missing");
        Path counts = file("counts/c.csv", "problem_id,n,c", "p1,4,2", "p1,4,1", "p2,3,3");
        assertSame(cfg(List.of(counts.toString()), List.of(), "x"), "pre-counted rows");
    }

    /** An inspect_ai log with one sample per (id, epoch) scored {@code values}. */
    private Path inspectLog(String name, String... values) throws IOException {
        Path p = tmp.resolve(name);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(p))) {
            for (int i = 0; i < values.length; i++) {
                z.putNextEntry(new ZipEntry("samples/" + (i / 2) + "_epoch_" + (i % 2 + 1) + ".json"));
                z.write(("{\"id\": " + (i / 2) + ", \"epoch\": " + (i % 2 + 1) + ", \"scores\": {\"match\": "
                        + "{\"value\": " + values[i] + "}}}").getBytes(StandardCharsets.UTF_8));
            }
            z.putNextEntry(new ZipEntry("header.json"));
            z.write("{\"eval\": {\"task\": \"t\", \"model\": \"m\"}}".getBytes(StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void badInputsAreRefusedWithTheSameLineByBothEngines() throws Exception {
        Map<String, EvalConfig> cases = new LinkedHashMap<>();
        String head = "model,problem_id,sample_idx,reward";
        cases.put("repeated text ids", cfg(List.of(file("b/rep.csv", head, "a,p1,0,1.0", "a,p1,0,0.5", "a,p2,0,0.0",
                "b,p2,x,0.0", "b,p2,x,1.0").toString()), List.of("model"), "x"));
        cases.put("null problem", cfg(List.of(file("b/nullp.csv", head, "a,,0,1.0", "a,p2,0,0.0", "b,,1,0.5")
                .toString()), List.of("model"), "x"));
        cases.put("NaN reward", cfg(List.of(file("b/nan.csv", head, "a,p1,0,NaN", "a,p2,0,0.0", "a,p0,0,NaN")
                .toString()), List.of("model"), "x"));
        cases.put("reward out of range", cfg(List.of(file("b/range.csv", head, "a,p1,0,1.5", "a,p1,1,-2")
                .toString()), List.of("model"), "x"));
        cases.put("reward not a number", cfg(List.of(file("b/text.csv", head, "a,p1,0,high").toString()),
                List.of("model"), "x"));
        cases.put("no rows", cfg(List.of(file("b/empty.csv", head).toString()), List.of("model"), "x"));
        cases.put("empty file", cfg(List.of(file("b/zero.jsonl").toString()), List.of(), "x"));
        cases.put("missing group", cfg(List.of(file("b/nogroup.csv", "problem_id,correct", "p1,true").toString()),
                List.of("model"), "x"));
        cases.put("missing label", cfg(List.of(file("b/nolabel.csv", "problem_id,score", "p1,1").toString()),
                List.of(), "x"));
        cases.put("wrong type", cfg(List.of(file("b/type.jsonl", "{\"problem_id\":\"p1\",\"correct\":\"yes\"}",
                "{\"problem_id\":\"p2\",\"correct\":\"no\"}").toString()), List.of(), "x"));
        cases.put("double problem id", cfg(List.of(file("b/pid.jsonl", "{\"problem_id\":1.5,\"correct\":true}")
                .toString()), List.of(), "x"));
        cases.put("correct not 0/1", cfg(List.of(file("b/c01.jsonl", "{\"problem_id\":\"p1\",\"correct\":2}",
                "{\"problem_id\":\"p2\",\"correct\":1}").toString()), List.of(), "x"));
        cases.put("csv boolean", cfg(List.of(file("b/bool.csv", "problem_id,correct", "p1,true", "p1,maybe")
                .toString()), List.of(), "x"));
        cases.put("c above n", cfg(List.of(file("b/cn.csv", "problem_id,n,c", "p1,4,2", "p2,3,5").toString()),
                List.of(), "x"));
        cases.put("n not an integer", cfg(List.of(file("b/n.csv", "problem_id,n,c", "p1,4,2", "p2,3.5,1")
                .toString()), List.of(), "x"));
        cases.put("k above n, --strict", cfg(List.of(file("b/strict.csv", "problem_id,correct", "p1,true", "p2,false")
                .toString()), Optional.empty(), ColumnMapping.NONE, List.of(), true, "x"));
        cases.put("corrupt parquet", cfg(List.of(file("b/bad.parquet", "not parquet at all").toString()),
                List.of(), "x"));
        cases.put("malformed json line", cfg(List.of(file("b/bad.jsonl", "{\"problem_id\":\"p1\",\"correct\":true}",
                "{\"problem_id\": \"p2\", corr").toString()), List.of(), "x"));
        cases.put("missing input", cfg(List.of(tmp.resolve("nowhere.csv").toString()), List.of(), "x"));
        cases.put("missing input, --format", cfg(List.of(tmp.resolve("nowhere.csv").toString()),
                Optional.of(InputFormat.CSV), ColumnMapping.NONE, List.of(), false, "x"));
        cases.put("mapped column clash", cfg(List.of(file("b/clash.csv", "problem_id,qid,correct", "p1,q1,true")
                .toString()), Optional.empty(), ColumnMapping.of("qid", null, null, null, null), List.of(), false,
                "x"));
        cases.put("null status with --correct-value", cfg(List.of(file("b/status.jsonl",
                "{\"qid\":\"p1\",\"status\":\"passed\"}", "{\"qid\":\"p2\",\"status\":null}").toString()),
                Optional.empty(), ColumnMapping.of("qid", "status", "passed", null, null), List.of(), false, "x"));
        cases.put("human-eval without passed", cfg(List.of(file("b/he.jsonl",
                "{\"task_id\":\"HumanEval/0\",\"result\":\"passed\"}").toString()), Optional.of(InputFormat.HUMANEVAL),
                ColumnMapping.NONE, List.of(), false, "x"));
        cases.put("evalplus null status", cfg(List.of(file("b/ep/eval_results.json", "{\"eval\": {\"HumanEval/3\": "
                + "[{\"base_status\": \"pass\", \"plus_status\": \"fail\"}, {\"base_status\": null, \"plus_status\": "
                + "\"fail\"}]}}").toString()), List.of(), "x"));
        cases.put("evalplus truncated", cfg(List.of(file("b/ep2/eval_results.json",
                "{\"eval\": {\"HumanEval/0\": [{\"base_status\": \"pass\"").toString()), List.of(), "x"));
        cases.put("lm-eval NaN metric", cfg(List.of(file("b/lm/m/samples_t_2025-01-15T10-00-00.jsonl",
                "{\"doc_id\": 0, \"filter\": \"none\", \"metrics\": [\"acc\"], \"acc\": [1, NaN]}").toString()),
                List.of(), "x"));
        cases.put("lm-eval --by other", cfg(List.of(file("b/lm2/m/samples_t_2025-01-15T10-00-00.jsonl",
                "{\"doc_id\": 0, \"filter\": \"none\", \"metrics\": [\"acc\"], \"acc\": [1, 0]}").toString()),
                List.of("prompt"), "x"));
        cases.put("inspect repeated epoch", cfg(List.of(inspectLog("b-dup.eval", "\"C\"", "\"I\"").toString(),
                inspectLog("b-dup2.eval", "\"C\"").toString()), List.of(), "x"));
        cases.put("inspect score above 1", cfg(List.of(inspectLog("b-big.eval", "\"C\"", "2.5").toString()),
                List.of(), "x"));
        // a task file, not answers: refused alike
        cases.put("data/jsonl-example", cfg(List.of(data("jsonl-example/mazes.jsonl")), List.of(), "x"));
        Path pq = tmp.resolve("b/dup-int");
        spark.createDataFrame(List.of(RowFactory.create("p1", 0L, true), RowFactory.create("p1", 1L, false),
                RowFactory.create("p2", 1L, true), RowFactory.create("p2", 1L, false)), new StructType()
                .add("problem_id", DataTypes.StringType).add("sample_idx", DataTypes.LongType)
                .add("correct", DataTypes.BooleanType)).coalesce(1).write().parquet(pq.toString());
        cases.put("repeated integer ids", cfg(List.of(pq.toString()), List.of(), "x"));
        for (var e : cases.entrySet()) {
            Outcome o = assertSame(e.getValue(), e.getKey());
            assertNotNull(o.refusal(), e.getKey() + " is refused");
            assertFalse(o.refusal().contains("\n"), e.getKey() + ": one line: " + o.refusal());
            assertTrue(o.refusal().contains(e.getValue().inputs().get(0).replaceFirst(".*/", "")),
                    e.getKey() + " names the input: " + o.refusal());
        }
    }
}
