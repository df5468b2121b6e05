package io.passk.cli;

import io.passk.BadInputException;
import io.passk.rollout.RolloutGenerator;
import io.passk.rollout.RolloutSampling;
import io.passk.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code passk sample}: N rollouts per problem of a task suite split from a policy checkpoint,
 * verified and written as Parquet (the rollout schema) that {@code passk eval} reads directly.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = {"Sample N responses per problem with a policy checkpoint on Spark executors, verify them,",
                "and write rollout rows (Parquet, partitioned by epoch)."})
public final class SampleCommand implements Callable<Integer> {

    @Option(names = "--policy", required = true, description = "Policy checkpoint directory")
    String policy;

    @Option(names = "--tasks", required = true, description = "Task suite directory (from passk tasks)")
    String tasks;

    @Option(names = "--split", defaultValue = "test", description = "Split to sample (default ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--n", defaultValue = "64", description = "Samples per problem (default ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--temperature", defaultValue = "1.0", description = "Sampling temperature; 0 = greedy (default ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus mass in (0,1] (default ${DEFAULT-VALUE})")
    double topP;

    @Option(names = "--max-new-tokens", defaultValue = "128", description = "Response length limit (default ${DEFAULT-VALUE}; the context also bounds it)")
    int maxNewTokens;

    @Option(names = "--batch-size", defaultValue = "64", description = "Sequences per forward pass (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--seed", defaultValue = "0", description = "Run seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--epoch", defaultValue = "0", description = "Epoch number written with the rows (default ${DEFAULT-VALUE})")
    int epoch;

    @Option(names = "--partitions", defaultValue = "0", description = "Repartition problems into this many tasks; 0 = as read (default ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--out", required = true, description = "Output directory (written atomically)")
    String out;

    @Option(names = "--overwrite", description = "Replace an existing output directory")
    boolean overwrite;

    @Override
    public Integer call() {
        if (n < 1 || maxNewTokens < 1 || batchSize < 1 || epoch < 0 || partitions < 0) {
            throw new BadInputException("--n, --max-new-tokens and --batch-size must be >= 1, --epoch and --partitions >= 0");
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new BadInputException("--temperature must be finite and >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new BadInputException("--top-p must be in (0, 1], got " + topP);
        }
        SparkSession spark = SparkSessions.forJob("passk sample", false);
        RolloutGenerator gen = new RolloutGenerator().setPolicyPath(Path.of(policy).toAbsolutePath().toString())
                .setNumSamples(n).setTemperature(temperature).setTopP(topP).setMaxNewTokens(maxNewTokens)
                .setBatchSize(batchSize).setSeed(seed).setEpoch(epoch);
        Map<String, String> prov = new LinkedHashMap<>();
        prov.put("command", "passk sample");
        prov.put("policy", Path.of(policy).toAbsolutePath().toString());
        prov.put("tasks", Path.of(tasks).toAbsolutePath().toString());
        prov.put("split", split);
        prov.put("n", Integer.toString(n));
        prov.put("temperature", Double.toString(temperature));
        prov.put("topP", Double.toString(topP));
        prov.put("maxNewTokens", Integer.toString(maxNewTokens));
        prov.put("batchSize", Integer.toString(batchSize));
        prov.put("seed", Long.toString(seed));
        prov.put("epoch", Integer.toString(epoch));
        long t0 = System.nanoTime();
        List<RolloutSampling.TaskSummary> summary =
                RolloutSampling.run(spark, gen, tasks, split, partitions, out, overwrite, prov,
                        ConsoleProgress.on(System.err));
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%-14s %8s %9s %11s %8s %9s %8s %9s%n", "task", "problems", "rollouts", "mean_reward",
                "pass@1", "entropy", "length", "finished");
        for (RolloutSampling.TaskSummary s : summary) {
            System.out.printf("%-14s %8d %9d %11.4f %8.4f %9.4f %8.1f %9.3f%n", s.task(), s.problems(), s.rollouts(),
                    s.meanReward(), s.passAt1(), s.meanEntropy(), s.meanLength(), s.finishedRate());
        }
        System.err.printf("passk sample: wrote %s in %.1f s%n", out, secs);
        return Passk.EXIT_OK;
    }
}
