package io.passk.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.passk.estimate.PassAtK;
import io.passk.testing.SharedSpark;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class ProblemTableTest {

    private final SparkSession spark = SharedSpark.get();

    @Test
    void sparkPerProblemEstimatesEqualPlainJavaPassAtKOnRandomData() {
        List<Row> rows = EvalTestData.rows(11, 40, 1, 30);
        int[] ks = {1, 2, 3, 5, 8, 16};
        Answers a = AnswerReader.type(EvalTestData.frame(spark, rows).drop("correct"), "random", InputFormat.PARQUET,
                List.of("model"));
        assertEquals(Answers.Kind.REWARD, a.kind());
        Dataset<Row> problems = ProblemTable.aggregate(a);
        List<Row> perK = ProblemTable.perK(problems, List.of("model"), ks, true).collectAsList();

        Map<String, List<Double>> rewards = new HashMap<>();
        for (Row r : rows) {
            rewards.computeIfAbsent(r.getString(0) + "/" + r.getString(1), x -> new ArrayList<>()).add(r.getDouble(3));
        }
        int expectedRows = 0;
        for (List<Double> l : rewards.values()) {
            for (int k : ks) {
                expectedRows += l.size() >= k ? 1 : 0;
            }
        }
        assertEquals(expectedRows, perK.size(), "one row per problem and k with n >= k");
        for (Row r : perK) {
            List<Double> l = rewards.get(r.getString(0) + "/" + r.getString(1));
            int k = r.getInt(2);
            long n = l.size();
            long c = l.stream().filter(x -> x >= 1.0).count();
            double[] d = l.stream().mapToDouble(Double::doubleValue).toArray();
            assertEquals(n, r.getLong(3));
            assertEquals(c, r.getLong(4));
            assertEquals(PassAtK.passAtK(n, c, k), r.getDouble(5), 1e-12);
            assertEquals(PassAtK.passHatK(n, c, k), r.getDouble(6), 1e-12);
            assertEquals(PassAtK.maxAtK(d, k), r.getDouble(7), 1e-12);
        }
    }

    @Test
    void binaryInputHasMaxAtKEqualToPassAtK() {
        List<Row> rows = EvalTestData.rows(12, 15, 4, 12);
        Answers a = AnswerReader.type(EvalTestData.frame(spark, rows).drop("reward"), "random", InputFormat.PARQUET,
                List.of("model"));
        assertEquals(Answers.Kind.BINARY, a.kind());
        for (Row r : ProblemTable.perK(ProblemTable.aggregate(a), List.of("model"), new int[] {1, 4}, false)
                .collectAsList()) {
            assertEquals(r.getDouble(5), r.getDouble(7), 0.0);
            assertTrue(r.getDouble(6) <= r.getDouble(5) + 1e-12, "pass^k <= pass@k");
        }
    }
}
