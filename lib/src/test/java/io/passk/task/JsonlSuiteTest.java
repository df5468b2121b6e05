package io.passk.task;

import io.passk.BadInputException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonlSuiteTest {

    private static final Path EXAMPLE = Path.of("..", "data", "jsonl-example");

    private static JsonlSuite numbers(int test, long seed) {
        return new JsonlSuite(EXAMPLE.resolve("numbers.jsonl").toString(), "problem", "solution",
                CustomTask.Verifier.NUMBER, null, null, test, seed);
    }

    private static List<Problem> read(JsonlSuite suite, String text) {
        return suite.parse(text);
    }

    private static JsonlSuite exact(String file) {
        return new JsonlSuite(file, "q", "a", CustomTask.Verifier.EXACT, null, null, 0, 0);
    }

    @Test
    void theShippedNumberExampleBecomesASuiteWhoseAnswersVerify() {
        List<Problem> rows = numbers(2, 1).read();
        assertEquals(6, rows.size());
        assertEquals(2, rows.stream().filter(p -> p.split().equals("test")).count());
        Task task = Tasks.byName("custom-number");
        for (Problem p : rows) {
            assertEquals("custom-number", p.task());
            assertEquals(GeneratedTask.problemId("custom-number", 0, p.prompt()), p.problemId());
            assertEquals(1.0, task.verify(p, p.solution()));
            assertEquals(1.0, task.verify(p, "Working it out... <answer>" + p.solution() + "</answer>"));
            assertEquals(1.0, task.verify(p, "\\boxed{" + p.solution() + (p.solution().contains(".") ? "0}" : ".0}")), "the same value");
            assertEquals(0.0, task.verify(p, "\\boxed{" + p.solution() + "1}"));
            assertEquals(1.0, Tasks.reward("custom-number", p.prompt(), p.solution(), "= " + p.solution()));
        }
        Problem speed = rows.stream().filter(p -> p.prompt().contains("train travels")).findFirst().orElseThrow();
        assertEquals("80", speed.solution(), "a JSON number answer keeps its text");
        assertEquals("line=2", speed.meta());
    }

    @Test
    void theShippedMazeExampleUsesTheGridInTheTextAndThePapersRules() {
        JsonlSuite suite = new JsonlSuite(EXAMPLE.resolve("mazes.jsonl").toString(), "question", "answer",
                CustomTask.Verifier.MAZE, null, "size", 2, 0);
        List<Problem> rows = suite.read();
        assertEquals(6, rows.size());
        assertEquals(Set.of(5, 7, 9), rows.stream().map(Problem::difficulty).collect(Collectors.toSet()));
        Task task = Tasks.byName("custom-maze");
        for (Problem p : rows) {
            assertTrue(p.problemId().startsWith("custom-maze-d" + p.difficulty() + "-"), p.problemId());
            assertEquals(1.0, task.verify(p, "<answer>" + p.solution().toLowerCase() + "</answer>"));
            assertEquals(1.0, task.verify(new Problem("", "custom-maze", "", 0, p.prompt(), "", ""), p.solution()),
                    "the maze verifier reads only the prompt");
            assertEquals(0.0, task.verify(p, p.solution() + p.solution().charAt(0)));
        }
    }

    @Test
    void idsAndSplitsDependOnContentAndSeedNotOnTheFilesOrder() throws IOException {
        List<String> lines = Files.readAllLines(EXAMPLE.resolve("numbers.jsonl"));
        List<Problem> original = numbers(3, 7).read();
        List<String> shuffled = new ArrayList<>(lines);
        Collections.reverse(shuffled);
        List<Problem> reordered = read(numbers(3, 7), String.join("\n", shuffled));
        Comparator<Problem> byId = Comparator.comparing(Problem::problemId);
        assertEquals(original.stream().sorted(byId).map(p -> p.problemId() + p.split()).toList(),
                reordered.stream().sorted(byId).map(p -> p.problemId() + p.split()).toList());
        Set<Set<String>> testSplits = new java.util.HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            testSplits.add(numbers(3, seed).read().stream().filter(p -> p.split().equals("test"))
                    .map(Problem::problemId).collect(Collectors.toSet()));
        }
        assertTrue(testSplits.size() > 1, "the seed draws the test split");
        assertEquals(original, numbers(3, 7).read(), "same file, same seed, same rows");
    }

    @Test
    void aSplitFieldDecidesEachRowsSplit() throws IOException {
        JsonlSuite suite = new JsonlSuite("f.jsonl", "q", "a", CustomTask.Verifier.EXACT, "part", null, 0, 0);
        List<Problem> rows = read(suite, """
                {"q": "capital of France?", "a": "Paris", "part": "test"}

                {"q": "capital of Italy?", "a": "Rome", "part": "train"}
                """);
        assertEquals(List.of("test", "train"), rows.stream().map(Problem::split).sorted().toList());
        Problem paris = rows.stream().filter(p -> p.solution().equals("Paris")).findFirst().orElseThrow();
        assertEquals(1.0, Tasks.byName("custom-exact").verify(paris, "It is <answer> Paris </answer>"));
        assertEquals(0.0, Tasks.byName("custom-exact").verify(paris, "<answer>paris</answer>"));
        assertThrows(BadInputException.class,
                () -> new JsonlSuite("f.jsonl", "q", "a", CustomTask.Verifier.EXACT, "part", null, 1, 0));
    }

    @Test
    void aNumericAnswerIsTheTextOfTheNumberItDenotes() {
        assertEquals("42", JsonlSuite.numberText("42"));
        assertEquals("0", JsonlSuite.numberText("-0"));
        assertEquals("123456789012345678901234567890", JsonlSuite.numberText("123456789012345678901234567890"));
        assertEquals("1.5", JsonlSuite.numberText("1.50"));
        assertEquals("1000.0", JsonlSuite.numberText("1e3"));
        assertEquals("-2.5E-7", JsonlSuite.numberText("-25e-8"));
    }

    @Test
    void onlyStrictJsonIsRead() {
        String ok = "{\"q\": \"one\", \"a\": \"1\"}\n";
        assertRefused(ok + "{\"q\": \"two\", \"a\": NaN}", "f.jsonl line 2: not a JSON object");
        assertRefused(ok + "{\"q\": two, \"a\": \"2\"}", "f.jsonl line 2: not a JSON object");
        assertRefused(ok + "{'q': \"two\", \"a\": \"2\"}", "f.jsonl line 2: not a JSON object");
        assertRefused(ok + "{\"q\": \"two\", \"a\": \"2\",}", "f.jsonl line 2: not a JSON object");
        assertRefused(ok + "{\"q\": \"two\", \"a\": \"2\"} // why", "f.jsonl line 2: not a JSON object");
    }

    @Test
    void badRowsAreRefusedWithTheirLineNumber() {
        String ok = "{\"q\": \"one\", \"a\": \"1\"}\n";
        assertRefused(ok + "{\"q\": \"two\", \"a\": \"2\"", "f.jsonl line 2: not a JSON object");
        assertRefused(ok + "[1, 2]", "f.jsonl line 2: not a JSON object");
        assertRefused(ok + "{\"q\": \"x\"} {}", "f.jsonl line 2: not a JSON object");
        assertRefused(ok + "\n{\"a\": \"2\"}", "f.jsonl line 3: no field 'q'");
        assertRefused(ok + "{\"q\": null, \"a\": \"2\"}", "f.jsonl line 2: no field 'q'");
        assertRefused(ok + "{\"q\": 5, \"a\": \"2\"}", "f.jsonl line 2: field 'q' is number, expected a string");
        assertRefused(ok + "{\"q\": \"\", \"a\": \"2\"}", "f.jsonl line 2: field 'q' is empty");
        assertRefused(ok + "{\"q\": \" \\t \", \"a\": \"2\"}", "f.jsonl line 2: field 'q' is empty (only white space)");
        assertRefused(ok + "{\"q\": \"two\", \"a\": [2]}", "f.jsonl line 2: field 'a' is array");
        assertRefused(ok + "{\"q\": \"two\", \"a\": \"  \"}", "f.jsonl line 2: the answer is empty");
        assertRefused(ok + ok, "f.jsonl line 2: the same prompt as line 1");
        assertRefused("\n  \n", "f.jsonl: no problems");
        BadInputException tooMany = assertThrows(BadInputException.class,
                () -> read(new JsonlSuite("f.jsonl", "q", "a", CustomTask.Verifier.EXACT, null, null, 2, 0), ok));
        assertTrue(tooMany.getMessage().contains("2 test problems asked for, the file has 1"), tooMany.getMessage());
        JsonlSuite number = new JsonlSuite("n.jsonl", "q", "a", CustomTask.Verifier.NUMBER, null, "d", 0, 0);
        assertRefusedBy(number, "{\"q\": \"x\", \"a\": \"forty\", \"d\": 1}", "n.jsonl line 1: the answer 'forty' is not a decimal number");
        assertRefusedBy(number, "{\"q\": \"x\", \"a\": 4, \"d\": -1}", "n.jsonl line 1: field 'd' must be an integer >= 0");
        assertRefusedBy(number, "{\"q\": \"x\", \"a\": 4, \"d\": 1.5}", "n.jsonl line 1: field 'd' must be an integer >= 0");
        assertRefusedBy(number, "{\"q\": \"x\", \"a\": 4}", "n.jsonl line 1: no field 'd'");
        JsonlSuite maze = new JsonlSuite("m.jsonl", "q", "a", CustomTask.Verifier.MAZE, null, null, 0, 0);
        assertRefusedBy(maze, "{\"q\": \"no maze here\", \"a\": \"R\"}", "m.jsonl line 1: the prompt holds no maze");
        assertRefusedBy(maze, "{\"q\": \"****\\n*SE*\\n****\", \"a\": \"L\"}",
                "m.jsonl line 1: the answer does not solve the prompt's maze");
        JsonlSuite split = new JsonlSuite("s.jsonl", "q", "a", CustomTask.Verifier.EXACT, "split", null, 0, 0);
        assertRefusedBy(split, "{\"q\": \"x\", \"a\": \"y\", \"split\": \"dev\"}",
                "s.jsonl line 1: field 'split' must be \"train\" or \"test\", got \"dev\"");
        BadInputException missing = assertThrows(BadInputException.class,
                () -> exact("/nonexistent/f.jsonl").read());
        assertEquals("/nonexistent/f.jsonl: no such file", missing.getMessage());
    }

    @Test
    void nonUtf8TextIsRefusedWithItsLine(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("latin1.jsonl");
        byte[] good = "{\"q\": \"a\", \"a\": \"b\"}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bad = {'{', '"', 'q', '"', ':', '"', (byte) 0xe9, '"', '}', '\n'};
        Files.write(f, good);
        Files.write(f, bad, java.nio.file.StandardOpenOption.APPEND);
        BadInputException e = assertThrows(BadInputException.class, () -> exact(f.toString()).read());
        assertTrue(e.getMessage().startsWith(f + " line 2: not UTF-8"), e.getMessage());
    }

    @Test
    void customTasksCannotBeGeneratedAndMazeGridsAreFoundInText() {
        assertThrows(BadInputException.class, () -> Tasks.byName("custom-exact").generate(1, 0, 1, "train"));
        BadInputException e = assertThrows(BadInputException.class,
                () -> new TaskSuiteSpec("custom-number", 1, List.of(0), 5, 1));
        assertTrue(e.getMessage().contains("has no generator") && e.getMessage().contains("--from-jsonl"), e.getMessage());
        assertTrue(CustomTask.grid("Solve:\n  *****\n  *S.E*\n  *****\nGo.").isPresent(), "indented grid");
        assertTrue(CustomTask.grid("#####\n#S.E#\n#####").isPresent(), "# walls too");
        assertTrue(CustomTask.grid("*#***\n*S.E*\n*****").isEmpty(), "not both wall characters");
        assertTrue(CustomTask.grid("*****\n*S.S*\n*****").isEmpty());
        assertNotEquals(CustomTask.parseNumber("1.5"), CustomTask.parseNumber("15"));
        assertTrue(CustomTask.parseNumber("1.").isEmpty() && CustomTask.parseNumber(".5").isEmpty()
                && CustomTask.parseNumber("1e5").isEmpty() && CustomTask.parseNumber("-").isEmpty());
    }

    private static void assertRefused(String text, String start) {
        assertRefusedBy(exact("f.jsonl"), text, start);
    }

    private static void assertRefusedBy(JsonlSuite suite, String text, String start) {
        BadInputException e = assertThrows(BadInputException.class, () -> read(suite, text), text);
        assertTrue(e.getMessage().startsWith(start), "'" + e.getMessage() + "' should start with '" + start + "'");
    }
}
