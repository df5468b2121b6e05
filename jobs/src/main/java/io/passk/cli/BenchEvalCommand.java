package io.passk.cli;

import io.passk.eval.EvalConfig;
import io.passk.eval.EvalResult;
import io.passk.eval.InputFormat;
import io.passk.eval.OfflineEvaluation;
import io.passk.eval.SyntheticAnswers;
import io.passk.spark.SparkSessions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code passk bench eval}: generates answers to a temporary Parquet, then times, in the same
 * run and after {@code --warmup} untimed runs of each, the full evaluation job and a bare Spark scan +
 * {@code groupBy(problem_id).count()} of the same Parquet. Reports both and their ratio.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Time the offline evaluation against a bare scan + groupBy(problem_id).count() of the "
                + "same generated Parquet (target ratio <= 1.5).")
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

    @Option(names = "--warmup", defaultValue = "3", description = "untimed runs of each before timing: the JIT "
            + "takes several runs to settle (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--no-sample-ids", description = "generate no sample_idx column (the eval then skips the "
            + "duplicate-id check, which needs every row shuffled)")
    boolean noSampleIds;

    @Option(names = "--work-dir", description = "where the temporary data goes (default: java.io.tmpdir)")
    Path workDir;

    @Option(names = "--keep", description = "keep the generated data and outputs")
    boolean keep;

    @Option(names = "--ui", description = "enable the Spark UI (local mode)")
    boolean ui;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        long p = problems != null ? problems : Math.max(1, rows / 100);
        if (rows < 1 || p < 1 || p > rows || repeat < 1 || warmup < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "need rows >= 1, 1 <= problems <= rows, repeat >= 1, warmup >= 0");
        }
        SparkSession spark = SparkSessions.forJob("passk-bench-eval", ui);
        Path dir = Files.createTempDirectory(workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir")),
                "passk-bench-eval-");
        // the eval sets this for its own queries (OfflineEvaluation): the baseline gets it too,
        // so both sides run under the same settings
        try (SparkSessions.Setting same = SparkSessions.withSetting(spark, SparkSessions.COALESCE_MIN_PARTITION_SIZE,
                SparkSessions.PER_PROBLEM_MIN_PARTITION_SIZE)) {
            String data = dir.resolve("answers.parquet").toString();
            System.err.printf(Locale.ROOT, "bench eval: generating %,d rows on %,d problems -> %s%n", rows, p, data);
            long t = System.nanoTime();
            Dataset<Row> gen = SyntheticAnswers.benchmark(spark, rows, p, seed);
            if (noSampleIds) {
                gen = gen.drop("sample_idx");
            }
            gen.write().mode(SaveMode.ErrorIfExists).parquet(data);
            System.err.printf(Locale.ROOT, "bench eval: generated in %.1fs (%s on disk)%n", (System.nanoTime() - t) / 1e9,
                    humanBytes(size(dir)));

            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            int[] run = {0};
            Callable<EvalResult> eval = () -> OfflineEvaluation.run(spark,
                    new EvalConfig(List.of(data), Optional.of(InputFormat.PARQUET), ks, List.of(), bootstrap, seed,
                            false, true, dir.resolve("out-" + (run[0]++)).toString()), quiet);
            Runnable baseline = () -> spark.read().parquet(data).groupBy("problem_id").count()
                    .write().format("noop").mode(SaveMode.Overwrite).save();

            System.err.printf(Locale.ROOT, "bench eval: warm-up (%d untimed run(s) of each)%n", warmup);
            for (int i = 0; i < warmup; i++) {
                baseline.run();
                call(eval);
            }
            double[] tb = new double[repeat];
            double[] te = new double[repeat];
            EvalResult last = null;
            double[] cb = new double[repeat];
            double[] ce = new double[repeat];
            for (int i = 0; i < repeat; i++) {
                System.err.printf(Locale.ROOT, "bench eval: timed run %d/%d%n", i + 1, repeat);
                long c = cpuNanos();
                t = System.nanoTime();
                baseline.run();
                tb[i] = (System.nanoTime() - t) / 1e9;
                cb[i] = (cpuNanos() - c) / 1e9;
                c = cpuNanos();
                t = System.nanoTime();
                last = call(eval);
                te[i] = (System.nanoTime() - t) / 1e9;
                ce[i] = (cpuNanos() - c) / 1e9;
            }
            java.io.PrintWriter out = spec.commandLine().getOut();
            double b = median(tb);
            double e = median(te);
            out.printf(Locale.ROOT, "rows            %,d%n", rows);
            out.printf(Locale.ROOT, "problems        %,d (n = %d per problem)%n", p, (rows + p - 1) / p);
            out.printf(Locale.ROOT, "sample ids      %s%n", noSampleIds ? "no" : "yes (duplicate check on)");
            out.printf(Locale.ROOT, "k               %s, bootstrap B = %d%n", Arrays.toString(ks), bootstrap);
            out.printf(Locale.ROOT, "runs            %d warm-up + %d timed of each, interleaved%n", warmup, repeat);
            out.printf(Locale.ROOT, "spark           %s, %s, %d cores%n", spark.version(), spark.sparkContext().master(),
                    Runtime.getRuntime().availableProcessors());
            out.printf(Locale.ROOT, "baseline scan + groupBy(problem_id).count(): %.2f s%n", b);
            out.printf(Locale.ROOT, "eval job (all outputs):                      %.2f s%n", e);
            out.printf(Locale.ROOT, "ratio eval / baseline:                       %.2f (target <= 1.5)%n", e / b);
            out.printf(Locale.ROOT, "all timed runs (s, in order): baseline %s, eval %s%n", seconds(tb), seconds(te));
            // CPU seconds of this JVM (driver and local executors, JIT and GC included): less
            // sensitive than wall time to other processes on a shared machine
            out.printf(Locale.ROOT, "process CPU, median (s): baseline %.2f, eval %.2f, ratio %.2f%n", median(cb),
                    median(ce), median(ce) / median(cb));
            StringBuilder stages = new StringBuilder();
            for (Map.Entry<String, Double> s : last.seconds().entrySet()) {
                stages.append(String.format(Locale.ROOT, " %s=%.2fs", s.getKey(), s.getValue()));
            }
            out.println("eval stages (last run):" + stages);
            out.flush();
            return Passk.EXIT_OK;
        } finally {
            if (keep) {
                System.err.println("bench eval: kept " + dir);
            } else {
                deleteRecursively(dir);
            }
        }
    }

    private static EvalResult call(Callable<EvalResult> c) {
        try {
            return c.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** CPU time of this process so far (all threads), or 0 where the JVM does not tell. */
    private static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? Math.max(0, sun.getProcessCpuTime()) : 0;
    }

    private static String seconds(double[] v) {
        StringBuilder s = new StringBuilder();
        for (double x : v) {
            s.append(s.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", x));
        }
        return s.toString();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length;
        return m % 2 == 1 ? s[m / 2] : (s[m / 2 - 1] + s[m / 2]) / 2;
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static String humanBytes(long b) {
        return b >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MiB", b / 1048576.0)
                : String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(s.toList());
            all.sort(Comparator.reverseOrder());
            for (Path q : all) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
