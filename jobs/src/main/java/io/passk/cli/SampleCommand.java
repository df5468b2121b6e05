package io.passk.cli;

import io.passk.BadInputException;
import io.passk.rollout.RolloutGenerator;
import io.passk.task.PromptStyle;
import io.passk.tokenizer.PromptTemplate;
import io.passk.rollout.RolloutSampling;
import io.passk.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;
import io.passk.policy.SamplingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code passk sample}: N rollouts per problem of a task suite split from a policy checkpoint,
 * verified and written as Parquet (the rollout schema) that {@code passk eval} reads directly.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Sample N responses per problem with a policy checkpoint on Spark executors, verify them,"
                + " and write rollout rows (Parquet, partitioned by epoch).")
public final class SampleCommand implements Callable<Integer> {

    @Option(names = "--policy", required = true,
            description = "Policy: a passk checkpoint or a Hugging Face model directory")
    String policy;

    @Option(names = "--prompt-template", defaultValue = "auto", description = "How the policy renders prompts:"
            + " auto (the model's own: chat for passk's character model, else plain) | plain | plain-bos | chat"
            + " (default ${DEFAULT-VALUE})")
    String promptTemplate;

    @Option(names = "--prompt-style", defaultValue = "compact", description = "What the policy is asked: compact"
            + " (the task's own prompt) | instruction (system + user message saying what to answer and how; the"
            + " answer is still verified against the compact problem) (default ${DEFAULT-VALUE})")
    String promptStyle;

    @Option(names = "--tasks", required = true, description = "Task suite directory (from passk tasks)")
    String tasks;

    @Option(names = "--split", defaultValue = "test", description = "Split to sample (default ${DEFAULT-VALUE})")
    String split;

    /** Enough samples for pass@k up to 64, and responses up to 128 tokens (the context also bounds them). */
    @Mixin
    SamplingOptions sampling = new SamplingOptions(64, 128);

    /** The run seed: with (epoch, problem_id, sample_idx) it keys every draw. */
    @Mixin
    SeedOption seedOption = new SeedOption(0);

    @Option(names = "--epoch", defaultValue = "0", description = "Epoch number written with the rows (default ${DEFAULT-VALUE})")
    int epoch;

    @Option(names = "--partitions", defaultValue = "0", description = "Repartition problems into this many tasks; 0 = as read (default ${DEFAULT-VALUE})")
    int partitions;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Mixin
    RolloutServerOptions rollout = new RolloutServerOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        int n = sampling.n;
        double temperature = sampling.temperature;
        double topP = sampling.topP;
        int maxNewTokens = sampling.maxNewTokens;
        int batchSize = sampling.batchSize;
        long seed = seedOption.seed;
        String out = output.out;
        if (epoch < 0 || partitions < 0) {
            throw new BadInputException("--epoch and --partitions must be >= 0");
        }
        // every sampling setting is checked here, before Spark starts (bad input names the flag)
        new SamplingConfig(n, temperature, topP, maxNewTokens, batchSize, seed, epoch, true);
        if (!PromptTemplate.SETTINGS.contains(promptTemplate)) {
            throw new BadInputException("--prompt-template " + promptTemplate + ": expected auto, plain, plain-bos or chat");
        }
        String style;
        try {
            style = PromptStyle.byName(promptStyle.trim().toLowerCase(Locale.ROOT)).settingName();
        } catch (BadInputException e) {
            throw new BadInputException("--prompt-style: " + e.getMessage(), e);
        }
        io.passk.rollout.server.RolloutConfig rolloutConfig = rollout.config();
        if (rolloutConfig.isServer()) {
            // the policy's tokenizer encodes the prompts and decodes the responses; the server holds the weights
            io.passk.policy.PolicyText.open(Path.of(policy)).close();
        }
        output.check();
        SparkSession spark = SparkSessions.forJob("passk sample", false);
        RolloutGenerator gen = new RolloutGenerator().setPolicyPath(Path.of(policy).toAbsolutePath().toString())
                .setSampling(sampling.sampling()).setTemperature(temperature).setSeed(seed).setEpoch(epoch)
                .setPromptTemplate(promptTemplate).setPromptStyle(style).setRollout(rolloutConfig);
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
        prov.put("prompt_template", promptTemplate);
        prov.put("prompt_style", style);
        if (rolloutConfig.isServer()) {
            // where the rows came from; the API key is never among these
            prov.put("rollout_engine", rolloutConfig.engine());
            prov.put("rollout_server", String.join(",", rolloutConfig.servers()));
            prov.put("rollout_server_command", rolloutConfig.serverCommand());
            prov.put("rollout_model", rolloutConfig.model());
        }
        long t0 = System.nanoTime();
        List<RolloutSampling.TaskSummary> summary =
                RolloutSampling.run(spark, gen, tasks, split, partitions, out, output.overwrite, prov,
                        ConsoleProgress.on(spec.commandLine().getErr()));
        double secs = (System.nanoTime() - t0) / 1e9;
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "%-14s %8s %9s %11s %8s %9s %8s %9s%n", "task", "problems", "rollouts",
                "mean_reward", "pass@1", "entropy", "length", "finished");
        for (RolloutSampling.TaskSummary s : summary) {
            stdout.printf(Locale.ROOT, "%-14s %8d %9d %11.4f %8.4f %9.4f %8.1f %9.3f%n", s.task(), s.problems(),
                    s.rollouts(), s.meanReward(), s.passAt1(), s.meanEntropy(), s.meanLength(), s.finishedRate());
        }
        stdout.flush();
        PrintWriter stderr = spec.commandLine().getErr();
        stderr.printf(Locale.ROOT, "passk sample: wrote %s in %.1f s%n", out, secs);
        stderr.flush();
        return Passk.EXIT_OK;
    }
}
