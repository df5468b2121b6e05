package io.passk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.passk.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per kind of bad input: exit 2, one message naming file, column and value, no output. */
class EvalBadInputTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void spark() {
        SharedSpark.get();
    }

    private Path write(String name, String... lines) throws IOException {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, List.of(lines));
        return p;
    }

    /** Runs eval on {@code input} and asserts the bad-input contract; returns the message. */
    private String refused(Path input, String... extra) throws IOException {
        Path out = tmp.resolve("out");
        List<String> args = new ArrayList<>(List.of("eval", "--input", input.toString(), "--k", "1,2",
                "--bootstrap", "20", "--out", out.toString()));
        args.addAll(List.of(extra));
        CliRun run = CliRun.of(args.toArray(new String[0]));
        assertEquals(2, run.code(), "exit code; stderr: " + run.err());
        // the eval's progress lines ("eval: [1/4] ...") may precede the message
        List<String> lines = run.err().lines().filter(l -> !l.startsWith("eval: ")).toList();
        String msg = String.join("\n", lines).trim();
        assertEquals(1, lines.size(), "one line besides progress: " + run.err());
        assertTrue(msg.startsWith("passk eval: "), msg);
        assertTrue(msg.contains(input.toString()), "names the input: " + msg);
        assertFalse(Files.exists(out), "no output dir");
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".out")).toList(),
                    "no temp dir left");
        }
        return msg;
    }

    private static void mentions(String msg, String... parts) {
        for (String p : parts) {
            assertTrue(msg.contains(p), "'" + p + "' in: " + msg);
        }
    }

    @Test
    void missingLabelColumnIsRefused() throws IOException {
        Path in = write("a.csv", "problem_id,sample_id,score", "p1,0,1");
        mentions(refused(in), "missing column", "correct", "reward", "score");
    }

    @Test
    void missingGroupingColumnIsRefused() throws IOException {
        Path in = write("a.csv", "problem_id,correct", "p1,true");
        mentions(refused(in, "--by", "model"), "missing column 'model'");
    }

    @Test
    void wrongTypeIsRefusedWithAnExampleValue() throws IOException {
        Path in = write("a.jsonl", "{\"problem_id\":\"p1\",\"correct\":\"yes\"}", "{\"problem_id\":\"p2\",\"correct\":true}");
        mentions(refused(in), "column 'correct'", "type string", "expected boolean", "'yes'");
    }

    @Test
    void unparsableBooleanInCsvIsRefused() throws IOException {
        Path in = write("a.csv", "problem_id,correct", "p1,true", "p1,maybe");
        mentions(refused(in), "column 'correct'", "'maybe'", "problem_id=p1", "a.csv");
    }

    @Test
    void nullProblemIdIsRefused() throws IOException {
        Path in = write("a.jsonl", "{\"problem_id\":\"p1\",\"correct\":true}", "{\"problem_id\":null,\"correct\":false}");
        mentions(refused(in), "column 'problem_id'", "1 row(s) null", "'null'", "a.jsonl");
    }

    @Test
    void nanRewardIsRefused() throws IOException {
        Path in = write("a.csv", "problem_id,reward", "p1,0.5", "p2,NaN", "p2,1");
        mentions(refused(in), "column 'reward'", "'NaN'", "problem_id=p2", "a.csv");
    }

    @Test
    void outOfRangeRewardIsRefused() throws IOException {
        Path in = write("a.csv", "problem_id,reward", "p1,0.5", "p3,1.5");
        mentions(refused(in), "column 'reward'", "'1.5'", "problem_id=p3");
    }

    @Test
    void nonNumericRewardIsRefused() throws IOException {
        Path in = write("a.csv", "problem_id,reward", "p1,0.5", "p4,high");
        mentions(refused(in), "column 'reward'", "'high'", "problem_id=p4");
    }

    @Test
    void preCountedCAboveNIsRefused() throws IOException {
        Path in = write("a.csv", "problem_id,n,c", "p1,4,2", "p2,3,5");
        mentions(refused(in), "column 'c'", "'5 (n=3)'", "problem_id=p2");
    }

    @Test
    void preCountedNonIntegerNIsRefused() throws IOException {
        Path in = write("a.csv", "problem_id,n,c", "p1,4,2", "p2,3.5,1");
        mentions(refused(in), "column 'n'", "'3.5'", "problem_id=p2");
    }

    @Test
    void duplicateIntegerSampleIdIsRefused() throws IOException {
        Path in = write("a.csv", "problem_id,sample_idx,correct", "p1,0,true", "p1,1,false", "p2,0,true", "p2,1,true",
                "p2,1,false");
        // CSV ids are text: make them integers via Parquet so the fingerprint path is taken too
        Path parquet = tmp.resolve("pq");
        SharedSpark.get().read().option("header", true).option("inferSchema", true).csv(in.toString())
                .write().parquet(parquet.toString());
        mentions(refused(parquet), "column 'sample_idx'", "duplicate", "problem_id=p2", "sample_idx=1", "2 times");
    }

    @Test
    void duplicateTextSampleIdIsRefused() throws IOException {
        Path in = write("a.csv", "problem_id,sample_id,correct", "p1,s-a,true", "p1,s-b,false", "p1,s-a,true");
        mentions(refused(in), "column 'sample_id'", "duplicate", "problem_id=p1", "sample_id=s-a", "a.csv");
    }

    @Test
    void emptyInputIsRefused() throws IOException {
        Path in = write("a.csv", "problem_id,correct");
        mentions(refused(in), "empty");
    }

    @Test
    void emptyFileIsRefused() throws IOException {
        Path in = tmp.resolve("empty.jsonl");
        Files.write(in, new byte[0]);
        mentions(refused(in), "empty");
    }

    @Test
    void corruptParquetIsRefused() throws IOException {
        Path in = tmp.resolve("bad.parquet");
        Files.write(in, "this is not parquet at all, just text".getBytes());
        mentions(refused(in), "unreadable or corrupt", "bad.parquet");
    }

    @Test
    void malformedJsonLineIsRefused() throws IOException {
        Path in = write("a.jsonl", "{\"problem_id\":\"p1\",\"correct\":true}", "{\"problem_id\": \"p2\", corr");
        mentions(refused(in), "unreadable or corrupt", "jsonl");
    }

    @Test
    void missingInputIsRefused() throws IOException {
        mentions(refused(tmp.resolve("nowhere.csv")), "does not exist");
    }

    @Test
    void existingOutputIsRefusedWithoutOverwriteAndLeftAlone() throws IOException {
        Path in = write("a.csv", "problem_id,correct", "p1,true");
        Path out = Files.createDirectories(tmp.resolve("taken"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        CliRun run = CliRun.of("eval", "--input", in.toString(), "--k", "1", "--out", out.toString());
        assertEquals(2, run.code());
        mentions(run.err(), "output " + out, "already exists", "--overwrite");
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(out.resolve("keep.txt")), s.toList());
        }
    }

    @Test
    void humanEvalPassedThatIsNotBooleanIsRefusedNamingTheColumn() throws IOException {
        Path in = write("r.jsonl", "{\"task_id\":\"HumanEval/0\",\"result\":\"passed\",\"passed\":\"yes\"}");
        mentions(refused(in, "--format", "humaneval"), "column 'passed'", "type string", "expected boolean", "'yes'");
    }

    @Test
    void humanEvalWithoutTaskIdIsRefused() throws IOException {
        Path in = write("r.jsonl", "{\"task\":\"HumanEval/0\",\"passed\":true}");
        mentions(refused(in), "missing column 'problem_id'", "task", "passed");
    }

    @Test
    void malformedEvalPlusFileIsRefused() throws IOException {
        Path in = write("ep/eval_results.json", "{\"eval\": {\"HumanEval/0\": [{\"base_status\": \"pass\"");
        mentions(refused(in), "(evalplus)", "the JSON ends early");
    }

    @Test
    void evalPlusFileWithoutEvalIsRefused() throws IOException {
        Path in = write("ep/eval_results.json", "{\"date\": \"2026\", \"results\": {}}");
        mentions(refused(in), "(evalplus)", "no 'eval' key");
    }

    @Test
    void evalPlusNullStatusIsRefusedNamingTheTask() throws IOException {
        Path in = write("ep/eval_results.json", "{\"eval\": {\"HumanEval/3\": [{\"base_status\": \"pass\", "
                + "\"plus_status\": \"fail\"}, {\"base_status\": null, \"plus_status\": \"fail\"}]}}");
        mentions(refused(in), "base_status/plus_status", "null", "problem_id=HumanEval/3");
    }

    @Test
    void mappedColumnThatIsMissingIsRefused() throws IOException {
        Path in = write("a.csv", "qid,ok", "p1,true");
        mentions(refused(in, "--problem-col", "question", "--correct-col", "ok"), "--problem-col question",
                "missing column 'question'", "qid, ok");
    }

    @Test
    void mappedColumnClashingWithAStandardOneIsRefused() throws IOException {
        Path in = write("a.csv", "problem_id,qid,correct", "p1,q1,true");
        mentions(refused(in, "--problem-col", "qid"), "--problem-col qid", "also has a column 'problem_id'");
    }

    @Test
    void textStatusWithoutCorrectValueIsRefusedNamingTheInputColumn() throws IOException {
        Path in = write("a.jsonl", "{\"qid\":\"p1\",\"status\":\"passed\"}");
        mentions(refused(in, "--problem-col", "qid", "--correct-col", "status"), "column 'status'", "type string",
                "'passed'");
    }

    @Test
    void nullTextStatusIsRefusedWithCorrectValue() throws IOException {
        Path in = write("a.jsonl", "{\"qid\":\"p1\",\"status\":\"passed\"}", "{\"qid\":\"p2\",\"status\":null}");
        mentions(refused(in, "--problem-col", "qid", "--correct-col", "status", "--correct-value", "passed"),
                "column 'status'", "null", "problem_id=p2");
    }

    @Test
    void correctValueWithoutCorrectColIsAUsageError() {
        CliRun run = CliRun.of("eval", "--input", "x.csv", "--k", "1", "--correct-value", "passed",
                "--out", tmp.resolve("o").toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--correct-value needs --correct-col"), run.err());
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertEquals(2, CliRun.of("eval", "--input", "x.csv", "--k", "0", "--out", tmp.resolve("o").toString()).code());
        assertEquals(2, CliRun.of("eval", "--input", "x.csv", "--k", "a", "--out", tmp.resolve("o").toString()).code());
        assertEquals(2, CliRun.of("eval", "--k", "1", "--out", tmp.resolve("o").toString()).code());
        assertEquals(2, CliRun.of("eval", "--input", "x.csv", "--k", "1", "--format", "xml",
                "--out", tmp.resolve("o").toString()).code());
    }
}
