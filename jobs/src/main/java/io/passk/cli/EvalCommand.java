package io.passk.cli;

import io.passk.eval.ColumnMapping;
import io.passk.eval.EvalConfig;
import io.passk.eval.EvalEngine;
import io.passk.eval.LocalEvaluation;
import io.passk.eval.EvalResult;
import io.passk.eval.InputFormat;
import io.passk.eval.OfflineEvaluation;
import io.passk.eval.PairedComparison;
import io.passk.eval.SummaryTable;
import io.passk.progress.ProgressListener;
import io.passk.spark.SparkSessions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code passk eval}: offline pass@k / pass^k / max@k of sampled answers with bootstrap CIs. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Offline evaluation: per-problem pass@k, pass^k and max@k for each k, and their means "
                + "over problems with a 95%% bootstrap CI, per group. Input rows: problem_id plus correct "
                + "(boolean) or reward (double in [0,1]), optional sample_id/sample_idx and grouping columns; "
                + "or pre-counted problem_id, n, c; or human-eval results jsonl (task_id, passed), evalplus "
                + "eval_results.json (groups base and plus), lm-evaluation-harness samples_<task>_<date>.jsonl[.gz], lighteval "
                + "details_<task>_<date>.parquet and inspect_ai .eval logs (groups model, task), or any table through --problem-col/--correct-col/"
                + "--reward-col/--sample-col. Output (atomic): per_problem/, summary/, summary.csv, "
                + "passk.png, run.json; the summary table is printed.")
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, split = ",", paramLabel = "PATH",
            description = "input file(s) or directory(ies): Parquet, JSON lines or CSV (.gz etc. too)")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--format", paramLabel = "parquet|jsonl|csv|humaneval|evalplus|lm-eval|lighteval|inspect",
            description = "input format (default: inferred from the file names; eval_results.json is evalplus, "
                    + "a jsonl with task_id and passed is read as human-eval, samples_<task>_<date>.jsonl[.gz] as "
                    + "lm-eval, details_<task>_<date>.parquet as lighteval, *.eval as inspect)")
    String format;

    @Option(names = "--problem-col", paramLabel = "COL",
            description = "column holding the problem id (default: problem_id, else task_id)")
    String problemCol;

    @Option(names = "--correct-col", paramLabel = "COL",
            description = "column holding correctness: boolean or 0/1, or text with --correct-value "
                    + "(default: correct, else a boolean passed); for lm-eval, lighteval and inspect logs the metric or "
                    + "scorer that counts (default: exact_match else acc; pass@k:k=1&n=N; the only scorer)")
    String correctCol;

    @Option(names = "--correct-value", paramLabel = "TEXT",
            description = "with --correct-col: the text that means correct, e.g. passed (other values: incorrect)")
    String correctValue;

    @Option(names = "--reward-col", paramLabel = "COL", description = "column holding a reward in [0,1] "
            + "(default: reward)")
    String rewardCol;

    @Option(names = "--sample-col", paramLabel = "COL", description = "column holding the sample id, checked for "
            + "duplicates within a problem (default: sample_id or sample_idx)")
    String sampleCol;

    @Option(names = "--k", required = true, split = ",", paramLabel = "K",
            description = "k values, e.g. 1,2,4,8,16")
    int[] ks;

    @Option(names = "--by", split = ",", paramLabel = "COL", description = "grouping columns, e.g. model,task")
    List<String> by = new ArrayList<>();

    @Option(names = "--bootstrap", defaultValue = "1000", paramLabel = "B",
            description = "bootstrap replicates for the CI (0: none; default ${DEFAULT-VALUE})")
    int bootstrap;

    @Option(names = "--compare", split = ",", paramLabel = "A,B",
            description = "compare two values of a grouping column (e.g. two models) problem by problem: for each k, "
                    + "the mean pass@k difference A - B over the problems both have >= k answers for, with a 95%% "
                    + "bootstrap CI over problems and the problems each wins; writes compare.csv and compare.png")
    List<String> compare = new ArrayList<>();

    /** The bootstrap seed. */
    @CommandLine.Mixin
    SeedOption seed = new SeedOption(20240811);

    @Option(names = "--strict", description = "fail when a problem has fewer than k samples (default: exclude it "
            + "from that k and count it)")
    boolean strict;

    @Option(names = "--engine", defaultValue = "auto", paramLabel = "auto|local|spark",
            description = "what groups the answers per problem: local (DuckDB in this process; every input format, on "
                    + "the local file system), spark, or auto (default: local for local files when no Spark master is "
                    + "configured, else spark); results and refusals are the same")
    String engine;

    @CommandLine.Mixin
    SparkUiOption ui = new SparkUiOption();

    @CommandLine.Mixin
    OutputOptions output = new OutputOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        EvalConfig cfg = new EvalConfig(inputs, Optional.ofNullable(format).map(InputFormat::parse),
                ColumnMapping.of(problemCol, correctCol, correctValue, rewardCol, sampleCol), ks, by,
                bootstrap, seed.seed, strict, output.overwrite, output.out, compare);
        output.check();
        EvalEngine e = EvalEngine.parse(engine).resolve(cfg, System.getenv());
        ProgressListener log = ConsoleProgress.on(spec.commandLine().getErr());
        EvalResult r;
        if (e == EvalEngine.LOCAL) {
            // the engine was decided before anything is printed (EvalEngine.resolve); the local
            // engine reads and refuses every input as the Spark engine would
            r = LocalEvaluation.run(cfg, log);
        } else {
            SparkSession spark = SparkSessions.forJob("passk-eval", ui.ui);
            r = OfflineEvaluation.run(spark, cfg, log);
        }
        java.io.PrintWriter out = spec.commandLine().getOut();
        out.print(SummaryTable.format(r.summary(), r.groups()));
        if (r.comparison() != null) {
            out.print(PairedComparison.format(r.comparison(), r.compared()));
        }
        out.println("wrote " + r.out() + " (per_problem/, summary/, summary.csv, passk.png, run.json"
                + (r.comparison() != null ? ", compare.csv, compare.png" : "") + ")");
        out.flush();
        return Passk.EXIT_OK;
    }
}
