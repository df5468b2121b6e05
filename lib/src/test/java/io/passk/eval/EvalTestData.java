package io.passk.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Random per-sample answers for the eval tests: (model, problem_id, sample_idx, reward, correct). */
final class EvalTestData {

    static final StructType SCHEMA = new StructType()
            .add("model", DataTypes.StringType)
            .add("problem_id", DataTypes.StringType)
            .add("sample_idx", DataTypes.IntegerType)
            .add("reward", DataTypes.DoubleType)
            .add("correct", DataTypes.BooleanType);

    private EvalTestData() {
    }

    /**
     * Two models, {@code problems} problems each, n uniform in [minN, maxN]; rewards are 0, 1 or
     * uniform in (0,1) with a per-problem solve rate; correct = reward >= 1.
     */
    static List<Row> rows(long seed, int problems, int minN, int maxN) {
        Random r = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (String model : List.of("a", "b")) {
            for (int p = 0; p < problems; p++) {
                int n = minN + r.nextInt(maxN - minN + 1);
                double rate = r.nextDouble() * r.nextDouble();
                for (int s = 0; s < n; s++) {
                    double u = r.nextDouble();
                    double reward = u < rate ? 1.0 : (u < rate + 0.3 ? r.nextDouble() : 0.0);
                    rows.add(RowFactory.create(model, "p" + p, s, reward, reward >= 1.0));
                }
            }
        }
        return rows;
    }

    static Dataset<Row> frame(SparkSession spark, List<Row> rows) {
        return spark.createDataFrame(rows, SCHEMA);
    }
}
