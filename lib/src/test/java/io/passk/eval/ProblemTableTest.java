package io.passk.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
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
    void perProblemOutputKeepsItsColumnsTypesAndKOrder() {
        List<Row> rows = EvalTestData.rows(13, 6, 1, 9);
        Answers a = AnswerReader.type(EvalTestData.frame(spark, rows).drop("reward"), "random", InputFormat.PARQUET,
                List.of("model"));
        int[] ks = {4, 1, 2};
        Dataset<Row> perK = ProblemTable.perK(ProblemTable.aggregate(a), List.of("model"), ks, false);
        StructType s = perK.schema();
        assertEquals(List.of("model", "problem_id", "k", "n", "c", "pass_at_k", "pass_hat_k", "max_at_k"),
                List.of(s.fieldNames()));
        assertEquals(DataTypes.IntegerType, s.apply("k").dataType());
        assertFalse(s.apply("k").nullable(), "k is never null");
        assertEquals(DataTypes.LongType, s.apply("n").dataType());
        assertEquals(DataTypes.LongType, s.apply("c").dataType());
        for (String m : List.of("pass_at_k", "pass_hat_k", "max_at_k")) {
            assertEquals(DataTypes.DoubleType, s.apply(m).dataType(), m);
        }
        // within a problem the rows follow the order of the k list, skipping k > n
        Map<String, List<Integer>> kOrder = new HashMap<>();
        Map<String, Long> nOf = new HashMap<>();
        for (Row r : perK.collectAsList()) {
            String key = r.getString(0) + "/" + r.getString(1);
            kOrder.computeIfAbsent(key, x -> new ArrayList<>()).add(r.getInt(2));
            nOf.put(key, r.getLong(3));
        }
        for (Map.Entry<String, List<Integer>> e : kOrder.entrySet()) {
            List<Integer> expected = new ArrayList<>();
            for (int k : ks) {
                if (nOf.get(e.getKey()) >= k) {
                    expected.add(k);
                }
            }
            assertEquals(expected, e.getValue(), e.getKey());
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

    @Test
    void sampleIdFingerprintProvesContiguousIdsAndFlagsADuplicate() {
        List<Row> rows = new ArrayList<>(EvalTestData.rows(13, 20, 2, 40)); // sample_idx 0..n-1
        Answers ok = AnswerReader.type(EvalTestData.frame(spark, rows), "t", InputFormat.PARQUET, List.of("model"));
        Dataset<Row> p = ProblemTable.aggregate(ok);
        org.apache.spark.sql.Column verified = ProblemTable.IDS_CONTIGUOUS.apply(
                org.apache.spark.sql.functions.col(ProblemTable.N), org.apache.spark.sql.functions.col(ProblemTable.SID_MIN),
                org.apache.spark.sql.functions.col(ProblemTable.SID_MAX), org.apache.spark.sql.functions.col(ProblemTable.SID_XOR));
        assertEquals(40, p.where(verified).count(), "every problem's 0..n-1 ids verified without the exact check");

        // one duplicate: the first problem's sample 1 relabelled 0 (id 0 twice, id 1 missing)
        Row first = rows.get(0);
        Row second = rows.get(1);
        rows.set(1, org.apache.spark.sql.RowFactory.create(second.get(0), second.get(1), 0, second.get(3), second.get(4)));
        Answers bad = AnswerReader.type(EvalTestData.frame(spark, rows), "t", InputFormat.PARQUET, List.of("model"));
        List<Row> unverified = ProblemTable.aggregate(bad).where(org.apache.spark.sql.functions.not(verified))
                .select("model", "problem_id").collectAsList();
        assertEquals(1, unverified.size());
        assertEquals(first.getString(0), unverified.get(0).getString(0));
        assertEquals(first.getString(1), unverified.get(0).getString(1));
    }
}
