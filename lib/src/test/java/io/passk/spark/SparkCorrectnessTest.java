package io.passk.spark;

import io.passk.estimate.Correctness;
import io.passk.testing.SharedSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkCorrectnessTest {

    @Test
    void theColumnFormAgreesWithThePureRuleAndKeepsNullsNull() {
        double[] rewards = {0.0, 0.5, Math.nextDown(1.0), 1.0, 1.5, Double.NaN};
        List<Row> rows = new ArrayList<>();
        for (double r : rewards) {
            rows.add(RowFactory.create(r));
        }
        rows.add(RowFactory.create((Object) null));
        StructType schema = new StructType().add("reward", DataTypes.DoubleType);
        List<Row> out = SharedSpark.get().createDataFrame(rows, schema)
                .select(col("reward"), SparkCorrectness.isCorrect(col("reward")).as("c")).collectAsList();
        assertEquals(rows.size(), out.size());
        for (Row r : out) {
            if (r.isNullAt(0)) {
                assertTrue(r.isNullAt(1));
            } else {
                // Spark orders NaN above every number, so NaN >= 1 is true there: the rule's
                // callers refuse NaN rewards before counting
                double v = r.getDouble(0);
                boolean expected = Double.isNaN(v) || Correctness.isCorrect(v);
                assertEquals(expected, r.getBoolean(1), "reward " + v);
            }
        }
    }
}
