package io.passk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.passk.estimate.PassAtK;
import io.passk.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped lm-evaluation-harness, lighteval and inspect_ai examples (data/eval-*, written by
 * data/harness-logs/generate.py in each tool's layout) give exactly the counts they were written
 * from (data/harness-logs/expected-*.csv, the generator's own truth), pass@k equal to the plain
 * estimator on those counts, and each malformed log is refused in one line.
 */
class EvalHarnessLogsTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void spark() {
        SharedSpark.get();
    }

    /** model,task,problem_id -> {n, c, max_reward} from the generator's truth. */
    private static Map<String, double[]> expected(String format) throws IOException {
        Map<String, double[]> m = new TreeMap<>();
        List<String> lines = Files.readAllLines(Path.of("../data/harness-logs/expected-" + format + ".csv"));
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            m.put(f[0] + "/" + f[1] + "/" + f[2], new double[] {Long.parseLong(f[3]), Long.parseLong(f[4]),
                    Double.parseDouble(f[5])});
        }
        return m;
    }

    private Path run(String input, String... extra) {
        Path out = tmp.resolve("out-" + input.replaceAll("\\W", "_"));
        List<String> args = new ArrayList<>(List.of("eval", "--input", input, "--k", "1,2,4,8", "--bootstrap", "50",
                "--out", out.toString()));
        args.addAll(List.of(extra));
        CliRun r = CliRun.of(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        return out;
    }

    private Path sameAsTruth(String format, String filterValue, boolean rewards) throws IOException {
        Path out = run("../data/eval-" + format);
        Map<String, double[]> want = expected(format);
        List<Row> rows = SharedSpark.get().read().parquet(out.resolve("per_problem").toString())
                .selectExpr("model", "task", "problem_id", "n", "c", "pass_at_1", "pass_at_2", "pass_at_8",
                        "pass_hat_2", "max_at_8",
                        filterValue == null ? "'' AS filter" : "filter").collectAsList();
        assertEquals(want.size(), rows.size(), "one row per (model, task, problem)");
        for (Row r : rows) {
            String key = r.getString(0) + "/" + r.getString(1) + "/" + r.getString(2);
            double[] w = want.get(key);
            assertTrue(w != null, "unexpected problem " + key);
            long n = (long) w[0];
            long c = (long) w[1];
            assertEquals(n, r.getLong(3), key + " n");
            assertEquals(c, r.getLong(4), key + " c");
            assertEquals(PassAtK.passAtK(n, c, 1), r.getDouble(5), 1e-12, key);
            assertEquals(n >= 2 ? PassAtK.passAtK(n, c, 2) : Double.NaN, r.isNullAt(6) ? Double.NaN : r.getDouble(6),
                    1e-12, key);
            if (n >= 8) {
                assertEquals(PassAtK.passAtK(n, c, 8), r.getDouble(7), 1e-12, key);
                // pass^2 = C(c,2)/C(n,2), by hand
                assertEquals(c * (c - 1.0) / (n * (n - 1.0)), r.getDouble(8), 1e-12, key);
                // max@n is the best reward; on a binary input it is pass@n
                assertEquals(rewards ? w[2] : (c > 0 ? 1.0 : 0.0), r.getDouble(9), 1e-12, key);
            } else {
                assertTrue(r.isNullAt(7), key + ": pass@8 needs n >= 8");
            }
            if (filterValue != null) {
                assertEquals(filterValue, r.getString(10));
            }
        }
        return out;
    }

    @Test
    void lmEvalSamplesAndTheirGzippedTwinGiveTheWrittenCounts() throws IOException {
        sameAsTruth("lm-eval", "strict-match", false);
    }

    @Test
    void lightevalDetailsKeepTheRealNOfADocumentWithMissingSamples() throws IOException {
        sameAsTruth("lighteval", null, false);
        // document 7 came back with 6 of 8 texts: n = 6, not lighteval's 8
        assertEquals(6.0, expected("lighteval").get("Qwen/Qwen2.5-0.5B-Instruct/lighteval|gsm8k|0/7")[0]);
    }

    @Test
    void inspectEpochsAreTheRepeatsAndPartialCreditMakesRewards() throws IOException {
        Path out = sameAsTruth("inspect", null, true);
        String runJson = Files.readString(out.resolve("run.json"));
        assertTrue(runJson.contains("\"format\" : \"inspect\""), runJson);
        assertTrue(runJson.contains("\"input_kind\" : \"reward\""), runJson);
    }

    @Test
    void compareReportsThePairedDifferenceAndWinsRecomputedFromTheCounts() throws IOException {
        String a = "Qwen__Qwen2.5-1.5B-Instruct";
        String b = "Qwen__Qwen2.5-0.5B-Instruct";
        Path out = run("../data/eval-lm-eval", "--compare", a + "," + b);
        Map<String, double[]> want = expected("lm-eval");
        List<String> csv = Files.readAllLines(out.resolve("compare.csv"));
        assertEquals("column,a,b,k,problems,mean_diff,ci_low,ci_high,wins_a,wins_b,ties,excludes_zero", csv.get(0));
        assertTrue(Files.size(out.resolve("compare.png")) > 1000);
        int[] ks = {1, 2, 4, 8};
        for (int i = 0; i < ks.length; i++) {
            int k = ks[i];
            double sum = 0;
            int winsA = 0;
            int winsB = 0;
            for (int p = 0; p < 30; p++) {
                double[] x = want.get(a + "/gsm8k/" + p);
                double[] y = want.get(b + "/gsm8k/" + p);
                double d = PassAtK.passAtK((long) x[0], (long) x[1], k) - PassAtK.passAtK((long) y[0], (long) y[1], k);
                sum += d;
                winsA += d > 0 ? 1 : 0;
                winsB += d < 0 ? 1 : 0;
            }
            String[] f = csv.get(i + 1).split(",");
            assertEquals("model", f[0]);
            assertEquals(String.valueOf(k), f[3]);
            assertEquals("30", f[4]);
            double mean = Double.parseDouble(f[5]);
            assertEquals(sum / 30, mean, 1e-9);
            assertTrue(Double.parseDouble(f[6]) <= mean && mean <= Double.parseDouble(f[7]), csv.get(i + 1));
            assertEquals(winsA, Integer.parseInt(f[8]));
            assertEquals(winsB, Integer.parseInt(f[9]));
            assertEquals(30 - winsA - winsB, Integer.parseInt(f[10]));
        }
    }

    @Test
    void compareOfValuesNoGroupingColumnHoldsIsRefused() {
        CliRun r = CliRun.of("eval", "--input", "../data/eval-lm-eval", "--k", "1", "--out",
                tmp.resolve("o").toString(), "--compare", "gpt-x,gpt-y");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--compare gpt-x,gpt-y: no grouping column holds both values"), r.err());
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    // ---- refusals: one line, exit 2, naming the file and what was expected ----

    private String refused(Path input, String... extra) {
        Path out = tmp.resolve("refused-out");
        List<String> args = new ArrayList<>(List.of("eval", "--input", input.toString(), "--k", "1,2",
                "--bootstrap", "20", "--out", out.toString()));
        args.addAll(List.of(extra));
        CliRun run = CliRun.of(args.toArray(new String[0]));
        assertEquals(2, run.code(), "exit code; stderr: " + run.err());
        List<String> lines = run.err().lines().filter(l -> !l.startsWith("eval: ")).toList();
        assertEquals(1, lines.size(), "one line: " + run.err());
        assertTrue(lines.get(0).contains(input.getFileName().toString()), "names the file: " + lines.get(0));
        assertFalse(Files.exists(out), "no output");
        return lines.get(0);
    }

    private Path lmEvalFile(String... lines) throws IOException {
        Path d = tmp.resolve("lm").resolve("my-model");
        Files.createDirectories(d);
        Path f = d.resolve("samples_gsm8k_2025-01-15T10-00-00.123456.jsonl");
        Files.write(f, List.of(lines));
        return f;
    }

    private static void mentions(String msg, String... parts) {
        for (String p : parts) {
            assertTrue(msg.contains(p), "'" + p + "' in: " + msg);
        }
    }

    @Test
    void lmEvalMalformedLineIsRefused() throws IOException {
        Path f = lmEvalFile("{\"doc_id\": 0, \"filter\": \"none\", \"metrics\": [\"exact_match\"], \"exact_match\": [1.0]}",
                "{\"doc_id\": 1, \"exact_match\": [1.0");
        mentions(refused(f), "line 2", "malformed JSON", "lm-evaluation-harness");
    }

    @Test
    void lmEvalLineWithoutDocIdIsRefused() throws IOException {
        mentions(refused(lmEvalFile("{\"filter\": \"none\", \"exact_match\": 1.0}")), "line 1", "no 'doc_id'",
                "--log_samples");
    }

    @Test
    void lmEvalEstimateOverRepeatsIsNotTakenForASample() throws IOException {
        Path f = lmEvalFile("{\"doc_id\": 0, \"filter\": \"create_test\", \"metrics\": [\"pass@1\"], "
                + "\"filtered_resps\": [[\"a\", \"b\", \"c\"]], \"pass@1\": 0.3333333}");
        mentions(refused(f), "metric 'pass@1' is one value for 3 responses", "--correct-col");
    }

    @Test
    void lmEvalUnknownCorrectColNamesTheMetricsThere() throws IOException {
        Path f = lmEvalFile("{\"doc_id\": 0, \"filter\": \"none\", \"metrics\": [\"exact_match\"], \"exact_match\": 1}");
        mentions(refused(f, "--correct-col", "acc_norm"), "--correct-col acc_norm: no such metric", "exact_match");
    }

    @Test
    void lmEvalNaNScoreIsRefusedByTheRewardCheck() throws IOException {
        Path f = lmEvalFile("{\"doc_id\": 0, \"filter\": \"none\", \"metrics\": [\"f1\"], \"f1\": [0.5, NaN]}");
        mentions(refused(f), "NaN");
    }

    @Test
    void truncatedGzipIsRefused() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            for (int i = 0; i < 200; i++) {
                gz.write(("{\"doc_id\": " + i + ", \"filter\": \"none\", \"metrics\": [\"exact_match\"], "
                        + "\"exact_match\": [1.0, 0.0]}\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] all = bytes.toByteArray();
        Path d = tmp.resolve("gz").resolve("m");
        Files.createDirectories(d);
        Path f = d.resolve("samples_gsm8k_2025-01-15T10-00-00.123456.jsonl.gz");
        Files.write(f, java.util.Arrays.copyOf(all, all.length / 2));
        mentions(refused(f), "truncated or corrupt compressed data");
    }

    private Path evalZip(Map<String, String> entries) throws IOException {
        Path f = tmp.resolve("logs").resolve("2025-01-15T10-00-00+00-00_gsm8k_abc.eval");
        Files.createDirectories(f.getParent());
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return f;
    }

    private static final String HEADER = "{\"version\": 2, \"status\": \"success\", \"eval\": {\"task\": \"gsm8k\", "
            + "\"model\": \"hf/m\"}}";

    @Test
    void inspectFileThatIsNoZipIsRefused() throws IOException {
        Path f = tmp.resolve("x.eval");
        Files.writeString(f, "{\"version\": 2}");
        mentions(refused(f), "inspect_ai .eval log");
    }

    @Test
    void inspectLogWithoutHeaderIsRefused() throws IOException {
        Map<String, String> e = new HashMap<>();
        e.put("samples/1_epoch_1.json", "{\"id\": 1, \"epoch\": 1, \"scores\": {\"match\": {\"value\": \"C\"}}}");
        mentions(refused(evalZip(e)), "no header.json", "eval.task");
    }

    @Test
    void inspectDictScoreIsRefused() throws IOException {
        Map<String, String> e = new TreeMap<>();
        e.put("header.json", HEADER);
        e.put("samples/1_epoch_1.json", "{\"id\": 1, \"epoch\": 1, \"scores\": {\"s\": {\"value\": {\"a\": 1}}}}");
        mentions(refused(evalZip(e)), "samples/1_epoch_1.json", "scorer 's' value is a dict");
    }

    @Test
    void inspectSeveralScorersNeedCorrectCol() throws IOException {
        Map<String, String> e = new TreeMap<>();
        e.put("header.json", HEADER);
        e.put("samples/1_epoch_1.json", "{\"id\": 1, \"epoch\": 1, \"scores\": {\"a\": {\"value\": \"C\"}, "
                + "\"b\": {\"value\": \"I\"}}}");
        Path f = evalZip(e);
        mentions(refused(f), "several scorers [a, b]", "--correct-col");
        // with --correct-col it reads
        CliRun ok = CliRun.of("eval", "--input", f.toString(), "--k", "1", "--bootstrap", "0", "--correct-col", "b",
                "--out", tmp.resolve("ok").toString());
        assertEquals(0, ok.code(), ok.err());
    }

    @Test
    void inspectUnscoredSampleIsRefused() throws IOException {
        Map<String, String> e = new TreeMap<>();
        e.put("header.json", HEADER);
        e.put("samples/1_epoch_1.json", "{\"id\": 1, \"epoch\": 1}");
        mentions(refused(evalZip(e)), "no 'scores'");
    }

    /** A lighteval details file in its layout, one row per SELECT row of {@code sql}. */
    private Path lightevalFile(String name, String sql) throws IOException {
        Path d = tmp.resolve(name).resolve("details").resolve("org").resolve("m").resolve("2025-01-15T10-00-00.1");
        Files.createDirectories(d);
        Path f = d.resolve("details_t_2025-01-15T10-00-00.1.parquet");
        Path staging = tmp.resolve(name + "-staging");
        SharedSpark.get().sql(sql).coalesce(1).write().parquet(staging.toString());
        try (var s = Files.list(staging)) {
            Files.copy(s.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow(), f);
        }
        return f;
    }

    @Test
    void lightevalFileWithoutMetricStructIsRefused() throws IOException {
        Path f = lightevalFile("le1", "SELECT named_struct('id', '1') AS doc, "
                + "named_struct('text', array('a')) AS model_response");
        mentions(refused(f), "no struct column 'metric'", "lighteval");
    }

    @Test
    void lightevalScoreThatIsNoWholeCountIsRefused() throws IOException {
        // 0.3 of n=8 samples is 2.4 correct: not a per-sample mean
        Path f = lightevalFile("le2", "SELECT named_struct('id', '1') AS doc, named_struct('text', "
                + "array('a','b','c','d','e','f','g','h')) AS model_response, "
                + "named_struct('pass@k:k=1&n=8', 0.3D) AS metric");
        mentions(refused(f), "metric.pass@k:k=1&n=8", "not an integer");
    }

    @Test
    void lightevalPassAtKAboveOneIsRefused() throws IOException {
        Path f = lightevalFile("le3", "SELECT named_struct('id', '1') AS doc, named_struct('text', array('a')) "
                + "AS model_response, named_struct('pass@k:k=4&n=8', 0.5D) AS metric");
        mentions(refused(f), "k=4", "--correct-col");
    }
}
