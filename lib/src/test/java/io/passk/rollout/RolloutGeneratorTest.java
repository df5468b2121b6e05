package io.passk.rollout;

import io.passk.BadInputException;
import io.passk.policy.EngineThreads;
import io.passk.policy.PolicyCache;
import io.passk.policy.TinyQwen;
import io.passk.policy.Tokenizer;
import io.passk.task.Problem;
import io.passk.task.TaskSuite;
import io.passk.testing.ReverseTask;
import io.passk.testing.SharedSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RolloutGeneratorTest {
    @TempDir
    static Path tmp;
    static Path ckpt;
    static Dataset<Row> problems;
    static final TaskResolver TOY = name -> new ReverseTask();

    @BeforeAll
    static void setUp() {
        EngineThreads.configure(1);   // 2 shared cores: no oversubscription
        Tokenizer tok = Tokenizer.ofAlphabet(new ReverseTask().alphabet());
        ckpt = TinyQwen.write(tmp, tok, 2, 32, 4, 16, 1);
        List<Row> rows = new ArrayList<>();
        for (int len = 1; len <= 4; len++) {
            for (Problem pr : new ReverseTask().generate(3, len, 2, "test")) {
                rows.add(TaskSuite.toRow(pr));
            }
        }
        SparkSession spark = SharedSpark.get();
        problems = spark.createDataFrame(rows, TaskSuite.SCHEMA);
    }

    static RolloutGenerator generator() {
        return new RolloutGenerator().setPolicyPath(ckpt.toString()).setNumSamples(4).setMaxNewTokens(6)
                .setBatchSize(3).setSeed(42).setEpoch(2).setPromptTemplate(TinyQwen.TEMPLATE).setTaskResolver(TOY);
    }

    static List<Row> sorted(Dataset<Row> df) {
        return df.orderBy("problem_id", "sample_idx").collectAsList();
    }

    @Test
    void onePartitionAndFourPartitionsGiveIdenticalRollouts() {
        List<Row> one = sorted(generator().transform(problems.repartition(1)));
        List<Row> four = sorted(generator().transform(problems.repartition(4)));
        assertEquals(8 * 4, one.size());
        assertEquals(one, four);
    }

    @Test
    void rerunGivesIdenticalRolloutsAndLoadsThePolicyOncePerJvm() {
        List<Row> a = sorted(generator().transform(problems.coalesce(2)));
        int loads = PolicyCache.loads();
        List<Row> b = sorted(generator().transform(problems.coalesce(2)));
        assertEquals(a, b);
        assertEquals(loads, PolicyCache.loads(), "a cached policy is reused");
    }

    @Test
    void rowsFollowTheRolloutSchemaAndRewardsComeFromTheVerifier() {
        Dataset<Row> out = generator().transform(problems);
        assertEquals(RolloutSchema.SCHEMA, out.schema());
        for (Row r : out.collectAsList()) {
            List<Integer> tokens = r.getList(r.fieldIndex("response_tokens"));
            List<Float> lps = r.getList(r.fieldIndex("token_logprobs"));
            assertEquals(tokens.size(), lps.size());
            boolean finished = r.getBoolean(r.fieldIndex("finished"));
            assertEquals(finished, !tokens.isEmpty() && tokens.get(tokens.size() - 1) == Tokenizer.EOS);
            String prompt = r.getString(r.fieldIndex("prompt"));
            String response = r.getString(r.fieldIndex("response"));
            double expected = new StringBuilder(prompt).reverse().toString().equals(response) ? 1 : 0;
            assertEquals(expected, r.getDouble(r.fieldIndex("reward")));
            assertEquals(2, r.getInt(r.fieldIndex("epoch")));
            assertTrue(r.getFloat(r.fieldIndex("token_entropy")) >= 0);
        }
        // another epoch draws other samples
        List<Row> e2 = sorted(generator().transform(problems));
        List<Row> e3 = sorted(generator().setEpoch(3).transform(problems));
        boolean differs = false;
        for (int i = 0; i < e2.size(); i++) {
            differs |= !e2.get(i).getList(5).equals(e3.get(i).getList(5));
        }
        assertTrue(differs);
    }

    @Test
    void missingOrMistypedInputColumnIsRefusedByName() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> generator().transform(problems.drop("task")));
        assertTrue(e.getMessage().contains("'task'"), e.getMessage());
        BadInputException e2 = assertThrows(BadInputException.class,
                () -> generator().setInputCol("difficulty").transform(problems));
        assertTrue(e2.getMessage().contains("'difficulty'") && e2.getMessage().contains("string"), e2.getMessage());
    }

    @Test
    void mistypedOptionalColumnIsRefusedNamingItAndTheExpectedType() {
        Dataset<Row> stringDifficulty = problems.withColumn("difficulty", problems.col("difficulty").cast("string"));
        BadInputException e = assertThrows(BadInputException.class,
                () -> generator().transformSchema(stringDifficulty.schema()));
        assertTrue(e.getMessage().contains("'difficulty' has type string, expected integer"), e.getMessage());
    }

    @Test
    void savedAndLoadedGeneratorKeepsEveryParamAndGivesTheSameRollouts() throws Exception {
        RolloutGenerator g = generator().setTemperature(0.7).setTopP(0.9).setInputCol("prompt");
        String path = tmp.resolve("generator").toString();
        g.write().overwrite().save(path);
        RolloutGenerator back = RolloutGenerator.load(path);
        assertEquals(g.uid(), back.uid());
        assertEquals(ckpt.toString(), back.getPolicyPath());
        assertEquals(4, back.getNumSamples());
        assertEquals(0.7, back.getTemperature());
        assertEquals(0.9, back.getTopP());
        assertEquals(6, back.getMaxNewTokens());
        assertEquals(3, back.getBatchSize());
        assertEquals(42L, back.getSeed());
        assertEquals(2, back.getEpoch());
        assertEquals("prompt", back.getInputCol());
        // the task resolver is code, not a param: the test's toy tasks are plugged in again
        assertEquals(sorted(g.transform(problems)), sorted(back.setTaskResolver(TOY).transform(problems)));
    }
}
