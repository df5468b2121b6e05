package io.passk.advantage.spark;

import io.passk.BadInputException;
import io.passk.advantage.AdvantageMethod;
import io.passk.advantage.AdvantageSpec;
import io.passk.advantage.BootstrapReduce;
import io.passk.advantage.ReferenceAdvantages;
import io.passk.testing.SharedSpark;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PassAtKAdvantageTest {

    static final StructType SCHEMA = new StructType()
            .add("problem_id", DataTypes.StringType)
            .add("sample_idx", DataTypes.IntegerType)
            .add("reward", DataTypes.DoubleType)
            .add("payload", DataTypes.StringType);

    static SparkSession spark;
    static List<Row> rows;
    static Dataset<Row> rollouts;

    @BeforeAll
    static void data() {
        spark = SharedSpark.get();
        rows = randomRollouts(new Random(2024), 60, 8, 40);
        rollouts = spark.createDataFrame(rows, SCHEMA).repartition(3).cache();
    }

    /**
     * Problems of n in [minN, maxN]; sample indices distinct but not contiguous; rewards binary,
     * continuous, all-equal or tied, so every branch of every method is hit.
     */
    static List<Row> randomRollouts(Random rnd, int problems, int minN, int maxN) {
        List<Row> out = new ArrayList<>();
        for (int p = 0; p < problems; p++) {
            int n = minN + rnd.nextInt(maxN - minN + 1);
            int kind = p % 4;
            Set<Integer> used = new HashSet<>();
            for (int i = 0; i < n; i++) {
                int idx;
                do {
                    idx = rnd.nextInt(4 * maxN);
                } while (!used.add(idx));
                double r = switch (kind) {
                    case 0 -> rnd.nextDouble() < 0.3 ? 1.0 : 0.0;
                    case 1 -> rnd.nextDouble();
                    case 2 -> rnd.nextInt(3) / 2.0;
                    default -> p % 8 == 3 ? 1.0 : 0.0; // no spread at all
                };
                out.add(RowFactory.create("prob-" + p, idx, r, "x" + i));
            }
        }
        return out;
    }

    /** Per problem: sample_idx -> reference advantage. */
    static Map<String, Map<Integer, Double>> reference(List<Row> rows, AdvantageSpec spec) {
        Map<String, List<Row>> byProblem = new HashMap<>();
        for (Row r : rows) {
            byProblem.computeIfAbsent(r.getString(0), x -> new ArrayList<>()).add(r);
        }
        Map<String, Map<Integer, Double>> out = new HashMap<>();
        byProblem.forEach((pid, rs) -> {
            int[] idx = rs.stream().mapToInt(r -> r.getInt(1)).toArray();
            double[] rew = rs.stream().mapToDouble(r -> r.getDouble(2)).toArray();
            double[] a = ReferenceAdvantages.compute(spec, pid, idx, rew);
            Map<Integer, Double> m = new HashMap<>();
            for (int i = 0; i < idx.length; i++) {
                m.put(idx[i], a[i]);
            }
            out.put(pid, m);
        });
        return out;
    }

    static void assertMatchesReference(AdvantageSpec spec, PassAtKAdvantage stage) {
        Map<String, Map<Integer, Double>> expected = reference(rows, spec);
        List<Row> got = stage.transform(rollouts).select("problem_id", "sample_idx", "advantage", "payload").collectAsList();
        assertEquals(rows.size(), got.size(), "one output row per input row");
        for (Row r : got) {
            double e = expected.get(r.getString(0)).get(r.getInt(1));
            assertEquals(e, r.getDouble(2), 1e-9, spec + " problem " + r.getString(0) + " sample " + r.getInt(1));
        }
    }

    @Test
    void everyMethodMatchesThePlainJavaReferenceOnRandomGroups() {
        for (AdvantageMethod m : AdvantageMethod.values()) {
            for (int k : m == AdvantageMethod.PASS1 ? new int[]{1} : new int[]{1, 3, 8}) {
                AdvantageSpec spec = new AdvantageSpec(m, k, 77, 5, 0, BootstrapReduce.MEAN);
                PassAtKAdvantage stage = new PassAtKAdvantage().setMethod(m.cliName()).setK(k).setSeed(77).setEpoch(5);
                assertMatchesReference(spec, stage);
            }
        }
    }

    @Test
    void bootstrapWithExplicitGroupCountAndSumReductionMatchesReference() {
        AdvantageSpec spec = new AdvantageSpec(AdvantageMethod.PASSK_BOOTSTRAP, 4, 3, 0, 13, BootstrapReduce.SUM);
        PassAtKAdvantage stage = new PassAtKAdvantage().setMethod("passk-bootstrap").setK(4).setSeed(3)
                .setBootstrapGroups(13).setReduce("sum");
        assertMatchesReference(spec, stage);
    }

    @Test
    void resultDoesNotDependOnPartitioning() {
        PassAtKAdvantage stage = new PassAtKAdvantage().setMethod("passk-full").setK(3).setSeed(1);
        Dataset<Row> one = stage.transform(spark.createDataFrame(rows, SCHEMA).coalesce(1));
        Dataset<Row> many = stage.transform(spark.createDataFrame(rows, SCHEMA).repartition(7));
        assertEquals(0, one.exceptAll(many).count());
        assertEquals(0, many.exceptAll(one).count());
    }

    @Test
    void missingColumnIsRefusedByTransformSchemaNamingIt() {
        Dataset<Row> noReward = rollouts.drop("reward");
        BadInputException e = assertThrows(BadInputException.class,
                () -> new PassAtKAdvantage().transformSchema(noReward.schema()));
        assertTrue(e.getMessage().contains("'reward'"), e.getMessage());
        Dataset<Row> noSample = rollouts.drop("sample_idx");
        e = assertThrows(BadInputException.class,
                () -> new PassAtKAdvantage().setMethod("passk-full").transformSchema(noSample.schema()));
        assertTrue(e.getMessage().contains("'sample_idx'"), e.getMessage());
    }

    @Test
    void mistypedRewardColumnIsRefusedNamingItsType() {
        Dataset<Row> stringReward = rollouts.withColumn("reward", rollouts.col("reward").cast("string"));
        BadInputException e = assertThrows(BadInputException.class,
                () -> new PassAtKAdvantage().transformSchema(stringReward.schema()));
        assertTrue(e.getMessage().contains("reward") && e.getMessage().contains("string"), e.getMessage());
    }

    @Test
    void problemWithFewerRolloutsThanKIsRefusedNamingIt() {
        Dataset<Row> small = spark.createDataFrame(List.of(
                RowFactory.create("big", 0, 1.0, ""), RowFactory.create("big", 1, 0.0, ""),
                RowFactory.create("big", 2, 0.0, ""), RowFactory.create("tiny", 0, 1.0, "")), SCHEMA);
        BadInputException e = assertThrows(BadInputException.class,
                () -> new PassAtKAdvantage().setK(2).transform(small));
        assertTrue(e.getMessage().contains("'tiny'") && e.getMessage().contains("n=1"), e.getMessage());
    }

    @Test
    void nanOrOutOfRangeRewardIsRefusedNamingTheProblemAndValue() {
        Dataset<Row> bad = spark.createDataFrame(List.of(
                RowFactory.create("ok", 0, 1.0, ""), RowFactory.create("ok", 1, 0.0, ""),
                RowFactory.create("broken", 0, Double.NaN, ""), RowFactory.create("broken", 1, 0.0, "")), SCHEMA);
        BadInputException e = assertThrows(BadInputException.class,
                () -> new PassAtKAdvantage().setMethod("pass1").setK(1).transform(bad));
        assertTrue(e.getMessage().contains("'broken'") && e.getMessage().contains("NaN"), e.getMessage());
        Dataset<Row> big = spark.createDataFrame(List.of(
                RowFactory.create("ok", 0, 1.5, ""), RowFactory.create("ok", 1, 0.0, "")), SCHEMA);
        e = assertThrows(BadInputException.class, () -> new PassAtKAdvantage().setK(1).transform(big));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
    }

    @Test
    void repeatedSampleIndexIsRefusedForSampledMethods() {
        Dataset<Row> dup = spark.createDataFrame(List.of(
                RowFactory.create("p", 0, 1.0, ""), RowFactory.create("p", 0, 0.0, ""),
                RowFactory.create("p", 1, 0.0, "")), SCHEMA);
        BadInputException e = assertThrows(BadInputException.class,
                () -> new PassAtKAdvantage().setMethod("passk-full").setK(1).transform(dup));
        assertTrue(e.getMessage().contains("sample_idx"), e.getMessage());
    }

    @Test
    void composesInAPipelineAndSurvivesSaveAndLoad(@TempDir Path dir) throws Exception {
        PassAtKAdvantage stage = new PassAtKAdvantage().setMethod("pkpo").setK(3).setOutputCol("adv_pkpo");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[]{stage});
        PipelineModel model = pipeline.fit(rollouts);
        String path = dir.resolve("pipeline").toString();
        model.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        Dataset<Row> a = model.transform(rollouts).select("problem_id", "sample_idx", "adv_pkpo");
        Dataset<Row> b = loaded.transform(rollouts).select("problem_id", "sample_idx", "adv_pkpo");
        assertEquals(0, a.exceptAll(b).count());
        PassAtKAdvantage back = (PassAtKAdvantage) loaded.stages()[0];
        assertEquals("pkpo", back.getOrDefault(back.method()));
        assertEquals(3, back.getOrDefault(back.k()));
    }

    @Test
    void existingOutputColumnIsRefusedNamingIt() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> new PassAtKAdvantage().setOutputCol("payload").transformSchema(rollouts.schema()));
        assertTrue(e.getMessage().contains("outputCol 'payload' already exists"), e.getMessage());
    }

    @Test
    void savedAndLoadedStageKeepsEveryParam(@TempDir Path dir) throws Exception {
        PassAtKAdvantage stage = new PassAtKAdvantage().setMethod("passk-bootstrap").setK(3).setGroupCol("g")
                .setRewardCol("r").setSampleCol("s").setOutputCol("a").setSeed(9).setEpoch(4)
                .setBootstrapGroups(5).setReduce("sum");
        String path = dir.resolve("stage").toString();
        stage.write().overwrite().save(path);
        PassAtKAdvantage back = PassAtKAdvantage.load(path);
        assertEquals(stage.uid(), back.uid());
        assertEquals("passk-bootstrap", back.getMethod());
        assertEquals(3, back.getK());
        assertEquals("g", back.getGroupCol());
        assertEquals("r", back.getRewardCol());
        assertEquals("s", back.getSampleCol());
        assertEquals("a", back.getOutputCol());
        assertEquals(9L, back.getSeed());
        assertEquals(4, back.getEpoch());
        assertEquals(5, back.getBootstrapGroups());
        assertEquals("sum", back.getReduce());
        assertEquals(stage.spec(), back.spec());
    }
}
