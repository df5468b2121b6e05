package io.passk.train;

import io.passk.spark.SparkCorrectness;
import io.passk.Columns;
import io.passk.BadInputException;
import io.passk.eval.BootstrapSummary;
import io.passk.eval.SummaryRow;
import io.passk.fs.AtomicOutput;
import io.passk.progress.ProgressListener;
import io.passk.rollout.RolloutSchema;
import io.passk.run.HeldoutCurve;
import io.passk.run.RunDirectory;
import io.passk.run.HeldoutPoint;
import io.passk.task.Problem;
import io.passk.task.TaskSuite;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * The held-out evaluation of a policy, the same for the training loop's periodic evaluation and
 * an experiment's final one: N samples per held-out problem (the test split sorted by id, the
 * first {@code evalProblems}) from one fixed random stream ({@link #STREAM}: common random
 * numbers across epochs and runs), per-problem (n, c) by a Spark aggregation, then the unbiased
 * pass@k of docs/reference.md#estimators averaged over problems with a 95% bootstrap interval
 * ({@link BootstrapSummary}, 1000 replicates seeded by the run seed).
 */
public final class HeldoutEvaluation {

    /** The random stream (the generator's epoch key) of every held-out sample. */
    public static final int STREAM = 1_000_000;

    private final SparkSession spark;
    private final TrainConfig cfg;
    private final List<Problem> problems;
    private final ProgressListener listener;

    /** Reads the held-out problems of {@code cfg}; a suite without test problems is bad input. */
    public HeldoutEvaluation(SparkSession spark, TrainConfig cfg, ProgressListener listener) {
        this.spark = spark;
        this.cfg = cfg;
        this.listener = listener;
        List<Problem> test = byId(TaskSuite.problems(spark, cfg.tasksDir(), "test"));
        if (test.isEmpty()) {
            throw new BadInputException("task suite " + cfg.tasksDir() + " has no test problems for held-out evaluation");
        }
        if (cfg.heldout().problems() > 0 && test.size() > cfg.heldout().problems()) {
            test = test.subList(0, cfg.heldout().problems());
        }
        this.problems = List.copyOf(test);
    }

    public List<Problem> problems() {
        return problems;
    }

    /**
     * The periodic held-out evaluation of a run: the configuration's held-out samples per problem
     * into {@code heldout/epoch=t/} (replaced), its curve for {@link TrainConfig#heldoutKs()}
     * written as {@code curve.csv} and returned.
     */
    public HeldoutCurve evaluate(RunDirectory run, int epoch, String policyPath) {
        AtomicOutput.deleteRecursively(run.heldout(epoch));
        HeldoutCurve curve = evaluate(policyPath, cfg.heldout().samples(), cfg.heldoutKs(), run.heldoutRollouts(epoch),
                epoch, (epoch == RunDirectory.BEFORE_TRAINING ? "initial" : "epoch " + epoch) + " held-out");
        run.writeHeldoutCurve(curve);
        return curve;
    }

    /** {@code problems} in problem_id order (what every sample of them is keyed and listed by). */
    static List<Problem> byId(List<Problem> problems) {
        List<Problem> out = new java.util.ArrayList<>(problems);
        out.sort(java.util.Comparator.comparing(Problem::problemId));
        return out;
    }

    /**
     * Samples {@code samples} answers per held-out problem with the policy at {@code policyPath}
     * into {@code rollouts} (replaced) and returns the curve labelled {@code epoch} for every k
     * in {@code ks}.
     */
    public HeldoutCurve evaluate(String policyPath, int samples, int[] ks, Path rollouts, int epoch, String stage) {
        for (int k : ks) {
            if (k < 1 || k > samples) {
                throw new BadInputException("held-out k " + k + " is outside 1.." + samples + " samples");
            }
        }
        AtomicOutput.deleteRecursively(rollouts);
        Rollouts.write(spark, cfg, problems, policyPath, samples, STREAM, rollouts, stage, listener);
        return curve(epoch, spark.read().parquet(rollouts.toString()), ks, cfg.seed());
    }

    /** pass@k with its interval for every k in {@code ks} from rollouts with problem_id and reward. */
    static HeldoutCurve curve(int epoch, Dataset<Row> rollouts, int[] ks, long seed) {
        Dataset<Row> byProblem = rollouts.groupBy(col(Columns.PROBLEM_ID))
                .agg(count(lit(1)).as("n"), sum(when(SparkCorrectness.isCorrect(col(RolloutSchema.REWARD)), 1L).otherwise(0L)).as("c"));
        List<HeldoutPoint> points = new ArrayList<>();
        for (SummaryRow r : BootstrapSummary.compute(byProblem, List.of(), ks, false, 1000, seed)) {
            points.add(new HeldoutPoint(r.k(), r.passAtK().mean(), r.passAtK().ciLow(), r.passAtK().ciHigh()));
        }
        return new HeldoutCurve(epoch, points);
    }
}
