package io.passk.train;

import io.passk.advantage.spark.AdvantageMix;
import io.passk.Columns;
import io.passk.advantage.AdvantageMethod;
import io.passk.advantage.spark.PassAtKAdvantage;
import io.passk.fs.AtomicOutput;
import io.passk.learn.Learner;
import io.passk.learn.RolloutCorrection;
import io.passk.run.RolloutMismatch;
import io.passk.learn.TrainingExample;
import io.passk.policy.EngineThreads;
import io.passk.policy.PolicyModel;
import io.passk.policy.PolicyTrainer;
import io.passk.progress.EpochEvent;
import io.passk.progress.ProgressListener;
import io.passk.random.SeededRandom;
import io.passk.rollout.RolloutSchema;
import io.passk.run.EpochMetrics;
import io.passk.run.HeldoutCurve;
import io.passk.run.RunDirectory;
import io.passk.run.StageSeconds;
import io.passk.task.Problem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static org.apache.spark.sql.functions.lit;

/**
 * One epoch of the training loop (docs/design.md#the-epoch):
 * <ol>
 *   <li>sample P training problems (seeded by (seed, epoch));</li>
 *   <li>rollouts on executors to {@code RUN/rollouts/epoch=t/};</li>
 *   <li>advantages with {@link PassAtKAdvantage} (method and k of the epoch's schedule, mixed
 *       with Pass@1 by {@link AdvantageMix}), the batch to the driver;</li>
 *   <li>one {@link Learner} update (clipped surrogate, Adam, gradient clipping);</li>
 *   <li>the new policy staged as a hidden checkpoint, where executors can load it;</li>
 *   <li>held-out pass@k every M epochs and after the last ({@link HeldoutEvaluation});</li>
 *   <li>the metrics row and tables, then the checkpoint rename that commits the epoch.</li>
 * </ol>
 * Adam's moments start fresh each epoch (each epoch optimises a new batch), so a resumed run
 * needs nothing beyond the checkpoint to continue bit for bit.
 */
final class TrainingEpoch {

    /**
     * PyTorch intra-op threads of the driver-side update and the base model's warm-up: fixed, so
     * that an update is bit-reproducible whatever the machine; 2, because nothing else runs while
     * the driver learns (the maze warm-up: 8.3 s for 100 steps against 12.2 s with 1 thread, on
     * this project's 2-core machine, docs/benchmarks.md#the-training-demo).
     */
    static final int LEARNER_THREADS = 2;

    private final SparkSession spark;
    private final TrainConfig cfg;
    private final RunDirectory run;
    private final List<Problem> train;
    private final HeldoutEvaluation heldout;
    private final ProgressListener listener;

    TrainingEpoch(SparkSession spark, TrainConfig cfg, RunDirectory run, List<Problem> train, HeldoutEvaluation heldout,
                  ProgressListener listener) {
        this.spark = spark;
        this.cfg = cfg;
        this.run = run;
        this.train = train;
        this.heldout = heldout;
        this.listener = listener;
    }

    /** Runs epoch {@code epoch} from the policy at {@code policyPath}; returns the checkpoint it committed. */
    String run(int epoch, String policyPath, PolicyModel policy, PolicyModel reference) {
        long started = System.nanoTime();
        int k = cfg.schedule().kAt(epoch);
        AdvantageMethod method = cfg.methodAt(epoch);

        // 1-2. rollouts of this epoch's problems on the executors
        double tRollout = Rollouts.write(spark, cfg, problems(epoch), policyPath, cfg.sampling().n(), epoch,
                run.rollouts(epoch), "epoch " + epoch + " rollouts", listener);

        // 3. advantages as a DataFrame aggregation, then the batch to the driver
        long t0 = System.nanoTime();
        Dataset<Row> rollouts = spark.read().parquet(run.rollouts(epoch).toString());
        List<BatchRow> batch = BatchRow.collect(advantages(rollouts, method, k, epoch));
        double tAdvantage = seconds(t0);

        // 4. learner update on the driver
        t0 = System.nanoTime();
        Learned learned = learn(batch, policy, reference, epoch);
        double tLearn = seconds(t0);

        // 5. the new policy, staged where executors can load it (committed in 7)
        t0 = System.nanoTime();
        try (AtomicOutput staged = AtomicOutput.begin(run.checkpoint(epoch), false, listener)) {
            Map<String, String> prov = new LinkedHashMap<>();
            prov.put("run", run.root().toString());
            prov.put("epoch", Integer.toString(epoch));
            prov.put("method", method.cliName());
            prov.put("k", Integer.toString(k));
            policy.writeCheckpoint(staged.localDir(), prov, cfg.format().saveDtype());
            double tCheckpoint = seconds(t0);

            // 6. held-out evaluation every M epochs and after the last
            double tEval = 0;
            HeldoutCurve curve = null;
            if ((epoch + 1) % cfg.heldout().every() == 0 || epoch == cfg.epochs() - 1) {
                t0 = System.nanoTime();
                curve = heldout.evaluate(run, epoch, staged.localDir().toString());
                tEval = seconds(t0);
            }

            // 7. metrics, then the rename that commits the epoch
            BatchStatistics s = BatchStatistics.of(batch, cfg.schedule().k());
            EpochMetrics m = new EpochMetrics(epoch, method.cliName(), k, s.lambda(), s.meanReward(), s.trainPassAt1(),
                    s.trainPassAtK(), curve == null ? Double.NaN : curve.at(1),
                    curve == null ? Double.NaN : curve.at(cfg.schedule().k()), s.entropy(), s.diversity(),
                    s.responseLength(), tRollout > 0 ? s.tokens() / tRollout : Double.NaN, learned.result().meanLoss(),
                    new StageSeconds(tRollout, tAdvantage, tLearn, tEval, tCheckpoint, seconds(started)),
                    learned.mismatch());
            run.writeMetricsRow(m);
            run.writeTables(spark);
            staged.commit();
            listener.onEpoch(new EpochEvent(m.epoch(), cfg.epochs(), m.method(), m.k(), cfg.schedule().k(),
                    m.meanReward(), m.trainPassAt1(), m.trainPassAtK(), m.entropy(), m.loss(), m.heldoutPassAt1(),
                    m.heldoutPassAtK(), m.seconds().total()));
        }
        return run.checkpoint(epoch).toString();
    }

    /** P problems of the train split, a seeded choice per (seed, epoch). */
    List<Problem> problems(int epoch) {
        List<Problem> pool = new ArrayList<>(train);
        SplittableRandom rnd = new SplittableRandom(SeededRandom.key(cfg.seed(), epoch, 0x7a5cL));
        int p = Math.min(cfg.promptsPerEpoch(), pool.size());
        for (int i = 0; i < p; i++) {
            int j = i + rnd.nextInt(pool.size() - i);
            Problem t = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, t);
        }
        return HeldoutEvaluation.byId(pool.subList(0, p));
    }

    private Dataset<Row> advantages(Dataset<Row> rollouts, AdvantageMethod method, int k, int epoch) {
        PassAtKAdvantage passk = new PassAtKAdvantage().setMethod(method.cliName()).setK(k).setSeed(cfg.seed())
                .setEpoch(epoch).setBootstrapGroups(cfg.bootstrapGroups());
        if (method == AdvantageMethod.PASS1 || !cfg.mix().isMixing()) {
            return passk.transform(rollouts).withColumn(BatchRow.LAMBDA,
                    lit(method == AdvantageMethod.PASS1 ? 0.0 : 1.0));
        }
        Dataset<Row> both = new PassAtKAdvantage().setMethod("pass1").setK(1).setOutputCol("advantage_pass1")
                .transform(passk.setOutputCol("advantage_passk").transform(rollouts));
        return cfg.mix().apply(both, Columns.PROBLEM_ID, "advantage_passk", "advantage_pass1",
                RolloutSchema.REWARD, RolloutSchema.TOKEN_ENTROPY, BatchRow.ADVANTAGE, epoch, cfg.epochs());
    }

    /** The update and, when a server sampled the batch, the rollout-learner mismatch it corrected. */
    private record Learned(Learner.Result result, RolloutMismatch mismatch) {
    }

    private Learned learn(List<BatchRow> batch, PolicyModel policy, PolicyModel reference, int epoch) {
        List<TrainingExample> examples = new ArrayList<>(batch.size());
        for (BatchRow r : batch) {
            // the ids the rollout was sampled after: under the instruction style they are not the prompt column's
            examples.add(new TrainingExample(r.promptTokens(), r.responseTokens(), r.tokenLogprobs(), r.advantage()));
        }
        // PyTorch's thread pool is process-wide and executor tasks resize it; the reduction order
        // (so the float result) depends on it. A fixed count keeps the update reproducible
        // whatever ran before it in this JVM: local mode, a cluster driver, a resumed run.
        EngineThreads.configure(LEARNER_THREADS);
        RolloutMismatch mismatch = null;
        if (cfg.rollout().isServer()) {
            // another engine sampled: the learner's own old log-probs, before the first update, and
            // truncated importance weights min(pi_learner_old / pi_rollout, C) on every token
            RolloutCorrection c = RolloutCorrection.of(policy, examples, cfg.learner().temperature(),
                    cfg.rollout().isCap());
            examples = c.examples();
            mismatch = new RolloutMismatch(c.meanAbsDelta(), c.maxAbsDelta(), c.truncatedFraction());
        }
        try (PolicyTrainer trainer = policy.newTrainer(new PolicyTrainer.Settings(cfg.learner().learningRate(),
                0.9, 0.999, cfg.learner().maxGradNorm()))) {
            return new Learned(new Learner(cfg.learner()).update(policy, trainer, reference, examples, cfg.seed(),
                    epoch), mismatch);
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
