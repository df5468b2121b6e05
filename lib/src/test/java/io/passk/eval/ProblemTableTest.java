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
        List<Row> wide = ProblemPass.perProblem(problems, List.of("model"), ks, true, null).collectAsList();

        Map<String, List<Double>> rewards = new HashMap<>();
        for (Row r : rows) {
            rewards.computeIfAbsent(r.getString(0) + "/" + r.getString(1), x -> new ArrayList<>()).add(r.getDouble(3));
        }
        assertEquals(rewards.size(), wide.size(), "one row per problem");
        int expectedEstimates = 0;
        for (List<Double> l : rewards.values()) {
            for (int k : ks) {
                expectedEstimates += l.size() >= k ? 1 : 0;
            }
        }
        int estimates = 0;
        for (Row r : wide) {
            List<Double> l = rewards.get(r.getString(0) + "/" + r.getString(1));
            long n = l.size();
            long c = l.stream().filter(x -> x >= 1.0).count();
            double[] d = l.stream().mapToDouble(Double::doubleValue).toArray();
            assertEquals(n, r.getLong(r.fieldIndex("n")));
            assertEquals(c, r.getLong(r.fieldIndex("c")));
            for (int k : ks) {
                int pa = r.fieldIndex(ProblemPass.passAt(k));
                int ph = r.fieldIndex(ProblemPass.passHat(k));
                int ma = r.fieldIndex(ProblemPass.maxAt(k));
                if (n < k) {
                    assertTrue(r.isNullAt(pa) && r.isNullAt(ph) && r.isNullAt(ma), "n < k: no estimate");
                    continue;
                }
                estimates++;
                assertEquals(PassAtK.passAtK(n, c, k), r.getDouble(pa), 1e-12);
                assertEquals(PassAtK.passHatK(n, c, k), r.getDouble(ph), 1e-12);
                assertEquals(PassAtK.maxAtK(d, k), r.getDouble(ma), 1e-12);
            }
        }
        assertEquals(expectedEstimates, estimates, "one estimate per problem and k with n >= k");
    }

    @Test
    void perProblemOutputKeepsItsColumnsTypesAndKOrder() {
        List<Row> rows = EvalTestData.rows(13, 6, 1, 9);
        Answers a = AnswerReader.type(EvalTestData.frame(spark, rows).drop("reward"), "random", InputFormat.PARQUET,
                List.of("model"));
        int[] ks = {4, 1, 2};
        Dataset<Row> wide = ProblemPass.perProblem(ProblemTable.aggregate(a), List.of("model"), ks, false, null);
        StructType s = wide.schema();
        assertEquals(List.of("model", "problem_id", "n", "c", "pass_at_4", "pass_at_1", "pass_at_2",
                "pass_hat_4", "pass_hat_1", "pass_hat_2", "max_at_4", "max_at_1", "max_at_2"),
                List.of(s.fieldNames()));
        assertEquals(DataTypes.StringType, s.apply("problem_id").dataType());
        assertEquals(DataTypes.LongType, s.apply("n").dataType());
        assertEquals(DataTypes.LongType, s.apply("c").dataType());
        for (int i = 4; i < s.fields().length; i++) {
            assertEquals(DataTypes.DoubleType, s.fields()[i].dataType(), s.fields()[i].name());
        }
        // an estimate is present exactly when n >= k
        int problems = 0;
        for (Row r : wide.collectAsList()) {
            problems++;
            long n = r.getLong(2);
            for (int k : ks) {
                assertEquals(n < k, r.isNullAt(r.fieldIndex(ProblemPass.passAt(k))), "n=" + n + " k=" + k);
            }
        }
        assertEquals(ProblemTable.aggregate(a).count(), problems, "one row per problem");
    }

    @Test
    void binaryInputHasMaxAtKEqualToPassAtK() {
        List<Row> rows = EvalTestData.rows(12, 15, 4, 12);
        Answers a = AnswerReader.type(EvalTestData.frame(spark, rows).drop("reward"), "random", InputFormat.PARQUET,
                List.of("model"));
        assertEquals(Answers.Kind.BINARY, a.kind());
        for (Row r : ProblemPass.perProblem(ProblemTable.aggregate(a), List.of("model"), new int[] {1, 4}, false, null)
                .collectAsList()) {
            for (int k : new int[] {1, 4}) {
                int pa = r.fieldIndex(ProblemPass.passAt(k));
                if (r.isNullAt(pa)) {
                    continue;
                }
                assertEquals(r.getDouble(pa), r.getDouble(r.fieldIndex(ProblemPass.maxAt(k))), 0.0);
                assertTrue(r.getDouble(r.fieldIndex(ProblemPass.passHat(k))) <= r.getDouble(pa) + 1e-12,
                        "pass^k <= pass@k");
            }
        }
    }

    @Test
    void sampleIdFingerprintProvesContiguousIdsAndFlagsADuplicate() {
        List<Row> rows = new ArrayList<>(EvalTestData.rows(13, 20, 2, 40)); // sample_idx 0..n-1
        Answers ok = AnswerReader.type(EvalTestData.frame(spark, rows), "t", InputFormat.PARQUET, List.of("model"));
        Dataset<Row> p = ProblemTable.aggregate(ok);
        org.apache.spark.sql.Column verified = ProblemTable.IDS_CONTIGUOUS.apply(
                org.apache.spark.sql.functions.col(ProblemTable.N), org.apache.spark.sql.functions.col(ProblemTable.SID_MIN),
                org.apache.spark.sql.functions.col(ProblemTable.SID_XOR));
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

    @Test
    void correctCountAndBadRowsShareOneSumWithoutMixingUp() {
        List<Row> rows = List.of(
                // p1: 5 good rows, 3 correct
                org.apache.spark.sql.RowFactory.create("m", "p1", 0, 1.0, true),
                org.apache.spark.sql.RowFactory.create("m", "p1", 1, 0.0, false),
                org.apache.spark.sql.RowFactory.create("m", "p1", 2, 1.0, true),
                org.apache.spark.sql.RowFactory.create("m", "p1", 3, 1.0, true),
                org.apache.spark.sql.RowFactory.create("m", "p1", 4, 0.0, false),
                // p2: 2 correct, 1 wrong, then a null correct and a null sample id: 2 bad rows
                org.apache.spark.sql.RowFactory.create("m", "p2", 0, 1.0, true),
                org.apache.spark.sql.RowFactory.create("m", "p2", 1, 1.0, true),
                org.apache.spark.sql.RowFactory.create("m", "p2", 2, 0.0, false),
                org.apache.spark.sql.RowFactory.create("m", "p2", 3, 0.0, null),
                org.apache.spark.sql.RowFactory.create("m", "p2", null, 1.0, true));
        Answers a = AnswerReader.type(EvalTestData.frame(spark, rows).drop("reward"), "t", InputFormat.PARQUET,
                List.of("model"));
        Map<String, Row> byId = new HashMap<>();
        for (Row r : ProblemTable.aggregate(a).collectAsList()) {
            byId.put(r.getString(r.fieldIndex("problem_id")), r);
        }
        Row p1 = byId.get("p1");
        assertEquals(5L, p1.getLong(p1.fieldIndex(ProblemTable.N)));
        assertEquals(3L, p1.getLong(p1.fieldIndex(ProblemTable.C)));
        assertEquals(0L, p1.getLong(p1.fieldIndex(ProblemTable.BAD_ROWS)));
        Row p2 = byId.get("p2");
        assertEquals(5L, p2.getLong(p2.fieldIndex(ProblemTable.N)));
        assertEquals(2L, p2.getLong(p2.fieldIndex(ProblemTable.C)), "bad rows add nothing to c");
        assertEquals(2L, p2.getLong(p2.fieldIndex(ProblemTable.BAD_ROWS)));
    }
}
