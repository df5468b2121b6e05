package io.passk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.passk.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class SyntheticAnswersTest {

    @Test
    void committedExampleIsExactlyTheGeneratorsOutput() throws IOException {
        Path csv = exampleCsv();
        List<String> committed = Files.readAllLines(csv);
        assertEquals(SyntheticAnswers.exampleCsvLines(), committed,
                "data/eval-example/answers.csv differs from the generator: regenerate with "
                        + "bin/passk synth-answers --out data/eval-example/answers.csv");
        assertTrue(committed.size() > 2000 && committed.size() < 10000);
    }

    @Test
    void committedHarnessExamplesAreExactlyTheGeneratorsOutput() throws IOException {
        Path data = exampleCsv().getParent().getParent();
        assertEquals(SyntheticAnswers.humanEvalLines(),
                Files.readAllLines(data.resolve("eval-humaneval/samples.jsonl_results.jsonl")),
                "regenerate with bin/passk synth-answers --format humaneval "
                        + "--out data/eval-humaneval/samples.jsonl_results.jsonl");
        assertEquals(SyntheticAnswers.evalPlusJson(), Files.readString(data.resolve("eval-evalplus/eval_results.json")),
                "regenerate with bin/passk synth-answers --format evalplus --out data/eval-evalplus/eval_results.json");
        assertEquals(SyntheticAnswers.HARNESS_TASKS * SyntheticAnswers.HARNESS_SAMPLES,
                SyntheticAnswers.humanEvalLines().size());
    }

    @Test
    void benchmarkDataIsDeterministicWithTheRequestedShape() {
        List<Row> a = SyntheticAnswers.benchmark(SharedSpark.get(), 1000, 30, 5).collectAsList();
        List<Row> b = SyntheticAnswers.benchmark(SharedSpark.get(), 1000, 30, 5).repartition(3)
                .orderBy("problem_id", "sample_idx").collectAsList();
        assertEquals(1000, a.size());
        assertEquals(a, b);
        assertEquals(30, a.stream().map(r -> r.getString(0)).distinct().count());
        long correct = a.stream().filter(r -> r.getBoolean(2)).count();
        assertTrue(correct > 50 && correct < 950, "a mix of right and wrong: " + correct);
    }

    static Path exampleCsv() {
        for (Path p : List.of(Path.of("data/eval-example/answers.csv"), Path.of("../data/eval-example/answers.csv"))) {
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new IllegalStateException("data/eval-example/answers.csv not found from " + Path.of("").toAbsolutePath());
    }
}
