package io.passk.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;

import io.passk.random.SeededRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Deterministic synthetic answers with a plausible difficulty structure, for the shipped
 * examples ({@code data/eval-example}, {@code data/eval-humaneval}, {@code data/eval-evalplus})
 * and the benchmark. Each problem has a latent difficulty
 * {@code z ~ N(0, 1.5^2)}; a model with (skill, sharpness) solves one sample with probability
 * {@code sigmoid(sharpness * z + skill)}. Every draw is a pure function of (seed, model,
 * problem_id, sample index), so the same arguments give the same rows on any partitioning.
 */
public final class SyntheticAnswers {

    /** A synthetic model: how often and how consistently it solves problems. */
    public record Model(String name, double skill, double sharpness) {
        public double solveRate(double difficulty) {
            return 1.0 / (1.0 + Math.exp(-(sharpness * difficulty + skill)));
        }
    }

    /** The two models of the shipped example: a broad base model and a sharper RL-tuned one. */
    public static final List<Model> EXAMPLE_MODELS = List.of(
            new Model("base", -1.2, 1.0), new Model("rl", -0.2, 2.2));
    public static final List<String> EXAMPLE_TASKS = List.of("arith", "maze");
    public static final long EXAMPLE_SEED = 7L;
    public static final int EXAMPLE_PROBLEMS_PER_TASK = 60;

    private SyntheticAnswers() {
    }

    /** The latent difficulty of a problem (larger: easier). */
    public static double difficulty(long seed, String problemId) {
        SplittableRandom r = SeededRandom.of(seed, 0, "difficulty/" + problemId, 0);
        return 1.5 * r.nextGaussian();
    }

    /** Whether sample {@code sampleIdx} of {@code model} on the problem is correct. */
    public static boolean correct(long seed, String model, String problemId, long sampleIdx, double rate) {
        return SeededRandom.uniform(SeededRandom.key(seed, SeededRandom.hash(model),
                SeededRandom.hash(problemId), sampleIdx)) < rate;
    }

    /**
     * The example's number of samples for (model, problem): mostly 16..24 (variable n is
     * normal), and about 1 in 20 problems stopped early at 8 samples (excluded for k > 8).
     */
    public static int exampleSamples(long seed, String model, String problemId) {
        SplittableRandom r = SeededRandom.of(seed, 1, model + "/" + problemId, 0);
        return r.nextInt(20) == 0 ? 8 : 16 + r.nextInt(9);
    }

    /** The example CSV: header {@code model,task,problem_id,sample_id,correct}, then one line per sample. */
    public static List<String> exampleCsvLines() {
        List<String> lines = new ArrayList<>();
        lines.add("model,task,problem_id,sample_id,correct");
        for (Model m : EXAMPLE_MODELS) {
            for (String task : EXAMPLE_TASKS) {
                for (int p = 0; p < EXAMPLE_PROBLEMS_PER_TASK; p++) {
                    String pid = String.format("%s-%03d", task, p);
                    double rate = m.solveRate(difficulty(EXAMPLE_SEED, pid) + (task.equals("maze") ? -0.7 : 0.3));
                    int n = exampleSamples(EXAMPLE_SEED, m.name(), pid);
                    for (int s = 0; s < n; s++) {
                        lines.add(m.name() + "," + task + "," + pid + "," + s + ","
                                + correct(EXAMPLE_SEED, m.name(), pid, s, rate));
                    }
                }
            }
        }
        return lines;
    }

    /** Tasks and samples per task of the harness-format examples (human-eval, evalplus). */
    public static final int HARNESS_TASKS = 20;
    public static final int HARNESS_SAMPLES = 10;
    static final Model HARNESS_MODEL = new Model("harness", -0.3, 2.0);

    /**
     * The human-eval example: what {@code evaluate_functional_correctness} writes next to a
     * samples file ({@code samples.jsonl_results.jsonl}), one JSON object per line with
     * {@code task_id}, {@code completion}, {@code result} ({@code passed}, {@code failed: ..},
     * {@code timed out}) and {@code passed}; {@value #HARNESS_TASKS} tasks x
     * {@value #HARNESS_SAMPLES} samples.
     */
    public static List<String> humanEvalLines() {
        List<String> lines = new ArrayList<>();
        for (int t = 0; t < HARNESS_TASKS; t++) {
            String task = "HumanEval/" + t;
            double rate = HARNESS_MODEL.solveRate(difficulty(EXAMPLE_SEED, task));
            for (int s = 0; s < HARNESS_SAMPLES; s++) {
                boolean ok = correct(EXAMPLE_SEED, HARNESS_MODEL.name(), task, s, rate);
                java.util.Map<String, Object> o = new java.util.LinkedHashMap<>();
                o.put("task_id", task);
                o.put("completion", "    return solve_" + t + "(x, " + s + ")\n");
                o.put("result", ok ? "passed" : (s % 4 == 3 ? "timed out" : "failed: AssertionError"));
                o.put("passed", ok);
                lines.add(JSON.toJson(o));
            }
        }
        return lines;
    }

    /**
     * The evalplus example: an {@code eval_results.json} as evalplus writes it: {@code date},
     * {@code hash} and {@code eval}, mapping each task id to its samples with {@code task_id},
     * {@code solution}, {@code base_status} and {@code plus_status} ({@code pass}/{@code fail})
     * and the failing tests; a sample passes the plus tests only if it passes the base tests.
     */
    public static String evalPlusJson() {
        java.util.Map<String, Object> eval = new java.util.LinkedHashMap<>();
        for (int t = 0; t < HARNESS_TASKS; t++) {
            String task = "HumanEval/" + t;
            double rate = HARNESS_MODEL.solveRate(difficulty(EXAMPLE_SEED, task));
            List<Object> samples = new ArrayList<>();
            for (int s = 0; s < HARNESS_SAMPLES; s++) {
                boolean base = correct(EXAMPLE_SEED, HARNESS_MODEL.name(), task, s, rate);
                // the plus tests are a superset: about a fifth of base passes fail them
                boolean plus = base && correct(EXAMPLE_SEED, "plus", task, s, 0.8);
                java.util.Map<String, Object> o = new java.util.LinkedHashMap<>();
                o.put("task_id", task);
                o.put("solution", "def solve_" + t + "(x):\n    return x + " + s + "\n");
                o.put("base_status", base ? "pass" : "fail");
                o.put("plus_status", plus ? "pass" : "fail");
                o.put("base_fail_tests", base ? List.of() : List.of(List.of(t, s)));
                o.put("plus_fail_tests", plus ? List.of() : List.of(List.of(t + 1, s)));
                samples.add(o);
            }
            eval.put(task, samples);
        }
        java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("date", "2026-01-01 00:00");
        doc.put("hash", "synthetic-" + EXAMPLE_SEED);
        doc.put("eval", eval);
        return JSON.toJson(doc) + "\n";
    }

    /** Compact, and without Gson's default HTML escaping: the harnesses write '<', '=' and '&' as is. */
    private static final com.google.gson.Gson JSON = new com.google.gson.GsonBuilder().disableHtmlEscaping().create();

    /** Benchmark model: one model, solve rates from the latent difficulty. */
    static final Model BENCH_MODEL = new Model("bench", -0.8, 1.2);

    /**
     * {@code rows} answers of one model on {@code problems} problems, problem by problem (as
     * rollouts are written): columns {@code problem_id} (string), {@code sample_idx} (int),
     * {@code correct} (boolean). Samples per problem: {@code ceil(rows / problems)}, the last
     * problem takes the rest.
     */
    public static Dataset<Row> benchmark(SparkSession spark, long rows, long problems, long seed) {
        if (rows < 1 || problems < 1 || problems > rows) {
            throw new IllegalArgumentException("need 1 <= problems <= rows, got rows=" + rows + " problems=" + problems);
        }
        long perProblem = (rows + problems - 1) / problems;
        UserDefinedFunction correct = functions.udf(
                (UDF2<String, Long, Boolean>) (pid, idx) -> correct(seed, BENCH_MODEL.name(), pid, idx,
                        BENCH_MODEL.solveRate(difficulty(seed, pid))), DataTypes.BooleanType);
        return spark.range(rows)
                .select(concat(lit("p"), format_string("%08d", col("id").divide(perProblem).cast("long")))
                                .as("problem_id"),
                        col("id").mod(perProblem).cast("int").as("sample_idx"))
                .withColumn("correct", correct.apply(col("problem_id"), col("sample_idx").cast("long")));
    }
}
