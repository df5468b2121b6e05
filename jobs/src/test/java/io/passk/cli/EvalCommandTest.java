package io.passk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.passk.estimate.PassAtK;
import io.passk.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {

    @TempDir
    Path tmp;

    static SparkSession spark;

    @BeforeAll
    static void spark() {
        spark = SharedSpark.get(); // the command's getOrCreate() then reuses the shared session
    }

    /** model,problem_id,sample_id,reward: 2 models x 25 problems, n in [3, 12], rewards 0, 1 or in between. */
    static Map<String, List<Double>> writeRewardsCsv(Path file, long seed) throws IOException {
        Random r = new Random(seed);
        Map<String, List<Double>> byProblem = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>(List.of("model,problem_id,sample_id,reward"));
        for (String model : List.of("m1", "m2")) {
            for (int p = 0; p < 25; p++) {
                int n = 3 + r.nextInt(10);
                double rate = r.nextDouble();
                for (int s = 0; s < n; s++) {
                    double u = r.nextDouble();
                    double reward = u < rate ? 1.0 : (u < rate + 0.2 ? Math.round(r.nextDouble() * 1000) / 1000.0 : 0.0);
                    byProblem.computeIfAbsent(model + "/q" + p, x -> new ArrayList<>()).add(reward);
                    lines.add(model + ",q" + p + "," + s + "," + reward);
                }
            }
        }
        Files.createDirectories(file.getParent());
        Files.write(file, lines);
        return byProblem;
    }

    static Map<String, Map<String, String>> readSummaryCsv(Path csv, String keyCol) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",");
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], cells[i]);
            }
            rows.put(row.get(keyCol) + "/" + row.get("k"), row);
        }
        return rows;
    }

    @Test
    void endToEndWritesEveryOutputAndSummaryMeansEqualPlainJava() throws IOException {
        Path input = tmp.resolve("in/answers.csv");
        Map<String, List<Double>> data = writeRewardsCsv(input, 1);
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of("eval", "--input", input.getParent().toString(), "--k", "1,2,4,8", "--by", "model",
                "--bootstrap", "200", "--seed", "3", "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("pass@k [95% CI]"), run.out());

        assertTrue(Files.exists(out.resolve("per_problem/_SUCCESS")));
        assertTrue(Files.exists(out.resolve("summary/_SUCCESS")));
        byte[] png = Files.readAllBytes(out.resolve("passk.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        String runJson = Files.readString(out.resolve("run.json"));
        for (String s : List.of("\"seed\" : 3", "\"spark\" : \"4.", "\"java\"", "\"passk\"", "\"timestamp\"",
                input.getParent().toString())) {
            assertTrue(runJson.contains(s), s + " in " + runJson);
        }
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertEquals(List.of(), siblings.filter(p -> p.getFileName().toString().startsWith(".out")).toList(),
                    "no temp dir left");
        }

        Map<String, Map<String, String>> summary = readSummaryCsv(out.resolve("summary.csv"), "model");
        assertEquals(8, summary.size());
        for (String model : List.of("m1", "m2")) {
            for (int k : new int[] {1, 2, 4, 8}) {
                double[] sums = new double[3];
                int used = 0;
                int excluded = 0;
                for (Map.Entry<String, List<Double>> e : data.entrySet()) {
                    if (!e.getKey().startsWith(model + "/")) {
                        continue;
                    }
                    List<Double> l = e.getValue();
                    if (l.size() < k) {
                        excluded++;
                        continue;
                    }
                    long c = l.stream().filter(x -> x >= 1).count();
                    sums[0] += PassAtK.passAtK(l.size(), c, k);
                    sums[1] += PassAtK.passHatK(l.size(), c, k);
                    sums[2] += PassAtK.maxAtK(l.stream().mapToDouble(Double::doubleValue).toArray(), k);
                    used++;
                }
                Map<String, String> row = summary.get(model + "/" + k);
                assertEquals(used, Long.parseLong(row.get("problems")));
                assertEquals(excluded, Long.parseLong(row.get("excluded")));
                String[] metrics = {"pass_at_k", "pass_hat_k", "max_at_k"};
                for (int m = 0; m < 3; m++) {
                    double mean = Double.parseDouble(row.get(metrics[m]));
                    assertEquals(sums[m] / used, mean, 1e-12, model + " k=" + k + " " + metrics[m]);
                    assertTrue(Double.parseDouble(row.get(metrics[m] + "_ci_low")) <= mean + 1e-12);
                    assertTrue(Double.parseDouble(row.get(metrics[m] + "_ci_high")) >= mean - 1e-12);
                }
            }
        }
        // per_problem/ is wide: one row per problem, one pass_at_<k> column per k (null where n < k)
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> perProblem =
                spark.read().parquet(out.resolve("per_problem").toString());
        assertEquals(data.size(), perProblem.count(), "one row per problem");
        long perProblemEstimates = 0;
        long expectedRows = 0;
        for (int k : new int[] {1, 2, 4, 8}) {
            perProblemEstimates += perProblem.where(org.apache.spark.sql.functions.col("pass_at_" + k).isNotNull())
                    .count();
            for (List<Double> l : data.values()) {
                expectedRows += l.size() >= k ? 1 : 0;
            }
        }
        assertEquals(expectedRows, perProblemEstimates, "one estimate per problem and k with n >= k");
        assertEquals(8, spark.read().parquet(out.resolve("summary").toString()).count());

        // --overwrite replaces it; without it the existing output is refused (bad input)
        CliRun again = CliRun.of("eval", "--input", input.toString(), "--k", "1", "--by", "model",
                "--bootstrap", "10", "--overwrite", "--out", out.toString());
        assertEquals(0, again.code(), again.err());
        assertEquals(2, readSummaryCsv(out.resolve("summary.csv"), "model").size(), "replaced by the k=1 run");
    }

    @Test
    void preCountedAndPerSampleInputsGiveTheSameSummaryInEveryFormat() throws IOException {
        Path csv = tmp.resolve("samples/answers.csv");
        Map<String, List<Double>> data = writeRewardsCsv(csv, 2);
        // binary view of the same answers, per sample (JSON lines, Parquet) and pre-counted (CSV)
        List<String> json = new ArrayList<>();
        List<String> counts = new ArrayList<>(List.of("model,problem_id,n,c"));
        for (Map.Entry<String, List<Double>> e : data.entrySet()) {
            String[] mp = e.getKey().split("/");
            long c = 0;
            for (int i = 0; i < e.getValue().size(); i++) {
                boolean ok = e.getValue().get(i) >= 1;
                c += ok ? 1 : 0;
                json.add("{\"model\":\"" + mp[0] + "\",\"problem_id\":\"" + mp[1] + "\",\"sample_idx\":" + i
                        + ",\"correct\":" + ok + "}");
            }
            counts.add(mp[0] + "," + mp[1] + "," + e.getValue().size() + "," + c);
        }
        Path jsonl = Files.createDirectories(tmp.resolve("jsonl")).resolve("answers.jsonl");
        Files.write(jsonl, json);
        Path countsCsv = Files.createDirectories(tmp.resolve("counts")).resolve("counts.csv");
        Files.write(countsCsv, counts);
        Path parquet = tmp.resolve("parquet");
        spark.read().json(jsonl.toString()).repartition(3).write().parquet(parquet.toString());

        String[] common = {"--k", "1,3,5", "--by", "model", "--bootstrap", "100", "--seed", "9"};
        List<String> summaries = new ArrayList<>();
        for (String[] in : new String[][] {{jsonl.toString()}, {parquet.toString()},
                {countsCsv.toString(), "--format", "csv"}}) {
            Path out = tmp.resolve("out-" + summaries.size());
            List<String> args = new ArrayList<>(List.of("eval", "--input"));
            args.addAll(List.of(in));
            args.addAll(List.of(common));
            args.addAll(List.of("--out", out.toString()));
            CliRun run = CliRun.of(args.toArray(new String[0]));
            assertEquals(0, run.code(), run.err());
            summaries.add(Files.readString(out.resolve("summary.csv")));
        }
        assertSameNumbers(summaries.get(0), summaries.get(1), "JSON lines vs Parquet");
        assertSameNumbers(summaries.get(0), summaries.get(2), "per-sample vs pre-counted");
    }

    /** Same cells; numbers equal to 1e-12 (sums over problems may add up in another order). */
    static void assertSameNumbers(String a, String b, String what) {
        List<String> la = a.lines().toList();
        List<String> lb = b.lines().toList();
        assertEquals(la.size(), lb.size(), what);
        for (int i = 0; i < la.size(); i++) {
            String[] ca = la.get(i).split(",", -1);
            String[] cb = lb.get(i).split(",", -1);
            assertEquals(ca.length, cb.length, what);
            for (int j = 0; j < ca.length; j++) {
                if (i > 0 && j >= 4 && !ca[j].isEmpty()) {
                    assertEquals(Double.parseDouble(ca[j]), Double.parseDouble(cb[j]), 1e-12, what + " line " + i);
                } else {
                    assertEquals(ca[j], cb[j], what + " line " + i);
                }
            }
        }
    }

    @Test
    void problemsBelowKAreExcludedAndCountedAndStrictRefusesThem() throws IOException {
        Path csv = tmp.resolve("a.csv");
        Files.write(csv, List.of("problem_id,correct", "easy,true", "easy,true", "easy,false", "easy,true",
                "short,true", "short,false"));
        Path out = tmp.resolve("out");
        CliRun ok = CliRun.of("eval", "--input", csv.toString(), "--k", "1,3", "--bootstrap", "0",
                "--out", out.toString());
        assertEquals(0, ok.code(), ok.err());
        Map<String, Map<String, String>> s = readSummaryCsv(out.resolve("summary.csv"), "problems");
        List<String> lines = Files.readAllLines(out.resolve("summary.csv"));
        assertTrue(lines.get(1).startsWith("1,2,0,"), lines.toString());
        assertTrue(lines.get(2).startsWith("3,1,1,"), lines.toString());
        assertEquals(PassAtK.passAtK(4, 3, 3), Double.parseDouble(lines.get(2).split(",")[3]), 1e-15);
        assertFalse(s.isEmpty());

        Path strictOut = tmp.resolve("strict");
        CliRun strict = CliRun.of("eval", "--input", csv.toString(), "--k", "1,3", "--strict",
                "--out", strictOut.toString());
        assertEquals(2, strict.code());
        assertTrue(strict.err().contains("problem_id=short") && strict.err().contains("n=2")
                && strict.err().contains("k=3"), strict.err());
        assertFalse(Files.exists(strictOut));
    }

    @Test
    void exampleDataRunsWithTheReadmeCommand() {
        Path example = Path.of("../data/eval-example");
        CliRun run = CliRun.of("eval", "--input", example.toString(), "--k", "1,2,4,8,16", "--by", "model",
                "--bootstrap", "50", "--out", tmp.resolve("ex").toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("base") && run.out().contains("rl"), run.out());
    }
    @Test
    void humanEvalResultsAreReadNativelyAndAsAMappedTable() throws IOException {
        Path results = Path.of("../data/eval-humaneval/samples.jsonl_results.jsonl");
        CliRun inferred = CliRun.of("eval", "--input", results.toString(), "--k", "1,5,10", "--bootstrap", "20",
                "--out", tmp.resolve("h1").toString());
        assertEquals(0, inferred.code(), inferred.err());
        CliRun explicit = CliRun.of("eval", "--input", results.toString(), "--format", "humaneval", "--k", "1,5,10",
                "--bootstrap", "20", "--out", tmp.resolve("h2").toString());
        assertEquals(0, explicit.code(), explicit.err());
        // the text status through the general mapping: result == "passed"
        CliRun mapped = CliRun.of("eval", "--input", results.toString(), "--format", "jsonl", "--problem-col",
                "task_id", "--correct-col", "result", "--correct-value", "passed", "--k", "1,5,10", "--bootstrap",
                "20", "--out", tmp.resolve("h3").toString());
        assertEquals(0, mapped.code(), mapped.err());
        String a = Files.readString(tmp.resolve("h1/summary.csv"));
        assertEquals(a, Files.readString(tmp.resolve("h2/summary.csv")));
        assertSameNumbers(a, Files.readString(tmp.resolve("h3/summary.csv")), "result == passed vs passed");

        // pass@k from the file itself: per task n and c counted here
        Map<String, long[]> nc = new LinkedHashMap<>();
        for (String line : Files.readAllLines(results)) {
            String task = line.replaceAll(".*\"task_id\":\"([^\"]+)\".*", "$1");
            long[] v = nc.computeIfAbsent(task, t -> new long[2]);
            v[0]++;
            v[1] += line.contains("\"passed\":true") ? 1 : 0;
        }
        Map<String, Map<String, String>> sum = readSummaryCsv(tmp.resolve("h1/summary.csv"), "k");
        for (int k : new int[] {1, 5, 10}) {
            double mean = nc.values().stream().mapToDouble(v -> PassAtK.passAtK(v[0], v[1], k)).average().orElseThrow();
            assertEquals(mean, Double.parseDouble(sum.get(k + "/" + k).get("pass_at_k")), 1e-12, "k=" + k);
        }
        String runJson = Files.readString(tmp.resolve("h1/run.json"));
        assertTrue(runJson.contains("\"problem_id\" : \"task_id\"") && runJson.contains("\"correct\" : \"passed\""),
                runJson);
    }

    @Test
    void evalPlusResultsGiveOneGroupForBaseAndOneForPlusTests() throws IOException {
        CliRun run = CliRun.of("eval", "--input", "../data/eval-evalplus", "--k", "1,10", "--bootstrap", "20",
                "--out", tmp.resolve("ep").toString());
        assertEquals(0, run.code(), run.err());
        List<String> lines = Files.readAllLines(tmp.resolve("ep/summary.csv"));
        assertTrue(lines.get(0).startsWith("tests,k,problems,"), lines.get(0));
        assertEquals(5, lines.size(), "base and plus, k = 1 and 10: " + lines);
        double base1 = Double.parseDouble(lines.get(1).split(",")[4]);
        double plus1 = Double.parseDouble(lines.get(3).split(",")[4]);
        assertTrue(lines.get(1).startsWith("base,1,20,") && lines.get(3).startsWith("plus,1,20,"), lines.toString());
        assertTrue(plus1 < base1, "plus tests are stricter: " + lines);
        // the same numbers from the JSON counted here: base_status / plus_status == "pass"
        String doc = Files.readString(Path.of("../data/eval-evalplus/eval_results.json"));
        long base = doc.split("\"base_status\":\"pass\"", -1).length - 1;
        long plus = doc.split("\"plus_status\":\"pass\"", -1).length - 1;
        assertEquals(base / 200.0, base1, 1e-12);
        assertEquals(plus / 200.0, plus1, 1e-12);
    }

    @Test
    void generalMappingReadsAnyTable() throws IOException {
        Path in = tmp.resolve("t.csv");
        Files.write(in, List.of("qid,run,score,verdict", "a,0,1.0,ok", "a,1,0.0,bad", "b,0,1.0,ok", "b,1,1.0,ok"));
        CliRun run = CliRun.of("eval", "--input", in.toString(), "--problem-col", "qid", "--sample-col", "run",
                "--reward-col", "score", "--k", "1,2", "--bootstrap", "0", "--out", tmp.resolve("m").toString());
        assertEquals(0, run.code(), run.err());
        Map<String, Map<String, String>> sum = readSummaryCsv(tmp.resolve("m/summary.csv"), "k");
        assertEquals(0.75, Double.parseDouble(sum.get("1/1").get("pass_at_k")), 1e-12);
        assertEquals(1.0, Double.parseDouble(sum.get("2/2").get("pass_at_k")), 1e-12);
        // the mapped sample id is checked for duplicates like sample_id
        Files.write(in, List.of("qid,run,verdict", "a,0,ok", "a,0,bad"));
        CliRun dup = CliRun.of("eval", "--input", in.toString(), "--problem-col", "qid", "--sample-col", "run",
                "--correct-col", "verdict", "--correct-value", "ok", "--k", "1", "--out", tmp.resolve("d").toString());
        assertEquals(2, dup.code(), dup.err());
        assertTrue(dup.err().contains("column 'run': duplicate"), dup.err());
    }
}
