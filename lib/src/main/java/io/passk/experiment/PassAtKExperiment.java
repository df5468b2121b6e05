package io.passk.experiment;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.passk.BadInputException;
import io.passk.Columns;
import io.passk.experiment.ExperimentComparison.ProblemFinal;
import io.passk.experiment.ExperimentComparison.RunResult;
import io.passk.experiment.ExperimentConfig.BaseReplicate;
import io.passk.experiment.ExperimentConfig.MethodRun;
import io.passk.fs.AtomicOutput;
import io.passk.progress.ProgressListener;
import io.passk.run.EpochMetrics;
import io.passk.run.HeldoutCsv;
import io.passk.run.HeldoutCurve;
import io.passk.run.HeldoutPoint;
import io.passk.run.RunData;
import io.passk.run.RunDirectory;
import io.passk.run.RunJson;
import io.passk.task.TaskSuiteWriter;
import io.passk.train.BaseModel;
import io.passk.train.HeldoutEvaluation;
import io.passk.train.PassAtKTraining;
import io.passk.train.TrainConfig;
import io.passk.policy.PolicySource;
import io.passk.rollout.RolloutSchema;
import io.passk.spark.SparkCorrectness;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Runs an experiment ({@link ExperimentConfig}) into one directory and compares the methods:
 * <ol>
 *   <li>the task suite (generated into {@code OUT/tasks/} unless the config names one);</li>
 *   <li>each base model, warm-up trained into {@code OUT/base/} (with replicates
 *       {@code OUT/base/BASE/}, e.g. {@code b1} for warm-up seed 1) unless {@code base_model.dir}
 *       names existing ones;</li>
 *   <li>each base model's final held-out evaluation once per seed ({@code OUT/base-eval/[BASE/]seed-S/});</li>
 *   <li>on each base model, every method × seed as an ordinary training run
 *       ({@code OUT/runs/METHOD-[BASE-]seedS/}, the same rollout budget for all), then its final
 *       held-out evaluation with more samples per problem, pass@k for k = 1..N ({@code RUN/final/});</li>
 *   <li>the comparison table and plots ({@link ExperimentReport}, {@code OUT/report/}).</li>
 * </ol>
 * Every step is skipped when its output is complete, and an interrupted training run continues
 * from its last complete epoch, so {@code --resume} after a kill redoes only the unfinished
 * work and (runs being deterministic) ends with the same numbers.
 */
public final class PassAtKExperiment {

    public static final String CONFIG_FILE = "experiment.json";
    static final String CURVE = HeldoutCsv.CURVE_FILE_NAME;
    static final String TIMING = "timing.json";

    private final SparkSession spark;
    private final ExperimentConfig cfg;
    private final Path out;
    private final Map<String, Object> provenance;
    private final ProgressListener log;

    private PassAtKExperiment(SparkSession spark, ExperimentConfig cfg, Path out, Map<String, Object> provenance,
                              ProgressListener log) {
        this.spark = spark;
        this.cfg = cfg;
        this.out = out;
        this.provenance = provenance;
        this.log = log;
    }

    /** What a finished experiment reports. */
    public record Outcome(Path out, Path report, String table) {
    }

    /**
     * Runs (or with {@code resume} continues) the experiment in {@code out}.
     *
     * @throws BadInputException {@code out} exists without {@code resume}, or holds an
     *                           experiment with another configuration, or is not an experiment
     */
    public static Outcome run(SparkSession spark, ExperimentConfig cfg, Path out, boolean resume,
                              Map<String, Object> provenance, PrintStream log) {
        return run(spark, cfg, out, resume, provenance, (ProgressListener) log::println);
    }

    /** {@link #run(SparkSession, ExperimentConfig, Path, boolean, Map, PrintStream)} reporting to a listener. */
    public static Outcome run(SparkSession spark, ExperimentConfig cfg, Path out, boolean resume,
                              Map<String, Object> provenance, ProgressListener log) {
        Path root = out.toAbsolutePath().normalize();
        boolean fresh = prepare(cfg, root, resume, provenance, log);
        PassAtKExperiment experiment = new PassAtKExperiment(spark, cfg, root, provenance, log);
        String tasksDir;
        try {
            tasksDir = experiment.tasks();
        } catch (RuntimeException e) {
            if (fresh) {
                // the suite cannot be generated as configured: leave no half-made experiment behind
                AtomicOutput.deleteRecursively(root);
            }
            throw e;
        }
        return experiment.runAll(tasksDir);
    }

    /** Checks or creates the experiment directory; true when it was created now. */
    private static boolean prepare(ExperimentConfig cfg, Path root, boolean resume, Map<String, Object> provenance,
                                   ProgressListener log) {
        Path json = root.resolve(CONFIG_FILE);
        JsonElement now = JsonParser.parseString(RunJson.toJson(cfg.toMap()));
        if (Files.exists(json)) {
            if (!resume) {
                throw new BadInputException("experiment directory " + root + " already exists; pass --resume to "
                        + "continue it or choose another --out");
            }
            JsonElement before;
            try {
                before = JsonParser.parseString(Files.readString(json)).getAsJsonObject().get("config");
            } catch (IOException | RuntimeException e) {
                throw new BadInputException(json + ": cannot read the experiment's configuration (" + e.getMessage() + ")");
            }
            if (!now.equals(before)) {
                throw new BadInputException("--resume: " + root + " was started with a different configuration: "
                        + RunJson.differences(before, now));
            }
            return false;
        }
        try (var entries = Files.exists(root) ? Files.list(root) : java.util.stream.Stream.<Path>empty()) {
            if (entries.findAny().isPresent()) {
                throw new BadInputException(root + " exists and is not an experiment directory (no " + CONFIG_FILE + ")");
            }
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root, e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", cfg.name());
        m.put("config", cfg.toMap());
        m.put("provenance", provenance);
        AtomicOutput.writeString(json, RunJson.toJson(m), log);
        return true;
    }

    private Outcome runAll(String tasksDir) {
        List<BaseReplicate> bases = cfg.baseModels();
        Map<BaseReplicate, PolicySource> basePaths = new LinkedHashMap<>();
        List<RunResult> baseResults = new ArrayList<>();
        for (BaseReplicate b : bases) {
            PolicySource base;
            if (b.dir() != null) {
                // an existing base model (passk checkpoint or Hugging Face directory), checked when the file was read
                base = PolicySource.of(b.dir());
                log.message("base model" + (b.label() == null ? "" : " " + b.label()) + ": " + base.dir()
                        + " (base_model.dir)");
            } else {
                Path dir = b.label() == null ? out.resolve("base") : out.resolve("base").resolve(b.label());
                // the character model the warm-up writes (or an old built-in checkpoint already there)
                base = PolicySource.of(BaseModel.ensure(spark, tasksDir, dir, b.warmup(), log));
            }
            basePaths.put(b, base);
            MethodRun first = cfg.methods().get(0);
            for (long seed : cfg.seeds()) {
                TrainConfig tc = cfg.trainConfig(first, seed, tasksDir, base);
                Path dir = baseEvalDirectory(b, seed);
                finalEvaluation(tc, base.dir().toString(), dir, "base model" + where(b) + ", seed " + seed);
                baseResults.add(readResult(ExperimentComparison.BASE, b.label(), seed, dir, null));
            }
        }
        // seeds outermost: an interrupted experiment has complete (base model × method) blocks for
        // its first seeds; the runs are independent, so the order changes no number
        int total = bases.size() * cfg.methods().size() * cfg.seeds().size();
        int done = 0;
        double secondsThisProcess = 0;
        int runThisProcess = 0;
        for (long seed : cfg.seeds()) {
            for (BaseReplicate b : bases) {
                for (MethodRun m : cfg.methods()) {
                    Path runDir = runDirectory(b, m, seed);
                    done++;
                    if (Files.exists(runDir.resolve("final").resolve(CURVE))) {
                        log.message(String.format(Locale.ROOT, "[experiment] run %d/%d: %s seed %d%s already complete",
                                done, total, m.name(), seed, where(b)));
                        continue;
                    }
                    String eta = runThisProcess == 0 ? "" : String.format(Locale.ROOT, ", ETA %.0f min",
                            secondsThisProcess / runThisProcess * (total - done + 1) / 60);
                    log.message(String.format(Locale.ROOT, "[experiment] run %d/%d: %s seed %d%s%s", done, total,
                            m.name(), seed, where(b), eta));
                    long t0 = System.nanoTime();
                    TrainConfig tc = cfg.trainConfig(m, seed, tasksDir, basePaths.get(b));
                    PassAtKTraining.Outcome o = PassAtKTraining.run(spark, tc, runDir, true, provenance, log);
                    RunDirectory run = RunDirectory.open(runDir, log);
                    String last = run.checkpoint(run.lastCompleteEpoch().orElseThrow(
                            () -> new IllegalStateException(runDir + " has no checkpoint"))).toString();
                    // sampled in the prompt style the run resolved and recorded
                    finalEvaluation(PassAtKTraining.resolveFormat(tc, runDir, true), last,
                            runDir.resolve("final"), m.name() + " seed " + seed + where(b));
                    secondsThisProcess += (System.nanoTime() - t0) / 1e9;
                    runThisProcess++;
                    log.message(String.format(Locale.ROOT,
                            "[experiment] run %d/%d done: %s seed %d%s, held-out pass@1 %.3f -> %.3f",
                            done, total, m.name(), seed, where(b), o.before().at(1), o.after().at(1)));
                }
            }
        }
        // table order: per base model, its evaluation rows, then every method's seeds
        List<RunResult> results = new ArrayList<>();
        for (BaseReplicate b : bases) {
            baseResults.stream().filter(r -> java.util.Objects.equals(r.base(), b.label())).forEach(results::add);
            for (MethodRun m : cfg.methods()) {
                for (long seed : cfg.seeds()) {
                    Path runDir = runDirectory(b, m, seed);
                    results.add(readResult(m.name(), b.label(), seed, runDir.resolve("final"), runDir));
                }
            }
        }
        ExperimentComparison comparison = new ExperimentComparison(results);
        Path report = ExperimentReport.write(cfg, comparison, out.resolve("report"));
        return new Outcome(out, report, comparison.markdown(ExperimentComparison.tableKs(cfg.finalSamples())));
    }

    private static String where(BaseReplicate b) {
        return b.label() == null ? "" : " on base model " + b.label();
    }

    /** {@code OUT/base-eval/[BASE/]seed-S}: the base model's final evaluation with one seed. */
    private Path baseEvalDirectory(BaseReplicate b, long seed) {
        Path dir = out.resolve("base-eval");
        return (b.label() == null ? dir : dir.resolve(b.label())).resolve("seed-" + seed);
    }

    /** {@code OUT/runs/METHOD-[BASE-]seedS}: one ordinary training run directory. */
    public Path runDirectory(BaseReplicate b, MethodRun m, long seed) {
        return out.resolve("runs").resolve(m.name() + (b.label() == null ? "" : "-" + b.label()) + "-seed" + seed);
    }

    private String tasks() {
        if (cfg.tasks().dir() != null) {
            return cfg.tasks().dir();
        }
        Path dir = out.resolve("tasks");
        if (!Files.isDirectory(dir)) {
            TaskSuiteWriter.write(spark, cfg.tasks().generate(), dir.toString(), false,
                    msg -> log.message("[experiment] tasks: " + msg));
        }
        return dir.toString();
    }

    /**
     * The final held-out evaluation of a checkpoint into {@code dir}, by the training's own
     * {@link HeldoutEvaluation} with more samples; the curve file, written last, marks it done.
     */
    private void finalEvaluation(TrainConfig tc, String policy, Path dir, String label) {
        if (Files.exists(dir.resolve(CURVE))) {
            return;
        }
        long t0 = System.nanoTime();
        HeldoutCurve curve = new HeldoutEvaluation(spark, tc, log).evaluate(policy, cfg.finalSamples(), cfg.finalKs(),
                dir.resolve("rollouts"), RunDirectory.BEFORE_TRAINING, "final evaluation, " + label);
        double seconds = (System.nanoTime() - t0) / 1e9;
        AtomicOutput.writeString(dir.resolve(TIMING), RunJson.toJson(Map.of("seconds", seconds)), log);
        HeldoutCsv.write(dir.resolve(CURVE), List.of(curve), log);
    }

    /**
     * The final evaluation per held-out problem, from its rollouts (empty when they were
     * deleted): samples, correct samples ({@link SparkCorrectness}) and mean token entropy.
     */
    private SortedMap<String, ProblemFinal> perProblem(Path finalDir) {
        SortedMap<String, ProblemFinal> out = new TreeMap<>();
        Path rollouts = finalDir.resolve("rollouts");
        if (!Files.isDirectory(rollouts)) {
            return out;
        }
        for (Row r : spark.read().parquet(rollouts.toString()).groupBy(col(Columns.PROBLEM_ID))
                .agg(count(lit(1)).as("n"),
                        sum(when(SparkCorrectness.isCorrect(col(RolloutSchema.REWARD)), 1L).otherwise(0L)).as("c"),
                        avg(col(RolloutSchema.TOKEN_ENTROPY)).as("h"))
                .collectAsList()) {
            out.put(r.getString(0), new ProblemFinal(Math.toIntExact(r.getLong(1)), Math.toIntExact(r.getLong(2)),
                    r.getDouble(3)));
        }
        return out;
    }

    private RunResult readResult(String method, String baseLabel, long seed, Path finalDir, Path runDir) {
        SortedMap<Integer, Double> fin = new TreeMap<>();
        try {
            HeldoutCsv.readCurve(finalDir.resolve(CURVE)).points().forEach(p -> fin.put(p.k(), p.passAtK()));
            JsonObject timing = JsonParser.parseString(Files.readString(finalDir.resolve(TIMING))).getAsJsonObject();
            double secondsFinal = timing.get("seconds").getAsDouble();
            SortedMap<Integer, SortedMap<Integer, Double>> heldout = new TreeMap<>();
            SortedMap<Integer, Double> entropy = new TreeMap<>();
            double secondsTrain = 0;
            if (runDir != null) {
                RunData run = RunDirectory.read(runDir);
                for (EpochMetrics e : run.metrics().epochs()) {
                    entropy.put(e.epoch(), e.entropy());
                    secondsTrain += e.seconds().total();
                }
                for (HeldoutCurve c : run.heldout().orElse(List.of())) {
                    SortedMap<Integer, Double> byK = new TreeMap<>();
                    for (HeldoutPoint p : c.points()) {
                        byK.put(p.k(), p.passAtK());
                    }
                    heldout.put(c.epoch(), byK);
                }
            }
            return new RunResult(method, baseLabel, seed, fin, heldout, entropy, secondsTrain, secondsFinal,
                    perProblem(finalDir));
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadInputException b) {
                throw b;
            }
            throw new BadInputException(finalDir + ": cannot read the final evaluation (" + e.getMessage() + ")");
        }
    }
}
