package io.passk.train;

import io.passk.Columns;
import io.passk.fs.AtomicOutput;
import io.passk.progress.ProgressListener;
import io.passk.progress.SparkStageProgress;
import io.passk.rollout.RolloutGenerator;
import io.passk.rollout.RolloutSchema;
import io.passk.task.Problem;
import io.passk.task.TaskSuite;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/** Sampling problems with a policy on the executors into one atomic Parquet directory. */
final class Rollouts {

    private Rollouts() {
    }

    /**
     * Writes {@code samples} rollouts per problem of the policy at {@code policyPath} to
     * {@code target} (which must not exist), the random stream keyed by {@code epoch}.
     *
     * @return the seconds the Spark stage took
     */
    static double write(SparkSession spark, TrainConfig cfg, List<Problem> problems, String policyPath, int samples,
                        int epoch, Path target, String stage, ProgressListener listener) {
        int partitions = Math.max(1, Math.min(problems.size(), spark.sparkContext().defaultParallelism() * 2));
        Dataset<Row> prompts = spark.createDataFrame(problems.stream().map(TaskSuite::toRow).toList(), TaskSuite.SCHEMA)
                .repartition(partitions, col(Columns.PROBLEM_ID));
        RolloutGenerator generator = new RolloutGenerator().setPolicyPath(policyPath).setSampling(cfg.sampling())
                .setNumSamples(samples).setTemperature(cfg.learner().temperature()).setSeed(cfg.seed()).setEpoch(epoch)
                .setPromptTemplate(cfg.format().promptTemplate())
                .setPromptStyle(cfg.resolvedPromptStyle().settingName()).setRollout(cfg.rollout());
        try (AtomicOutput out = AtomicOutput.beginForWriter(target, false, listener);
             SparkStageProgress progress = new SparkStageProgress(spark.sparkContext(), stage + " (Spark tasks)",
                     listener)) {
            // the directory name carries the epoch (Hive-style partition), so the column is dropped
            generator.transform(prompts).drop(RolloutSchema.EPOCH).write().parquet(out.path());
            out.commit();
            return progress.seconds();
        }
    }
}
