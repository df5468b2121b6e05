package io.passk.train;

import io.passk.estimate.PassAtK;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BatchStatisticsTest {

    static BatchRow row(String problem, int idx, String response, int tokens, float entropy, double reward) {
        return new BatchRow(problem, idx, "p", new int[]{1, 2}, response, new int[tokens], new float[tokens], entropy,
                reward, 0.5, 1.0);
    }

    @Test
    void batchRowsAreReadByColumnNameWhateverTheColumnOrder() {
        StructType schema = new StructType()
                .add("reward", DataTypes.DoubleType).add("lambda", DataTypes.DoubleType)
                .add("response_tokens", DataTypes.createArrayType(DataTypes.IntegerType))
                .add("problem_id", DataTypes.StringType).add("advantage", DataTypes.DoubleType)
                .add("token_logprobs", DataTypes.createArrayType(DataTypes.FloatType))
                .add("sample_idx", DataTypes.IntegerType).add("response", DataTypes.StringType)
                .add("token_entropy", DataTypes.FloatType).add("prompt", DataTypes.StringType)
                .add("prompt_tokens", DataTypes.createArrayType(DataTypes.IntegerType));
        Row r = new GenericRowWithSchema(new Object[]{1.0, 0.25, scala.jdk.javaapi.CollectionConverters.asScala(
                List.<Object>of(3, 4)).toSeq(), "q1", -0.5, scala.jdk.javaapi.CollectionConverters.asScala(
                List.<Object>of(-0.1f, -0.2f)).toSeq(), 7, "UD", 0.75f, "maze",
                scala.jdk.javaapi.CollectionConverters.asScala(List.<Object>of(1, 9, 3)).toSeq()}, schema);
        BatchRow b = BatchRow.of(r);
        assertEquals("q1", b.problemId());
        assertEquals(7, b.sampleIdx());
        assertEquals("maze", b.prompt());
        assertArrayEquals(new int[]{1, 9, 3}, b.promptTokens(), "the ids the rollout was sampled after");
        assertEquals("UD", b.response());
        assertArrayEquals(new int[]{3, 4}, b.responseTokens());
        assertArrayEquals(new float[]{-0.1f, -0.2f}, b.tokenLogprobs());
        assertEquals(0.75f, b.tokenEntropy());
        assertEquals(1.0, b.reward());
        assertEquals(-0.5, b.advantage());
        assertEquals(0.25, b.lambda());
    }

    @Test
    void meansAreOverRowsOrProblemsAndPassAtKUsesTheUnbiasedEstimator() {
        List<BatchRow> batch = List.of(
                row("a", 0, "x", 2, 1.0f, 1.0), row("a", 1, "x", 4, 0.5f, 0.0),
                row("a", 2, "y", 6, 0.5f, 0.5), row("a", 3, "z", 4, 0.0f, 1.0),
                row("b", 0, "x", 2, 1.0f, 0.0), row("b", 1, "x", 2, 1.0f, 0.0));
        BatchStatistics s = BatchStatistics.of(batch, 2);
        assertEquals(2.5 / 6, s.meanReward(), 1e-12);
        assertEquals(4.0 / 6, s.entropy(), 1e-12);
        assertEquals(20.0 / 6, s.responseLength(), 1e-12);
        assertEquals(20, s.tokens());
        assertEquals(1.0, s.lambda(), 1e-12);
        // a: n 4, c 2 (reward 0.5 is not correct); b: n 2, c 0
        assertEquals((PassAtK.passAtK(4, 2, 1) + 0) / 2, s.trainPassAt1(), 1e-12);
        assertEquals((PassAtK.passAtK(4, 2, 2) + 0) / 2, s.trainPassAtK(), 1e-12);
        assertEquals((3.0 / 4 + 1.0 / 2) / 2, s.diversity(), 1e-12);
    }
}
