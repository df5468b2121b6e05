package io.passk.cli;

import io.passk.bench.EvalBenchmark;
import io.passk.bench.StartupBenchmark;
import io.passk.spark.SparkSessions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code passk bench eval}: the offline-evaluation benchmark ({@link EvalBenchmark}): the whole
 * {@code passk eval} process against a DuckDB query doing the same per-problem work, the Spark
 * engine's job against Spark's floor and the whole eval of the shipped example, on the same
 * generated Parquet; or, with {@code --startup}, only the example, timed as new processes
 * ({@link StartupBenchmark}).
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Time the whole 'passk eval' process (--engine local, and spark) against a DuckDB query doing "
                + "the same per-problem work (the single-machine peer), the Spark engine's job against Spark's floor "
                + "(scan + per-problem aggregation of the same columns), and the whole 'passk eval' of "
                + "data/eval-example, on the same generated Parquet, interleaved; check per-problem pass@k agreement "
                + "to 1e-9. --startup: time only the example.")
public final class BenchEvalCommand implements Callable<Integer> {

    @Option(names = "--rows", defaultValue = "10000000", description = "answer rows (default ${DEFAULT-VALUE})")
    long rows;

    @Option(names = "--problems", description = "problems (default: rows / 100, i.e. n = 100 samples each)")
    Long problems;

    @Option(names = "--k", split = ",", defaultValue = "1,2,4,8,16,32,64", description = "k values (default ${DEFAULT-VALUE})")
    int[] ks;

    @Option(names = "--bootstrap", defaultValue = "1000", description = "bootstrap replicates (default ${DEFAULT-VALUE})")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "1", description = "data and bootstrap seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--repeat", defaultValue = "3", description = "timed runs of each, interleaved (median reported; default ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--warmup", defaultValue = "2", description = "untimed runs of each before timing: the JIT of "
            + "the in-process sides takes runs to settle, the processes find their files cached (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--no-sample-ids", description = "generate no sample_idx column (the eval then skips the "
            + "duplicate-id check, which needs every row shuffled)")
    boolean noSampleIds;

    @Option(names = "--no-peer", description = "do not run the DuckDB peer")
    boolean noPeer;

    @Option(names = "--startup", description = "time only the whole 'passk eval' of the shipped example as new "
            + "processes (--repeat runs after --warmup)")
    boolean startup;

    @Option(names = "--no-spark-process", description = "do not time the whole 'passk eval --engine spark' process "
            + "(the Spark engine's job is still timed in this process)")
    boolean noSparkProcess;

    @Option(names = "--no-example", description = "do not time the whole 'passk eval' of the shipped example")
    boolean noExample;

    @Option(names = "--launcher", defaultValue = "bin/passk", description = "the launcher of the whole-process runs "
            + "(default ${DEFAULT-VALUE})")
    Path launcher;

    @Option(names = "--example", defaultValue = "data/eval-example", description = "the shipped example's input "
            + "(default ${DEFAULT-VALUE})")
    Path example;

    @Option(names = "--work-dir", description = "where the temporary data goes (default: java.io.tmpdir)")
    Path workDir;

    @Option(names = "--keep", description = "keep the generated data and outputs")
    boolean keep;

    @Option(names = "--ui", description = "enable the Spark UI (local mode)")
    boolean ui;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        long p = problems != null ? problems : Math.max(1, rows / 100);
        if (rows < 1 || p < 1 || p > rows || repeat < 1 || warmup < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "need rows >= 1, 1 <= problems <= rows, repeat >= 1, warmup >= 0");
        }
        java.io.PrintWriter out = spec.commandLine().getOut();
        java.io.PrintWriter err = spec.commandLine().getErr();
        List<String> report;
        if (!java.nio.file.Files.isExecutable(launcher)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--launcher " + launcher
                    + " is not an executable file");
        }
        if (startup) {
            report = StartupBenchmark.run(launcher, example, workDir, warmup, repeat, line -> {
                err.println(line);
                err.flush();
            }).report();
        } else {
            SparkSession spark = SparkSessions.forJob("passk-bench-eval", ui);
            report = EvalBenchmark.run(spark, new EvalBenchmark.Options(rows, p, ks, bootstrap, seed, repeat, warmup,
                    !noSampleIds, !noPeer, launcher, !noSparkProcess, noExample ? null : example, workDir, keep),
                    line -> {
                        err.println(line);
                        err.flush();
                    }).report();
        }
        report.forEach(out::println);
        out.flush();
        return Passk.EXIT_OK;
    }
}
