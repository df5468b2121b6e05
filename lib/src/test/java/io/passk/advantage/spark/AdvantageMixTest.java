package io.passk.advantage.spark;

import io.passk.BadInputException;
import io.passk.testing.SharedSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdvantageMixTest {

    static final StructType SCHEMA = new StructType()
            .add("problem_id", DataTypes.StringType).add("reward", DataTypes.DoubleType)
            .add("token_entropy", DataTypes.FloatType)
            .add("a_k", DataTypes.DoubleType).add("a_1", DataTypes.DoubleType);

    /** Four problems of 4 rollouts; problem p has p correct and entropy 0.1 * (p + 1). */
    static Dataset<Row> rollouts() {
        List<Row> rows = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            for (int i = 0; i < 4; i++) {
                rows.add(RowFactory.create("p" + p, i < p ? 1.0 : 0.0, 0.1f * (p + 1), 10.0, 2.0));
            }
        }
        return SharedSpark.get().createDataFrame(rows, SCHEMA);
    }

    static Map<String, Double> mixedByProblem(AdvantageMix mix, int epoch, int epochs) {
        Map<String, Double> out = new HashMap<>();
        for (Row r : mix.apply(rollouts(), "problem_id", "a_k", "a_1", "reward", "token_entropy", "adv", epoch, epochs)
                .select("problem_id", "adv").collectAsList()) {
            out.put(r.getString(0), r.getDouble(1));
        }
        return out;
    }

    @Test
    void constantLambdaWeighsTheTwoAdvantages() {
        Map<String, Double> m = mixedByProblem(AdvantageMix.parse("constant:0.25"), 0, 1);
        assertEquals(0.25 * 10 + 0.75 * 2, m.get("p0"), 1e-12);
    }

    @Test
    void linearLambdaMovesAcrossEpochs() {
        AdvantageMix mix = AdvantageMix.parse("linear:1:0");
        assertEquals(1.0, mix.lambdaAt(0, 5), 1e-12);
        assertEquals(0.5, mix.lambdaAt(2, 5), 1e-12);
        assertEquals(0.0, mix.lambdaAt(4, 5), 1e-12);
    }

    @Test
    void accuracyLambdaIsTheProblemsSolveRate() {
        Map<String, Double> m = mixedByProblem(AdvantageMix.parse("accuracy"), 0, 1);
        for (int p = 0; p < 4; p++) {
            double lambda = p / 4.0;
            assertEquals(lambda * 10 + (1 - lambda) * 2, m.get("p" + p), 1e-12, "p" + p);
        }
    }

    @Test
    void entropyGivesTheHighEntropyHalfPass1AndTheLowHalfPassK() {
        Map<String, Double> m = mixedByProblem(AdvantageMix.parse("entropy"), 0, 1);
        assertEquals(10.0, m.get("p0"), 1e-12);
        assertEquals(10.0, m.get("p1"), 1e-12);
        assertEquals(2.0, m.get("p2"), 1e-12);
        assertEquals(2.0, m.get("p3"), 1e-12);
    }

    @Test
    void malformedMixIsRefused() {
        assertThrows(BadInputException.class, () -> AdvantageMix.parse("constant:2"));
        assertThrows(BadInputException.class, () -> AdvantageMix.parse("sometimes"));
    }
}
