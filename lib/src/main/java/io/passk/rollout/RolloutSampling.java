package io.passk.rollout;

import io.passk.Columns;
import io.passk.fs.AtomicOutput;
import io.passk.progress.ProgressListener;
import io.passk.progress.SparkStageProgress;

import io.passk.BadInputException;
import io.passk.policy.PolicyModel;
import io.passk.spark.SparkCorrectness;
import io.passk.task.PromptStyle;
import io.passk.task.TaskSuite;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code passk sample}: a task suite split in, rollouts out (Parquet partitioned by
 * {@code epoch}, {@link RolloutSchema}), written to a temporary directory and renamed, with a
 * {@code _passk_sample.json} provenance file. The output is what {@code passk eval} reads
 * ({@code problem_id}, {@code reward}).
 */
public final class RolloutSampling {
    public static final String PROVENANCE = "_passk_sample.json";

    private RolloutSampling() {
    }

    /** Per-task summary of a sampling run. */
    public record TaskSummary(String task, long problems, long rollouts, double meanReward, double passAt1,
                              double meanEntropy, double meanLength, double finishedRate) {
    }

    /**
     * Samples every problem of {@code split} in the suite at {@code tasksDir} and writes rollouts to
     * {@code out}. {@code partitions} > 0 repartitions the problems (by problem_id).
     */
    public static List<TaskSummary> run(SparkSession spark, RolloutGenerator generator, String tasksDir,
                                        String split, int partitions, String out, boolean overwrite,
                                        Map<String, String> provenance, ProgressListener listener) {
        io.passk.policy.PolicySource source = io.passk.policy.PolicySource.of(generator.getOrDefault(generator.policyPath()));
        source.check();
        Dataset<Row> problems = TaskSuite.read(spark, tasksDir).filter(functions.col("split").equalTo(split));
        if (problems.isEmpty()) {
            throw new BadInputException("task suite " + tasksDir + ": no problems in split '" + split + "'");
        }
        // the policy renders and encodes a real prompt on the driver before any task runs
        PolicyPreflight.check(source,
                generator.getPromptTemplate(), PromptStyle.byName(generator.getPromptStyle()), TaskResolver.registry(),
                TaskSuite.fromRow(problems.head(), tasksDir));
        if (partitions > 0) {
            problems = problems.repartition(partitions, functions.col(Columns.PROBLEM_ID));
        }
        Dataset<Row> rollouts = generator.transform(problems);
        Path target = new Path(out);
        try {
            FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(target) && !overwrite) {
                throw new BadInputException("output directory " + out + " exists; pass --overwrite to replace it");
            }
            try (AtomicOutput output = AtomicOutput.beginForWriter(out, overwrite,
                    spark.sparkContext().hadoopConfiguration(), listener)) {
                try (SparkStageProgress progress = new SparkStageProgress(spark.sparkContext(), "sample (Spark tasks)",
                        listener)) {
                    rollouts.write().partitionBy(RolloutSchema.EPOCH).parquet(output.path());
                }
                try (OutputStream os = output.create(PROVENANCE)) {
                    os.write(json(provenance).getBytes(StandardCharsets.UTF_8));
                }
                output.commit();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing rollouts to " + out, e);
        }
        return summarize(spark.read().parquet(out));
    }

    /** Mean reward, pass@1 (reward >= 1), entropy, length and finished rate by task. */
    public static List<TaskSummary> summarize(Dataset<Row> rollouts) {
        return rollouts.groupBy("task").agg(
                        functions.countDistinct(Columns.PROBLEM_ID).as("problems"),
                        functions.count(functions.lit(1)).as("rollouts"),
                        functions.avg("reward").as("mean_reward"),
                        functions.avg(functions.when(SparkCorrectness.isCorrect(functions.col("reward")), 1.0).otherwise(0.0)).as("pass1"),
                        functions.avg("token_entropy").as("entropy"),
                        functions.avg(functions.size(functions.col("response_tokens"))).as("length"),
                        functions.avg(functions.col("finished").cast("double")).as("finished"))
                .orderBy("task").collectAsList().stream()
                .map(r -> new TaskSummary(r.getString(0), r.getLong(1), r.getLong(2), r.getDouble(3), r.getDouble(4),
                        r.getDouble(5), r.getDouble(6), r.getDouble(7)))
                .toList();
    }

    private static String json(Map<String, String> m) {
        com.google.gson.JsonObject o = new com.google.gson.JsonObject();
        m.forEach(o::addProperty);
        return new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(o);
    }
}
