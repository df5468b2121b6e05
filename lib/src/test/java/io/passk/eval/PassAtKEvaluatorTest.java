package io.passk.eval;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.passk.BadInputException;
import io.passk.estimate.PassAtK;
import io.passk.testing.SharedSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassAtKEvaluatorTest {

    private final SparkSession spark = SharedSpark.get();

    /** Plain-Java mean over problems (of model a) with n >= k. */
    private static double expected(List<Row> rows, int k, String metric) {
        Map<String, List<Double>> byProblem = new HashMap<>();
        for (Row r : rows) {
            if (r.getString(0).equals("a")) {
                byProblem.computeIfAbsent(r.getString(1), x -> new ArrayList<>()).add(r.getDouble(3));
            }
        }
        double sum = 0;
        int count = 0;
        for (List<Double> l : byProblem.values()) {
            if (l.size() < k) {
                continue;
            }
            long c = l.stream().filter(x -> x >= 1).count();
            double[] d = l.stream().mapToDouble(Double::doubleValue).toArray();
            sum += switch (metric) {
                case "passHatK" -> PassAtK.passHatK(l.size(), c, k);
                case "maxAtK" -> PassAtK.maxAtK(d, k);
                default -> PassAtK.passAtK(l.size(), c, k);
            };
            count++;
        }
        return sum / count;
    }

    @Test
    void evaluatorReturnsTheMeanOverProblemsForBooleanAndRewardLabels() {
        List<Row> rows = EvalTestData.rows(31, 30, 2, 12);
        Dataset<Row> a = EvalTestData.frame(spark, rows).where(col("model").equalTo("a")).cache();
        int k = 3; // n in [2, 12]: some problems are left out
        for (String metric : PassAtKEvaluator.METRICS) {
            PassAtKEvaluator ev = new PassAtKEvaluator().setK(k).setMetricName(metric);
            double rewardBased = ev.setLabelCol("reward").evaluate(a);
            assertEquals(expected(rows, k, metric), rewardBased, 1e-12, metric + " k=" + k);
        }
        // boolean labels (the default labelCol "correct"); for them max@k is pass@k
        assertEquals(expected(rows, 1, "passAtK"), new PassAtKEvaluator().evaluate(a), 1e-12);
        assertEquals(expected(rows, k, "passAtK"), new PassAtKEvaluator().setK(k).setMetricName("maxAtK").evaluate(a),
                1e-12);
        PassAtKEvaluator ev = new PassAtKEvaluator();
        assertTrue(ev.isLargerBetter());
        assertEquals("problem_id", ev.getGroupCol());
        assertEquals("correct", ev.getLabelCol());
        assertEquals(1, ev.getK());
        PassAtKEvaluator copy = ev.copy(new ParamMap().put(ev.k().w(4)));
        assertEquals(4, copy.getK());
        assertEquals(ev.uid(), copy.uid());
    }

    @Test
    void evaluatorRejectsMissingOrMistypedColumnsAndAllProblemsBelowKAsBadInput() {
        Dataset<Row> a = EvalTestData.frame(spark, EvalTestData.rows(32, 5, 2, 3));
        BadInputException missing = assertThrows(BadInputException.class,
                () -> new PassAtKEvaluator().setLabelCol("score").evaluate(a));
        assertTrue(missing.getMessage().contains("'score' is missing"), missing.getMessage());
        BadInputException typed = assertThrows(BadInputException.class,
                () -> new PassAtKEvaluator().setLabelCol("model").evaluate(a));
        assertTrue(typed.getMessage().contains("labelCol 'model' has type string"), typed.getMessage());
        BadInputException group = assertThrows(BadInputException.class,
                () -> new PassAtKEvaluator().setGroupCol("pid").evaluate(a));
        assertTrue(group.getMessage().contains("groupCol 'pid' is missing"), group.getMessage());
        BadInputException tooFew = assertThrows(BadInputException.class,
                () -> new PassAtKEvaluator().setK(50).evaluate(a));
        assertTrue(tooFew.getMessage().contains("k=50"), tooFew.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PassAtKEvaluator().setMetricName("accuracy"));
    }

    @Test
    void evaluatorSurvivesSaveAndLoadWithEveryParam(@TempDir Path dir) throws Exception {
        PassAtKEvaluator ev = new PassAtKEvaluator().setK(3).setGroupCol("pid").setLabelCol("reward")
                .setMetricName("maxAtK");
        String path = dir.resolve("evaluator").toString();
        ev.write().overwrite().save(path);
        PassAtKEvaluator back = PassAtKEvaluator.load(path);
        assertEquals(ev.uid(), back.uid());
        assertEquals(3, back.getK());
        assertEquals("pid", back.getGroupCol());
        assertEquals("reward", back.getLabelCol());
        assertEquals("maxAtK", back.getMetricName());
    }

    @Test
    void evaluatorWorksInsideCrossValidatorAndPicksTheMoreLenientVerifier() {
        // Two "verifiers" (reward thresholds) as a pipeline; pass@4 is larger for the lenient one.
        Dataset<Row> a = EvalTestData.frame(spark, EvalTestData.rows(33, 40, 8, 8)).drop("correct");
        SQLTransformer verifier = new SQLTransformer().setStatement("SELECT *, reward >= 0.99 AS correct FROM __THIS__");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {verifier});
        ParamMap[] grid = new ParamGridBuilder().addGrid(verifier.statement(), scala.jdk.javaapi.CollectionConverters
                .asScala(List.of("SELECT *, reward >= 0.99 AS correct FROM __THIS__",
                        "SELECT *, reward >= 0.5 AS correct FROM __THIS__")).toSeq()).build();
        CrossValidator cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid)
                .setEvaluator(new PassAtKEvaluator().setK(2)).setNumFolds(2).setSeed(1);
        CrossValidatorModel m = cv.fit(a);
        double[] metrics = m.avgMetrics();
        assertEquals(2, metrics.length);
        assertTrue(metrics[1] > metrics[0], java.util.Arrays.toString(metrics));
    }
}
