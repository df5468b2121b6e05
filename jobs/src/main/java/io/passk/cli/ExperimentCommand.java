package io.passk.cli;

import io.passk.experiment.ExperimentConfig;
import io.passk.experiment.PassAtKExperiment;
import io.passk.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code passk experiment}: every method of a config file × every seed from one base model with
 * the same rollout budget, then the comparison table and plots. Thin: the config is read and
 * validated by {@link ExperimentConfig}, the work is {@link PassAtKExperiment}.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Compare advantage methods: one base model, every method x seed trained with the same "
                + "rollout budget, final held-out pass@k for k = 1..N, a comparison table (CSV, Markdown) and "
                + "plots in OUT/report/. Resumable.")
public final class ExperimentCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "experiment file (YAML), e.g. experiments/maze.yaml")
    Path config;

    @Option(names = "--set", description = "override a config value, e.g. --set training.epochs=2 --set seeds=[1] "
            + "(the value is read as YAML; repeatable)")
    List<String> overrides = List.of();

    @Option(names = "--methods", split = ",", description = "run only these methods of the config (by name)")
    List<String> methods;

    /** The experiment directory (default: runs/experiment-&lt;config file name&gt;). */
    @Mixin
    RunOutputOptions output = new RunOutputOptions();

    @Mixin
    SparkUiOption sparkUi = new SparkUiOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path out = output.out;
        ExperimentConfig cfg = ExperimentConfig.read(config, overrides);
        if (methods != null) {
            cfg = cfg.onlyMethods(methods);
        }
        String stem = config.getFileName().toString().replaceFirst("\\.(ya?ml)$", "");
        Path dir = out != null ? out : Path.of("runs", "experiment-" + stem);
        output.check(dir);
        SparkSession spark = SparkSessions.forJob("passk-experiment", sparkUi.ui);
        PassAtKExperiment.Outcome o = PassAtKExperiment.run(spark, cfg, dir, output.resume,
                TrainCommand.provenance(spark), CliStreams.of(spec.commandLine().getErr()));
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(o.table());
        stdout.println("report: " + o.report());
        stdout.flush();
        return Passk.EXIT_OK;
    }
}
