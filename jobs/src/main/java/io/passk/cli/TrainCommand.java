package io.passk.cli;

import io.passk.advantage.AdvantageMethod;
import io.passk.eval.Provenance;
import io.passk.learn.LearnerConfig;
import io.passk.report.RunReport;
import io.passk.spark.SparkSessions;
import io.passk.train.AdvantageMix;
import io.passk.train.BaseModel;
import io.passk.train.KSchedule;
import io.passk.train.PassAtKTraining;
import io.passk.train.TrainConfig;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code passk train}: Pass@k training on Spark. With no options it is the maze demo: warm-up
 * if no base model exists, then passk-analytic training, a report, and a before/after line.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Pass@k training: rollouts on executors, advantages as a Spark stage, learner on the driver.")
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--tasks", defaultValue = "data/tasks/maze", description = "task suite directory (default: ${DEFAULT-VALUE})")
    String tasks;

    @Option(names = "--init", description = "starting checkpoint (default: runs/base-<suite>, warm-up trained if missing)")
    Path init;

    @Option(names = "--method", defaultValue = "passk-analytic",
            description = "pass1, passk-full, passk-bootstrap, passk-analytic, maxk-analytic, pkpo (default: ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--k", defaultValue = "4", description = "k of Pass@k (default: ${DEFAULT-VALUE}; 1 for pass1)")
    int k;

    @Option(names = "--n", defaultValue = "16", description = "rollouts per prompt (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--prompts-per-epoch", defaultValue = "32", description = "default: ${DEFAULT-VALUE}")
    int promptsPerEpoch;

    @Option(names = "--epochs", defaultValue = "6", description = "default: ${DEFAULT-VALUE}")
    int epochs;

    @Option(names = "--schedule", defaultValue = "constant", description = "constant | linear | step:S | switch:E (default: ${DEFAULT-VALUE})")
    String schedule;

    @Option(names = "--mix", defaultValue = "none", description = "none | constant:L | linear:A:B | accuracy | entropy (default: ${DEFAULT-VALUE})")
    String mix;

    @Option(names = "--lr", defaultValue = "1e-4", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--clip-low", defaultValue = "0.2", description = "default: ${DEFAULT-VALUE}")
    double clipLow;

    @Option(names = "--clip-high", defaultValue = "0.28", description = "default: ${DEFAULT-VALUE}")
    double clipHigh;

    @Option(names = "--kl-beta", defaultValue = "0", description = "KL to the initial policy (default: ${DEFAULT-VALUE})")
    double klBeta;

    @Option(names = "--mini-batches", defaultValue = "4", description = "optimizer steps per pass (default: ${DEFAULT-VALUE})")
    int miniBatches;

    @Option(names = "--learner-passes", defaultValue = "1", description = "passes over each batch (default: ${DEFAULT-VALUE})")
    int passes;

    @Option(names = "--max-grad-norm", defaultValue = "1.0", description = "default: ${DEFAULT-VALUE}")
    double maxGradNorm;

    @Option(names = "--temperature", defaultValue = "1.0", description = "default: ${DEFAULT-VALUE}")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1.0", description = "default: ${DEFAULT-VALUE}")
    double topP;

    @Option(names = "--max-new-tokens", defaultValue = "48", description = "default: ${DEFAULT-VALUE}")
    int maxNewTokens;

    @Option(names = "--batch-size", defaultValue = "64", description = "sequences decoded together (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--bootstrap-groups", defaultValue = "0", description = "G for passk-bootstrap, 0 = n (default: ${DEFAULT-VALUE})")
    int bootstrapGroups;

    @Option(names = "--eval-every", defaultValue = "2", description = "held-out evaluation every M epochs (default: ${DEFAULT-VALUE})")
    int evalEvery;

    @Option(names = "--eval-problems", defaultValue = "100", description = "held-out problems, 0 = all (default: ${DEFAULT-VALUE})")
    int evalProblems;

    @Option(names = "--eval-samples", defaultValue = "16", description = "samples per held-out problem (default: ${DEFAULT-VALUE})")
    int evalSamples;

    @Option(names = "--seed", defaultValue = "1", description = "default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--out", description = "run directory (default: runs/<suite>-<method>-<time>)")
    Path out;

    @Option(names = "--resume", description = "continue --out from its last complete epoch")
    boolean resume;

    @Option(names = "--warmup-steps", defaultValue = "300", description = "warm-up steps when the base model is built (default: ${DEFAULT-VALUE})")
    int warmupSteps;

    @Option(names = "--layers", defaultValue = "2", description = "base model layers (default: ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--width", defaultValue = "64", description = "base model width (default: ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--heads", defaultValue = "4", description = "base model heads (default: ${DEFAULT-VALUE})")
    int heads;

    @Option(names = "--context", defaultValue = "0", description = "base model context length, 0 = fit the suite (default: ${DEFAULT-VALUE})")
    int context;

    @Option(names = "--no-report", description = "skip the HTML report at the end")
    boolean noReport;

    @Option(names = "--ui", description = "enable the Spark UI")
    boolean ui;

    @Override
    public Integer call() {
        String suite = Path.of(tasks).getFileName().toString();
        Path runDir = out != null ? out : Path.of("runs", suite + "-" + method + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        TrainConfig cfg = config(init != null ? init : Path.of("runs", "base-" + suite));
        SparkSession spark = SparkSessions.forJob("passk-train", ui);
        ConsoleProgress progress = ConsoleProgress.on(System.err);
        if (init == null) {
            BaseModel.ensure(spark, tasks, Path.of(cfg.initPolicy()), new BaseModel.Settings(context, layers, width,
                    heads, warmupSteps, 32, 3e-3, seed), progress);
        }
        PassAtKTraining.Outcome o = PassAtKTraining.run(spark, cfg, runDir, resume, provenance(spark), progress);
        System.out.println("run: " + o.run());
        if (!noReport) {
            System.out.println("report: " + RunReport.write(List.of(o.run()), o.run().resolve("report")));
        }
        int kk = cfg.schedule().k();
        System.out.printf(Locale.ROOT, "held-out pass@1 %.3f -> %.3f, pass@%d %.3f -> %.3f%n",
                o.before().at(1), o.after().at(1), kk, o.before().at(kk), o.after().at(kk));
        return Passk.EXIT_OK;
    }

    TrainConfig config(Path initPath) {
        AdvantageMethod m = AdvantageMethod.fromName(method);
        int kk = m == AdvantageMethod.PASS1 ? 1 : k;
        return new TrainConfig(tasks, initPath.toString(), m, KSchedule.parse(schedule, kk, epochs), AdvantageMix.parse(mix),
                n, promptsPerEpoch, epochs, new LearnerConfig(lr, clipLow, clipHigh, klBeta, miniBatches, passes,
                maxGradNorm, temperature), evalEvery, evalProblems, evalSamples, maxNewTokens, topP, batchSize,
                bootstrapGroups, seed);
    }

    static Map<String, Object> provenance(SparkSession spark) {
        Map<String, Object> p = new LinkedHashMap<>(Provenance.versions(spark));
        p.put("spark_master", spark.sparkContext().master());
        p.put("started", java.time.Instant.now().toString());
        return p;
    }
}
