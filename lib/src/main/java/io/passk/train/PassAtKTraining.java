package io.passk.train;

import ai.djl.Device;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.passk.BadInputException;
import io.passk.Columns;
import io.passk.advantage.AdvantageMethod;
import io.passk.advantage.spark.PassAtKAdvantage;
import io.passk.estimate.Correctness;
import io.passk.estimate.PassAtK;
import io.passk.learn.Learner;
import io.passk.learn.TrainingExample;
import io.passk.policy.Checkpoint;
import io.passk.policy.EngineThreads;
import io.passk.policy.Policy;
import io.passk.policy.PolicyTrainer;
import io.passk.progress.SparkStageProgress;
import io.passk.random.SeededRandom;
import io.passk.rollout.RolloutGenerator;
import io.passk.task.Problem;
import io.passk.task.TaskSuite;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.apache.spark.sql.functions.col;

/**
 * The Pass@k training loop (DESIGN.md, "The epoch"). One epoch:
 * <ol>
 *   <li>sample P training problems (seeded by (seed, epoch));</li>
 *   <li>rollouts on executors ({@link RolloutGenerator}) to {@code RUN/rollouts/epoch=t/};</li>
 *   <li>advantages with {@link PassAtKAdvantage} (method and k of the epoch's schedule, mixed
 *       with Pass@1 by {@link AdvantageMix});</li>
 *   <li>the training batch to the driver and one {@link Learner} update (clipped surrogate,
 *       Adam, gradient clipping);</li>
 *   <li>held-out pass@k every M epochs and after the last;</li>
 *   <li>the metrics row, then the checkpoint rename that commits the epoch.</li>
 * </ol>
 * Adam's moments start fresh each epoch (each epoch optimises a new batch), so a resumed run
 * needs nothing beyond the checkpoint to continue bit for bit.
 */
public final class PassAtKTraining {

    /** Held-out samples use one fixed random stream (common random numbers across epochs and runs). */
    public static final int HELDOUT_STREAM = 1_000_000;
    /** The epoch label of the held-out evaluation of the initial policy. */
    public static final int BEFORE_TRAINING = -1;
    /** PyTorch intra-op threads of the driver-side update (fixed: see {@link #epoch}). */
    public static final int LEARNER_THREADS = 1;

    /** What a finished (or resumed-to-the-end) run reports. */
    public record Outcome(Path run, HeldoutCurve before, HeldoutCurve after, List<EpochMetrics> metrics) {
    }

    private final SparkSession spark;
    private final TrainConfig cfg;
    private final RunDirectory run;
    private final List<Problem> train;
    private final List<Problem> heldout;

    private PassAtKTraining(SparkSession spark, TrainConfig cfg, RunDirectory run, List<Problem> train,
                            List<Problem> heldout) {
        this.spark = spark;
        this.cfg = cfg;
        this.run = run;
        this.train = train;
        this.heldout = heldout;
    }

    /**
     * Runs (or resumes) a training run into {@code out}.
     *
     * @param provenance versions and anything else to record in run.json
     */
    public static Outcome run(SparkSession spark, TrainConfig cfg, Path out, boolean resume,
                              Map<String, Object> provenance) {
        List<Problem> train = sorted(TaskSuite.problems(spark, cfg.tasksDir(), "train"));
        if (train.isEmpty()) {
            throw new BadInputException("task suite " + cfg.tasksDir() + " has no train problems");
        }
        List<Problem> test = heldoutProblems(spark, cfg);
        if (!Files.isDirectory(Path.of(cfg.initPolicy()))) {
            throw new BadInputException("--init " + cfg.initPolicy() + " is not a checkpoint directory");
        }
        JsonElement config = JsonParser.parseString(RunDirectory.toJson(cfg.toMap()));
        RunDirectory run;
        if (resume && Files.exists(out.resolve("run.json"))) {
            run = RunDirectory.resume(out);
            JsonElement before = run.runJson().get("config");
            if (!config.equals(before)) {
                throw new BadInputException("--resume: " + out + " was started with a different configuration: "
                        + RunDirectory.differences(before, config));
            }
        } else {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", out.getFileName().toString());
            json.put("method", cfg.method().cliName());
            json.put("k", cfg.schedule().k());
            json.put("seed", cfg.seed());
            json.put("config", cfg.toMap());
            json.put("provenance", provenance);
            run = RunDirectory.create(out, json);
        }
        return new PassAtKTraining(spark, cfg, run, train, test).loop();
    }

    /** The held-out problems of a run: the test split sorted by id, the first {@code evalProblems} (0: all). */
    public static List<Problem> heldoutProblems(SparkSession spark, TrainConfig cfg) {
        List<Problem> test = sorted(TaskSuite.problems(spark, cfg.tasksDir(), "test"));
        if (test.isEmpty()) {
            throw new BadInputException("task suite " + cfg.tasksDir() + " has no test problems for held-out evaluation");
        }
        if (cfg.evalProblems() > 0 && test.size() > cfg.evalProblems()) {
            test = test.subList(0, cfg.evalProblems());
        }
        return test;
    }

    /**
     * Held-out evaluation of any checkpoint outside the epoch loop (an experiment's final,
     * larger evaluation): {@code samples} answers per held-out problem from the held-out random
     * stream of {@code cfg.seed()}, stored under {@code target} (replaced), and the unbiased
     * pass@k (REFERENCE.md) with a 95% bootstrap interval for every k in {@code ks}.
     */
    public static HeldoutCurve evaluateCheckpoint(SparkSession spark, TrainConfig cfg, String policyPath, int samples,
                                                  int[] ks, Path target, String stage) {
        for (int k : ks) {
            if (k < 1 || k > samples) {
                throw new BadInputException("held-out k " + k + " is outside 1.." + samples + " samples");
            }
        }
        RunDirectory.deleteRecursively(target);
        writeRollouts(spark, cfg, heldoutProblems(spark, cfg), policyPath, samples, HELDOUT_STREAM, target, stage);
        return HeldoutCurve.of(BEFORE_TRAINING, spark.read().parquet(target.toString()), ks, cfg.seed());
    }

    private Outcome loop() {
        int last = run.lastCompleteEpoch().orElse(-1);
        run.discardAfter(last);
        String policyPath = last >= 0 ? run.checkpoint(last).toString() : cfg.initPolicy();
        if (last >= 0) {
            System.err.printf(Locale.ROOT, "resuming %s after epoch %d%n", run.root(), last);
        }
        if (!Files.exists(run.heldoutCurve(BEFORE_TRAINING))) {
            evaluate(BEFORE_TRAINING, policyPath);
        }
        Policy policy = null;
        Policy reference = null;
        try {
            for (int epoch = last + 1; epoch < cfg.epochs(); epoch++) {
                if (policy == null) {
                    policy = Checkpoint.read(Path.of(policyPath), Device.cpu());
                    if (cfg.learner().klBeta() > 0) {
                        reference = Checkpoint.read(Path.of(cfg.initPolicy()), Device.cpu());
                    }
                }
                policyPath = epoch(epoch, policyPath, policy, reference);
            }
        } finally {
            if (policy != null) {
                policy.close();
            }
            if (reference != null) {
                reference.close();
            }
        }
        List<EpochMetrics> metrics = readMetrics();
        int lastEval = RunDirectory.epochsUnder(run.root().resolve("heldout")).stream()
                .mapToInt(Integer::intValue).max().orElse(BEFORE_TRAINING);
        return new Outcome(run.root(), HeldoutCurve.read(run.heldoutCurve(BEFORE_TRAINING)),
                HeldoutCurve.read(run.heldoutCurve(lastEval)), metrics);
    }

    /** One epoch; returns the path of the checkpoint it committed. */
    private String epoch(int epoch, String policyPath, Policy policy, Policy reference) {
        long started = System.nanoTime();
        int k = cfg.schedule().kAt(epoch);
        AdvantageMethod method = cfg.methodAt(epoch);

        // 1-2. rollouts of this epoch's problems on the executors
        List<Problem> prompts = epochProblems(epoch);
        double tRollout = writeRollouts(spark, cfg, prompts, policyPath, cfg.samples(), epoch, run.rollouts(epoch),
                "epoch " + epoch + " rollouts");

        // 3. advantages as a DataFrame aggregation, then the batch to the driver
        long t0 = System.nanoTime();
        Dataset<Row> rollouts = spark.read().parquet(run.rollouts(epoch).toString());
        Dataset<Row> withAdvantage = advantages(rollouts, method, k, epoch);
        List<Row> batch = withAdvantage.select(Columns.PROBLEM_ID, "sample_idx", "prompt", "response",
                        "response_tokens", "token_logprobs", "token_entropy", "reward", "advantage", "lambda")
                .orderBy(Columns.PROBLEM_ID, "sample_idx").collectAsList();
        double tAdvantage = seconds(t0);

        // 4. learner update on the driver
        t0 = System.nanoTime();
        List<TrainingExample> examples = new ArrayList<>(batch.size());
        for (Row r : batch) {
            examples.add(new TrainingExample(policy.tokenizer().encodePrompt(r.getString(2)), ints(r.getList(4)),
                    floats(r.getList(5)), r.getDouble(8)));
        }
        Learner.Result learned;
        // PyTorch's thread pool is process-wide and executor tasks resize it; the reduction order
        // (so the float result) depends on it. A fixed count keeps the update reproducible
        // whatever ran before it in this JVM: local mode, a cluster driver, a resumed run.
        EngineThreads.configure(LEARNER_THREADS);
        try (PolicyTrainer trainer = policy.newTrainer(new PolicyTrainer.Settings(cfg.learner().learningRate(),
                0.9, 0.999, cfg.learner().maxGradNorm()))) {
            learned = new Learner(cfg.learner()).update(policy, trainer, reference, examples, cfg.seed(), epoch);
        }
        double tLearn = seconds(t0);

        // 5. the new policy, staged where executors can load it
        t0 = System.nanoTime();
        Path staged = RunDirectory.temporarySibling(run.checkpoint(epoch));
        Map<String, String> prov = new LinkedHashMap<>();
        prov.put("run", run.root().toString());
        prov.put("epoch", Integer.toString(epoch));
        prov.put("method", method.cliName());
        prov.put("k", Integer.toString(k));
        Checkpoint.write(policy, staged, prov);
        double tCheckpoint = seconds(t0);

        // 6. held-out evaluation every M epochs and after the last
        double tEval = 0;
        HeldoutCurve curve = null;
        if ((epoch + 1) % cfg.evalEvery() == 0 || epoch == cfg.epochs() - 1) {
            t0 = System.nanoTime();
            curve = evaluate(epoch, staged.toString());
            tEval = seconds(t0);
        }

        // 7. metrics, then the rename that commits the epoch
        EpochMetrics m = metrics(epoch, method, k, batch, learned, curve, tRollout, tAdvantage, tLearn, tEval,
                tCheckpoint, seconds(started));
        run.writeJsonAtomically(run.metricsRow(epoch), m.toMap());
        writeTables();
        RunDirectory.moveAtomically(staged, run.checkpoint(epoch));
        System.err.println(summaryLine(m));
        return run.checkpoint(epoch).toString();
    }

    /** P problems of the train split, a seeded choice per (seed, epoch). */
    List<Problem> epochProblems(int epoch) {
        List<Problem> pool = new ArrayList<>(train);
        SplittableRandom rnd = new SplittableRandom(SeededRandom.key(cfg.seed(), epoch, 0x7a5cL));
        int p = Math.min(cfg.promptsPerEpoch(), pool.size());
        for (int i = 0; i < p; i++) {
            int j = i + rnd.nextInt(pool.size() - i);
            Problem t = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, t);
        }
        return sorted(pool.subList(0, p));
    }

    private static double writeRollouts(SparkSession spark, TrainConfig cfg, List<Problem> problems,
                                        String policyPath, int samples, int epoch, Path target, String stage) {
        int partitions = Math.max(1, Math.min(problems.size(), spark.sparkContext().defaultParallelism() * 2));
        Dataset<Row> prompts = spark.createDataFrame(problems.stream().map(TaskSuite::toRow).toList(), TaskSuite.SCHEMA)
                .repartition(partitions, col(Columns.PROBLEM_ID));
        RolloutGenerator generator = new RolloutGenerator().setPolicyPath(policyPath).setNumSamples(samples)
                .setTemperature(cfg.learner().temperature()).setTopP(cfg.topP()).setMaxNewTokens(cfg.maxNewTokens())
                .setBatchSize(cfg.batchSize()).setSeed(cfg.seed()).setEpoch(epoch);
        Path tmp = RunDirectory.temporarySibling(target);
        try (SparkStageProgress progress = new SparkStageProgress(spark.sparkContext(), stage + " (Spark tasks)")) {
            // the directory name carries the epoch (Hive-style partition), so the column is dropped
            generator.transform(prompts).drop("epoch").write().parquet(tmp.toString());
            RunDirectory.moveAtomically(tmp, target);
            return progress.seconds();
        } catch (RuntimeException e) {
            RunDirectory.deleteRecursively(tmp);
            throw e;
        }
    }

    private Dataset<Row> advantages(Dataset<Row> rollouts, AdvantageMethod method, int k, int epoch) {
        PassAtKAdvantage passk = new PassAtKAdvantage().setMethod(method.cliName()).setK(k).setSeed(cfg.seed())
                .setEpoch(epoch).setBootstrapGroups(cfg.bootstrapGroups());
        if (method == AdvantageMethod.PASS1 || !cfg.mix().isMixing()) {
            return passk.transform(rollouts).withColumn("lambda",
                    org.apache.spark.sql.functions.lit(method == AdvantageMethod.PASS1 ? 0.0 : 1.0));
        }
        Dataset<Row> both = new PassAtKAdvantage().setMethod("pass1").setK(1).setOutputCol("advantage_pass1")
                .transform(passk.setOutputCol("advantage_passk").transform(rollouts));
        return cfg.mix().apply(both, Columns.PROBLEM_ID, "advantage_passk", "advantage_pass1", "reward", "token_entropy",
                "advantage", epoch, cfg.epochs());
    }

    /** Samples the held-out problems with a policy, stores them and their pass@k curve. */
    private HeldoutCurve evaluate(int epoch, String policyPath) {
        Path target = run.heldoutRollouts(epoch);
        RunDirectory.deleteRecursively(target.getParent());
        writeRollouts(spark, cfg, heldout, policyPath, cfg.evalSamples(), HELDOUT_STREAM, target,
                (epoch == BEFORE_TRAINING ? "initial" : "epoch " + epoch) + " held-out");
        HeldoutCurve curve = HeldoutCurve.of(epoch, spark.read().parquet(target.toString()), cfg.heldoutKs(), cfg.seed());
        curve.write(run.heldoutCurve(epoch));
        return curve;
    }

    private EpochMetrics metrics(int epoch, AdvantageMethod method, int k, List<Row> batch, Learner.Result learned,
                                 HeldoutCurve curve, double tRollout, double tAdvantage, double tLearn, double tEval,
                                 double tCheckpoint, double tTotal) {
        Map<String, List<Row>> byProblem = new LinkedHashMap<>();
        for (Row r : batch) {
            byProblem.computeIfAbsent(r.getString(0), x -> new ArrayList<>()).add(r);
        }
        int nominalK = cfg.schedule().k();
        double reward = 0;
        double entropy = 0;
        double length = 0;
        double lambda = 0;
        long tokens = 0;
        for (Row r : batch) {
            reward += r.getDouble(7);
            entropy += r.getFloat(6);
            tokens += r.getList(4).size();
            lambda += r.getDouble(9);
        }
        double pass1 = 0;
        double passk = 0;
        double diversity = 0;
        for (List<Row> rows : byProblem.values()) {
            int n = rows.size();
            int c = 0;
            Set<String> distinct = new HashSet<>();
            for (Row r : rows) {
                if (Correctness.isCorrect(r.getDouble(7))) {
                    c++;
                }
                distinct.add(r.getString(3));
            }
            pass1 += PassAtK.passAtK(n, c, 1);
            passk += PassAtK.passAtK(n, c, Math.min(nominalK, n));
            diversity += (double) distinct.size() / n;
        }
        int rows = Math.max(1, batch.size());
        int problems = Math.max(1, byProblem.size());
        length = (double) tokens / rows;
        double heldout1 = curve == null ? Double.NaN : curve.at(1);
        double heldoutK = curve == null ? Double.NaN : curve.at(nominalK);
        return new EpochMetrics(epoch, method.cliName(), k, lambda / rows, reward / rows, pass1 / problems,
                passk / problems, heldout1, heldoutK, entropy / rows, diversity / problems, length,
                tRollout > 0 ? tokens / tRollout : Double.NaN, learned.meanLoss(), tRollout, tAdvantage, tLearn, tEval,
                tCheckpoint, tTotal);
    }

    private String summaryLine(EpochMetrics m) {
        String held = Double.isNaN(m.heldoutPassAt1()) ? ""
                : String.format(Locale.ROOT, "  held-out pass@1 %.3f pass@%d %.3f", m.heldoutPassAt1(),
                cfg.schedule().k(), m.heldoutPassAtK());
        return String.format(Locale.ROOT,
                "epoch %d/%d  %s k=%d  reward %.3f  pass@1 %.3f  pass@%d %.3f  entropy %.3f  loss %.4f%s  (%.1f s)",
                m.epoch() + 1, cfg.epochs(), m.method(), m.k(), m.meanReward(), m.trainPassAt1(), cfg.schedule().k(),
                m.trainPassAtK(), m.entropy(), m.loss(), held, m.secondsTotal());
    }

    /** Rebuilds metrics.csv, metrics.parquet and heldout.csv from the per-epoch files. */
    private void writeTables() {
        List<EpochMetrics> metrics = readMetrics();
        StringBuilder csv = new StringBuilder(String.join(",", EpochMetrics.COLUMNS)).append('\n');
        metrics.forEach(m -> csv.append(m.csvLine()).append('\n'));
        RunDirectory.writeStringAtomically(run.metricsCsv(), csv.toString());
        StringBuilder held = new StringBuilder(HeldoutCurve.HEADER).append('\n');
        for (int e : RunDirectory.epochsUnder(run.root().resolve("heldout"))) {
            Path f = run.heldoutCurve(e);
            if (Files.exists(f)) {
                try {
                    Files.readAllLines(f).stream().skip(1).forEach(l -> held.append(l).append('\n'));
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }
        }
        RunDirectory.writeStringAtomically(run.heldoutCsv(), held.toString());
        Path tmp = RunDirectory.temporarySibling(run.metricsParquet());
        spark.read().option("header", true).option("inferSchema", true).csv(run.metricsCsv().toString())
                .coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(tmp.toString());
        RunDirectory.deleteRecursively(run.metricsParquet());
        RunDirectory.moveAtomically(tmp, run.metricsParquet());
    }

    private List<EpochMetrics> readMetrics() {
        List<EpochMetrics> out = new ArrayList<>();
        for (int e : RunDirectory.epochsUnder(run.root().resolve("metrics"))) {
            try {
                JsonObject o = JsonParser.parseString(Files.readString(run.metricsRow(e))).getAsJsonObject();
                Map<String, Object> m = new HashMap<>();
                o.entrySet().forEach(en -> m.put(en.getKey(), en.getValue().isJsonNull() ? null
                        : en.getValue().getAsJsonPrimitive().isNumber() ? en.getValue().getAsDouble()
                        : en.getValue().getAsString()));
                out.add(EpochMetrics.fromMap(m));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return out;
    }

    private static List<Problem> sorted(List<Problem> problems) {
        List<Problem> out = new ArrayList<>(problems);
        out.sort(Comparator.comparing(Problem::problemId));
        return out;
    }

    private static int[] ints(List<Object> xs) {
        int[] out = new int[xs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) xs.get(i)).intValue();
        }
        return out;
    }

    private static float[] floats(List<Object> xs) {
        float[] out = new float[xs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) xs.get(i)).floatValue();
        }
        return out;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
